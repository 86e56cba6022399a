/**
 * The DeepRM environment (Mao et al., HotNets 2016; code github.com/hongzimao/deeprm
 * at fa78411), re-implemented so that every job's start and finish match the
 * original exactly (see /work/shared/specs/deeprm.md and docs/deeprm.md).
 *
 * One `step(a)` is either
 *  - Allocate: slot a holds a job with a feasible offset o in the window: the job is
 *    reserved at t+o (smallest o), the backlog head refills slot a; time stays, reward 0;
 *  - MoveOn (void, empty slot, or no feasible offset): t += 1, window shifts, finished
 *    jobs leave `running`, `since` += 1 (capped), s += 1, termination test, arrival of
 *    the job at index s, reward = Σ penalty/len over running + slots + backlog.
 *
 * Modes:
 *  - `compat` (default) reproduces the original code, quirks included:
 *      1. the job at sequence index 0 never arrives (arrivals are tested after s += 1);
 *      2. remove-while-iterating: after a finished job is removed from `running`, the
 *         next list element is skipped, so a finished job can linger one more MoveOn
 *         (it still costs delay penalty and can delay `all_done` by a step; it never
 *         changes a schedule — its resources were already released by the window);
 *      3. the offset search covers 0 … T-len-1 (a job never ends at the window edge);
 *      4. every Machine() construction shuffles the 39-colour map with numpy's RNG:
 *         once at env creation, at each reset(), and once more when an episode ends
 *         by `done` (the original auto-resets inside step). The shuffles draw from
 *         `options.rng`, so a Random agent sharing that generator sees DeepRM's stream.
 *  - `fixed` removes the bugs:
 *      1. the index-0 job arrives at t = 0, during reset();
 *      2. all finished jobs leave `running` on every MoveOn (no lingering job);
 *      3. the offset search covers 0 … T-len (a job may end exactly at the window edge);
 *      4. no RNG is used at all: colours are taken in colour-map order 1/40, 2/40, …
 *         (the env is a pure function of the job set and the actions).
 *    Everything else (rewards, end modes, step cap, backlog, drops) is identical.
 *
 * Episode driver semantics are built in: `episodeMaxLength` caps the number of
 * `step` calls (allocations included); reaching it without `done` is `truncated`.
 * The original's all_done "t > episode_max_length" forced end is also kept (also
 * reported as `truncated`; it cannot fire before the step cap).
 *
 * reset(seed): seed selects the example (job set) `seed mod numEx`; without a seed
 * the current example is replayed. After an episode ends, the job record
 * (enter/start/finish/status) stays readable until the next reset.
 *
 * Hot path: typed arrays only, no allocation per step; the image is updated
 * incrementally (only occupied canvas cells move when time advances).
 */
import type { Env, ResetResult, StepInfo, StepResult } from '../env/types';
import { NumpyRandomState } from './numpyRandom';
import { derived, type DeepRMParams, type EndMode } from './params';
import type { JobSequences } from './generate';

export type EnvMode = 'compat' | 'fixed';

/** Per-job status within the current episode (`DeepRMEnv.status`). */
export const JOB_NOT_ARRIVED = 0;
export const JOB_IN_SLOT = 1;
export const JOB_IN_BACKLOG = 2;
export const JOB_ALLOCATED = 3;
export const JOB_DROPPED = 4;

export interface DeepRMEnvOptions {
  params: DeepRMParams;
  sequences: JobSequences;
  /** Default 'compat'. */
  mode?: EnvMode;
  /** Overrides params.end. */
  end?: EndMode;
  /** Build the image observation (default true). False: `observation` is an empty array. */
  observation?: boolean;
  /**
   * compat only: the numpy generator the colour shuffles draw from (share it with a
   * Random agent to reproduce DeepRM's stream). Default: a fresh RandomState(42).
   */
  rng?: NumpyRandomState;
  /** compat only: consume the env-construction Machine() shuffle (default true). */
  shuffleOnCreate?: boolean;
}

const EMPTY_OBS = new Float32Array(0);

export class DeepRMEnv implements Env {
  readonly params: DeepRMParams;
  readonly mode: EnvMode;
  readonly end: EndMode;
  readonly observationSize: number;
  readonly observationShape: readonly number[];
  readonly numActions: number;

  // --- sizes ---
  /** Number of resources. */
  readonly R: number;
  /** Time horizon (window rows). */
  readonly T: number;
  /** Number of job slots. */
  readonly M: number;
  private readonly L: number;
  private readonly capacity: number;
  private readonly backlogCap: number;
  private readonly maxLen: number;

  // --- state, public for fast heuristics (read-only by convention) ---
  /** avail[k*R + r]: free units of resource r at time t+k. */
  readonly avail: Int32Array;
  /** slots[j]: job handle (sequence index within the example) or -1. */
  readonly slots: Int32Array;
  /** Per handle: length (0 = no job at that index). */
  readonly jobLen: Int32Array;
  /** Per handle × R: demands. */
  readonly jobRes: Int32Array;
  /** Per handle: enter / start / finish time (-1 = not yet). */
  readonly enter: Int32Array;
  readonly start: Int32Array;
  readonly finish: Int32Array;
  /** Per handle: JOB_* status. */
  readonly status: Uint8Array;
  /** Ordered running list (allocated, not yet removed; may include lingering finished jobs in compat). */
  readonly running: Int32Array;
  runningCount = 0;
  private readonly backlog: Int32Array;
  private backlogHead = 0;
  backlogCount = 0;
  /** Current time t. */
  t = 0;
  /** Sequence index s (= t within an episode). */
  s = 0;
  /** Steps since the last arrival, capped at maxTrackSinceNew. */
  since = 0;
  /** step() calls in this episode. */
  steps = 0;
  /** Example (job set) of the current episode. */
  example = 0;
  /** Undiscounted sum of rewards in this episode. */
  episodeReturn = 0;
  terminated = false;
  truncated = false;

  private readonly seq: JobSequences;
  private readonly cntRun: Int32Array;
  private readonly cntSlot: Int32Array;
  private readonly cntBacklog: Int32Array;

  // --- observation ---
  private readonly buildObs: boolean;
  private readonly obs: Float32Array;
  private readonly W: number;
  private readonly resBlock: number;
  private readonly backlogCol: number;
  private readonly backlogWidth: number;
  private readonly sinceCol: number;
  private readonly colormap: Float64Array;
  private readonly colourBusyUntil: Int32Array;
  private readonly rng: NumpyRandomState | undefined;

  private readonly mask: Uint8Array;
  /** The mask is computed on first read after a reset/step (it is costly and pure heuristics never read it). */
  private maskDirty = true;
  /** Highest window row with any occupancy (-1 = window empty): a quick path for the mask. */
  private lastBusyRow = -1;
  private readonly info: StepInfo;
  private readonly result: StepResult;

  constructor(opts: DeepRMEnvOptions) {
    const p = opts.params;
    this.params = p;
    this.mode = opts.mode ?? 'compat';
    this.end = opts.end ?? p.end;
    this.seq = opts.sequences;
    if (this.seq.numRes !== p.numRes || this.seq.simuLen !== p.simuLen || this.seq.numEx < 1) {
      throw new RangeError('DeepRMEnv: sequences do not match params (num_res, simu_len)');
    }
    const d = derived(p);
    this.R = p.numRes;
    this.T = p.timeHorizon;
    this.M = p.numNw;
    this.L = p.simuLen;
    this.numActions = d.numActions;
    this.observationShape = [d.imageHeight, d.imageWidth];
    this.observationSize = d.imageHeight * d.imageWidth;
    this.capacity = p.resSlot;
    this.backlogCap = p.backlogSize;
    let maxLen = p.maxJobLen;
    for (let i = 0; i < this.seq.len.length; i++) if (this.seq.len[i] > maxLen) maxLen = this.seq.len[i];
    this.maxLen = maxLen;

    this.avail = new Int32Array(this.T * this.R);
    this.slots = new Int32Array(this.M).fill(-1);
    this.jobLen = new Int32Array(this.L);
    this.jobRes = new Int32Array(this.L * this.R);
    this.enter = new Int32Array(this.L).fill(-1);
    this.start = new Int32Array(this.L).fill(-1);
    this.finish = new Int32Array(this.L).fill(-1);
    this.status = new Uint8Array(this.L);
    this.running = new Int32Array(this.L);
    this.backlog = new Int32Array(Math.max(1, this.backlogCap));
    this.cntRun = new Int32Array(maxLen + 1);
    this.cntSlot = new Int32Array(maxLen + 1);
    this.cntBacklog = new Int32Array(maxLen + 1);

    this.buildObs = opts.observation ?? true;
    this.W = d.imageWidth;
    this.resBlock = p.resSlot + p.maxJobSize * p.numNw;
    this.backlogCol = this.resBlock * this.R;
    this.backlogWidth = d.backlogWidth;
    this.sinceCol = this.backlogCol + this.backlogWidth;
    this.obs = this.buildObs ? new Float32Array(this.observationSize) : EMPTY_OBS;
    const numColours = p.jobNumCap - 1;
    this.colormap = new Float64Array(numColours);
    this.colourBusyUntil = new Int32Array(numColours);

    if (this.mode === 'compat') {
      this.rng = opts.rng ?? new NumpyRandomState(42);
      if (opts.shuffleOnCreate ?? true) this.newMachineColours();
    } else {
      this.rng = undefined;
      this.newMachineColours();
    }

    this.mask = new Uint8Array(this.numActions);
    // actionMask is always present; it is filled lazily when read (same buffer every step).
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias
    this.info = {
      get actionMask(): Uint8Array {
        if (self.maskDirty) self.computeMask();
        return self.mask;
      },
      time: 0,
      example: 0,
    };
    this.result = { observation: this.obs, reward: 0, terminated: false, truncated: false, info: this.info };
    this.resetState(0);
  }

  /** Colour RNG and colour map: what carries over from one episode to the next. */
  saveCarriedState(): unknown {
    return { rng: this.rng?.getState() ?? null, colormap: Array.from(this.colormap) };
  }

  loadCarriedState(state: unknown): void {
    const s = state as { rng?: unknown; colormap?: unknown } | null;
    if (
      !s ||
      !Array.isArray(s.colormap) ||
      s.colormap.length !== this.colormap.length ||
      !s.colormap.every((x) => typeof x === 'number' && Number.isFinite(x))
    )
      throw new RangeError('DeepRM env state: colormap must be a list of finite numbers of the colour count');
    const r = s.rng as { key?: unknown; pos?: unknown } | null | undefined;
    if (this.rng && r && Array.isArray(r.key) && r.key.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff))
      this.rng.setState({ key: r.key as number[], pos: Number(r.pos) });
    else if (this.rng || r !== null) throw new RangeError('DeepRM env state: RNG state does not match the mode');
    this.colormap.set(s.colormap as number[]);
  }

  /** The numpy generator shared with the colour shuffles (compat), if any. */
  get numpyRng(): NumpyRandomState | undefined {
    return this.rng;
  }

  /** DeepRM's Machine() colour map: 1/cap … (cap-1)/cap, shuffled in compat. */
  private newMachineColours(): void {
    const cm = this.colormap;
    const cap = this.params.jobNumCap;
    for (let i = 0; i < cm.length; i++) cm[i] = (i + 1) / cap;
    if (this.rng) this.rng.shuffle(cm);
  }

  // -------------------------------------------------------------------------
  // Env interface
  // -------------------------------------------------------------------------

  reset(seed?: number): ResetResult {
    let ex = this.example;
    if (seed !== undefined) {
      if (!Number.isInteger(seed)) throw new RangeError(`reset: seed must be an integer, got ${seed}`);
      ex = ((seed % this.seq.numEx) + this.seq.numEx) % this.seq.numEx;
    }
    this.newMachineColours();
    this.resetState(ex);
    this.maskDirty = true;
    this.info.time = this.t;
    this.info.example = ex;
    return { observation: this.obs, info: this.info };
  }

  step(action: number): StepResult {
    const r = this.result;
    r.reward = this.advance(action);
    r.terminated = this.terminated;
    r.truncated = this.truncated;
    this.maskDirty = true;
    this.info.time = this.t;
    return r;
  }

  // -------------------------------------------------------------------------
  // Fast low-level API (heuristic replays)
  // -------------------------------------------------------------------------

  /** True once the episode terminated or was truncated (call reset()). */
  get done(): boolean {
    return this.terminated || this.truncated;
  }

  /** Current observation buffer (empty when observations are off). */
  get observation(): Float32Array {
    return this.obs;
  }

  /** Current action mask (computed now if stale). */
  get actionMask(): Uint8Array {
    if (this.maskDirty) this.computeMask();
    return this.mask;
  }

  /**
   * One decision without building the action mask or the result object. Returns the
   * reward; read `terminated`/`truncated` afterwards.
   */
  advance(action: number): number {
    if (this.terminated || this.truncated) throw new Error('DeepRMEnv: episode is over, call reset()');
    if (!(action >= 0 && action <= this.M) || !Number.isInteger(action)) {
      throw new RangeError(`DeepRMEnv: action must be an integer in [0, ${this.M}], got ${action}`);
    }
    this.steps++;
    this.maskDirty = true;
    let reward = 0;
    const h = action < this.M ? this.slots[action] : -1;
    const o = h >= 0 ? this.findOffset(h) : -1;
    if (o >= 0) this.allocate(action, h, o);
    else reward = this.moveOn();
    if (!this.terminated && !this.truncated && this.steps >= this.params.episodeMaxLength) this.truncated = true;
    this.episodeReturn += reward;
    return reward;
  }

  /** Earliest feasible offset for job handle h in the window, or -1. */
  findOffset(h: number): number {
    const len = this.jobLen[h];
    const R = this.R;
    const T = this.T;
    const maxO = this.mode === 'compat' ? T - len - 1 : T - len;
    const avail = this.avail;
    const res = this.jobRes;
    const base = h * R;
    let run = 0;
    for (let k = 0; k < T; k++) {
      if (k - run > maxO) return -1;
      let fits = true;
      for (let r = 0; r < R; r++) {
        if (avail[k * R + r] < res[base + r]) {
          fits = false;
          break;
        }
      }
      if (fits) {
        if (++run === len) return k - len + 1;
      } else run = 0;
    }
    return -1;
  }

  /** True if job h fits starting now (rows 0…len-1) — the heuristics' candidate test. */
  fitsNow(h: number): boolean {
    const len = this.jobLen[h];
    const R = this.R;
    const avail = this.avail;
    const res = this.jobRes;
    const base = h * R;
    if (len > this.T) return false;
    for (let k = 0; k < len; k++) {
      for (let r = 0; r < R; r++) if (avail[k * R + r] < res[base + r]) return false;
    }
    return true;
  }

  /** True if job h has some feasible offset now (= the action mask of its slot). */
  canAllocate(h: number): boolean {
    const len = this.jobLen[h];
    const maxO = this.mode === 'compat' ? this.T - len - 1 : this.T - len;
    // quick accept: the rows after the last busy one are entirely free
    if (this.lastBusyRow + 1 <= maxO) {
      let small = true;
      for (let r = 0; r < this.R; r++) if (this.jobRes[h * this.R + r] > this.capacity) small = false;
      if (small) return true;
    }
    return this.findOffset(h) >= 0;
  }

  /** Fills the action mask: 1 for slots whose job has a feasible offset now; void always 1. */
  computeMask(): void {
    const m = this.mask;
    for (let j = 0; j < this.M; j++) {
      const h = this.slots[j];
      m[j] = h >= 0 && this.canAllocate(h) ? 1 : 0;
    }
    m[this.M] = 1;
    this.maskDirty = false;
  }

  /** Job id (from the job set) of handle h in the current example. */
  jobId(h: number): number {
    return this.seq.id[this.example * this.L + h];
  }

  /** Number of sequence indices (handles) per example. */
  get handles(): number {
    return this.L;
  }

  // -------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------

  private resetState(ex: number): void {
    this.example = ex;
    this.t = 0;
    this.s = 0;
    this.since = 0;
    this.steps = 0;
    this.episodeReturn = 0;
    this.terminated = false;
    this.truncated = false;
    this.avail.fill(this.capacity);
    this.lastBusyRow = -1;
    this.slots.fill(-1);
    this.runningCount = 0;
    this.backlogHead = 0;
    this.backlogCount = 0;
    this.cntRun.fill(0);
    this.cntSlot.fill(0);
    this.cntBacklog.fill(0);
    this.colourBusyUntil.fill(0);
    const base = ex * this.L;
    this.jobLen.set(this.seq.len.subarray(base, base + this.L));
    this.jobRes.set(this.seq.res.subarray(base * this.R, (base + this.L) * this.R));
    this.enter.fill(-1);
    this.start.fill(-1);
    this.finish.fill(-1);
    this.status.fill(JOB_NOT_ARRIVED);
    if (this.buildObs) this.obs.fill(0);
    // fixed: the index-0 job is presented at t = 0 (compat: it never arrives).
    if (this.mode === 'fixed') this.arrive(0);
  }

  private allocate(a: number, h: number, o: number): void {
    const R = this.R;
    const len = this.jobLen[h];
    const avail = this.avail;
    const res = this.jobRes;
    const base = h * R;
    if (this.buildObs) this.paintJob(h, o);
    for (let k = o; k < o + len; k++) {
      for (let r = 0; r < R; r++) avail[k * R + r] -= res[base + r];
    }
    if (o + len - 1 > this.lastBusyRow) this.lastBusyRow = o + len - 1;
    this.start[h] = this.t + o;
    this.finish[h] = this.t + o + len;
    this.status[h] = JOB_ALLOCATED;
    this.running[this.runningCount++] = h;
    this.cntSlot[len]--;
    this.cntRun[len]++;
    // the backlog head refills the same slot index
    if (this.buildObs) this.drawSlot(a, h, 0);
    if (this.backlogCount > 0) {
      const h2 = this.backlog[this.backlogHead];
      this.backlogHead = this.backlogHead + 1 === this.backlogCap ? 0 : this.backlogHead + 1;
      this.backlogCount--;
      this.slots[a] = h2;
      this.status[h2] = JOB_IN_SLOT;
      const l2 = this.jobLen[h2];
      this.cntBacklog[l2]--;
      this.cntSlot[l2]++;
      if (this.buildObs) {
        this.setBacklogCell(this.backlogCount, 0);
        this.drawSlot(a, h2, 1);
      }
    } else this.slots[a] = -1;
  }

  private moveOn(): number {
    const p = this.params;
    this.t++;
    if (this.buildObs) this.shiftCanvas();
    const avail = this.avail;
    avail.copyWithin(0, this.R);
    avail.fill(this.capacity, (this.T - 1) * this.R);
    if (this.lastBusyRow >= 0) this.lastBusyRow--;
    this.removeFinished();
    if (this.since < p.maxTrackSinceNew) {
      this.since++;
      if (this.buildObs) this.drawSince();
    }
    this.s++;
    let done = false;
    let timeLimit = false;
    if (this.end === 'no_new_job') {
      done = this.s >= this.L;
    } else if (this.s >= this.L && this.runningCount === 0 && this.backlogCount === 0 && this.slotsEmpty()) {
      done = true;
    } else if (this.t > p.episodeMaxLength) {
      done = true;
      timeLimit = true;
    }
    if (!done && this.s < this.L) this.arrive(this.s);
    const reward = this.reward();
    if (done) {
      if (timeLimit) this.truncated = true;
      else this.terminated = true;
      // the original resets inside step(): its Machine() consumes one colour shuffle
      if (this.rng) this.rng.shuffle(this.colormap);
    }
    return reward;
  }

  private slotsEmpty(): boolean {
    for (let j = 0; j < this.M; j++) if (this.slots[j] >= 0) return false;
    return true;
  }

  /** Drops finished jobs from `running` (compat: with DeepRM's remove-while-iterating skip). */
  private removeFinished(): void {
    const run = this.running;
    const fin = this.finish;
    const t = this.t;
    let n = this.runningCount;
    if (this.mode === 'compat') {
      // Python `for job in list: list.remove(job)`: after a removal the next element
      // slides into the current index and the iterator moves past it.
      for (let i = 0; i < n; i++) {
        const h = run[i];
        if (fin[h] <= t) {
          run.copyWithin(i, i + 1, n);
          n--;
          this.cntRun[this.jobLen[h]]--;
        }
      }
    } else {
      let w = 0;
      for (let i = 0; i < n; i++) {
        const h = run[i];
        if (fin[h] <= t) this.cntRun[this.jobLen[h]]--;
        else run[w++] = h;
      }
      n = w;
    }
    this.runningCount = n;
  }

  private arrive(s: number): void {
    const len = this.jobLen[s];
    if (len <= 0) return;
    this.enter[s] = this.t;
    let placed = false;
    for (let j = 0; j < this.M; j++) {
      if (this.slots[j] < 0) {
        this.slots[j] = s;
        this.status[s] = JOB_IN_SLOT;
        this.cntSlot[len]++;
        if (this.buildObs) this.drawSlot(j, s, 1);
        placed = true;
        break;
      }
    }
    if (!placed) {
      if (this.backlogCount < this.backlogCap) {
        let tail = this.backlogHead + this.backlogCount;
        if (tail >= this.backlogCap) tail -= this.backlogCap;
        this.backlog[tail] = s;
        this.status[s] = JOB_IN_BACKLOG;
        this.cntBacklog[len]++;
        if (this.buildObs) this.setBacklogCell(this.backlogCount, 1);
        this.backlogCount++;
      } else {
        this.status[s] = JOB_DROPPED; // never recorded, never counted
      }
    }
    this.since = 0;
    if (this.buildObs) this.drawSince();
  }

  /** Σ penalty/len over running (lingering included), slot and backlog jobs. */
  private reward(): number {
    const p = this.params;
    let sum = 0;
    for (let len = 1; len <= this.maxLen; len++) {
      const c =
        this.cntRun[len] * p.delayPenalty + this.cntSlot[len] * p.holdPenalty + this.cntBacklog[len] * p.dismissPenalty;
      if (c !== 0) sum += c / len;
    }
    return sum;
  }

  // --- image ---

  /** Paints job h, reserved at offset o, on the canvas (before avail is updated). */
  private paintJob(h: number, o: number): void {
    const cm = this.colormap;
    const busy = this.colourBusyUntil;
    const t = this.t;
    // the first colour of the map not on the canvas (= not held by a job with finish > t)
    let c = 0;
    while (c < cm.length && busy[c] > t) c++;
    if (c === cm.length) c = cm.length - 1; // the original would crash here (> cap-1 jobs on canvas)
    const len = this.jobLen[h];
    busy[c] = t + o + len;
    const colour = cm[c];
    const R = this.R;
    const W = this.W;
    const obs = this.obs;
    for (let k = o; k < o + len; k++) {
      for (let r = 0; r < R; r++) {
        const used = this.capacity - this.avail[k * R + r];
        const from = k * W + r * this.resBlock + used;
        const to = from + this.jobRes[h * R + r];
        for (let i = from; i < to; i++) obs[i] = colour;
      }
    }
  }

  /** Moves canvas rows up by one (occupied prefixes only) — before avail shifts. */
  private shiftCanvas(): void {
    const R = this.R;
    const T = this.T;
    const W = this.W;
    const obs = this.obs;
    const avail = this.avail;
    const cap = this.capacity;
    const rows = Math.min(T, this.lastBusyRow + 1); // rows below lastBusyRow are empty
    for (let r = 0; r < R; r++) {
      const col = r * this.resBlock;
      for (let k = 0; k < rows; k++) {
        const wOld = cap - avail[k * R + r];
        const wNew = k + 1 < T ? cap - avail[(k + 1) * R + r] : 0;
        const row = k * W + col;
        for (let i = 0; i < wNew; i++) obs[row + i] = obs[row + W + i];
        for (let i = wNew; i < wOld; i++) obs[row + i] = 0;
      }
    }
  }

  /** Writes job h's block (rows < len, columns < res[r]) into slot j with value v. */
  private drawSlot(j: number, h: number, v: number): void {
    const R = this.R;
    const W = this.W;
    const obs = this.obs;
    const len = Math.min(this.jobLen[h], this.T);
    for (let r = 0; r < R; r++) {
      const col = r * this.resBlock + this.capacity + j * this.params.maxJobSize;
      const width = this.jobRes[h * R + r];
      for (let k = 0; k < len; k++) {
        const from = k * W + col;
        for (let i = from; i < from + width; i++) obs[i] = v;
      }
    }
  }

  /** Backlog cell n (row-major in T × backlog_width). */
  private setBacklogCell(n: number, v: number): void {
    const bw = this.backlogWidth;
    this.obs[Math.floor(n / bw) * this.W + this.backlogCol + (n % bw)] = v;
  }

  private drawSince(): void {
    const v = this.since / this.params.maxTrackSinceNew;
    const W = this.W;
    if (this.obs[this.sinceCol] === Math.fround(v)) return;
    for (let k = 0; k < this.T; k++) this.obs[k * W + this.sinceCol] = v;
  }
}
