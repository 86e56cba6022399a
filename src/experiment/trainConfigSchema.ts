/**
 * The `train --config FILE.json` schema: hyperparameters of the chosen algorithm
 * (keys of its DEFAULTS) plus an optional "env" object of environment-setting
 * overrides. Every key has a type, a range and a unit; unknown keys are errors at
 * any depth (`__proto__` and `constructor` included); strings are never numbers.
 *
 * A hyperparameter without an entry in RANGES (added to an agent later) still gets
 * its type from the default value and a wide finite range, so nothing is unchecked.
 */
import { int, real, validate, z } from '../util/schema';
import { MAX_SECONDS } from '../util/limits';

const positive = (max: number, unit = ''): z.ZodNumber =>
  real(0, max, unit).refine((x) => x > 0, { error: `must be > 0${unit ? ' ' + unit : ''}` }) as unknown as z.ZodNumber;

const schedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), value: real(-1e6, 1e6) }),
  z.strictObject({
    kind: z.literal('linear'),
    start: real(-1e6, 1e6),
    end: real(-1e6, 1e6),
    steps: int(1, 1e10, 'steps'),
  }),
  z.strictObject({
    kind: z.literal('exponential'),
    start: real(-1e6, 1e6),
    end: real(-1e6, 1e6),
    decay: real(0, 1),
  }),
]);

const optimizer = z.strictObject({
  kind: z.enum(['rmsprop', 'adam', 'sgd']),
  lr: positive(10, '(learning rate)'),
  rho: real(0, 1).optional(),
  beta1: real(0, 1).optional(),
  beta2: real(0, 1).optional(),
  eps: positive(1).optional(),
});

/** Type, range and unit of every known hyperparameter (by name, shared across algorithms). */
export const HYPERPARAMETER_RANGES: Record<string, z.ZodType> = {
  // Run length and batching (counts).
  iterations: int(1, 1e7, 'updates'),
  totalSteps: int(1, 1e10, 'env steps'),
  numJobSets: int(1, 100_000, 'job sets'),
  jobSetOffset: int(0, 1e9, 'job sets'),
  rolloutsPerJobSet: int(1, 10_000, 'rollouts'),
  jobSetsPerBatch: int(1, 100_000, 'job sets'),
  maxEpisodeSteps: int(1, 1e8, 'steps'),
  maxChunkStates: int(1, 1e7, 'states'),
  checkpointEvery: int(0, 1e9, 'iterations'),
  logEvery: int(1, 1e9, 'env steps'),
  numEnvs: int(1, 1024, 'envs'),
  numWorkers: int(1, 64, 'worker threads'),
  numSteps: int(1, 1e6, 'steps'),
  numMinibatches: int(1, 1e6, 'minibatches'),
  updateEpochs: int(1, 1000, 'epochs'),
  bufferSize: int(1, 1e7, 'transitions'),
  batchSize: int(1, 1e6, 'transitions'),
  learningStarts: int(0, 1e10, 'env steps'),
  trainFrequency: int(1, 1e6, 'env steps'),
  gradientSteps: int(0, 1000, 'updates'),
  targetUpdateInterval: int(1, 1e9, 'env steps'),
  nStep: int(1, 1000, 'steps'),
  tableSize: int(1, 1 << 26, 'rows'),
  bins: int(1, 65536, 'bins'),
  kernelRows: int(1, 100_000, 'rows'),
  bcSteps: int(0, 1e9, 'env steps'),
  bcEpochs: int(1, 1000, 'epochs'),
  // Discounting and coefficients (dimensionless).
  gamma: real(0, 1),
  gaeLambda: real(0, 1),
  tau: positive(1),
  entropyCoef: real(0, 100),
  entCoef: real(0, 100),
  vfCoef: real(0, 100),
  clipCoef: positive(10),
  maxGradNorm: real(0, 1e12),
  lr: positive(10, '(learning rate)'),
  learningRate: positive(1, '(learning rate)'),
  adamEps: positive(1),
  targetKl: positive(100).nullable(),
  perAlpha: real(0, 10),
  perEpsilon: positive(1),
  huberDelta: positive(1e6),
  obsLow: real(-1e9, 1e9),
  obsHigh: real(-1e9, 1e9),
  initialQ: real(-1e9, 1e9),
  // Switches and choices.
  normAdv: z.boolean(),
  clipValueLoss: z.boolean(),
  annealLr: z.boolean(),
  threads: z.boolean(),
  double: z.boolean(),
  dueling: z.boolean(),
  prioritized: z.boolean(),
  loss: z.enum(['huber', 'mse']),
  activation: z.enum(['relu', 'tanh']),
  init: z.enum(['glorot', 'deeprm']),
  trainBackend: z.enum(['auto', 'fused', 'tfjs']),
  hiddenSizes: z
    .array(int(1, 4096, 'units'))
    .min(1)
    .max(16),
  optimizer,
  epsilon: schedule,
  perBeta: schedule,
};

/** Env-setting overrides (the "env" object), per environment. */
export const ENV_SETTING_RANGES: Record<string, Record<string, z.ZodType>> = {
  deeprm: {
    rate: real(0, 1, '(jobs per step)'),
    simuLen: int(1, 100_000, 'steps'),
    numNw: int(1, 1000, 'slots'),
    trainSeed: int(0, 0xffffffff),
    numTrainSets: int(1, 100_000, 'job sets'),
    validationSeed: int(0, 0xffffffff),
    numValidationSets: int(1, 100_000, 'job sets'),
    heldOutSeed: int(0, 0xffffffff),
    numHeldOutSets: int(1, 100_000, 'job sets'),
    trainEpisodeCap: int(1, 1e8, 'steps'),
    evalEpisodeCap: int(1, 1e8, 'steps'),
  },
  cluster: {
    cluster: z.string().min(1).max(200),
    jobs: int(1, 1_000_000, 'jobs'),
    targetLoad: positive(100, '(fraction of GPU capacity)'),
    window: int(1, 4096, 'jobs'),
    reward: z.string().min(1).max(100),
    maxSteps: int(1, 1e9, 'decisions'),
    trainSeedBase: int(0, 0xffffffff),
    numTrainSets: int(1, 100_000, 'workloads'),
    heldOutSeedBase: int(0, 0xffffffff),
    numHeldOutSets: int(1, 100_000, 'workloads'),
  },
  rlsched: {
    trace: z.string().min(1).max(4096),
    slice: int(0, 1e9, 'jobs'),
    seqLen: int(1, 1e6, 'jobs'),
    backfill: z.boolean(),
    filter: z.tuple([real(-1e12, 1e12), real(-1e12, 1e12)]).nullable(),
    rewardScale: z.union([positive(1e12), z.literal('auto')]),
    split: z.enum(['disjoint', 'paper']),
    evalLen: int(1, 1e6, 'jobs'),
    evalIters: int(1, 10_000, 'sequences'),
    evalSeed: int(0, 1e15),
    numValidation: int(1, 10_000, 'sequences'),
    expert: z.enum(['fcfs', 'wfp3', 'unicep', 'sjf', 'f1', 'smallest', 'auto']).nullable(),
  },
};

/** A schema for a value shaped like `v` (a hyperparameter with no RANGES entry). */
function fromDefault(v: unknown): z.ZodType {
  if (typeof v === 'boolean') return z.boolean();
  if (typeof v === 'string') return z.string().max(1000);
  if (typeof v === 'number') return Number.isInteger(v) ? int(-MAX_SECONDS, MAX_SECONDS) : real(-1e12, 1e12);
  if (Array.isArray(v)) return z.array(v.length > 0 ? fromDefault(v[0]) : z.number()).max(1000);
  if (v === null) return z.null();
  if (typeof v === 'object')
    return z.strictObject(
      Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromDefault(x).optional()])),
    );
  return z.never();
}

/** The --config schema for an algorithm whose hyperparameters default to `defaults`. */
export function trainConfigSchema(defaults: Record<string, unknown>, env: string): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(defaults)) shape[k] = (HYPERPARAMETER_RANGES[k] ?? fromDefault(v)).optional();
  const envShape = ENV_SETTING_RANGES[env] ?? {};
  shape.env = z
    .strictObject(Object.fromEntries(Object.entries(envShape).map(([k, s]) => [k, s.optional()])))
    .optional();
  return z.strictObject(shape);
}

/** Validates a parsed --config object; errors name the file and the field. */
export function validateTrainConfig(
  json: unknown,
  defaults: Record<string, unknown>,
  env: string,
  where: string,
): { agent: Record<string, unknown>; env: Record<string, unknown> } {
  const v = validate(trainConfigSchema(defaults, env), json, where) as Record<string, unknown>;
  const { env: envOverrides, ...agent } = v;
  return { agent, env: (envOverrides as Record<string, unknown> | undefined) ?? {} };
}
