/**
 * Cluster environment throughput without learning (issue 10 §4: >= 500 k decisions per
 * CPU-second on Philly-sized clusters): ClusterEnv.step() driven by a trivial policy (the first
 * legal action: start the oldest fitting window job, else wait), observation and reward computed
 * every step, with the default predicted durations (`history`) and with `oracle` durations.
 *
 * One op = STEPS_PER_OP decisions on a long-lived env (reset when an episode ends), so the rate
 * is decisions/s = ops/s × STEPS_PER_OP.
 *
 * Cases: the whole Philly cluster (552 nodes, 3,205 GPUs) replaying the Philly trace at its
 * recorded load (short queues), and the same jobs on 40 × 8 GPUs (overloaded: queues of
 * thousands, the window sees only the head).
 */
import { existsSync } from 'node:fs';
import {
  ClusterEnv,
  loadTrace,
  phillyCluster,
  sharedDataset,
  uniformCluster,
  type DurationSource,
  type Job,
} from 'lepton';
import { anySelected, runCases, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';

export const CLUSTER_ENV_SUITE = 'cluster-env';
/** Decisions per benchmark op. */
const STEPS_PER_OP = 50_000;
/** Jobs per episode: a prefix of the Philly trace. */
const EPISODE_JOBS = 20_000;

function makeCase(
  name: string,
  jobs: readonly Job[],
  cluster: ReturnType<typeof phillyCluster>,
  durations: DurationSource,
): BenchCase {
  const env = new ClusterEnv({ cluster, jobsForSeed: () => jobs, window: 10, reward: 'slowdown', durations });
  let ep = 0;
  let mask = env.reset(ep).info.actionMask;
  let sink = 0;
  const fn = (): number => {
    for (let i = 0; i < STEPS_PER_OP; i++) {
      let a = 0;
      while (mask[a] === 0) a++;
      const r = env.step(a);
      sink += r.reward;
      mask = r.info.actionMask;
      if (r.terminated || r.truncated) mask = env.reset(++ep).info.actionMask;
    }
    return sink;
  };
  return { name, fn, perOp: STEPS_PER_OP, unit: 'steps', info: { jobs: jobs.length, durations, window: 10 } };
}

export function clusterEnvCases(jobs: readonly Job[]): BenchCase[] {
  const philly = phillyCluster();
  const small = uniformCluster('40x8', 40, { gpus: 8, cpus: 0, memMiB: 0 });
  return [
    makeCase('step() Philly cluster, recorded load, predicted durations', jobs, philly, 'history'),
    makeCase('step() Philly cluster, recorded load, oracle durations', jobs, philly, 'oracle'),
    makeCase('step() 40x8 overloaded, predicted durations', jobs, small, 'history'),
  ];
}

const CASE_NAMES = [
  'step() Philly cluster, recorded load, predicted durations',
  'step() Philly cluster, recorded load, oracle durations',
  'step() 40x8 overloaded, predicted durations',
];

export async function clusterEnvSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  const file = sharedDataset('philly', 'philly_jobs_pollux.csv');
  if (!existsSync(file))
    return { suite: CLUSTER_ENV_SUITE, skipped: `Philly trace not found at ${file} (set LEPTON_SHARED)`, results: [] };
  if (!anySelected(opts, CLUSTER_ENV_SUITE, CASE_NAMES))
    return { suite: CLUSTER_ENV_SUITE, skipped: 'no case matches --filter', results: [] };
  const jobs = loadTrace('philly', file).jobs.slice(0, EPISODE_JOBS);
  const cases = clusterEnvCases(jobs).filter((c) => anySelected(opts, CLUSTER_ENV_SUITE, [c.name]));
  return {
    suite: CLUSTER_ENV_SUITE,
    results: await runCases(CLUSTER_ENV_SUITE, cases, opts),
    notes: [`one op = ${STEPS_PER_OP} decisions (first legal action); episodes = first ${jobs.length} Philly jobs`],
  };
}

if (require.main === module) {
  const opts: BenchOptions = { quick: process.argv.includes('--quick'), filter: '', outDir: '', verbose: true };
  clusterEnvSuite(opts).then(
    (o) => console.log(JSON.stringify(o.results.map((r) => ({ name: r.name, rate: r.ops * STEPS_PER_OP })))),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
