/**
 * DeepRM's bimodal "small/large" workload generator, with numpy's exact call order
 * so job sets regenerate bit for bit (job_distribution.bi_model_dist +
 * Env.generate_sequence_work).
 *
 * Per time index, in order: rand() < rate ? then rand() < 0.8 (small) ;
 * randint(len range) ; randint(0, num_res) dominant ; randint(size) per resource.
 */
import { UsageError } from '../util/errors';
import { NumpyRandomState } from './numpyRandom';
import {
  makeParams,
  paramsToJson,
  type DeepRMParams,
  type EndMode,
  type JobJson,
  type JobsFile,
  type JobsFileJson,
} from './params';

/** Chance that a generated job is small. */
export const JOB_SMALL_CHANCE = 0.8;

/**
 * The job sequences of all examples: index i = ex * simuLen + s (DeepRM's flat
 * order). `len[i] = 0` means no job at that index.
 */
export interface JobSequences {
  numEx: number;
  simuLen: number;
  numRes: number;
  len: Int32Array;
  /** numEx*simuLen × numRes, row-major. */
  res: Int32Array;
  /** Job id per index (-1 where no job). */
  id: Float64Array;
}

export function emptySequences(numEx: number, simuLen: number, numRes: number): JobSequences {
  const n = numEx * simuLen;
  return {
    numEx,
    simuLen,
    numRes,
    len: new Int32Array(n),
    res: new Int32Array(n * numRes),
    id: new Float64Array(n).fill(-1),
  };
}

/** Bounds of the bimodal distribution (Python 2 integer division). */
export function distBounds(p: Pick<DeepRMParams, 'maxJobLen' | 'maxJobSize'>) {
  return {
    smallLenLo: 1,
    smallLenHi: Math.floor(p.maxJobLen / 5),
    bigLenLo: Math.floor((p.maxJobLen * 2) / 3),
    bigLenHi: p.maxJobLen,
    dominantLo: Math.floor(p.maxJobSize / 2),
    dominantHi: p.maxJobSize,
    otherLo: 1,
    otherHi: Math.floor(p.maxJobSize / 5),
  };
}

/**
 * Draws the sequences for `numEx * simuLen` indices from `rng` (already seeded; DeepRM
 * seeds it just before). Ids are the flat indices.
 */
export function generateSequences(
  p: Pick<DeepRMParams, 'numEx' | 'simuLen' | 'numRes' | 'maxJobLen' | 'maxJobSize'>,
  rate: number,
  rng: NumpyRandomState,
): JobSequences {
  const b = distBounds(p);
  if (b.smallLenHi < 1 || b.otherHi < 1) {
    throw new UsageError('the bimodal generator needs max_job_len >= 5 and max_job_size >= 5');
  }
  const seq = emptySequences(p.numEx, p.simuLen, p.numRes);
  const R = p.numRes;
  const n = p.numEx * p.simuLen;
  for (let i = 0; i < n; i++) {
    if (!(rng.randomSample() < rate)) continue;
    seq.len[i] =
      rng.randomSample() < JOB_SMALL_CHANCE
        ? rng.randint(b.smallLenLo, b.smallLenHi + 1)
        : rng.randint(b.bigLenLo, b.bigLenHi + 1);
    const dominant = rng.randint(0, R);
    for (let r = 0; r < R; r++) {
      seq.res[i * R + r] =
        r === dominant ? rng.randint(b.dominantLo, b.dominantHi + 1) : rng.randint(b.otherLo, b.otherHi + 1);
    }
    seq.id[i] = i;
  }
  return seq;
}

/**
 * DeepRM's `workload`: per resource, sum over all indices (index 0 included) of
 * len * res_r, / res_slot / (simu_len * num_ex). Same division order as the original.
 */
export function measuredLoadPerResource(seq: JobSequences, resSlot: number): number[] {
  const out: number[] = [];
  const n = seq.numEx * seq.simuLen;
  for (let r = 0; r < seq.numRes; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += seq.res[i * seq.numRes + r] * seq.len[i];
    out.push(sum / resSlot / n);
  }
  return out;
}

/**
 * JOBS.json job list from sequences. Index-0 jobs of each example are omitted when
 * `omitIndexZero` (DeepRM never presents them; see the compat quirks in env.ts).
 */
export function sequencesToJobs(seq: JobSequences, omitIndexZero = true): JobJson[] {
  const jobs: JobJson[] = [];
  const R = seq.numRes;
  for (let ex = 0; ex < seq.numEx; ex++) {
    for (let s = omitIndexZero ? 1 : 0; s < seq.simuLen; s++) {
      const i = ex * seq.simuLen + s;
      if (seq.len[i] === 0) continue;
      jobs.push({
        id: seq.id[i],
        ex,
        arrival: s,
        len: seq.len[i],
        res: Array.from(seq.res.subarray(i * R, i * R + R)),
      });
    }
  }
  return jobs;
}

/** Sequences from a validated job set (indices with no listed job hold no job). */
export function jobsFileToSequences(file: JobsFile): JobSequences {
  const p = file.params;
  const seq = emptySequences(p.numEx, p.simuLen, p.numRes);
  for (const j of file.jobs) {
    const i = j.ex * p.simuLen + j.arrival;
    seq.len[i] = j.len;
    seq.id[i] = j.id;
    for (let r = 0; r < p.numRes; r++) seq.res[i * p.numRes + r] = j.res[r];
  }
  return seq;
}

export interface GenerateOptions {
  /** new_job_rate: Bernoulli probability of a job per time index. */
  rate: number;
  simuLen: number;
  numEx: number;
  /** numpy seed (DeepRM: 42 for training sets, 314159 for unseen ones). */
  seed: number;
  numRes?: number;
  resSlot?: number;
  maxJobLen?: number;
  maxJobSize?: number;
  numNw?: number;
  timeHorizon?: number;
  backlogSize?: number;
  episodeMaxLength?: number;
  end?: EndMode;
  maxTrackSinceNew?: number;
}

/**
 * The job set DeepRM generates for these parameters and seed (numpy-exact).
 * Index-0 jobs are not listed (they never arrive in DeepRM); ids are the flat
 * indices ex*simu_len + arrival. Note: the original's Parameters builds its job
 * distribution from the *default* num_res/max_job_len/max_job_size (quirk 9); here
 * the given values are used, so non-default values differ from what DeepRM's
 * launcher would produce.
 */
export function deeprmGenerate(opts: GenerateOptions): JobsFileJson {
  const overrides: Partial<DeepRMParams> = { simuLen: opts.simuLen, numEx: opts.numEx, newJobRate: opts.rate };
  const optional = [
    'numRes',
    'resSlot',
    'maxJobLen',
    'maxJobSize',
    'numNw',
    'timeHorizon',
    'backlogSize',
    'episodeMaxLength',
    'end',
    'maxTrackSinceNew',
  ] as const;
  for (const k of optional) if (opts[k] !== undefined) (overrides as Record<string, unknown>)[k] = opts[k];
  const p = makeParams(overrides);
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) {
    throw new UsageError(`seed must be an integer in [0, 4294967295], got ${opts.seed}`);
  }
  const seq = generateSequences(p, opts.rate, new NumpyRandomState(opts.seed));
  return {
    params: paramsToJson(p),
    jobs: sequencesToJobs(seq),
    generator: {
      seed: opts.seed,
      rate: opts.rate,
      measured_load_per_resource: measuredLoadPerResource(seq, p.resSlot),
    },
  };
}
