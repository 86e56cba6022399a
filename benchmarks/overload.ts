/**
 * Overloaded Philly replay: the Pollux/Sia job table on 40 nodes × 8 GPUs (320 GPUs,
 * FIFO mean wait ~730 h, queues of thousands of jobs), one replay per benny sample, for
 * every scheduler in the registry. Measures how the policies cope with long queues (the
 * philly-replay suite, on the whole cluster, hardly queues). Same setting as
 * `npx tsx scripts/replay-philly.ts all 40`. Rate: trace jobs replayed per second.
 * --quick replays the first QUICK_JOBS jobs; `conservative`, whose every decision point
 * re-plans the whole queue (O(queue × profile)), always replays at most SLOW_JOBS.
 */
import { existsSync } from 'node:fs';
import { simulate, uniformCluster, loadTrace, sharedDataset } from 'lepton';
import { anySelected, runCases, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';
import { benchPolicies } from './philly';

export const OVERLOAD_SUITE = 'philly-overload';
/** 8-GPU nodes in the overloaded cluster. */
export const OVERLOAD_NODES = 40;
/** Jobs replayed with --quick. */
export const QUICK_JOBS = 10_000;
/** Jobs replayed by the policies listed in SLOW_POLICIES, in every mode. */
export const SLOW_JOBS = 5_000;
export const SLOW_POLICIES: readonly string[] = ['conservative'];
/** Brief's target: each policy replays the full table on this cluster within this many seconds. */
export const OVERLOAD_TARGET_S = 5;

export async function overloadSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  const file = sharedDataset('philly', 'philly_jobs_pollux.csv');
  if (!existsSync(file))
    return {
      suite: OVERLOAD_SUITE,
      skipped: `Philly trace not found at ${file} (shared folder missing; set LEPTON_SHARED)`,
      results: [],
    };
  const policies = benchPolicies();
  const jobCount = (name: string, all: number): number =>
    Math.min(all, SLOW_POLICIES.includes(name) ? SLOW_JOBS : opts.quick ? QUICK_JOBS : all);
  // Case names carry the job count so quick and full numbers are never confused.
  const workload = loadTrace('philly', file);
  const total = workload.jobs.length;
  const names = policies.map((p) => `${p.name} ${jobCount(p.name, total)} jobs on ${OVERLOAD_NODES}x8`);
  if (!anySelected(opts, OVERLOAD_SUITE, names))
    return { suite: OVERLOAD_SUITE, skipped: 'no case matches --filter', results: [] };
  const cluster = uniformCluster('philly-overload', OVERLOAD_NODES, { gpus: 8, cpus: 96, memMiB: 512 * 1024 });
  const notes = [`${total} jobs in the table; cluster ${OVERLOAD_NODES} nodes × 8 GPUs; oversize jobs rejected`];
  notes.push(`${SLOW_POLICIES.join(', ')}: first ${SLOW_JOBS} jobs only (see docs/schedulers.md)`);

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
  const results = await runCases(OVERLOAD_SUITE, cases, opts);
  const checks = results
    .filter((r) => r.info?.jobs === total)
    .map((r) => ({
      name: `${r.info?.policy} full overloaded replay <= ${OVERLOAD_TARGET_S} s`,
      value: r.secondsPerOp,
      target: `<= ${OVERLOAD_TARGET_S} s`,
      unit: ' s',
      ok: r.secondsPerOp <= OVERLOAD_TARGET_S,
    }));
  return { suite: OVERLOAD_SUITE, results, checks, notes };
}
