/**
 * Replays a DeepRM job set with the baseline policies and collects per-job slowdowns
 * the way slow_down_cdf.launch does (pooled over all examples).
 *
 * Counting (spec "Slowdown"): a job counts iff it was allocated (finish >= 0), even if
 * its reserved start lies after the episode's end (no_new_job). Waiting jobs are
 * "unscheduled", backlog-overflow jobs "dropped"; neither counts. In compat mode a
 * job with arrival 0 never arrives and is reported "unscheduled".
 *
 * RNG stream (compat): DeepRM evaluates each example with Packer ('Tetris'), then
 * SJF, then Random on one Env sharing numpy's global generator (colour shuffles at
 * Env creation, each reset and each done; one randint(M+1) per Random decision).
 * Replay follows that order whenever Random is requested (running Packer and SJF
 * even if not requested, since their episodes consume shuffles); Tetris* runs on a
 * separate env so it leaves that stream alone.
 * The generator is seeded with `seed` if given; otherwise, if the job set carries
 * `generator: {seed, rate}` and regenerating with them reproduces its jobs, the
 * generator continues from the end of that generation exactly as in DeepRM, so
 * Random matches the original run action for action; otherwise RandomState(42).
 */
import { DeepRMEnv, JOB_ALLOCATED, JOB_DROPPED, type EnvMode } from './env';
import { generateSequences, jobsFileToSequences, type JobSequences } from './generate';
import { makePolicy, POLICY_NAMES, type DeepRMPolicy, type PolicyName } from './heuristics';
import { NumpyRandomState } from './numpyRandom';
import type { JobsFile } from './params';
import { UsageError } from '../util/errors';

export type JobOutcome =
  | { id: number; enter: number; start: number; finish: number; slowdown: number }
  | { id: number; status: 'unscheduled' | 'dropped' };

export interface ExampleSummary {
  ex: number;
  /** null when no job counted in this example. */
  mean_slowdown: number | null;
  total_reward: number;
  steps: number;
  end_time: number;
}

export interface PolicyResult {
  /** Pooled true-division mean over all counted jobs of all examples (null if none). */
  mean_slowdown: number | null;
  /** Pooled mean of floor-divided slowdowns (what the Python 2 original printed). */
  mean_slowdown_floor: number | null;
  num_counted_jobs: number;
  jobs: JobOutcome[];
  per_example: ExampleSummary[];
}

export type OutFile = Record<string, PolicyResult>;

export interface DeepRMReplayOptions {
  /** sjf, packer, random, tetris or tetris:KNOB (e.g. tetris:0.001). */
  policies: string[];
  mode?: EnvMode;
  /** Seed of numpy's RandomState for Random (and the compat colour shuffles). */
  seed?: number;
  /** Build image observations while replaying (default false: not needed by heuristics). */
  observation?: boolean;
}

interface PolicySpec {
  key: string;
  name: PolicyName;
  knob?: number;
}

export function parsePolicyList(policies: string[]): PolicySpec[] {
  if (policies.length === 0) throw new UsageError('--policy: give at least one of ' + POLICY_NAMES.join(', '));
  const out: PolicySpec[] = [];
  for (const raw of policies) {
    const key = raw.trim();
    const [name, knobText, extra] = key.split(':');
    if (!(POLICY_NAMES as readonly string[]).includes(name) || extra !== undefined) {
      throw new UsageError(`--policy: unknown policy '${key}' (known: ${POLICY_NAMES.join(', ')}, tetris:KNOB)`);
    }
    let knob: number | undefined;
    if (knobText !== undefined) {
      knob = Number(knobText);
      if (name !== 'tetris' || knobText === '' || !Number.isFinite(knob)) {
        throw new UsageError(`--policy: '${key}': only tetris takes a knob, as tetris:NUMBER`);
      }
    }
    if (out.some((p) => p.key === key)) throw new UsageError(`--policy: '${key}' given twice`);
    out.push({ key, name: name as PolicyName, knob });
  }
  return out;
}

export interface EpisodeRun {
  steps: number;
  endTime: number;
  totalReward: number;
  terminated: boolean;
  truncated: boolean;
}

/** One episode of example `ex` with `policy` (reset included), up to the step cap. */
export function runEpisode(env: DeepRMEnv, policy: DeepRMPolicy, ex: number): EpisodeRun {
  env.reset(ex);
  const gamma = env.params.discount;
  let total = 0;
  let g = 1;
  while (!env.terminated && !env.truncated) {
    const r = env.advance(policy(env));
    total += g * r;
    g *= gamma;
  }
  return { steps: env.steps, endTime: env.t, totalReward: total, terminated: env.terminated, truncated: env.truncated };
}

function sameJobs(a: JobSequences, b: JobSequences): boolean {
  const R = a.numRes;
  for (let ex = 0; ex < a.numEx; ex++) {
    for (let s = 1; s < a.simuLen; s++) {
      const i = ex * a.simuLen + s;
      if (a.len[i] !== b.len[i]) return false;
      if (a.len[i] === 0) continue;
      for (let r = 0; r < R; r++) if (a.res[i * R + r] !== b.res[i * R + r]) return false;
    }
  }
  return true;
}

/** numpy generator positioned where DeepRM's would be right after job generation. */
function streamAfterGeneration(file: JobsFile, seqs: JobSequences, seed: number | undefined): NumpyRandomState {
  if (seed !== undefined) return new NumpyRandomState(seed);
  const g = file.generator;
  if (g) {
    const rng = new NumpyRandomState(g.seed);
    try {
      const regen = generateSequences(file.params, g.rate, rng);
      if (sameJobs(regen, seqs)) return rng;
    } catch {
      // not regenerable with these params: fall through
    }
  }
  return new NumpyRandomState(42);
}

/** Replays every example of `file` with each requested policy. */
export function deeprmReplay(file: JobsFile, opts: DeepRMReplayOptions): OutFile {
  const specs = parsePolicyList(opts.policies);
  const mode = opts.mode ?? 'compat';
  const seqs = jobsFileToSequences(file);
  const p = file.params;
  const rng = mode === 'compat' ? streamAfterGeneration(file, seqs, opts.seed) : new NumpyRandomState(opts.seed ?? 42);
  const env = new DeepRMEnv({ params: p, sequences: seqs, mode, rng, observation: opts.observation ?? false });
  // Tetris* is not part of DeepRM's evaluation: give it its own env so its colour
  // shuffles leave the shared stream (and thus Random) untouched.
  const sideEnv = specs.some((s) => s.name === 'tetris')
    ? new DeepRMEnv({
        params: p,
        sequences: seqs,
        mode,
        rng: new NumpyRandomState(0),
        observation: opts.observation ?? false,
      })
    : env;

  // Evaluation order per example: DeepRM's Packer → SJF → Random, then Tetris*.
  const wantsRandom = specs.some((s) => s.name === 'random');
  const order: PolicySpec[] = [];
  const add = (name: PolicyName) => {
    const own = specs.find((s) => s.name === name);
    order.push(own ?? { key: `(${name})`, name });
  };
  if (mode === 'compat' && wantsRandom) {
    add('packer');
    add('sjf');
    add('random');
  } else {
    for (const n of ['packer', 'sjf', 'random'] as const) if (specs.some((s) => s.name === n)) add(n);
  }
  for (const s of specs) if (s.name === 'tetris') order.push(s);
  const policies = order.map((s) => makePolicy(s.name, { rng, knob: s.knob }));

  // per policy, per file job: outcome
  const jobIndex = new Map<number, number>();
  file.jobs.forEach((j, i) => jobIndex.set(j.id, i));
  const outcomes = specs.map(() => new Array<JobOutcome>(file.jobs.length));
  const perExample = specs.map(() => [] as ExampleSummary[]);
  const sums = specs.map(() => ({ n: 0, sum: 0, floorSum: 0 }));

  for (let ex = 0; ex < p.numEx; ex++) {
    for (let k = 0; k < order.length; k++) {
      const e = order[k].name === 'tetris' ? sideEnv : env;
      const run = runEpisode(e, policies[k], ex);
      const si = specs.indexOf(order[k]);
      if (si < 0) continue; // run only to keep DeepRM's RNG stream
      let n = 0;
      let sum = 0;
      for (let h = 0; h < e.handles; h++) {
        if (e.jobLen[h] === 0) continue;
        const id = e.jobId(h);
        const fi = jobIndex.get(id);
        if (fi === undefined) continue;
        if (e.status[h] === JOB_ALLOCATED) {
          const len = e.jobLen[h];
          const slowdown = (e.finish[h] - e.enter[h]) / len;
          outcomes[si][fi] = { id, enter: e.enter[h], start: e.start[h], finish: e.finish[h], slowdown };
          n++;
          sum += slowdown;
          sums[si].floorSum += Math.floor(slowdown);
        } else {
          outcomes[si][fi] = { id, status: e.status[h] === JOB_DROPPED ? 'dropped' : 'unscheduled' };
        }
      }
      sums[si].n += n;
      sums[si].sum += sum;
      perExample[si].push({
        ex,
        mean_slowdown: n > 0 ? sum / n : null,
        total_reward: run.totalReward,
        steps: run.steps,
        end_time: run.endTime,
      });
    }
  }

  const out: OutFile = {};
  specs.forEach((s, i) => {
    const { n, sum, floorSum } = sums[i];
    out[s.key] = {
      mean_slowdown: n > 0 ? sum / n : null,
      mean_slowdown_floor: n > 0 ? floorSum / n : null,
      num_counted_jobs: n,
      jobs: outcomes[i],
      per_example: perExample[i],
    };
  });
  return out;
}
