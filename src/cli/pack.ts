/**
 * `lepton pack`: the packing mode of the FGD paper (Weng et al., ATC'23) on the Alibaba GPU 2023
 * (openb) trace — pods submitted back to back, no departures, the pod order inflated to
 * `--ratio` × the cluster's GPU capacity and shuffled per seed — for every placement policy on the
 * identical orders. Prints the table and, with --out, writes the study's files.
 */
import path from 'node:path';
import { UsageError } from '../util/errors';
import { OutputSet } from '../util/atomic';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { PACKING_POLICIES, PACKING_POLICY_KINDS, isPackingPolicyKind } from '../schedulers/packing/registry';
import { packingSetup } from '../experiment/packing/setup';
import {
  familyRows,
  heuristicFactory,
  runPackingStudy,
  summariseStudy,
  type PolicyFactory,
} from '../experiment/packing/study';
import { makeManifest, sha256File } from '../experiment/manifest';
import {
  PACKING_OUTPUT_FILES,
  packingCurvesCsv,
  packingFigure,
  packingRunsCsv,
  packingSummaryCsv,
  packingTableMd,
} from '../report/packingResults';
import { learnedPackingFactory } from '../experiment/packing/agentPolicy';
import { PACKING_ALGOS, VALIDATION_SEEDS, trainPackingAgent, PACKING_TRAIN_FILES } from '../experiment/packing/train';
import { writeFileAtomic } from '../util/atomic';
import { initBackend } from '../tf/backend';

export const PACK_OPTIONS: OptionSpecs = {
  trace: { type: 'string', arg: 'NAME', help: 'trace family (only openb)', default: 'openb', choices: ['openb'] },
  pods: { type: 'string', arg: 'FILE', help: 'openb pod list (default: ../shared/…/openb_pod_list_default.csv)' },
  nodes: { type: 'string', arg: 'FILE', help: 'openb node list (default: ../shared/…/openb_node_list_all_node.csv)' },
  policy: {
    type: 'list',
    arg: 'LIST',
    help: `comma list of ${PACKING_POLICY_KINDS.join(', ')}`,
    default: [...PACKING_POLICY_KINDS],
  },
  agent: {
    type: 'list',
    arg: 'DIRS',
    help: 'comma list of trained packing agents (folders written by scripts/reproduce-openb.sh) to evaluate as well',
  },
  seeds: {
    type: 'string',
    arg: 'A..B|LIST',
    help: 'pod-order seeds (the paper: 10 repeats, 42..51)',
    default: '42..51',
  },
  ratio: {
    type: 'number',
    arg: 'R',
    help: 'inflate the pods to R × GPU capacity (the paper: 1.3)',
    default: 1.3,
    gt: 0,
    min: 0,
    max: 10,
  },
  grid: {
    type: 'number',
    arg: 'F',
    help: 'curve resolution, fraction of capacity',
    default: 0.01,
    gt: 0,
    min: 0,
    max: 1,
  },
  subsample: {
    type: 'number',
    arg: 'K',
    help: 'keep a stratified 1/K of the nodes (1 = the whole 1,523-node cluster)',
    default: 1,
    int: true,
    min: 1,
    max: 1523,
  },
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'write summary.csv, table.md, curves.csv, runs.csv, figure.svg, manifest.json',
  },
  help: { type: 'boolean', help: 'show this help' },
};

const HELP = formatHelp(
  'lepton pack --trace openb [--policy fgd,bestfit,…] [--seeds 42..51] [--ratio 1.3] [--subsample K] [--agent DIR,…] [--out DIR]',
  "The FGD paper's packing experiment: pods of the openb trace arrive back to back until the\n" +
    'inflated workload (ratio × GPU capacity) has arrived; a pod that fits nowhere fails and is dropped.\n' +
    "Reports GPUs allocated and fragmented (F(M), the paper's measure) when the first pod fails, at\n" +
    '100 % arrived and at the end, with 95 % t intervals over the seeds. Policies:\n' +
    PACKING_POLICY_KINDS.map((k) => `  ${k.padEnd(11)}${PACKING_POLICIES[k].description}`).join('\n'),
  PACK_OPTIONS,
);

/** "42..51" or "1,2,3" → seeds (integers ≥ 0). */
export function parseSeeds(s: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(s.trim());
  let seeds: number[];
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a) throw new UsageError(`pack: --seeds ${s}: the range is empty (write A..B with A ≤ B)`);
    if (b - a >= 1000) throw new UsageError(`pack: --seeds ${s}: at most 1000 seeds`);
    seeds = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else {
    seeds = s.split(',').map((x) => {
      if (!/^\d+$/.test(x.trim()))
        throw new UsageError(`pack: --seeds: '${x}' is not an integer ≥ 0 (write 42..51 or 1,2,3)`);
      return Number(x.trim());
    });
  }
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`pack: --seeds ${s} repeats a seed`);
  return seeds;
}

export const PACK_TRAIN_OPTIONS: OptionSpecs = {
  algo: {
    type: 'string',
    arg: 'ALGO',
    help: `agent family: ${PACKING_ALGOS.join(', ')}`,
    default: 'ppo',
    choices: PACKING_ALGOS,
  },
  seed: {
    type: 'number',
    arg: 'S',
    help: 'training seed (network init, sampling, training orders)',
    default: 1,
    int: true,
    min: 0,
    max: 4294967295,
  },
  steps: {
    type: 'number',
    arg: 'N',
    help: 'environment steps (decisions) to train for',
    default: 20_000,
    int: true,
    min: 1,
    max: 1e9,
  },
  reward: {
    type: 'string',
    arg: 'frag|alloc',
    help: "'frag' = −ΔF(M) per step, 'alloc' = GPUs allocated per step",
    default: 'frag',
    choices: ['frag', 'alloc'],
  },
  subsample: {
    type: 'number',
    arg: 'K',
    help: 'train on a stratified 1/K of the openb nodes',
    default: 16,
    int: true,
    min: 1,
    max: 1523,
  },
  pods: PACK_OPTIONS.pods,
  nodes: PACK_OPTIONS.nodes,
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'run folder: checkpoint/ (resumed when present), agent/, train.json',
    required: true,
  },
  help: { type: 'boolean', help: 'show this help' },
};

const TRAIN_HELP = formatHelp(
  'lepton pack train --algo ppo --seed 1 [--steps 20000] [--subsample 16] --out DIR',
  'Trains a learned placement agent (kernel network over node rows, action = node, masked) on the\n' +
    'packing mode of openb, on training pod orders only; resumes DIR/checkpoint when present. Then\n' +
    'scores the greedy agent and FGD on the validation orders (never the test seeds 42..51).',
  PACK_TRAIN_OPTIONS,
);

async function runPackTrain(argv: string[]): Promise<number> {
  const a = parseArgs(argv, PACK_TRAIN_OPTIONS, 'pack train');
  if (a.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  if (a.out === undefined) throw new UsageError('pack train: --out DIR is required');
  const algo = a.algo as string;
  if (!(PACKING_ALGOS as readonly string[]).includes(algo))
    throw new UsageError(`pack train: --algo must be one of ${PACKING_ALGOS.join(', ')}, got '${algo}'`);
  const reward = a.reward as string;
  if (reward !== 'frag' && reward !== 'alloc')
    throw new UsageError(`pack train: --reward must be frag or alloc, got '${reward}'`);
  await initBackend();
  const setup = packingSetup({
    podsFile: a.pods as string | undefined,
    nodesFile: a.nodes as string | undefined,
    every: a.subsample as number,
  });
  const out = a.out as string;
  const rec = await trainPackingAgent(setup, {
    algo: algo as (typeof PACKING_ALGOS)[number],
    seed: a.seed as number,
    totalSteps: a.steps as number,
    reward,
    out,
    onIteration: (it, m) => {
      if (it % 5 === 0)
        process.stderr.write(
          `pack train: iteration ${it} step ${m.globalStep} mean return ${m.meanReturn?.toFixed(3)}\n`,
        );
    },
  });
  const learned = await learnedPackingFactory(out, setup);
  const runs = runPackingStudy(
    setup,
    { fgd: heuristicFactory('fgd', setup), [learned.name]: learned.factory },
    VALIDATION_SEEDS,
    1.3,
    0.01,
  );
  const validation = summariseStudy(runs).map((r) => ({
    policy: r.policy,
    final_alloc_pct: r.metrics.final_alloc_pct.estimate,
    first_fail_alloc_pct: r.metrics.first_fail_alloc_pct.estimate,
    frag_gpu_at_100: r.metrics.frag_gpu_at_100.estimate,
  }));
  writeFileAtomic(
    path.join(out, PACKING_TRAIN_FILES.record),
    JSON.stringify({ ...rec, validationSeeds: VALIDATION_SEEDS, validation }, null, 2) + '\n',
  );
  process.stdout.write(`${JSON.stringify(validation)}\n`);
  return 0;
}

export async function runPack(argv: string[]): Promise<number> {
  if (argv[0] === 'train') return runPackTrain(argv.slice(1));
  const a = parseArgs(argv, PACK_OPTIONS, 'pack');
  if (a.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (a.trace !== 'openb')
    throw new UsageError(`pack: --trace must be openb (the only packing trace), got '${a.trace}'`);
  const policies = a.policy as string[];
  for (const p of policies)
    if (!isPackingPolicyKind(p))
      throw new UsageError(`pack: unknown --policy '${p}' (known: ${PACKING_POLICY_KINDS.join(', ')})`);
  const seeds = parseSeeds(a.seeds as string);
  const ratio = a.ratio as number;
  const grid = a.grid as number;
  const out =
    a.out === undefined
      ? undefined
      : OutputSet.open(a.out as string, { known: PACKING_OUTPUT_FILES, what: 'pack output' });
  const t0 = Date.now();
  const setup = packingSetup({
    podsFile: a.pods as string | undefined,
    nodesFile: a.nodes as string | undefined,
    every: a.subsample as number,
  });
  for (const sd of seeds)
    if (sd >= 1_000_000)
      throw new UsageError(
        `pack: --seeds must be < 1000000 (seeds from 1000000 up are training and validation orders), got ${sd}`,
      );
  const agents = (a.agent as string[] | undefined) ?? [];
  if (agents.length > 0) await initBackend();
  const factories: Record<string, PolicyFactory> = {};
  for (const p of policies) if (isPackingPolicyKind(p)) factories[p] = heuristicFactory(p, setup);
  for (const dir of agents) {
    const f = await learnedPackingFactory(dir, setup);
    factories[f.name] = f.factory;
  }
  const c = setup.cluster;
  process.stderr.write(
    `pack: ${c.name}: ${c.numNodes} nodes, ${c.totalGpuMilli / 1000} GPUs; ${setup.pods.names.length} pods (${setup.interned.specs.count} specs); ` +
      `${Object.keys(factories).length} policies × ${seeds.length} seeds, inflated to ${ratio} × capacity\n`,
  );
  const runs = runPackingStudy(setup, factories, seeds, ratio, grid);
  const rows = summariseStudy(runs);
  rows.push(...familyRows(rows));
  const title = `openb packing, ${c.name} (${c.numNodes} nodes, ${c.totalGpuMilli / 1000} GPUs), ${seeds.length} seeds, inflation ${ratio}`;
  const table = packingTableMd(rows, title);
  process.stdout.write(table);
  if (out) {
    out.write('summary.csv', packingSummaryCsv(rows));
    out.write('table.md', table);
    out.write('curves.csv', packingCurvesCsv(runs));
    out.write('runs.csv', packingRunsCsv(runs));
    out.write('figure.svg', packingFigure(runs, `${title}; bands: 95 % t intervals over seeds`));
    const policyWallSeconds: Record<string, number> = {};
    for (const r of runs) policyWallSeconds[r.policy] = (policyWallSeconds[r.policy] ?? 0) + r.wallSeconds;
    const manifest = makeManifest({
      command: `lepton pack ${argv.join(' ')}`,
      config: {
        trace: 'openb',
        ratio,
        grid,
        subsample: setup.every,
        policies: Object.keys(factories),
        pods: path.basename(setup.podsFile),
        nodes: path.basename(setup.nodesFile),
        nodesSha256: sha256File(setup.nodesFile),
        nodesUsed: c.numNodes,
        gpus: c.totalGpuMilli / 1000,
        podSpecs: setup.interned.specs.count,
      },
      seeds,
      trace: {
        kind: 'openb',
        file: path.basename(setup.podsFile),
        sha256: setup.pods.sha256,
        rowsRead: setup.pods.names.length,
        filtered: 0,
        skipped: 0,
        jobs: setup.pods.names.length,
      },
      startedAt: new Date(t0).toISOString(),
      wallTimeSeconds: (Date.now() - t0) / 1000,
      policyWallSeconds,
      extra: { agents },
    });
    out.write('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
    out.commit();
    process.stderr.write(`pack: wrote ${out.out}\n`);
  }
  return 0;
}
