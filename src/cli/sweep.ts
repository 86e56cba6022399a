/**
 * `lepton sweep PLAN` (run), `lepton sweep merge PLAN`, `lepton sweep emit PLAN --slurm|--k8s`,
 * `lepton sweep status PLAN`. docs/sweeps.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../util/errors';
import { repoRoot } from '../util/repoRoot';
import { writeFileAtomic } from '../util/atomic';
import { formatHelp, parseArgs, unknownOption, type OptionSpecs } from './args';
import { loadPlan, expandPlan, type Plan } from '../sweep/plan';
import { isDone } from '../sweep/cell';
import { resolveShard, runPlan } from '../sweep/runner';
import { writeMerged } from '../sweep/merge';
import { k8sJob, k8sYaml, slurmScript } from '../sweep/emit';

const OUT = { type: 'string', arg: 'DIR', help: 'output folder (default results/sweeps/<plan name>)' } as const;
const HELP = { type: 'boolean', help: 'show this help' } as const;

export const RUN_SPECS: OptionSpecs = {
  out: OUT,
  workers: { type: 'number', arg: 'N', int: true, min: 1, max: 256, default: 1, help: 'cells in parallel (processes)' },
  shard: {
    type: 'string',
    arg: 'I/N',
    help: 'run only cells with index mod N = I (default: from SLURM_ARRAY_TASK_ID/_COUNT or JOB_COMPLETION_INDEX + LEPTON_SHARD_COUNT, else all)',
  },
  help: HELP,
};
export const MERGE_SPECS: OptionSpecs = { out: OUT, help: HELP };
export const STATUS_SPECS: OptionSpecs = { out: OUT, help: HELP };
export const EMIT_SPECS: OptionSpecs = {
  out: OUT,
  slurm: { type: 'boolean', help: 'write an sbatch job-array script' },
  k8s: { type: 'boolean', help: 'write a Kubernetes Indexed Job manifest (YAML)' },
  to: { type: 'string', arg: 'FILE', help: 'write to FILE (default: stdout)' },
  tasks: {
    type: 'number',
    arg: 'N',
    int: true,
    min: 1,
    max: 100000,
    help: 'Slurm array tasks / Kubernetes completions',
  },
  parallelism: { type: 'number', arg: 'N', int: true, min: 1, max: 100000, help: 'Kubernetes: pods at once' },
  image: { type: 'string', arg: 'IMAGE', help: 'Kubernetes: container image holding this repository, built' },
  workdir: { type: 'string', arg: 'DIR', help: 'Kubernetes: the repository inside the image', default: '/app' },
  help: HELP,
};

const USAGE = [
  'lepton sweep PLAN [--workers N] [--shard I/N] [--out DIR]     run the plan (or this shard of it)',
  '       lepton sweep status PLAN [--out DIR]                          cells done / to do',
  '       lepton sweep merge PLAN [--out DIR]                           summary over seeds + report (all cells done)',
  '       lepton sweep emit PLAN --slurm|--k8s [--tasks N] [--to FILE]   batch-system wrapper',
].join('\n');

function help(specs: OptionSpecs): string {
  return formatHelp(
    USAGE,
    'A plan (JSON or YAML, docs/sweeps.md) is a grid of simulation cells: traces × clusters × loads × job prefixes ×\n' +
      'policies/agents × seeds. Each cell has a content hash; its result goes to OUT/cells/<hash>/ (published\n' +
      'atomically, so finished cells are skipped and a killed run resumes). merge writes OUT/merged/.',
    specs,
  );
}

/** The plan is the one positional argument (not the value of an option that takes one). */
function splitPlan(argv: readonly string[], sub: string, specs: OptionSpecs): { planFile: string; rest: string[] } {
  const positional: number[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a.startsWith('--')) {
      const name = a.includes('=') ? a.slice(2, a.indexOf('=')) : a.slice(2);
      if (!Object.prototype.hasOwnProperty.call(specs, name)) throw unknownOption(`lepton sweep ${sub}`, name, specs);
      if (specs[name].type !== 'boolean' && !a.includes('=')) k++; // its value
      continue;
    }
    positional.push(k);
  }
  if (positional.length === 0 && argv.includes('--help')) return { planFile: '', rest: [...argv] };
  if (positional.length !== 1)
    throw new UsageError(
      `lepton sweep ${sub}: expected one plan file (PLAN.json or PLAN.yaml), got ${positional.length ? positional.map((k) => `'${argv[k]}'`).join(', ') : 'none'}`,
    );
  return { planFile: argv[positional[0]], rest: argv.filter((_, k) => k !== positional[0]) };
}

function outOf(a: Record<string, unknown>, plan: Plan): string {
  return path.resolve((a.out as string | undefined) ?? path.join('results', 'sweeps', plan.name));
}

export async function runSweep(argv: string[]): Promise<number> {
  const subs = ['merge', 'emit', 'status', 'run'];
  const sub = subs.includes(argv[0]) ? argv[0] : 'run';
  const args = subs.includes(argv[0]) ? argv.slice(1) : argv;
  const specs = { merge: MERGE_SPECS, emit: EMIT_SPECS, status: STATUS_SPECS, run: RUN_SPECS }[sub]!;
  if (args.length === 0) {
    process.stdout.write(help(specs));
    return 2;
  }
  const { planFile, rest } = splitPlan(args, sub, specs);
  const a = parseArgs(rest, specs, `lepton sweep ${sub}`);
  if (a.help) {
    process.stdout.write(help(specs));
    return 0;
  }
  const { plan } = loadPlan(planFile);
  let cells: ReturnType<typeof expandPlan>;
  try {
    cells = expandPlan(plan);
  } catch (e) {
    // Expansion errors (a cell listed twice, …) are about the plan: name it.
    if (e instanceof UsageError) throw new UsageError(`${planFile}: ${e.message}`);
    throw e;
  }
  const out = outOf(a, plan);

  if (sub === 'status') {
    const done = cells.filter((c) => isDone(out, c.hash)).length;
    console.log(`${plan.name}: ${done}/${cells.length} cells done in ${out}`);
    return done === cells.length ? 0 : 1;
  }
  if (sub === 'merge') {
    const dir = writeMerged(plan, cells, out);
    console.log(`merged ${cells.length} cells of '${plan.name}' into ${path.relative(process.cwd(), dir) || dir}/`);
    return 0;
  }
  if (sub === 'emit') {
    if (Boolean(a.slurm) === Boolean(a.k8s))
      throw new UsageError('lepton sweep emit: pass exactly one of --slurm, --k8s');
    let text: string;
    if (a.slurm) {
      text = slurmScript(plan, {
        planFile,
        out,
        repo: repoRoot(),
        cells: cells.length,
        tasks: a.tasks as number | undefined,
      });
      // sbatch needs the --output folder to exist when the tasks start.
      mkdirSync(path.join(out, 'slurm'), { recursive: true });
    } else {
      const planRel = path.relative(repoRoot(), path.resolve(planFile));
      if (planRel.startsWith('..'))
        throw new UsageError(`${planFile}: for --k8s the plan must be inside the repository (the image holds it)`);
      text = k8sYaml(
        k8sJob(plan, {
          planRel,
          cells: cells.length,
          image: a.image as string | undefined,
          workdir: a.workdir as string,
          completions: a.tasks as number | undefined,
          parallelism: a.parallelism as number | undefined,
        }),
        plan.name,
      );
    }
    if (a.to) {
      writeFileAtomic(a.to as string, text);
      if (a.slurm) writeFileSync(a.to as string, text, { mode: 0o755 });
      console.error(`wrote ${a.to}`);
    } else process.stdout.write(text);
    return 0;
  }
  const shard = resolveShard(a.shard as string | undefined);
  const summary = await runPlan(plan, cells, {
    out,
    workers: a.workers as number,
    shard,
    planFile: path.resolve(planFile),
    command: `lepton sweep ${argv.join(' ')}`,
  });
  for (const f of summary.failed) console.error(`[sweep] cell ${f.hash} failed: ${f.error}`);
  if (summary.failed.length > 0) {
    console.error(`[sweep] ${summary.failed.length} cell(s) failed; rerun the same command to retry them`);
    return 1;
  }
  return 0;
}
