/**
 * Synthetic workloads, all seeded by our Rng (same seed → same jobs):
 *
 * (a) `poissonFromWorkload`: Poisson arrivals; each job's demand (duration, GPUs,
 *     GPU share, CPUs, memory, GPU type, group) is resampled JOINTLY from a given
 *     workload, and the arrival rate is set for a target offered load.
 * (b) `deeprmWorkload`: DeepRM's bimodal small/large job mix (shared/specs/deeprm.md,
 *     "Workload"), as GPU/CPU demands in seconds: a cluster-scale analogue, NOT the
 *     bit-exact numpy sequence (that lives in src/deeprm/).
 * (c) `embeddedDefaultWorkload`: Philly-shaped jobs from the embedded table in
 *     phillyShape.ts, needing no dataset file (what `npm start` runs on).
 *
 * Offered load (everywhere here) = Σ duration × (gpus + gpuShare) / (capacityGpus × span),
 * where span = submit time of the last job and time starts at 0 (the first arrival
 * is one inter-arrival gap after 0).
 */
import { UsageError } from '../util/errors';
import { Rng } from '../util/rng';
import { Job, Workload, makeJob } from './job';
import { PHILLY_SHAPE, PhillyShapeClass } from './phillyShape';

export interface GeneratedWorkload {
  readonly workload: Workload;
  /** The offered load the returned jobs actually produce (definition above). */
  readonly offeredLoad: number;
}

/** Everything about a job except its id and submit time. */
export interface JobDemand {
  duration: number;
  gpus: number;
  gpuShare?: number;
  cpus?: number;
  memMiB?: number;
  gpuType?: string;
  group?: string;
}

export interface PoissonOptions {
  /** Number of jobs to generate. */
  jobs: number;
  /** GPUs in the cluster the load is computed for. */
  capacityGpus: number;
  /** Target offered load (e.g. 0.8). */
  targetLoad: number;
  seed: number;
  /** Workload name; job ids are `<name>-<index>`. */
  name?: string;
}

/** Offered load of a job list (definition in the module comment); 0 for no jobs. */
export function offeredLoad(jobs: readonly Job[], capacityGpus: number): number {
  if (jobs.length === 0) return 0;
  let work = 0;
  let span = 0;
  for (const j of jobs) {
    work += j.duration * (j.gpus + j.gpuShare);
    if (j.submit > span) span = j.submit;
  }
  return work / (capacityGpus * span);
}

function checkPoisson(o: PoissonOptions): void {
  if (!(Number.isInteger(o.jobs) && o.jobs >= 1)) throw new UsageError(`jobs must be an integer >= 1 (${o.jobs})`);
  if (!(o.capacityGpus > 0)) throw new UsageError(`capacityGpus must be > 0 (${o.capacityGpus})`);
  if (!(o.targetLoad > 0 && Number.isFinite(o.targetLoad)))
    throw new UsageError(`targetLoad must be > 0 (${o.targetLoad})`);
}

/**
 * Poisson arrivals for `sample`d demands at a target offered load.
 *
 * How the load is hit exactly: all demands are drawn first (their total GPU work W
 * fixes the span S = W / (capacity × target)), then arrival times are cumulative
 * sums of i.i.d. exponential gaps rescaled so that the n-th arrival is at S. That is
 * exactly a Poisson process conditioned on its n-th arrival time (the earlier
 * arrivals are uniform order statistics on [0, S]), so the realised load equals the
 * target up to rounding, whatever the heavy tail of the durations. Demands and
 * arrivals use independent forks of the seed's Rng.
 */
export function poissonWorkload(sample: (rng: Rng) => JobDemand, o: PoissonOptions): GeneratedWorkload {
  checkPoisson(o);
  const name = o.name ?? 'poisson';
  const root = new Rng(o.seed);
  const demandRng = root.fork();
  const arrivalRng = root.fork();
  const demands: JobDemand[] = new Array(o.jobs);
  let work = 0;
  for (let i = 0; i < o.jobs; i++) {
    const d = sample(demandRng);
    demands[i] = d;
    work += d.duration * (d.gpus + (d.gpuShare ?? 0));
  }
  if (!(work > 0)) throw new UsageError('the sampled jobs demand no GPU time: cannot set an offered load');
  const t = new Float64Array(o.jobs);
  let acc = 0;
  for (let i = 0; i < o.jobs; i++) {
    acc += arrivalRng.exponential(1);
    t[i] = acc;
  }
  const scale = work / (o.capacityGpus * o.targetLoad) / acc;
  const jobs: Job[] = new Array(o.jobs);
  for (let i = 0; i < o.jobs; i++) {
    const submit = i === o.jobs - 1 ? work / (o.capacityGpus * o.targetLoad) : t[i] * scale;
    jobs[i] = makeJob({ ...demands[i], id: `${name}-${i}`, submit });
  }
  return {
    workload: { name, jobs, source: { rowsRead: 0, filtered: 0, skipped: [] } },
    offeredLoad: offeredLoad(jobs, o.capacityGpus),
  };
}

export interface ResampleOptions extends PoissonOptions {
  /** Source jobs needing more whole GPUs than this are never drawn (default capacityGpus: they could never run). */
  maxGpus?: number;
}

/** (a) Poisson arrivals with demands resampled jointly (uniformly, with replacement) from `source`. */
export function poissonFromWorkload(source: Workload, o: ResampleOptions): GeneratedWorkload {
  const maxGpus = o.maxGpus ?? o.capacityGpus;
  const pool = source.jobs.filter((j) => j.gpus <= maxGpus);
  if (pool.length === 0) throw new UsageError(`no job of ${source.name} fits in ${maxGpus} GPUs`);
  const sample = (rng: Rng): JobDemand => {
    const j = pool[rng.int(0, pool.length)];
    return {
      duration: j.duration,
      gpus: j.gpus,
      gpuShare: j.gpuShare,
      cpus: j.cpus,
      memMiB: j.memMiB,
      group: j.group,
      ...(j.gpuType ? { gpuType: j.gpuType } : {}),
    };
  };
  return poissonWorkload(sample, { ...o, name: o.name ?? `resampled-${source.name}` });
}

// ---------------------------------------------------------------------------
// (b) DeepRM bimodal mix.

/** DeepRM paper parameters (shared/specs/deeprm.md) plus the unit mapping to a cluster. */
export const DEEPRM_WORKLOAD_DEFAULTS = {
  /** Number of time steps; a job arrives at each step with probability newJobRate. */
  simuLen: 50,
  newJobRate: 0.7,
  /** Job lengths: small U[1, maxJobLen/5] with prob. smallJobProb, else large U[2·maxJobLen/3, maxJobLen]. */
  maxJobLen: 15,
  smallJobProb: 0.8,
  /** Demands: dominant resource U[maxJobSize/2, maxJobSize], the other U[1, maxJobSize/5] units. */
  maxJobSize: 10,
  /** Units of each resource in one DeepRM machine (for the reported load). */
  resSlot: 10,
  /** Seconds per DeepRM time step. */
  secondsPerStep: 1,
  /** Resource 0 is GPUs, resource 1 is CPUs: how many of each one demand unit is. */
  gpusPerUnit: 1,
  cpusPerUnit: 1,
} as const;

export type DeepRMWorkloadOptions = { -readonly [K in keyof typeof DEEPRM_WORKLOAD_DEFAULTS]?: number } & {
  seed: number;
};

export interface DeepRMWorkload {
  readonly workload: Workload;
  /** DeepRM's load per resource [GPU, CPU]: Σ len·units / (resSlot · simuLen). */
  readonly load: [number, number];
}

/**
 * (b) DeepRM's job mix: at each step t < simuLen a job arrives (submit = t · secondsPerStep)
 * with probability newJobRate; 80% short (1–3 steps), 20% long (10–15 steps); one
 * dominant resource (GPU or CPU, uniform) demands 5–10 units, the other 1–2 units
 * (integer uniform draws, bounds inclusive). With the defaults, E[load] ≈ 1.845 × newJobRate.
 */
export function deeprmWorkload(opts: DeepRMWorkloadOptions): DeepRMWorkload {
  const p = { ...DEEPRM_WORKLOAD_DEFAULTS, ...opts };
  const rng = new Rng(p.seed);
  const uniformInt = (lo: number, hi: number): number => rng.int(lo, hi + 1);
  const smallHi = Math.floor(p.maxJobLen / 5);
  const largeLo = Math.floor((p.maxJobLen * 2) / 3);
  const domLo = Math.floor(p.maxJobSize / 2);
  const otherHi = Math.floor(p.maxJobSize / 5);
  const jobs: Job[] = [];
  const units = [0, 0];
  for (let t = 0; t < p.simuLen; t++) {
    if (!(rng.random() < p.newJobRate)) continue;
    const len = rng.random() < p.smallJobProb ? uniformInt(1, smallHi) : uniformInt(largeLo, p.maxJobLen);
    const dominant = rng.int(0, 2);
    const size = [0, 1].map((r) => (r === dominant ? uniformInt(domLo, p.maxJobSize) : uniformInt(1, otherHi)));
    units[0] += len * size[0];
    units[1] += len * size[1];
    jobs.push(
      makeJob({
        id: `deeprm-${jobs.length}`,
        submit: t * p.secondsPerStep,
        duration: len * p.secondsPerStep,
        gpus: size[0] * p.gpusPerUnit,
        cpus: size[1] * p.cpusPerUnit,
        group: dominant === 0 ? 'gpu-heavy' : 'cpu-heavy',
      }),
    );
  }
  const denom = p.resSlot * p.simuLen;
  return {
    workload: { name: 'deeprm', jobs, source: { rowsRead: 0, filtered: 0, skipped: [] } },
    load: [units[0] / denom, units[1] / denom],
  };
}

// ---------------------------------------------------------------------------
// (c) Embedded Philly-shaped default workload.

/**
 * Defaults of `embeddedDefaultWorkload`: 3,000 jobs at 80% offered load on 64 GPUs, the
 * size of the Philly VCs ed69ec and 103959 (8 nodes × 8 GPUs): run it on
 * presetCluster(EMBEDDED_DEFAULT_CLUSTER). Arrivals span 32–53 days for seeds 1–3 (the
 * span follows the heavy-tailed work drawn).
 *
 * Why a VC and not the whole 3,205-GPU cluster: Philly durations are heavy-tailed
 * (p99 ≈ 3 days, max ≈ 54 days), so with a few thousand jobs on 3,205 GPUs the arrival
 * window is ~1 day, most work runs long after the last arrival, nothing ever queues
 * (measured: 2% GPU utilisation, all heuristics identical). On 64 GPUs the window is
 * long compared with the durations and the policies differ clearly (FIFO vs SJF mean
 * queueing delay of hours vs minutes). Philly itself scheduled per VC.
 */
export const EMBEDDED_DEFAULTS = {
  jobs: 3000,
  capacityGpus: 64,
  targetLoad: 0.8,
} as const;

/** The presetCluster() name matching EMBEDDED_DEFAULTS.capacityGpus (no dataset file needed). */
export const EMBEDDED_DEFAULT_CLUSTER = 'philly:ed69ec';

/**
 * Philly virtual clusters with their job counts in philly_jobs_pollux.csv (VCs with fewer
 * than 100 jobs left out). Generated jobs get a VC drawn with these shares, independently
 * of their size, so group-aware policies (DRF, fairness metrics) have groups to work on.
 */
export const PHILLY_VC_JOBS: readonly (readonly [string, number])[] = [
  ['6214e9', 41226],
  ['11cb48', 16091],
  ['6c71a0', 9953],
  ['b436b2', 7423],
  ['103959', 1934],
  ['ee9e8c', 1511],
  ['0e4a51', 1435],
  ['ed69ec', 1137],
  ['7f04ca', 723],
  ['2869ce', 422],
  ['e13805', 374],
];
const PHILLY_VC_TOTAL = PHILLY_VC_JOBS.reduce((s, [, n]) => s + n, 0);

function sampleVc(rng: Rng): string {
  let u = rng.random() * PHILLY_VC_TOTAL;
  for (const [vc, n] of PHILLY_VC_JOBS) {
    if (u < n) return vc;
    u -= n;
  }
  return PHILLY_VC_JOBS[PHILLY_VC_JOBS.length - 1][0];
}

/** Draws one (duration, GPUs, VC) triple from the embedded Philly shape. */
export function samplePhillyShape(rng: Rng, shape: readonly PhillyShapeClass[] = PHILLY_SHAPE): JobDemand {
  let total = 0;
  for (const c of shape) total += c.count;
  let u = rng.random() * total;
  let cls = shape[shape.length - 1];
  for (const c of shape) {
    if (u < c.count) {
      cls = c;
      break;
    }
    u -= c.count;
  }
  const q = cls.durations;
  let duration = q[0];
  if (q.length > 1) {
    // Inverse CDF: interpolate log-duration linearly between adjacent quantiles.
    const x = rng.random() * (q.length - 1);
    const i = Math.floor(x);
    const f = x - i;
    duration = Math.round(Math.exp(Math.log(q[i]) * (1 - f) + Math.log(q[i + 1]) * f));
  }
  return { duration, gpus: cls.gpus, group: sampleVc(rng) };
}

/**
 * (c) A reproducible Philly-like workload that needs no dataset: `jobs` jobs with
 * (duration, GPUs) drawn from the embedded Philly shape, Poisson arrivals at
 * `targetLoad` on `capacityGpus` GPUs (defaults in EMBEDDED_DEFAULTS, sized for
 * presetCluster(EMBEDDED_DEFAULT_CLUSTER)). Job sizes that exceed capacityGpus are left
 * out of the shape (for 64 GPUs: the 9 Philly jobs of 64 or 128 GPUs).
 */
export function embeddedDefaultWorkload(
  seed = 0,
  opts: { jobs?: number; capacityGpus?: number; targetLoad?: number } = {},
): GeneratedWorkload {
  const o = { ...EMBEDDED_DEFAULTS, ...opts };
  const maxGpus = o.capacityGpus;
  const shape = PHILLY_SHAPE.filter((c) => c.gpus <= maxGpus);
  if (shape.length === 0) throw new UsageError(`no Philly job size fits in ${maxGpus} GPUs`);
  return poissonWorkload((rng) => samplePhillyShape(rng, shape), { ...o, seed, name: 'philly-shape' });
}
