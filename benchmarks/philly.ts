/**
 * Full Philly replay: the 82,247-job Pollux/Sia table on the whole Philly cluster
 * (revised machine list, 3,205 GPUs), one full replay per op, for
 * every scheduler in the registry (`SCHEDULERS`).
 * The derived rate is jobs/s (trace jobs replayed per CPU-second).
 */
import { existsSync } from 'node:fs';
import { simulate, phillyCluster, SCHEDULERS, makeScheduler, loadTrace, sharedDataset, type Scheduler } from 'lepton';
import { anySelected, runCases, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';

export const PHILLY_SUITE = 'philly-replay';
/**
 * --quick replays only the first this-many jobs (a CI smoke test: the preemptive
 * policies take seconds per full replay). The target check needs the full trace.
 */
export const QUICK_PREFIX_JOBS = 20_000;

export interface PolicyEntry {
  name: string;
  make: () => Scheduler;
}

/** Every heuristic in the scheduler registry, each through `makeScheduler(name)`. */
export function benchPolicies(): PolicyEntry[] {
  return Object.keys(SCHEDULERS).map((name) => ({ name, make: () => makeScheduler(name) }));
}

export async function phillySuite(opts: BenchOptions): Promise<SuiteOutcome> {
  const file = sharedDataset('philly', 'philly_jobs_pollux.csv');
  if (!existsSync(file))
    return {
      suite: PHILLY_SUITE,
      skipped: `Philly trace not found at ${file} (shared folder missing; set LEPTON_SHARED)`,
      results: [],
    };
  const policies = benchPolicies();
  const label = opts.quick ? `replay first ${QUICK_PREFIX_JOBS} jobs` : 'full replay';
  const names = policies.map((p) => `${p.name} ${label}`);
  if (!anySelected(opts, PHILLY_SUITE, names))
    return { suite: PHILLY_SUITE, skipped: 'no case matches --filter', results: [] };

  const t0 = performance.now();
  const workload = loadTrace('philly', file);
  const loadS = (performance.now() - t0) / 1000;
  const jobs = opts.quick ? workload.jobs.slice(0, QUICK_PREFIX_JOBS) : workload.jobs;
  const cluster = phillyCluster();
  const gpus = cluster.nodes.reduce((s, n) => s + n.gpus, 0);
  const notes = [
    `loaded ${workload.jobs.length} jobs in ${loadS.toFixed(2)} s (not timed); cluster ${cluster.nodes.length} nodes, ${gpus} GPUs`,
  ];
  if (opts.quick)
    notes.push(`quick: first ${jobs.length} jobs only; the FIFO <= 0.5 s target is checked by the full run`);

  const cases: BenchCase[] = [];
  const failed: string[] = [];
  policies.forEach((p, i) => {
    if (!anySelected(opts, PHILLY_SUITE, [names[i]])) return;
    // One untimed replay first: checks the policy works and gives events per replay.
    let probe;
    try {
      probe = simulate(jobs, cluster, p.make());
    } catch (e) {
      failed.push(`${p.name}: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    cases.push({
      name: names[i],
      fn: () => simulate(jobs, cluster, p.make()),
      perOp: jobs.length,
      unit: 'jobs',
      info: { policy: p.name, jobs: jobs.length, gpus, events: probe.events, finished: probe.counts.finished },
    });
  });
  for (const f of failed) notes.push(`replay failed, not benchmarked: ${f}`);
  return { suite: PHILLY_SUITE, results: await runCases(PHILLY_SUITE, cases, opts), notes };
}
