/**
 * DeepRM parameters (defaults of the original `parameters.py`), their derived values,
 * and the JOBS.json job-set format with its validation.
 *
 * Every hyperparameter lives here, named, defaulted and documented (camelCase in
 * TypeScript, DeepRM's snake_case names in JSON files).
 */
import { UsageError } from '../util/errors';

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

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function rejectUnknown(where: string, obj: Record<string, unknown>, known: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) {
      throw new UsageError(`${where}: unknown key '${k}' (known: ${known.join(', ')})`);
    }
  }
}

function intField(where: string, obj: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = obj[key];
  if (v === undefined) throw new UsageError(`${where}: missing key '${key}'`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`${where}.${key}: must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Validates a parsed JOBS.json value. Missing `params` keys take DeepRM's defaults;
 * unknown keys anywhere are an error naming the key. `file` only labels messages.
 */
export function parseJobsFile(json: unknown, file = 'JOBS.json'): JobsFile {
  if (!isObject(json)) throw new UsageError(`${file}: expected a JSON object with "params" and "jobs"`);
  rejectUnknown(file, json, ['params', 'jobs', 'generator']);
  const rawParams = json.params ?? {};
  if (!isObject(rawParams)) throw new UsageError(`${file}: "params" must be an object`);
  rejectUnknown(`${file}: params`, rawParams, Object.keys(JOBS_PARAM_KEYS));
  const overrides: Partial<DeepRMParams> = {};
  for (const [k, field] of Object.entries(JOBS_PARAM_KEYS)) {
    const v = rawParams[k];
    if (v === undefined) continue;
    if (field === 'end') {
      if (v !== 'all_done' && v !== 'no_new_job') {
        throw new UsageError(`${file}: params.end must be "all_done" or "no_new_job", got ${JSON.stringify(v)}`);
      }
      overrides.end = v;
    } else {
      if (typeof v !== 'number')
        throw new UsageError(`${file}: params.${k} must be a number, got ${JSON.stringify(v)}`);
      (overrides as Record<string, number>)[field] = v;
    }
  }
  let params: DeepRMParams;
  try {
    params = makeParams(overrides);
  } catch (e) {
    throw new UsageError(`${file}: params: ${(e as Error).message}`);
  }

  let generator: GeneratorJson | undefined;
  if (json.generator !== undefined) {
    const g = json.generator;
    if (!isObject(g)) throw new UsageError(`${file}: "generator" must be an object`);
    rejectUnknown(`${file}: generator`, g, ['seed', 'rate', 'measured_load_per_resource']);
    const seed = intField(`${file}: generator`, g, 'seed', 0, 0xffffffff);
    const rate = g.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new UsageError(`${file}: generator.rate must be a number in [0, 1]`);
    }
    generator = { seed, rate };
    if (g.measured_load_per_resource !== undefined) {
      const m = g.measured_load_per_resource;
      if (!Array.isArray(m) || !m.every((x) => typeof x === 'number')) {
        throw new UsageError(`${file}: generator.measured_load_per_resource must be an array of numbers`);
      }
      generator.measured_load_per_resource = m as number[];
    }
  }

  const rawJobs = json.jobs;
  if (rawJobs === undefined) throw new UsageError(`${file}: missing key "jobs" (the list of jobs)`);
  if (!Array.isArray(rawJobs)) throw new UsageError(`${file}: "jobs" must be an array`);
  // An empty job set has no slowdown to average: every table would read NaN.
  if (rawJobs.length === 0) throw new UsageError(`${file}: "jobs" is empty: a job set needs at least one job`);
  const seenId = new Set<number>();
  const seenSlot = new Set<number>();
  const jobs: JobJson[] = rawJobs.map((raw, i) => {
    const where = `${file}: jobs[${i}]`;
    if (!isObject(raw)) throw new UsageError(`${where}: must be an object`);
    rejectUnknown(where, raw, ['id', 'ex', 'arrival', 'len', 'res']);
    const id = intField(where, raw, 'id', 0, Number.MAX_SAFE_INTEGER);
    const ex = intField(where, raw, 'ex', 0, params.numEx - 1);
    const arrival = intField(where, raw, 'arrival', 0, params.simuLen - 1);
    const len = intField(where, raw, 'len', 1, params.maxJobLen);
    const res = raw.res;
    if (!Array.isArray(res) || res.length !== params.numRes) {
      throw new UsageError(`${where}.res: must be an array of num_res=${params.numRes} integers`);
    }
    res.forEach((v, r) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > params.maxJobSize) {
        throw new UsageError(
          `${where}.res[${r}]: must be an integer in [0, ${params.maxJobSize}], got ${JSON.stringify(v)}`,
        );
      }
    });
    if (seenId.has(id)) throw new UsageError(`${where}.id: duplicate id ${id}`);
    seenId.add(id);
    const slot = ex * params.simuLen + arrival;
    if (seenSlot.has(slot)) {
      throw new UsageError(
        `${where}: a second job at ex ${ex}, arrival ${arrival} (DeepRM has at most one job per time step)`,
      );
    }
    seenSlot.add(slot);
    return { id, ex, arrival, len, res: res.slice() as number[] };
  });
  return { params, jobs, generator };
}
