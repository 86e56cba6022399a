/**
 * `lepton rlsched replay`: RLScheduler's Table V heuristic protocol on an SWF trace, per job
 * exact (spec ../shared/specs/rlscheduler.md). Output format: the spec's last section.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../util/errors';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { formatTable } from './table';
import { writeFileAtomic } from '../util/atomic';
import { RLSCHED_HEURISTICS, type RlschedHeuristic } from '../rlsched/heuristics';
import { modesOf, rlschedReplay, type BackfillMode, type ReplayOutput } from '../rlsched/replay';
import { loadRlschedTrace } from '../rlsched/trace';
import { evaluateOnProtocol, type RlschedEvalResult } from '../experiment/evaluateRlsched';
import { makeManifest } from '../experiment/manifest';
import { resolveCheckpoint } from '../experiment/agentPolicy';
import { loadTrainedAgent } from '../experiment/train';
import { initBackend } from '../tf/backend';

export const RLSCHED_REPLAY_SPECS: OptionSpecs = {
  trace: { type: 'string', arg: 'FILE', help: 'SWF trace (.swf or .swf.gz, read directly)', required: true },
  len: {
    type: 'number',
    arg: 'L',
    int: true,
    min: 1,
    max: 10_000_000,
    unit: 'jobs',
    help: 'jobs per sequence',
    default: 1024,
  },
  iter: { type: 'number', arg: 'N', int: true, min: 1, max: 1_000_000, help: 'number of sequences', default: 10 },
  seed: {
    type: 'number',
    arg: 'S',
    int: true,
    min: 0,
    max: 4294967295,
    help: 'gym seed of the start-index generator',
    default: 1,
  },
  slice: {
    type: 'number',
    arg: 'N',
    int: true,
    min: 0,
    max: 1_000_000_000,
    unit: 'jobs',
    help: 'batch_job_slice: draw starts from the first N jobs only (0 = whole trace; the protocol uses 10000 for HPC2N)',
    default: 0,
  },
  policy: {
    type: 'list',
    arg: 'LIST',
    choices: RLSCHED_HEURISTICS,
    help: `comma list of ${RLSCHED_HEURISTICS.join(', ')} (RLScheduler's as-implemented keys)`,
    default: [...RLSCHED_HEURISTICS],
  },
  backfill: {
    type: 'string',
    arg: 'off|on|both',
    choices: ['off', 'on', 'both'],
    help: 'backfilling mode(s)',
    default: 'both',
  },
  out: { type: 'string', arg: 'FILE', help: 'output OUT.json', required: true },
  help: { type: 'boolean', help: 'show this help' },
};

const REPLAY_HELP = formatHelp(
  'lepton rlsched replay --trace FILE --len 1024 --iter 10 --seed 1 [--slice 10000] --policy fcfs,wfp3,unicep,sjf,f1,smallest --backfill off|on|both --out OUT.json',
  'Schedules the same sequences of consecutive trace jobs with each heuristic from an empty machine,\n' +
    "exactly as RLScheduler (SC'20) does, and writes per-job start times, per-sequence and overall\n" +
    'mean bounded slowdown. Table V: lublin_256.swf and lublin_256_new2.swf as they are,\n' +
    'HPC2N-2002-2.2-cln.swf.gz with --slice 10000.',
  RLSCHED_REPLAY_SPECS,
);

export async function runRlsched(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write('Usage: lepton rlsched replay|evaluate [options]\n\n' + REPLAY_HELP + '\n' + EVALUATE_HELP);
    return sub === undefined ? 1 : 0;
  }
  if (sub === 'evaluate') return runRlschedEvaluate(rest);
  if (sub !== 'replay') throw new UsageError(`rlsched: unknown subcommand '${sub}' (replay | evaluate; see --help)`);
  const a = parseArgs(rest, RLSCHED_REPLAY_SPECS, 'rlsched replay');
  if (a.help) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  // Types, ranges, choices and required options are checked by the option schema (RLSCHED_REPLAY_SPECS).
  const tracePath = a.trace as string;
  const out = a.out as string;
  const backfill = a.backfill as string;
  const policies = a.policy as string[];
  if (new Set(policies).size !== policies.length) throw new UsageError('rlsched replay: --policy lists a policy twice');
  const seqLen = a.len as number;
  const iters = a.iter as number;
  const seed = a.seed as number;
  const slice = a.slice as number;
  const trace = loadRlschedTrace(tracePath);
  let result: ReplayOutput;
  try {
    result = rlschedReplay(trace, {
      seqLen,
      iters,
      seed,
      slice,
      policies: policies as RlschedHeuristic[],
      backfill: backfill as BackfillMode,
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`rlsched replay: ${tracePath}: ${e.message}`);
    throw e;
  }
  const dir = path.dirname(path.resolve(out));
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(out, JSON.stringify(result) + '\n');
  const modes = modesOf(backfill as BackfillMode);
  const rows = policies.map((p) => [
    p,
    ...modes.map((m) => result.results[m]![p as RlschedHeuristic]!.mean_bsld.toFixed(2)),
  ]);
  process.stdout.write(
    `${tracePath}: ${trace.size} jobs, ${trace.maxNodes} nodes; ${iters} sequences of ${seqLen} jobs, starts ` +
      `${result.sequences.map((s) => s.start_index).join(', ')}\n` +
      formatTable(['mean bsld', ...modes], rows) +
      `wrote ${out}\n`,
  );
  return 0;
}

export const RLSCHED_EVALUATE_SPECS: OptionSpecs = {
  checkpoint: { type: 'string', arg: 'DIR', help: 'a `lepton train --env rlsched` output folder', required: true },
  trace: RLSCHED_REPLAY_SPECS.trace,
  len: RLSCHED_REPLAY_SPECS.len,
  iter: RLSCHED_REPLAY_SPECS.iter,
  seed: RLSCHED_REPLAY_SPECS.seed,
  slice: RLSCHED_REPLAY_SPECS.slice,
  policy: { ...RLSCHED_REPLAY_SPECS.policy, help: 'heuristics evaluated beside the agent (same sequences)' },
  backfill: RLSCHED_REPLAY_SPECS.backfill,
  name: { type: 'string', arg: 'NAME', help: "the agent's row name (default: its algorithm)" },
  out: { type: 'string', arg: 'DIR', help: 'output folder: summary.csv, sequences.csv, manifest.json', required: true },
  help: { type: 'boolean', help: 'show this help' },
};

const EVALUATE_HELP = formatHelp(
  'lepton rlsched evaluate --checkpoint DIR --trace FILE [--slice N] [--len 1024 --iter 10 --seed 1] [--backfill both] --out DIR',
  'Evaluates a trained agent (greedy) on the Table V protocol of a trace beside the heuristics, on\n' +
    'identical sequences, with and without backfilling. Writes DIR/summary.csv (policy, mode, mean\n' +
    'bsld and its 95 % t-interval over the sequences), DIR/sequences.csv and DIR/manifest.json.',
  RLSCHED_EVALUATE_SPECS,
);

async function runRlschedEvaluate(argv: string[]): Promise<number> {
  const a = parseArgs(argv, RLSCHED_EVALUATE_SPECS, 'rlsched evaluate');
  if (a.help) {
    process.stdout.write(EVALUATE_HELP);
    return 0;
  }
  // Types, ranges, choices and required options are checked by the option schema (RLSCHED_EVALUATE_SPECS).
  const ck = a.checkpoint as string;
  const tracePath = a.trace as string;
  const out = a.out as string;
  const backfill = a.backfill as string;
  const policies = a.policy as string[];
  const protocol = {
    seqLen: a.len as number,
    iters: a.iter as number,
    seed: a.seed as number,
    slice: a.slice as number,
  };
  const started = new Date().toISOString();
  const t0 = performance.now();
  const backend = await initBackend();
  const { ckDir, trainManifest } = resolveCheckpoint(ck);
  const agent = await loadTrainedAgent(ckDir);
  const trace = loadRlschedTrace(tracePath);
  const name = (a.name as string | undefined) ?? agent.name;
  let res: RlschedEvalResult;
  try {
    res = evaluateOnProtocol(trace, protocol, backfill as BackfillMode, policies as RlschedHeuristic[], {
      name,
      agent,
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`rlsched evaluate: ${tracePath}: ${e.message}`);
    throw e;
  }
  mkdirSync(out, { recursive: true });
  const f = (x: number): string => (Number.isFinite(x) ? String(x) : '');
  writeFileAtomic(
    path.join(out, 'summary.csv'),
    'policy,mode,mean_bsld,ci95_lo,ci95_hi,sequences\n' +
      res.rows
        .map((r) => [r.policy, r.mode, f(r.mean_bsld), f(r.ci95_lo), f(r.ci95_hi), r.per_sequence.length].join(','))
        .join('\n') +
      '\n',
  );
  writeFileAtomic(
    path.join(out, 'sequences.csv'),
    'policy,mode,sequence,start_index,mean_bsld\n' +
      res.rows
        .flatMap((r) => r.per_sequence.map((x, i) => [r.policy, r.mode, i, res.starts[i], f(x)].join(',')))
        .join('\n') +
      '\n',
  );
  const manifest = makeManifest({
    command: ['lepton', 'rlsched', 'evaluate', ...argv].join(' '),
    config: { protocol, backfill, policies, checkpoint: ck, agent: name, greedy: true },
    seeds: [protocol.seed],
    backend,
    startedAt: started,
    wallTimeSeconds: (performance.now() - t0) / 1000,
    extra: {
      trace: { file: tracePath, sha256: trace.sha256, jobs: trace.size, maxNodes: trace.maxNodes },
      starts: res.starts,
      agentSeconds: res.agentSeconds,
      training: trainManifest ? { command: trainManifest.command, gitRevision: trainManifest.gitRevision } : null,
    },
  });
  writeFileAtomic(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const modes = modesOf(backfill as BackfillMode);
  const names = [...policies, name];
  const cell = (p: string, m: string): string => {
    const r = res.rows.find((x) => x.policy === p && x.mode === m)!;
    return `${r.mean_bsld.toFixed(2)} [${r.ci95_lo.toFixed(1)}, ${r.ci95_hi.toFixed(1)}]`;
  };
  process.stdout.write(
    formatTable(
      ['mean bsld [95% CI]', ...modes],
      names.map((p) => [p, ...modes.map((m) => cell(p, m))]),
    ) + `wrote ${out}/summary.csv, sequences.csv, manifest.json\n`,
  );
  return 0;
}
