/**
 * Overloaded Philly replay: the Pollux/Sia job table on 40 nodes × 8 GPUs (320 GPUs,
 * FIFO mean wait ~730 h, queues of thousands of jobs), one replay per op, for
 * every scheduler in the registry. Measures how the policies cope with long queues (the
 * philly-replay suite, on the whole cluster, hardly queues). Same setting as
 * `npx tsx scripts/replay-philly.ts all 40`. Rate: trace jobs replayed per second.
 * Both modes replay the first OVERLOAD_JOBS jobs (the whole table takes ~40 s per policy
 * sweep, too long to repeat in a 5-minute gate; `npx tsx scripts/replay-philly.ts all 40`
 * times it).
 */
import { existsSync } from 'node:fs';
import { simulate, uniformCluster, loadTrace, sharedDataset } from 'lepton';
import { anySelected, runCases, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';
import { benchPolicies } from './philly';

export const OVERLOAD_SUITE = 'philly-overload';
/** 8-GPU nodes in the overloaded cluster. */
export const OVERLOAD_NODES = 40;
/** Jobs replayed (a prefix of the table), in both modes. */
export const OVERLOAD_JOBS = 10_000;

export async function overloadSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  const file = sharedDataset('philly', 'philly_jobs_pollux.csv');
  if (!existsSync(file))
    return {
      suite: OVERLOAD_SUITE,
      skipped: `Philly trace not found at ${file} (shared folder missing; set LEPTON_SHARED)`,
      results: [],
    };
  const policies = benchPolicies();
  const jobCount = (_name: string, all: number): number => Math.min(all, OVERLOAD_JOBS);
  // Case names carry the job count so quick and full numbers are never confused. The
  // table's size is only known after loading it; the names before that assume it is larger
  // than every prefix (true of the 82,247-job table) so --filter can skip the load.
  const guess = policies.map((p) => `${p.name} ${jobCount(p.name, Infinity)} jobs on ${OVERLOAD_NODES}x8`);
  if (
    !anySelected(opts, OVERLOAD_SUITE, guess) &&
    !anySelected(
      opts,
      OVERLOAD_SUITE,
      policies.map((p) => p.name),
    )
  )
    return { suite: OVERLOAD_SUITE, skipped: 'no case matches --filter', results: [] };
  const workload = loadTrace('philly', file);
  const total = workload.jobs.length;
  const names = policies.map((p) => `${p.name} ${jobCount(p.name, total)} jobs on ${OVERLOAD_NODES}x8`);
  if (!anySelected(opts, OVERLOAD_SUITE, names))
    return { suite: OVERLOAD_SUITE, skipped: 'no case matches --filter', results: [] };
  const cluster = uniformCluster('philly-overload', OVERLOAD_NODES, { gpus: 8, cpus: 96, memMiB: 512 * 1024 });
  const notes = [`${total} jobs in the table; cluster ${OVERLOAD_NODES} nodes × 8 GPUs; oversize jobs rejected`];

  const cases: BenchCase[] = [];
  const failed: string[] = [];
  policies.forEach((p, i) => {
    if (!anySelected(opts, OVERLOAD_SUITE, [names[i]])) return;
    const jobs = workload.jobs.slice(0, jobCount(p.name, total));
    const run = () => simulate(jobs, cluster, p.make(), { oversize: 'reject' });
    let probe;
    try {
      probe = run(); // untimed: checks the policy works and gives the events per replay
    } catch (e) {
      failed.push(`${p.name}: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    cases.push({
      name: names[i],
      fn: run,
      perOp: jobs.length,
      unit: 'jobs',
      info: { policy: p.name, jobs: jobs.length, gpus: OVERLOAD_NODES * 8, events: probe.events },
    });
  });
  for (const f of failed) notes.push(`replay failed, not benchmarked: ${f}`);
  return { suite: OVERLOAD_SUITE, results: await runCases(OVERLOAD_SUITE, cases, opts), notes };
}
