/**
 * DeepRM parameters (defaults of the original `parameters.py`), their derived values,
 * and the JOBS.json job-set format with its validation.
 *
 * Every hyperparameter lives here, named, defaulted and documented (camelCase in
 * TypeScript, DeepRM's snake_case names in JSON files).
 */
import { UsageError } from '../util/errors';
import { int, real, validate, z } from '../util/schema';

export type EndMode = 'all_done' | 'no_new_job';

export interface DeepRMParams {
  /** Number of resource types (CPU, memory, …). */
  numRes: number;
  /** Capacity per resource, in units. */
  resSlot: number;
  /** Largest demand of a job on one resource (width of a slot block in the image). */
  maxJobSize: number;
  /** Longest job duration. */
  maxJobLen: number;
  /** T: rows of the availability window and of the image. */
  timeHorizon: number;
  /** M: visible job slots (actions 0…M-1; action M is void). */
  numNw: number;
  /** Backlog capacity (a multiple of T so it draws as a block). */
  backlogSize: number;
  /** Arrival steps (sequence indices) per example (job set). */
  simuLen: number;
  /** Number of examples (job sets). */
  numEx: number;
  /** Step cap: at most this many `step` calls per episode (allocations included). */
  episodeMaxLength: number;
  /** Termination: all work finished (`all_done`) or end of the arrival sequence. */
  end: EndMode;
  /** `since` (steps since last arrival) saturates here; image column = since / this. */
  maxTrackSinceNew: number;
  /** Bernoulli probability of a job at each sequence index. */
  newJobRate: number;
  /** Colour-map size + 1: colours are 1/cap … (cap-1)/cap. */
  jobNumCap: number;
  /** Reward per step per allocated (running or reserved) job: penalty / len. */
  delayPenalty: number;
  /** Reward per step per job waiting in a slot: penalty / len. */
  holdPenalty: number;
  /** Reward per step per job waiting in the backlog: penalty / len. */
  dismissPenalty: number;
  /** Discount used for reported episode returns (DeepRM uses 1). */
  discount: number;
}

/** `parameters.py` defaults. */
export const DEEPRM_DEFAULTS: Readonly<DeepRMParams> = Object.freeze({
  numRes: 2,
  resSlot: 10,
  maxJobSize: 10,
  maxJobLen: 15,
  timeHorizon: 20,
  numNw: 5,
  backlogSize: 60,
  simuLen: 10,
  numEx: 1,
  episodeMaxLength: 200,
  end: 'no_new_job' as EndMode,
  maxTrackSinceNew: 10,
  newJobRate: 0.7,
  jobNumCap: 40,
  delayPenalty: -1,
  holdPenalty: -1,
  dismissPenalty: -1,
  discount: 1,
});

/**
 * The paper setting of Figure 4 (pg_re-style evaluation): simu_len 50, num_nw 10,
 * all_done, a cap far above any episode length (no episode is cut).
 */
export const PAPER_SETTING: Partial<DeepRMParams> = Object.freeze({
  simuLen: 50,
  numNw: 10,
  numEx: 100,
  end: 'all_done' as EndMode,
  episodeMaxLength: 20000,
});

/** Seed DeepRM uses for "unseen" evaluation job sets. */
export const UNSEEN_SEED = 314159;

export interface DerivedParams {
  backlogWidth: number;
  imageHeight: number;
  imageWidth: number;
  numActions: number;
}

export function derived(p: DeepRMParams): DerivedParams {
  const backlogWidth = p.backlogSize / p.timeHorizon;
  return {
    backlogWidth,
    imageHeight: p.timeHorizon,
    imageWidth: (p.resSlot + p.maxJobSize * p.numNw) * p.numRes + backlogWidth + 1,
    numActions: p.numNw + 1,
  };
}

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new UsageError(`${name} must be an integer >= ${min}, got ${v}`);
  }
}

/** Defaults overridden by `overrides`, validated. */
export function makeParams(overrides: Partial<DeepRMParams> = {}): DeepRMParams {
  const p: DeepRMParams = { ...DEEPRM_DEFAULTS, ...overrides };
  validateParams(p);
  return p;
}

export function validateParams(p: DeepRMParams): void {
  checkInt('num_res', p.numRes, 1);
  checkInt('res_slot', p.resSlot, 1);
  checkInt('max_job_size', p.maxJobSize, 1);
  checkInt('max_job_len', p.maxJobLen, 1);
  checkInt('time_horizon', p.timeHorizon, 2);
  checkInt('num_nw', p.numNw, 1);
  checkInt('backlog_size', p.backlogSize, 0);
  checkInt('simu_len', p.simuLen, 1);
  checkInt('num_ex', p.numEx, 1);
  checkInt('episode_max_length', p.episodeMaxLength, 1);
  checkInt('max_track_since_new', p.maxTrackSinceNew, 1);
  checkInt('job_num_cap', p.jobNumCap, 2);
  // Sizes the environment allocates (images, sequences): keep them representable.
  const caps: [string, number, number][] = [
    ['num_res', p.numRes, 64],
    ['res_slot', p.resSlot, 10_000],
    ['time_horizon', p.timeHorizon, 10_000],
    ['num_nw', p.numNw, 10_000],
    ['backlog_size', p.backlogSize, 1_000_000],
    ['simu_len', p.simuLen, 10_000_000],
    ['num_ex', p.numEx, 10_000_000],
    ['episode_max_length', p.episodeMaxLength, 100_000_000],
    ['max_track_since_new', p.maxTrackSinceNew, 1_000_000],
    ['job_num_cap', p.jobNumCap, 1_000_000],
  ];
  for (const [name, v, max] of caps) if (v > max) throw new UsageError(`${name} must be <= ${max}, got ${v}`);
  if (p.simuLen * p.numEx > 10_000_000)
    throw new UsageError(`simu_len × num_ex must be <= 10000000 time steps, got ${p.simuLen * p.numEx}`);
  // A job must fit the machine: DeepRM's env cannot place a demand above res_slot or a
  // length above the time horizon (the job would wait forever; episodes hit their cap).
  if (p.maxJobSize > p.resSlot)
    throw new UsageError(`max_job_size (${p.maxJobSize}) must be <= res_slot (${p.resSlot}): a larger job never fits`);
  if (p.maxJobLen > p.timeHorizon)
    throw new UsageError(
      `max_job_len (${p.maxJobLen}) must be <= time_horizon (${p.timeHorizon}): a longer job never fits the window`,
    );
  if (p.backlogSize % p.timeHorizon !== 0) {
    throw new UsageError(
      `backlog_size (${p.backlogSize}) must be a multiple of time_horizon (${p.timeHorizon}) so the backlog draws as a block`,
    );
  }
  if (p.end !== 'all_done' && p.end !== 'no_new_job') {
    throw new UsageError(`end must be 'all_done' or 'no_new_job', got '${String(p.end)}'`);
  }
  if (!(p.newJobRate >= 0 && p.newJobRate <= 1)) {
    throw new UsageError(`new_job_rate must be in [0, 1], got ${p.newJobRate}`);
  }
  for (const k of ['delayPenalty', 'holdPenalty', 'dismissPenalty', 'discount'] as const) {
    if (!Number.isFinite(p[k])) throw new UsageError(`${k} must be a finite number`);
  }
}

// ---------------------------------------------------------------------------
// JOBS.json
// ---------------------------------------------------------------------------

/** JSON key ↔ parameter for the `params` block of JOBS.json. */
export const JOBS_PARAM_KEYS = {
  num_res: 'numRes',
  res_slot: 'resSlot',
  max_job_size: 'maxJobSize',
  max_job_len: 'maxJobLen',
  time_horizon: 'timeHorizon',
  num_nw: 'numNw',
  backlog_size: 'backlogSize',
  simu_len: 'simuLen',
  num_ex: 'numEx',
  episode_max_length: 'episodeMaxLength',
  end: 'end',
  max_track_since_new: 'maxTrackSinceNew',
} as const satisfies Record<string, keyof DeepRMParams>;

export type JobsParamsJson = { [K in keyof typeof JOBS_PARAM_KEYS]: K extends 'end' ? EndMode : number };

/**
 * One job of a job set.
 * `id`: `deeprm generate` writes DeepRM's flat sequence index `ex * simu_len + arrival`
 * (the index into the original `nw_len_seqs` before its reshape), so ids are unique
 * in the file. Any unique non-negative integer is accepted on input.
 * `arrival`: the sequence index = the time step at which the job enters (0…simu_len-1).
 */
export interface JobJson {
  id: number;
  ex: number;
  arrival: number;
  len: number;
  res: number[];
}

/** Optional provenance written by `deeprm generate` (lets replay rebuild DeepRM's RNG stream). */
export interface GeneratorJson {
  seed: number;
  rate: number;
  measured_load_per_resource?: number[];
}

export interface JobsFileJson {
  params: JobsParamsJson;
  jobs: JobJson[];
  generator?: GeneratorJson;
}

/** A validated job set: parameters plus one job per (ex, arrival) at most. */
export interface JobsFile {
  params: DeepRMParams;
  jobs: JobJson[];
  generator?: GeneratorJson;
}

export function paramsToJson(p: DeepRMParams): JobsParamsJson {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(JOBS_PARAM_KEYS)) out[k] = p[v];
  return out as JobsParamsJson;
}

const PARAMS_SCHEMA = z
  .strictObject({
    num_res: int(1, 64, 'resources'),
    res_slot: int(1, 10_000, 'units'),
    max_job_size: int(1, 10_000, 'units'),
    max_job_len: int(1, 10_000, 'steps'),
    time_horizon: int(2, 10_000, 'steps'),
    num_nw: int(1, 10_000, 'slots'),
    backlog_size: int(0, 1_000_000, 'jobs'),
    simu_len: int(1, 10_000_000, 'steps'),
    num_ex: int(1, 10_000_000, 'job sets'),
    episode_max_length: int(1, 100_000_000, 'steps'),
    end: z.enum(['all_done', 'no_new_job']),
    max_track_since_new: int(1, 1_000_000, 'steps'),
  })
  .partial();

const GENERATOR_SCHEMA = z.strictObject({
  seed: int(0, 0xffffffff),
  rate: real(0, 1, '(jobs per step)'),
  measured_load_per_resource: z.array(real(0, 1e9)).max(64).optional(),
});

const FILE_SCHEMA = z.strictObject({
  params: PARAMS_SCHEMA.optional(),
  jobs: z.array(z.unknown()).optional(),
  generator: GENERATOR_SCHEMA.optional(),
});

/** One job, with bounds from the job set's parameters. */
function jobSchema(p: DeepRMParams) {
  return z.strictObject({
    id: int(0, Number.MAX_SAFE_INTEGER),
    ex: int(0, p.numEx - 1, '(job set index)'),
    arrival: int(0, p.simuLen - 1, '(time step)'),
    len: int(1, p.maxJobLen, 'steps'),
    res: z
      .array(int(0, p.maxJobSize, 'units'))
      .length(p.numRes, { error: `must be an array of num_res=${p.numRes} integers` }),
  });
}

/**
 * Validates a parsed JOBS.json value (zod schemas: types, ranges, units; unknown keys
 * are errors at any depth). Missing `params` keys take DeepRM's defaults. `file` only
 * labels messages.
 */
export function parseJobsFile(json: unknown, file = 'JOBS.json'): JobsFile {
  const top = validate(FILE_SCHEMA, json, file);
  const overrides: Partial<DeepRMParams> = {};
  for (const [k, field] of Object.entries(JOBS_PARAM_KEYS)) {
    const v = (top.params as Record<string, unknown> | undefined)?.[k];
    if (v !== undefined) (overrides as Record<string, unknown>)[field] = v;
  }
  let params: DeepRMParams;
  try {
    params = makeParams(overrides);
  } catch (e) {
    throw new UsageError(`${file}: field 'params': ${(e as Error).message}`);
  }

  const rawJobs = top.jobs;
  if (rawJobs === undefined) throw new UsageError(`${file}: missing key "jobs" (the list of jobs)`);
  // An empty job set has no slowdown to average: every table would read NaN.
  if (rawJobs.length === 0) throw new UsageError(`${file}: "jobs" is empty: a job set needs at least one job`);
  const generator: GeneratorJson | undefined = top.generator
    ? {
        seed: top.generator.seed,
        rate: top.generator.rate,
        ...(top.generator.measured_load_per_resource
          ? { measured_load_per_resource: top.generator.measured_load_per_resource }
          : {}),
      }
    : undefined;
  const parsed = validate(z.strictObject({ jobs: z.array(jobSchema(params)) }), { jobs: rawJobs }, file).jobs;
  const seenId = new Set<number>();
  const seenSlot = new Set<number>();
  const jobs: JobJson[] = parsed.map((j, i) => {
    const where = `${file}: field 'jobs[${i}]`;
    if (seenId.has(j.id)) throw new UsageError(`${where}.id': duplicate id ${j.id}`);
    seenId.add(j.id);
    const slot = j.ex * params.simuLen + j.arrival;
    if (seenSlot.has(slot))
      throw new UsageError(
        `${where}': a second job at ex ${j.ex}, arrival ${j.arrival} (DeepRM has at most one job per time step)`,
      );
    seenSlot.add(slot);
    return { id: j.id, ex: j.ex, arrival: j.arrival, len: j.len, res: j.res.slice() };
  });
  return { params, jobs, generator };
}
