/**
 * The DeepRM experiment setting used by `lepton train --env deeprm` and `lepton evaluate`:
 * the paper setting of Figure 4 (simu_len 50, 10 slots, all_done) at 70 % load
 * (new_job_rate 0.379, spec table), TRAINING job sets from numpy seed 42, VALIDATION job
 * sets from seed 271828 (hyperparameter choice and the learning curve) and HELD-OUT job
 * sets from seed 314159 (final numbers only) — three disjoint numpy seeds.
 *
 * Evaluation follows the spec's slowdown definition: per job (finish − enter)/len with
 * true division, counted iff the job was allocated, pooled over all jobs of all job sets.
 * Confidence intervals resample whole job sets (a cluster bootstrap), because the
 * slowdowns of jobs in one set are not independent.
 */
import { deeprmGenerate } from '../deeprm/generate';
import { DeepRMEnv, JOB_ALLOCATED, JOB_DROPPED } from '../deeprm/env';
import { jobsFileToSequences } from '../deeprm/generate';
import { PAPER_SETTING, UNSEEN_SEED, parseJobsFile, type DeepRMParams, type JobsFile } from '../deeprm/params';
import { deeprmReplay } from '../deeprm/replay';
import { bootstrapCI, type Interval } from '../metrics/ci';
import type { Agent } from '../agents/types';
import { UsageError } from '../util/errors';
import { Rng } from '../util/rng';
import type { HeldOutEval, TrainTask } from './task';

export interface DeepRMSetting {
  /** new_job_rate; 0.379 = 70 % nominal load (spec table "pooled mean slowdowns"). */
  rate: number;
  /** Arrival steps per job set (paper: 50). */
  simuLen: number;
  /** Visible job slots M (paper: 10). */
  numNw: number;
  /** numpy seed of the training job sets (DeepRM: 42). */
  trainSeed: number;
  /** Training job sets (DeepRM pg_re: 50). */
  numTrainSets: number;
  /** numpy seed of the validation job sets (model selection, learning curve; not in DeepRM). */
  validationSeed: number;
  /** Validation job sets (same rate and size as the held-out ones). */
  numValidationSets: number;
  /** numpy seed of the held-out job sets (DeepRM's unseen seed 314159). */
  heldOutSeed: number;
  /** Held-out job sets (paper: 100). */
  numHeldOutSets: number;
  /** Step cap of a training episode (pg_re: 2000, ~20× a typical episode). */
  trainEpisodeCap: number;
  /** Step cap of an evaluation episode (paper setting: 20000, never reached by a sane policy). */
  evalEpisodeCap: number;
}

export const DEEPRM_SETTING: Readonly<DeepRMSetting> = Object.freeze({
  rate: 0.379,
  simuLen: PAPER_SETTING.simuLen!,
  numNw: PAPER_SETTING.numNw!,
  trainSeed: 42,
  numTrainSets: 50,
  validationSeed: 271828,
  numValidationSets: 100,
  heldOutSeed: UNSEEN_SEED,
  numHeldOutSets: 100,
  trainEpisodeCap: 2000,
  evalEpisodeCap: PAPER_SETTING.episodeMaxLength!,
});

/** Setting with overrides (unknown keys are a UsageError, so typos never pass). */
export function resolveDeeprmSetting(overrides: Record<string, unknown> = {}): DeepRMSetting {
  const s: DeepRMSetting = { ...DEEPRM_SETTING };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in s)) throw new UsageError(`deeprm setting: unknown key '${k}' (known: ${Object.keys(s).join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`deeprm setting: '${k}' must be a number`);
    (s as unknown as Record<string, number>)[k] = v;
  }
  if (new Set([s.trainSeed, s.validationSeed, s.heldOutSeed]).size !== 3)
    throw new UsageError(
      'deeprm setting: trainSeed, validationSeed and heldOutSeed must all differ (train/validation/test separation)',
    );
  return s;
}

export type DeepRMSplit = 'train' | 'validation' | 'heldout';

/** The job sets of one split, exactly as `lepton deeprm generate` writes them. */
export function deeprmJobSets(s: DeepRMSetting, split: DeepRMSplit): JobsFile {
  const [numEx, seed] =
    split === 'train'
      ? [s.numTrainSets, s.trainSeed]
      : split === 'validation'
        ? [s.numValidationSets, s.validationSeed]
        : [s.numHeldOutSets, s.heldOutSeed];
  const json = deeprmGenerate({
    rate: s.rate,
    simuLen: s.simuLen,
    numEx,
    seed,
    numNw: s.numNw,
    end: 'all_done',
    episodeMaxLength: split === 'train' ? s.trainEpisodeCap : s.evalEpisodeCap,
  });
  return parseJobsFile(JSON.parse(JSON.stringify(json)), `deeprm ${split} job sets`);
}

/**
 * A DeepRM env (compat mode, image observations) over the job sets of `file`;
 * reset(seed) plays job set seed mod numEx. `cap` overrides the step cap.
 */
export function deeprmEnv(file: JobsFile, cap?: number): DeepRMEnv {
  const params: DeepRMParams = { ...file.params, episodeMaxLength: cap ?? file.params.episodeMaxLength };
  return new DeepRMEnv({ params, sequences: jobsFileToSequences(file), mode: 'compat' });
}

function hasWaitingJobs(env: DeepRMEnv): boolean {
  if (env.backlogCount > 0) return true;
  for (let j = 0; j < env.M; j++) if (env.slots[j] >= 0) return true;
  return false;
}

function sameArray(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One job's outcome, aligned with `file.jobs[i]`. */
export interface DeepRMJobOutcome {
  id: number;
  ex: number;
  /** -1 when not allocated. */
  enter: number;
  start: number;
  finish: number;
  /** NaN unless allocated. */
  slowdown: number;
  status: 'done' | 'unscheduled' | 'dropped';
}

/** What one policy did on every job set of a file. */
export interface DeepRMPolicyEval {
  policy: string;
  jobs: DeepRMJobOutcome[];
  /** Per job set: Σ slowdown and number of counted jobs. */
  exSum: Float64Array;
  exCount: Int32Array;
  /** Per job set: decisions taken and whether the step cap cut the episode. */
  exSteps: Int32Array;
  exTruncated: Uint8Array;
  /**
   * Per job set: 1 when a greedy agent was stopped at a fixed point — it chose void,
   * no job can arrive any more, nothing is reserved, jobs wait, and the image did not
   * change — so it would void until the step cap. Stopping early gives the same job
   * outcomes (those jobs stay unscheduled) without the ~20,000 idle steps.
   */
  exStalled: Uint8Array;
  wallSeconds: number;
}

function emptyEval(policy: string, file: JobsFile): DeepRMPolicyEval {
  const n = file.params.numEx;
  return {
    policy,
    jobs: file.jobs.map((j) => ({
      id: j.id,
      ex: j.ex,
      enter: -1,
      start: -1,
      finish: -1,
      slowdown: NaN,
      status: 'unscheduled' as const,
    })),
    exSum: new Float64Array(n),
    exCount: new Int32Array(n),
    exSteps: new Int32Array(n),
    exTruncated: new Uint8Array(n),
    exStalled: new Uint8Array(n),
    wallSeconds: 0,
  };
}

/**
 * Runs `agent` on every job set of `file` (one episode each, step cap = file's
 * episode_max_length). Greedy = most likely legal action; otherwise the agent samples.
 */
export function evaluateDeeprmAgent(
  agent: Agent,
  file: JobsFile,
  greedy: boolean,
  policy = agent.name,
): DeepRMPolicyEval {
  const t0 = Date.now();
  const env = deeprmEnv(file);
  const out = emptyEval(policy, file);
  const index = new Map<number, number>();
  file.jobs.forEach((j, i) => index.set(j.id, i));
  const before = new Float32Array(env.observationSize);
  for (let ex = 0; ex < file.params.numEx; ex++) {
    let { observation, info } = env.reset(ex);
    let stalled = false;
    while (!env.terminated && !env.truncated) {
      const a = agent.act(observation, info.actionMask, greedy);
      const watch = greedy && a === env.M && env.s >= env.handles - 1;
      if (watch) before.set(observation);
      const r = env.step(a);
      observation = r.observation;
      info = r.info;
      if (watch && !env.terminated && !env.truncated && hasWaitingJobs(env) && sameArray(before, observation)) {
        stalled = true;
        break;
      }
    }
    out.exSteps[ex] = env.steps;
    out.exTruncated[ex] = env.truncated || stalled ? 1 : 0;
    out.exStalled[ex] = stalled ? 1 : 0;
    for (let h = 0; h < env.handles; h++) {
      if (env.jobLen[h] === 0) continue;
      const i = index.get(env.jobId(h));
      if (i === undefined) continue;
      const o = out.jobs[i];
      if (env.status[h] === JOB_ALLOCATED) {
        o.enter = env.enter[h];
        o.start = env.start[h];
        o.finish = env.finish[h];
        o.slowdown = (env.finish[h] - env.enter[h]) / env.jobLen[h];
        o.status = 'done';
        out.exSum[ex] += o.slowdown;
        out.exCount[ex]++;
      } else o.status = env.status[h] === JOB_DROPPED ? 'dropped' : 'unscheduled';
    }
  }
  out.wallSeconds = (Date.now() - t0) / 1000;
  return out;
}

/** SJF / Packer / Tetris* / Random on the same job sets, through src/deeprm's replay. */
export function evaluateDeeprmHeuristics(file: JobsFile, policies: string[]): DeepRMPolicyEval[] {
  const t0 = Date.now();
  const res = deeprmReplay(file, { policies, mode: 'compat' });
  const wall = (Date.now() - t0) / 1000 / policies.length;
  return Object.entries(res).map(([name, r]) => {
    const out = emptyEval(name, file);
    out.wallSeconds = wall;
    r.jobs.forEach((j, i) => {
      const o = out.jobs[i];
      if ('slowdown' in j) {
        Object.assign(o, { enter: j.enter, start: j.start, finish: j.finish, slowdown: j.slowdown, status: 'done' });
        out.exSum[o.ex] += j.slowdown;
        out.exCount[o.ex]++;
      } else if (j) o.status = j.status;
    });
    r.per_example.forEach((e) => (out.exSteps[e.ex] = e.steps));
    return out;
  });
}

/** Pooled mean slowdown (Σ over all counted jobs / their number). */
export function pooledMean(e: DeepRMPolicyEval): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < e.exSum.length; i++) {
    s += e.exSum[i];
    n += e.exCount[i];
  }
  return n > 0 ? s / n : NaN;
}

/** Default bootstrap seed, so CIs are reproducible. */
export const BOOTSTRAP_SEED = 7;

/**
 * 95 % CI of the pooled mean by resampling job sets with replacement (percentile
 * bootstrap, 2000 resamples). Pass `baseline` for the CI of the ratio
 * pooled(e) / pooled(baseline) with the SAME resampled job sets (paired).
 */
export function pooledMeanCI(e: DeepRMPolicyEval, baseline?: DeepRMPolicyEval, seed = BOOTSTRAP_SEED): Interval {
  const n = e.exSum.length;
  const idx = Float64Array.from({ length: n }, (_, i) => i);
  const stat = (buf: Float64Array): number => {
    let s = 0;
    let c = 0;
    let bs = 0;
    let bc = 0;
    for (let k = 0; k < buf.length; k++) {
      const i = buf[k];
      s += e.exSum[i];
      c += e.exCount[i];
      if (baseline) {
        bs += baseline.exSum[i];
        bc += baseline.exCount[i];
      }
    }
    return baseline ? s / c / (bs / bc) : s / c;
  };
  return bootstrapCI(idx, new Rng(seed), { statistic: stat });
}

/** Number of jobs of each status. */
export function statusCounts(e: DeepRMPolicyEval): { done: number; unscheduled: number; dropped: number } {
  const c = { done: 0, unscheduled: 0, dropped: 0 };
  for (const j of e.jobs) c[j.status]++;
  return c;
}

/** Held-out evaluation summary of one policy (pooled mean, CI, job counts). */
export function summarizeDeeprmEval(e: DeepRMPolicyEval): HeldOutEval {
  const ci = pooledMeanCI(e);
  const c = statusCounts(e);
  let truncated = 0;
  let stalled = 0;
  for (let i = 0; i < e.exTruncated.length; i++) {
    truncated += e.exTruncated[i];
    stalled += e.exStalled[i];
  }
  return {
    meanSlowdown: pooledMean(e),
    details: {
      ciLo: ci.lo,
      ciHi: ci.hi,
      jobSets: e.exSum.length,
      jobsCounted: c.done,
      unscheduled: c.unscheduled,
      dropped: c.dropped,
      truncatedEpisodes: truncated,
      stalledEpisodes: stalled,
    },
  };
}

/**
 * The training env of `makeDeeprmTask(overrides)` built from its resolved setting alone: the
 * factory of the task's env recipe (A3C's worker threads call it; same job sets, same env).
 */
export function deeprmTrainEnv(setting: Record<string, unknown>): DeepRMEnv {
  return deeprmEnv(deeprmJobSets(resolveDeeprmSetting(setting), 'train'));
}

/**
 * The `--env deeprm` training task: training env over the seed-42 sets, `validate` on the
 * seed-271828 sets (periodic evaluation, model selection), `evaluate` on the seed-314159
 * held-out sets (final numbers). Job sets are generated lazily, on first use.
 */
export function makeDeeprmTask(overrides: Record<string, unknown> = {}): TrainTask {
  const setting = resolveDeeprmSetting(overrides);
  const train = deeprmJobSets(setting, 'train');
  let validation: JobsFile | undefined;
  let heldOut: JobsFile | undefined;
  return {
    env: 'deeprm',
    setting: { ...setting },
    numTrainSets: setting.numTrainSets,
    makeTrainEnv: () => deeprmEnv(train),
    trainEnvRecipe: { module: __filename, factory: deeprmTrainEnv.name, args: { ...setting } },
    validate: (agent, greedy) =>
      summarizeDeeprmEval(evaluateDeeprmAgent(agent, (validation ??= deeprmJobSets(setting, 'validation')), greedy)),
    evaluate: (agent, greedy) =>
      summarizeDeeprmEval(evaluateDeeprmAgent(agent, (heldOut ??= deeprmJobSets(setting, 'heldout')), greedy)),
  };
}
