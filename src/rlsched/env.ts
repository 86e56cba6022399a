/**
 * RLScheduler's learning environment (spec rule 9 and "the paper's learning setup") over the exact
 * loop of sim.ts, Gymnasium-shaped (src/env/types.ts).
 *
 * - One episode = one sequence of `seqLen` consecutive trace jobs from an empty machine.
 * - Observation: `window` (128) rows × 8 features of the visible waiting jobs (wait / 12 h,
 *   requested time / trace max run time, procs / MaxProcs, requested memory, user, group,
 *   executable — each normalised by its trace maximum, 1 when unknown —, can-start-now flag
 *   1−1e−5 / 1e−5), clipped to 1−1e−5; padding rows [0,1,1,1,1,1,1,0].
 * - Visible jobs: the whole queue in submit order when ≤ window jobs wait; otherwise the SJF
 *   order and the SMALLEST order interleaved without duplicates (the original's third "random"
 *   source is by a bug the SJF list again, so it adds nothing). Building an observation re-sorts
 *   the queue in place as the original does (submit time; then F1, SJF, SMALLEST when > window).
 * - Action: a row index; `info.actionMask` marks the rows holding a job. The chosen job is
 *   started as `HPCEnv.schedule` does (wait for its nodes, backfilling if enabled), then the loop
 *   moves forward to the next decision.
 * - Reward: 0 per step; at the end −(mean bounded slowdown of the sequence) / rewardScale
 *   (rewardScale 1 = the paper's reward).
 *
 * Which sequences: `starts` lists the allowed start indices (the training split); reset(seed)
 * picks one with a seeded draw, optionally re-drawing until the SJF mean bounded slowdown of the
 * sequence lies inside `filter` (the original's trajectory filtering, `build_sjf`).
 * `resetTo(start, len)` plays a given sequence (evaluation).
 *
 * With `expert` set, `info.expertAction` is the row a heuristic would pick among the visible jobs
 * (smallest key, ties to the earlier row): demonstrations for behaviour cloning.
 */
import type { Env, ResetResult, StepInfo, StepResult } from '../env/types';
import { Rng } from '../util/rng';
import type { RlschedHeuristic } from './heuristics';
import type { SortKey } from './lists';
import { HeuristicKeys, runHeuristic } from './replay';
import { RlschedSim } from './sim';
import type { RlschedTrace } from './trace';

export const RLSCHED_WINDOW = 128;
export const RLSCHED_FEATURES = 8;
/** MAX_WAIT_TIME of the original: 12 hours. */
const MAX_WAIT = 12 * 60 * 60;
const HI = 1 - 1e-5;

export interface RlschedEnvOptions {
  trace: RlschedTrace;
  /** Jobs per episode (paper: 256). */
  seqLen: number;
  /** Start indices episodes may use (the training split). Required for reset(seed). */
  starts?: Int32Array;
  backfill: boolean;
  /** Visible rows (paper: 128). */
  window?: number;
  /** Keep only sequences whose SJF mean bsld lies in (lo, hi) (paper option: (10, 150)). */
  filter?: [number, number] | null;
  /** Terminal reward = −mean bsld / rewardScale. */
  rewardScale?: number;
  /** Capacity for resetTo with longer sequences (default seqLen). */
  maxLen?: number;
  /** Heuristic whose choice among the visible rows is reported as `info.expertAction`. */
  expert?: RlschedHeuristic | null;
}

export class RlschedEnv implements Env {
  readonly observationSize: number;
  readonly observationShape: readonly number[];
  readonly numActions: number;
  readonly sim: RlschedSim;
  readonly trace: RlschedTrace;
  readonly window: number;
  private readonly opts: RlschedEnvOptions;
  private readonly obs: Float32Array;
  private readonly mask: Uint8Array;
  private readonly info: StepInfo;
  /** Job (local index) in each visible row, −1 for padding. */
  readonly rowJob: Int32Array;
  private readonly keys: HeuristicKeys;
  private readonly mark: Uint8Array;
  private readonly sjfHead: Int32Array;
  private readonly filterCache = new Map<number, number>();
  private offset = 0;
  private finished = false;
  /** Mean bounded slowdown of the last finished episode. */
  lastMeanBsld = NaN;
  private keyF1: SortKey = { id: -1, k1: new Float64Array(0), k2: null };
  private keySjf = this.keyF1;
  private keySmall = this.keyF1;
  private keyExpert: SortKey | null = null;

  constructor(o: RlschedEnvOptions) {
    this.opts = o;
    this.trace = o.trace;
    this.window = o.window ?? RLSCHED_WINDOW;
    const cap = Math.max(o.seqLen, o.maxLen ?? 0);
    this.sim = new RlschedSim(cap);
    this.keys = new HeuristicKeys(cap);
    this.mark = new Uint8Array(cap);
    this.sjfHead = new Int32Array(this.window);
    this.observationSize = this.window * RLSCHED_FEATURES;
    this.observationShape = [this.window, RLSCHED_FEATURES];
    this.numActions = this.window;
    this.obs = new Float32Array(this.observationSize);
    this.mask = new Uint8Array(this.window);
    this.rowJob = new Int32Array(this.window);
    this.info = { actionMask: this.mask };
  }

  /** A start index for an episode seed (uniform over `starts`, re-drawn under the filter). */
  startFor(seed: number): number {
    const starts = this.opts.starts;
    if (!starts || starts.length === 0) throw new Error('RlschedEnv: no training start indices (starts)');
    const rng = new Rng(seed);
    const f = this.opts.filter;
    for (let attempt = 0; attempt < 1000; attempt++) {
      const s = starts[rng.int(0, starts.length)];
      if (!f) return s;
      let v = this.filterCache.get(s);
      if (v === undefined) {
        this.sim.load(this.trace, s, this.opts.seqLen, false);
        runHeuristic(this.sim, this.keys.forSim('sjf', this.sim));
        v = this.sim.meanBsld();
        this.filterCache.set(s, v);
      }
      if (v > f[0] && v < f[1]) return s;
    }
    throw new Error(`RlschedEnv: no sequence with SJF mean bsld in (${f![0]}, ${f![1]}) after 1000 draws`);
  }

  reset(seed = 0): ResetResult {
    return this.resetTo(this.startFor(seed), this.opts.seqLen);
  }

  /** Play trace jobs start … start+len−1 (evaluation on a protocol's sequences). */
  resetTo(start: number, len: number, backfill = this.opts.backfill): ResetResult {
    this.sim.load(this.trace, start, len, backfill);
    this.offset = start;
    this.keyF1 = this.keys.forSim('f1', this.sim);
    this.keySjf = this.keys.forSim('sjf', this.sim);
    this.keySmall = this.keys.forSim('smallest', this.sim);
    this.keyExpert = this.opts.expert ? this.keys.forSim(this.opts.expert, this.sim) : null;
    this.finished = false;
    this.lastMeanBsld = NaN;
    this.observe();
    return { observation: this.obs, info: this.info };
  }

  step(action: number): StepResult {
    if (this.finished) throw new Error('RlschedEnv: step after the episode ended (call reset)');
    if (!(action >= 0 && action < this.window) || this.mask[action] !== 1) {
      throw new Error(`RlschedEnv: action ${action} is masked (no waiting job in that row)`);
    }
    const done = this.sim.schedule(this.rowJob[action]);
    if (done) {
      this.finished = true;
      this.lastMeanBsld = this.sim.meanBsld();
      this.mask.fill(0);
      return {
        observation: this.obs,
        reward: -this.lastMeanBsld / (this.opts.rewardScale ?? 1),
        terminated: true,
        truncated: false,
        info: this.info,
      };
    }
    this.observe();
    return { observation: this.obs, reward: 0, terminated: false, truncated: false, info: this.info };
  }

  /** Choose the visible jobs and write the observation and the mask. */
  private observe(): void {
    const sim = this.sim;
    const q = sim.queue;
    const W = this.window;
    sim.sortQueue(sim.submitKey);
    let n = 0;
    if (q.length <= W) {
      for (let i = 0; i < q.length; i++) this.rowJob[n++] = q.at(i);
    } else {
      // The original sorts by F1 (unused), SJF, SMALLEST and interleaves the SJF and SMALLEST heads.
      sim.sortQueue(this.keyF1);
      sim.sortQueue(this.keySjf);
      const sjf = this.sjfHead;
      for (let i = 0; i < W; i++) sjf[i] = q.at(i);
      sim.sortQueue(this.keySmall);
      const mark = this.mark;
      for (let i = 0; n < W; i++) {
        const a = sjf[i];
        if (mark[a] === 0) {
          mark[a] = 1;
          this.rowJob[n++] = a;
        }
        const b = q.at(i);
        if (n < W && mark[b] === 0) {
          mark[b] = 1;
          this.rowJob[n++] = b;
        }
      }
      for (let r = 0; r < n; r++) mark[this.rowJob[r]] = 0;
    }
    const tr = this.trace;
    const o = this.obs;
    const t = sim.t;
    for (let r = 0; r < W; r++) {
      const base = r * RLSCHED_FEATURES;
      if (r >= n) {
        this.rowJob[r] = -1;
        this.mask[r] = 0;
        o[base] = 0;
        for (let f = 1; f < 7; f++) o[base + f] = 1;
        o[base + 7] = 0;
        continue;
      }
      const j = this.rowJob[r];
      const g = this.offset + j;
      this.mask[r] = 1;
      o[base] = Math.min((t - sim.submit[j]) / MAX_WAIT, HI);
      o[base + 1] = Math.min(sim.reqTime[j] / tr.maxExecTime, HI);
      o[base + 2] = Math.min(sim.procs[j] / tr.maxProcs, HI);
      o[base + 3] = norm(tr.reqMem[g], tr.maxRequestedMemory);
      o[base + 4] = norm(tr.userId[g], tr.maxUserId);
      o[base + 5] = norm(tr.groupId[g], tr.maxGroupId);
      o[base + 6] = norm(tr.executable[g], tr.maxExecutable);
      o[base + 7] = sim.fits(j) ? HI : 1e-5;
    }
    if (this.keyExpert) {
      const k1 = this.keyExpert.k1;
      const k2 = this.keyExpert.k2;
      let best = 0;
      for (let r = 1; r < n; r++) {
        const a = this.rowJob[r];
        const b = this.rowJob[best];
        if (k1[a] < k1[b] || (k1[a] === k1[b] && k2 !== null && k2[a] < k2[b])) best = r;
      }
      this.info.expertAction = best;
    }
  }
}

/** The original's normalisation of optional fields: −1 (unknown) → 1, else value / max clipped. */
function norm(v: number, max: number): number {
  if (v === -1) return 1;
  return max > 0 ? Math.min(v / max, HI) : 1;
}
