/**
 * Derivative-free policy search for the learned priority scheduler (schedulers/learnedPriority.ts):
 * evolution strategies with antithetic (mirrored) sampling and rank-based fitness shaping
 * (Salimans et al., "Evolution Strategies as a Scalable Alternative to Reinforcement Learning",
 * 2017), on the mean job completion time of simulated TRAINING windows, with the iterate kept
 * chosen on the VALIDATION split. Why ES and not a gradient method: the objective is a whole
 * simulation (a discontinuous function of the weights), there are only four weights, and a
 * seeded ES is exactly reproducible. Everything random comes from one Rng(seed); the simulations
 * themselves are deterministic, so the same seed gives the same search bit for bit.
 */
import type { ClusterSpec } from '../cluster/spec';
import { simulate } from '../sim/simulator';
import { summarize } from '../metrics/summary';
import { Rng } from '../util/rng';
import type { Job } from '../workload/job';
import {
  LAS_WEIGHTS,
  learnedPriority,
  PRIORITY_PARAMS,
  weightsFromVector,
  weightsToVector,
  type PriorityWeights,
} from '../schedulers/learnedPriority';

/** Every hyperparameter of the search, defaulted in one place (a study plan's `config` overrides them). */
export const PRIORITY_ES_DEFAULTS = {
  /** ES updates. */
  iterations: 12,
  /** Antithetic pairs per update: 2 × pairs candidates θ ± σε, all on the same windows. */
  pairs: 4,
  /** Perturbation standard deviation, in weight units (weights act on log-scaled features). */
  sigma: 0.5,
  /** Step size of θ ← θ + lr · ĝ (ĝ from centred ranks, so the step does not depend on the JCT scale). */
  learningRate: 0.5,
  /** Training windows per update (drawn afresh each update; common to its candidates). */
  windows: 3,
  /**
   * Consecutive training jobs per window (submit times rebased to the window's first job). Why 300:
   * at the contended setting, 200-job windows of 6214e9 mostly never queue (every candidate ties
   * with LAS: no signal), while 600-job windows of the overloaded ee9e8c cost ~5 s per simulation.
   */
  windowJobs: 300,
};
export type PriorityEsConfig = typeof PRIORITY_ES_DEFAULTS;

export function resolvePriorityEsConfig(overrides: Record<string, unknown>): PriorityEsConfig {
  const cfg: Record<string, number> = { ...PRIORITY_ES_DEFAULTS };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in cfg))
      throw new RangeError(`priority-es: unknown setting '${k}' (known: ${Object.keys(cfg).join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw new RangeError(`priority-es: ${k} must be a positive number (got ${String(v)})`);
    cfg[k] = v;
  }
  for (const k of ['iterations', 'pairs', 'windows', 'windowJobs'] as const)
    if (!Number.isInteger(cfg[k])) throw new RangeError(`priority-es: ${k} must be an integer (got ${cfg[k]})`);
  return cfg as PriorityEsConfig;
}

/**
 * One ES update on `cost` (lower is better) around θ: draws `pairs` directions ε ~ N(0, I),
 * evaluates θ ± σε, turns the 2·pairs costs into centred ranks u ∈ [−0.5, 0.5] (best = +0.5) and
 * returns θ + lr · Σ_k (u⁺_k − u⁻_k) ε_k / (2·pairs·σ), with the costs seen. Generic in the cost, so
 * it is testable on a function with a known minimum.
 */
export function esStep(
  theta: readonly number[],
  cost: (x: number[]) => number,
  cfg: Pick<PriorityEsConfig, 'pairs' | 'sigma' | 'learningRate'>,
  rng: Rng,
): { theta: number[]; costs: number[] } {
  const d = theta.length;
  const eps: number[][] = [];
  const costs: number[] = [];
  for (let k = 0; k < cfg.pairs; k++) {
    const e = Array.from({ length: d }, () => rng.normal());
    eps.push(e);
    costs.push(cost(theta.map((t, i) => t + cfg.sigma * e[i])));
    costs.push(cost(theta.map((t, i) => t - cfg.sigma * e[i])));
  }
  const n = costs.length;
  // Centred ranks: the lowest cost gets +0.5, the highest −0.5; ties share the mean rank.
  const order = costs.map((_, i) => i).sort((a, b) => costs[a] - costs[b] || a - b);
  const util = new Array<number>(n).fill(0);
  for (let r = 0; r < n;) {
    let s = r;
    while (s + 1 < n && costs[order[s + 1]] === costs[order[r]]) s++;
    const mean = (r + s) / 2;
    for (let t = r; t <= s; t++) util[order[t]] = n === 1 ? 0 : 0.5 - mean / (n - 1);
    r = s + 1;
  }
  const next = theta.slice();
  for (let k = 0; k < cfg.pairs; k++) {
    const w = (util[2 * k] - util[2 * k + 1]) / (n * cfg.sigma);
    for (let i = 0; i < d; i++) next[i] += cfg.learningRate * w * eps[k][i];
  }
  return { theta: next, costs };
}

/** What the search works on: all of it scaled to the study's load; the test split is never here. */
export interface PrioritySearchProblem {
  cluster: ClusterSpec;
  /** The training split (contiguous, by submit time); the search cuts its windows. */
  train: readonly Job[];
  /** The validation split (one run of the whole split per iterate). */
  validation: readonly Job[];
  /** Simulation seed (the engine draws nothing; kept for the simulator's contract). */
  simSeed: number;
}

export interface PriorityIterate {
  iteration: number;
  weights: PriorityWeights;
  /** Mean over the update's candidates of ln(mean JCT / LAS's mean JCT) on its windows (0 for LAS itself, by definition). */
  trainLogRatio: number;
  /** Mean JCT (s) of the whole validation split. */
  validationJct: number;
}

/** The resumable state after each update. */
export interface PriorityEsState {
  iteration: number;
  theta: number[];
  rng: [number, number, number, number];
  iterates: PriorityIterate[];
  simulations: number;
}

export interface PriorityEsResult {
  /** The iterate with the lowest validation mean JCT (ties: the earliest, so LAS if nothing beats it). */
  chosen: PriorityIterate;
  iterates: PriorityIterate[];
  /** Simulations run (candidate windows, LAS baselines, validation runs). */
  simulations: number;
}

function meanJct(jobs: readonly Job[], cluster: ClusterSpec, w: PriorityWeights, seed: number): number {
  // Oversize jobs are rejected, as in the study's own runs (studyEval.runJobs).
  return summarize(simulate(jobs, cluster, learnedPriority(w), { oversize: 'reject', seed })).jctMean;
}

function windowAt(train: readonly Job[], start: number, size: number): Job[] {
  const w = train.slice(start, start + size);
  const t0 = w.length > 0 ? w[0].submit : 0;
  return w.map((j) => ({ ...j, submit: j.submit - t0 }));
}

/**
 * The search: θ starts at LAS (all-zero weights); each update draws `windows` training windows,
 * scores every candidate by the mean over them of ln(mean JCT / LAS's mean JCT on the same window)
 * (scale-free, so a heavy window does not drown the others) and takes one ES step; every iterate,
 * LAS included, is run on the whole validation split, and the best there is returned.
 * `onIteration` receives the state after each update (for a checkpoint); `resume` continues one.
 */
export function searchPriority(
  p: PrioritySearchProblem,
  cfg: PriorityEsConfig,
  seed: number,
  o: { resume?: PriorityEsState; onIteration?: (s: PriorityEsState) => void; log?: (s: string) => void } = {},
): PriorityEsResult {
  if (p.train.length === 0) throw new RangeError('priority-es: no training jobs');
  const rng = new Rng(seed);
  let simulations = 0;
  const validate = (w: PriorityWeights): number => {
    simulations++;
    return meanJct(p.validation, p.cluster, w, p.simSeed);
  };
  let st: PriorityEsState;
  if (o.resume) {
    st = { ...o.resume, theta: o.resume.theta.slice(), iterates: o.resume.iterates.slice() };
    rng.setState(st.rng);
    simulations = st.simulations;
  } else {
    st = { iteration: 0, theta: weightsToVector(LAS_WEIGHTS), rng: rng.getState(), iterates: [], simulations: 0 };
    st.iterates.push({
      iteration: 0,
      weights: { ...LAS_WEIGHTS },
      trainLogRatio: 0,
      validationJct: validate(LAS_WEIGHTS),
    });
  }
  const size = Math.min(cfg.windowJobs, p.train.length);
  const lasCache = new Map<number, number>();
  while (st.iteration < cfg.iterations) {
    const starts = Array.from({ length: cfg.windows }, () => rng.int(0, p.train.length - size + 1));
    const wins = starts.map((s) => windowAt(p.train, s, size));
    const las = starts.map((s, i) => {
      let v = lasCache.get(s);
      if (v === undefined) {
        simulations++;
        lasCache.set(s, (v = meanJct(wins[i], p.cluster, LAS_WEIGHTS, p.simSeed)));
      }
      return v;
    });
    const cost = (x: number[]): number => {
      const w = weightsFromVector(x);
      let s = 0;
      for (let i = 0; i < wins.length; i++) {
        simulations++;
        s += Math.log(meanJct(wins[i], p.cluster, w, p.simSeed) / las[i]);
      }
      return s / wins.length;
    };
    const step = esStep(st.theta, cost, cfg, rng);
    st.theta = step.theta;
    st.iteration++;
    const weights = weightsFromVector(st.theta);
    const it: PriorityIterate = {
      iteration: st.iteration,
      weights,
      trainLogRatio: step.costs.reduce((a, b) => a + b, 0) / step.costs.length,
      validationJct: validate(weights),
    };
    st.iterates.push(it);
    st.rng = rng.getState();
    st.simulations = simulations;
    o.log?.(
      `  priority-es ${st.iteration}/${cfg.iterations}: train ln(JCT/LAS) ${it.trainLogRatio.toFixed(4)}, ` +
        `validation ${(it.validationJct / 3600).toFixed(3)} h, weights ${PRIORITY_PARAMS.map((k) => `${k} ${weights[k].toFixed(3)}`).join(' ')}`,
    );
    o.onIteration?.(st);
  }
  const chosen = st.iterates.reduce((a, b) => (b.validationJct < a.validationJct ? b : a));
  return { chosen, iterates: st.iterates, simulations };
}
