import { Rng } from '../util/rng';
import { TraceError } from '../util/errors';
import { MAX_JOB_GPUS, MAX_SECONDS } from '../util/limits';
import type { Job } from '../workload/job';
import type { ClusterSpec } from '../cluster/spec';
import { ClusterState, GPU_MILLI } from './clusterState';
import { EventQueue } from './eventQueue';
import { placeCpuOnly, placeShare, placeWhole, type PlacementName } from './placement';
import { JobStatus, type SimResult } from './result';
import type { OracleSimContext, Scheduler } from './scheduler';

export interface SimOptions {
  /** Where started jobs go; default: the scheduler's preference, else first-fit. */
  placement?: PlacementName;
  /** Let jobs with a fractional GPU share co-locate on one GPU (default true); if false they take a whole GPU. */
  fractional?: boolean;
  /** Seconds of work added to a job each time it is preempted (checkpoint + restart cost). Default 0. */
  restartOverhead?: number;
  /** Stop the simulation at this time (default: when every job has finished). */
  until?: number;
  /** A job that can never fit the cluster: 'error' (default) throws naming file:line, 'reject' counts it. */
  oversize?: 'error' | 'reject';
  /** Seed of the RNG handed to the scheduler. */
  seed?: number;
  /** Check resource invariants after every decision point (slow; for tests). */
  debug?: boolean;
  /** Overrides the scheduler's tick interval (s); 0 disables ticks. */
  tickInterval?: number;
  /** Called about every 1 % of jobs finished. */
  onProgress?: (finished: number, total: number) => void;
}

/**
 * A deliberately slowed build for the benchmark gate's own test (test/benchmarks/gate.test.ts):
 * LEPTON_SLOW_EVENT_LOOP=N adds N iterations of busy work to every decision point of the
 * event loop. Unset (0), it costs one predictable branch per decision point.
 */
const SLOW_EVENT_LOOP =
  typeof process === 'undefined' ? 0 : Math.max(0, Math.floor(Number(process.env.LEPTON_SLOW_EVENT_LOOP ?? 0)) || 0);
let slowSink = 0;
function slowWork(n: number): void {
  let x = slowSink | 0;
  for (let i = 0; i < n; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  slowSink = x;
}

const EV_COMPLETION = 0;
const EV_TICK = 1;

/**
 * The event-driven simulation core. Arrivals come from the submit-sorted job array;
 * completions and ticks from a binary heap. All events at one instant are applied
 * (completions and ticks in heap order, then arrivals in job order) before the
 * scheduler is called once for that instant.
 */
export class Simulator implements OracleSimContext {
  readonly jobs: readonly Job[];
  readonly state: ClusterState;
  now = 0;

  private readonly n: number;
  private readonly scheduler: Scheduler;
  private readonly placement: PlacementName;
  private readonly overhead: number;
  private readonly until: number;
  private readonly debug: boolean;
  private readonly tick: number;
  private readonly onProgress?: (finished: number, total: number) => void;

  // Per-job demand, resolved once.
  private readonly gpus: Int32Array;
  private readonly milli: Int32Array;
  private readonly cpu: Float64Array;
  private readonly mem: Float64Array;
  private readonly typeMask: Int32Array;
  private readonly everFits: Uint8Array;

  // Per-job dynamic state.
  private readonly status: Uint8Array;
  private readonly start: Float64Array;
  private readonly finish: Float64Array;
  private readonly remainingAtStart: Float64Array;
  private readonly runStart: Float64Array;
  private readonly executedBefore: Float64Array;
  private readonly attainedBefore: Float64Array;
  private readonly epoch: Int32Array;
  private readonly preemptions: Int32Array;
  private readonly allocOffset: Int32Array;
  private readonly allocCount: Int32Array;
  private readonly alloc: Int32Array;
  private readonly plan: Int32Array;
  private planJob = -1;
  private planCount = -1;
  private planVersion = -1;
  private version = 0;

  // Waiting queue: wq[head..tail) sorted by job index; started/preempted entries removed lazily.
  private wq: Int32Array;
  private head = 0;
  private tail = 0;
  private readonly waitPos: Int32Array;
  /** 1 while the job has an entry in wq (a job preempted in this call has none yet). */
  private readonly inQueue: Uint8Array;
  private removedInCall = 0;
  private minRemovedPos = 0x7fffffff;
  private maxRemovedPos = -1;
  private readonly reinsert: number[] = [];
  private waiting = 0;

  private readonly runList: Int32Array;
  private readonly runPos: Int32Array;
  private running = 0;

  /** 1 while a running job's resources are held (released for a what-if, see SimContext.hold). */
  private readonly held: Uint8Array;
  private heldCount = 0;
  readonly pooled: boolean;

  private readonly events = new EventQueue(1024);
  private tickPending = false;
  private eventCount = 0;
  private nFinished = 0;
  /** Job indices in completion order (SimContext.finishedAt). */
  private readonly finishOrder: Int32Array;
  private rejectedCount = 0;

  private tlTime: Float64Array = new Float64Array(1024);
  private tlGpu: Float64Array = new Float64Array(1024);
  private tlCpu: Float64Array = new Float64Array(1024);
  private tlMem: Float64Array = new Float64Array(1024);
  private tlLen = 0;

  constructor(jobs: readonly Job[], cluster: ClusterSpec, scheduler: Scheduler, opts: SimOptions = {}) {
    const n = jobs.length;
    for (let i = 1; i < n; i++)
      if (jobs[i].submit < jobs[i - 1].submit)
        throw new Error(`jobs must be sorted by submit time (job ${jobs[i].id} at index ${i}); use sortBySubmit()`);
    this.jobs = jobs;
    this.n = n;
    this.scheduler = scheduler;
    this.state = new ClusterState(cluster);
    this.placement = opts.placement ?? scheduler.placement ?? 'first-fit';
    this.overhead = opts.restartOverhead ?? 0;
    this.until = opts.until ?? Infinity;
    // Guards for programmatic callers (the CLI refuses these earlier with option names).
    if (!(Number.isFinite(this.overhead) && this.overhead >= 0 && this.overhead <= MAX_SECONDS))
      throw new RangeError(`restartOverhead must be in [0, ${MAX_SECONDS}] s (${this.overhead})`);
    if (!(this.until >= 0)) throw new RangeError(`until must be >= 0 (${this.until})`);
    this.debug = opts.debug ?? false;
    this.tick = opts.tickInterval ?? scheduler.tickInterval ?? 0;
    this.onProgress = opts.onProgress;
    const fractional = opts.fractional ?? true;

    this.gpus = new Int32Array(n);
    this.milli = new Int32Array(n);
    this.cpu = new Float64Array(n);
    this.mem = new Float64Array(n);
    this.typeMask = new Int32Array(n);
    this.allocOffset = new Int32Array(n);
    this.allocCount = new Int32Array(n);
    let slots = 0;
    let maxSlots = 1;
    for (let j = 0; j < n; j++) {
      const job = jobs[j];
      // GPU counts live in Int32Arrays: a larger count would wrap around (2^31 → negative).
      if (!(Number.isInteger(job.gpus) && job.gpus >= 0 && job.gpus <= MAX_JOB_GPUS))
        throw new TraceError(
          job.file ?? '<workload>',
          job.line ?? 0,
          'gpus',
          `${job.gpus} GPUs cannot be represented by the simulator (integer in [0, ${MAX_JOB_GPUS}])`,
        );
      if (!(job.submit >= 0 && job.submit <= MAX_SECONDS && job.duration >= 0 && job.duration <= MAX_SECONDS))
        throw new TraceError(
          job.file ?? '<workload>',
          job.line ?? 0,
          job.duration >= 0 && job.duration <= MAX_SECONDS ? 'submit' : 'duration',
          `submit ${job.submit} s / duration ${job.duration} s outside the simulator's range [0, ${MAX_SECONDS}] s`,
        );
      if (job.gpuShare > 0 && fractional) {
        this.milli[j] = Math.max(1, Math.round(job.gpuShare * GPU_MILLI));
      } else {
        this.gpus[j] = job.gpuShare > 0 ? 1 : job.gpus;
        this.milli[j] = GPU_MILLI;
      }
      this.cpu[j] = job.cpus;
      this.mem[j] = job.memMiB;
      this.typeMask[j] = this.state.typeMask(job.gpuType);
      this.allocOffset[j] = slots;
      // A job larger than the cluster never runs: one slot is enough (it is rejected or an error below).
      const s = Math.max(1, Math.min(this.gpus[j], this.state.gpus));
      slots += s;
      maxSlots = Math.max(maxSlots, s);
    }
    this.alloc = new Int32Array(slots);
    this.plan = new Int32Array(Math.max(maxSlots, 1));
    this.everFits = this.checkEverFits(cluster, opts.oversize ?? 'error');

    this.status = new Uint8Array(n);
    this.start = new Float64Array(n).fill(NaN);
    this.finish = new Float64Array(n).fill(NaN);
    this.finishOrder = new Int32Array(n);
    this.remainingAtStart = new Float64Array(n);
    for (let j = 0; j < n; j++) this.remainingAtStart[j] = jobs[j].duration;
    this.runStart = new Float64Array(n);
    this.executedBefore = new Float64Array(n);
    this.attainedBefore = new Float64Array(n);
    this.epoch = new Int32Array(n);
    this.preemptions = new Int32Array(n);
    this.wq = new Int32Array(Math.max(16, n));
    this.waitPos = new Int32Array(n);
    this.inQueue = new Uint8Array(n);
    this.runList = new Int32Array(Math.max(1, n));
    this.runPos = new Int32Array(n);
    this.held = new Uint8Array(n);
    // One pool (SimContext.pooled): one node without shares, or plain whole-GPU gangs that may span nodes.
    let pooled = true;
    for (let j = 0; j < n && pooled; j++) {
      const job = jobs[j];
      pooled =
        job.gpuShare === 0 &&
        (this.state.nodes === 1 ||
          (this.placement !== 'consolidate' && job.gpus > 0 && job.cpus === 0 && job.memMiB === 0 && !job.gpuType));
    }
    this.pooled = pooled;
    scheduler.reset(jobs, new Rng(opts.seed ?? 0));
  }

  /** Which jobs could run on the empty cluster; throws (or marks for rejection) the others. */
  private checkEverFits(cluster: ClusterSpec, oversize: 'error' | 'reject'): Uint8Array {
    const fits = new Uint8Array(this.n);
    const empty = new ClusterState(cluster);
    for (const name of this.state.typeIds.keys()) empty.typeBit(name);
    for (let j = 0; j < this.n; j++) {
      const simple = this.cpu[j] === 0 && this.mem[j] === 0 && this.typeMask[j] === 0 && this.milli[j] === GPU_MILLI;
      let ok: boolean;
      if (simple && this.gpus[j] > 0) {
        ok = this.gpus[j] <= empty.gpus; // any placement can hold a plain gang on an empty cluster
      } else ok = this.planOn(empty, j) >= 0;
      if (ok) {
        fits[j] = 1;
        continue;
      }
      if (oversize === 'error') {
        const job = this.jobs[j];
        const field =
          this.gpus[j] > empty.gpus
            ? 'gpus'
            : this.typeMask[j] === -1
              ? 'gpuType'
              : this.gpus[j] === 0 && this.milli[j] === GPU_MILLI
                ? 'cpus'
                : 'gpus';
        throw new TraceError(
          job.file ?? '<workload>',
          job.line ?? 0,
          field,
          `job ${job.id} (${job.gpus || job.gpuShare} GPU${job.gpuType ? ' ' + job.gpuType : ''}, ${job.cpus} CPU, ${job.memMiB} MiB) can never fit cluster '${cluster.name}' ` +
            `(${empty.gpus} GPUs, ${empty.nodes} nodes). Use a larger --cluster, or --skip-invalid to reject such jobs and count them.`,
        );
      }
    }
    return fits;
  }

  private planOn(s: ClusterState, j: number): number {
    const g = this.gpus[j];
    if (g > 0) return placeWhole(s, this.placement, g, this.cpu[j] / g, this.mem[j] / g, this.typeMask[j], this.plan);
    if (this.milli[j] < GPU_MILLI)
      return placeShare(s, this.placement, this.milli[j], this.cpu[j], this.mem[j], this.typeMask[j], this.plan);
    return placeCpuOnly(s, this.placement, this.cpu[j], this.mem[j], this.plan);
  }

  // ---- SimContext -------------------------------------------------------------

  get waitingCount(): number {
    return this.tail - this.head;
  }
  waitingAt(i: number): number {
    return this.wq[this.head + i];
  }
  get waitingNow(): number {
    return this.waiting;
  }
  get runningCount(): number {
    return this.running;
  }
  runningAt(i: number): number {
    return this.runList[i];
  }
  get totalGpus(): number {
    return this.state.gpus;
  }
  get freeGpus(): number {
    return this.state.idleGpus;
  }
  get totalCpus(): number {
    return this.state.totalCpu;
  }
  get freeCpus(): number {
    return this.state.totalCpu - this.state.usedCpu;
  }
  get totalMemMiB(): number {
    return this.state.totalMem;
  }
  get freeMemMiB(): number {
    return this.state.totalMem - this.state.usedMem;
  }

  isWaiting(j: number): boolean {
    return this.status[j] === JobStatus.Waiting;
  }

  fits(j: number): boolean {
    if (this.status[j] !== JobStatus.Waiting) return false;
    if (this.planJob !== j || this.planVersion !== this.version) {
      this.planCount = this.planOn(this.state, j);
      this.planJob = j;
      this.planVersion = this.version;
    }
    return this.planCount >= 0;
  }

  tryStart(j: number): boolean {
    if (this.heldCount > 0)
      throw new Error(`tryStart(${j}) while ${this.heldCount} job(s) are held: unhold or preempt them first`);
    if (!this.fits(j)) return false;
    const count = this.planCount;
    const off = this.allocOffset[j];
    for (let i = 0; i < count; i++) this.alloc[off + i] = this.plan[i];
    this.allocCount[j] = count;
    this.acquire(j);
    this.version++;
    this.status[j] = JobStatus.Running;
    this.waiting--;
    if (this.inQueue[j]) {
      // Its queue entry goes at the end of the call; a job preempted in this call has none.
      this.inQueue[j] = 0;
      this.removedInCall++;
      if (this.waitPos[j] < this.minRemovedPos) this.minRemovedPos = this.waitPos[j];
      if (this.waitPos[j] > this.maxRemovedPos) this.maxRemovedPos = this.waitPos[j];
    }
    this.runPos[j] = this.running;
    this.runList[this.running++] = j;
    if (Number.isNaN(this.start[j])) this.start[j] = this.now;
    this.runStart[j] = this.now;
    this.events.push(this.now + this.remainingAtStart[j], EV_COMPLETION, j, this.epoch[j]);
    return true;
  }

  preempt(j: number): void {
    if (this.status[j] !== JobStatus.Running) throw new Error(`preempt(${j}): job is not running`);
    const ran = this.now - this.runStart[j];
    if (this.held[j]) {
      this.held[j] = 0; // its resources are already free
      this.heldCount--;
    } else this.release(j);
    this.removeRunning(j);
    this.executedBefore[j] += ran;
    this.attainedBefore[j] += ran * this.gpuAmount(j);
    this.remainingAtStart[j] = Math.max(0, this.remainingAtStart[j] - ran) + this.overhead;
    this.epoch[j]++;
    this.preemptions[j]++;
    this.status[j] = JobStatus.Waiting;
    this.waiting++;
    this.reinsert.push(j);
  }

  hold(j: number): void {
    if (this.status[j] !== JobStatus.Running || this.held[j])
      throw new Error(`hold(${j}): job is not running or already held`);
    this.release(j);
    this.held[j] = 1;
    this.heldCount++;
  }

  unhold(j: number): void {
    if (!this.held[j]) throw new Error(`unhold(${j}): job is not held`);
    this.acquire(j); // nothing started while it was held, so its GPUs are still free
    this.version++;
    this.held[j] = 0;
    this.heldCount--;
  }

  remaining(j: number): number {
    return this.status[j] === JobStatus.Running
      ? this.remainingAtStart[j] - (this.now - this.runStart[j])
      : this.remainingAtStart[j];
  }
  get finishedCount(): number {
    return this.nFinished;
  }
  finishedAt(i: number): number {
    return this.finishOrder[i];
  }
  executed(j: number): number {
    return this.executedBefore[j] + (this.status[j] === JobStatus.Running ? this.now - this.runStart[j] : 0);
  }
  attained(j: number): number {
    return (
      this.attainedBefore[j] +
      (this.status[j] === JobStatus.Running ? (this.now - this.runStart[j]) * this.gpuAmount(j) : 0)
    );
  }
  preemptionCount(j: number): number {
    return this.preemptions[j];
  }
  expectedFinish(j: number): number {
    return this.status[j] === JobStatus.Running ? this.runStart[j] + this.remainingAtStart[j] : NaN;
  }

  // ---- core -------------------------------------------------------------------

  private gpuAmount(j: number): number {
    return this.gpus[j] > 0 ? this.gpus[j] : this.milli[j] < GPU_MILLI ? this.milli[j] / GPU_MILLI : 0;
  }

  private acquire(j: number): void {
    const g = this.gpus[j];
    const off = this.allocOffset[j];
    if (g > 0) this.state.allocGpus(this.alloc.subarray(off, off + g), g, GPU_MILLI, this.cpu[j] / g, this.mem[j] / g);
    else if (this.milli[j] < GPU_MILLI)
      this.state.allocGpus(this.alloc.subarray(off, off + 1), 1, this.milli[j], this.cpu[j], this.mem[j]);
    else this.state.allocNode(this.alloc[off], this.cpu[j], this.mem[j]);
  }

  private release(j: number): void {
    const g = this.gpus[j];
    const off = this.allocOffset[j];
    if (g > 0)
      this.state.releaseGpus(this.alloc.subarray(off, off + g), g, GPU_MILLI, this.cpu[j] / g, this.mem[j] / g);
    else if (this.milli[j] < GPU_MILLI)
      this.state.releaseGpus(this.alloc.subarray(off, off + 1), 1, this.milli[j], this.cpu[j], this.mem[j]);
    else this.state.releaseNode(this.alloc[off], this.cpu[j], this.mem[j]);
    this.version++;
  }

  private removeRunning(j: number): void {
    const p = this.runPos[j];
    const last = this.runList[--this.running];
    this.runList[p] = last;
    this.runPos[last] = p;
  }

  private enqueue(j: number): void {
    if (this.tail === this.wq.length) this.compactStorage(1);
    this.waitPos[j] = this.tail;
    this.inQueue[j] = 1;
    this.wq[this.tail++] = j;
  }

  /** Makes room at the tail: shifts the live queue to index 0, growing the buffer if needed. */
  private compactStorage(extra: number): void {
    const len = this.tail - this.head;
    // In place only when that frees a quarter of the storage: otherwise a queue whose head
    // moved by a few entries would be copied at every arrival (amortised O(1) either way).
    if (this.head >= this.wq.length >> 2 && len + extra <= this.wq.length) {
      this.wq.copyWithin(0, this.head, this.tail);
    } else {
      const next = new Int32Array(Math.max(this.wq.length * 2, len + extra));
      next.set(this.wq.subarray(this.head, this.tail));
      this.wq = next;
    }
    this.head = 0;
    this.tail = len;
    for (let i = 0; i < len; i++) this.waitPos[this.wq[i]] = i;
  }

  /**
   * Drops started jobs from the waiting queue and merges preempted ones back in index order.
   * Incremental: the started entries lie between minRemovedPos and maxRemovedPos, so only
   * the shorter side is moved — the entries from the first removed one to the tail (shifted
   * left), or those from the head to the last removed one (shifted right, head advancing).
   * Schedulers that start jobs near the head of a long queue (the usual case under overload)
   * then cost O(started jobs' span), not O(queue), per decision point. A preempted job is
   * inserted likewise from the nearer end.
   */
  private settleQueue(): void {
    if (this.removedInCall > 0) {
      const lo = this.minRemovedPos;
      const hi = this.maxRemovedPos;
      if (hi - this.head + 1 <= this.tail - lo) {
        // Compact [head, hi] towards hi: waiting entries keep their order, head moves right.
        let w = hi;
        for (let i = hi; i >= this.head; i--) {
          const j = this.wq[i];
          if (this.status[j] === JobStatus.Waiting) {
            this.wq[w] = j;
            this.inQueue[j] = 1; // started then preempted within the call: keeps its entry
            this.waitPos[j] = w--;
          }
        }
        this.head = w + 1;
      } else {
        let w = lo;
        for (let i = lo; i < this.tail; i++) {
          const j = this.wq[i];
          if (this.status[j] === JobStatus.Waiting) {
            this.wq[w] = j;
            this.inQueue[j] = 1; // started then preempted within the call: keeps its entry
            this.waitPos[j] = w++;
          }
        }
        this.tail = w;
      }
      this.removedInCall = 0;
    }
    this.minRemovedPos = 0x7fffffff;
    this.maxRemovedPos = -1;
    if (this.reinsert.length > 0) {
      for (const j of this.reinsert) {
        if (this.status[j] !== JobStatus.Waiting || this.inQueue[j]) continue; // restarted, or entry kept
        // Binary search for the insertion point; the queue stays sorted by job index.
        let lo = this.head;
        let hi = this.tail;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (this.wq[mid] < j) lo = mid + 1;
          else hi = mid;
        }
        if (this.head > 0 && lo - this.head < this.tail - lo) {
          // Nearer the head: shift [head, lo) one to the left.
          this.wq.copyWithin(this.head - 1, this.head, lo);
          this.head--;
          this.wq[lo - 1] = j;
          for (let i = this.head; i < lo; i++) this.waitPos[this.wq[i]] = i;
        } else {
          if (this.tail === this.wq.length) {
            this.compactStorage(1);
            // Positions moved: search again.
            lo = this.head;
            hi = this.tail;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (this.wq[mid] < j) lo = mid + 1;
              else hi = mid;
            }
          }
          this.wq.copyWithin(lo + 1, lo, this.tail);
          this.wq[lo] = j;
          this.tail++;
          for (let i = lo; i < this.tail; i++) this.waitPos[this.wq[i]] = i;
        }
        this.inQueue[j] = 1;
      }
      this.reinsert.length = 0;
    }
  }

  private recordUsage(): void {
    const s = this.state;
    const k = this.tlLen;
    if (k > 0 && this.tlGpu[k - 1] === s.usedGpu && this.tlCpu[k - 1] === s.usedCpu && this.tlMem[k - 1] === s.usedMem)
      return;
    if (k > 0 && this.tlTime[k - 1] === this.now) {
      this.tlGpu[k - 1] = s.usedGpu;
      this.tlCpu[k - 1] = s.usedCpu;
      this.tlMem[k - 1] = s.usedMem;
      return;
    }
    if (k === this.tlTime.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.tlTime = grow(this.tlTime);
      this.tlGpu = grow(this.tlGpu);
      this.tlCpu = grow(this.tlCpu);
      this.tlMem = grow(this.tlMem);
    }
    this.tlTime[k] = this.now;
    this.tlGpu[k] = s.usedGpu;
    this.tlCpu[k] = s.usedCpu;
    this.tlMem[k] = s.usedMem;
    this.tlLen = k + 1;
  }

  private complete(j: number): void {
    if (!Number.isNaN(this.finish[j])) throw new Error(`invariant: job ${j} finished twice`);
    this.release(j);
    this.removeRunning(j);
    this.executedBefore[j] += this.now - this.runStart[j];
    this.attainedBefore[j] += (this.now - this.runStart[j]) * this.gpuAmount(j);
    this.remainingAtStart[j] = 0;
    this.status[j] = JobStatus.Finished;
    this.finish[j] = this.now;
    this.finishOrder[this.nFinished++] = j;
  }

  private nextArrival = 0;
  private progressStep = 1;
  private nextProgress = 1;

  /**
   * Applies every event of the next instant (completions and ticks, then arrivals) and
   * stops at that decision point; false when no event is left (or `until` is reached).
   * Step-wise drivers (RL environments) call nextDecision / act through SimContext /
   * endDecision; run() does the same with the scheduler.
   */
  nextDecision(): boolean {
    const n = this.n;
    const jobs = this.jobs;
    const ev = this.events;
    for (;;) {
      const tArr = this.nextArrival < n ? jobs[this.nextArrival].submit : Infinity;
      const t = Math.min(tArr, ev.peekTime());
      if (t === Infinity || t > this.until) return false;
      this.now = t;
      // An instant holding only stale completions (of runs that were preempted) is no event.
      let real = false;
      while (ev.size > 0 && ev.peekTime() === t) {
        const kind = ev.peekKind();
        const j = ev.peekJob();
        const tag = ev.peekTag();
        ev.pop();
        if (kind === EV_COMPLETION) {
          if (tag !== this.epoch[j] || this.status[j] !== JobStatus.Running) continue;
          this.complete(j);
        } else this.tickPending = false;
        this.eventCount++;
        real = true;
      }
      while (this.nextArrival < n && jobs[this.nextArrival].submit === t) {
        const j = this.nextArrival++;
        this.eventCount++;
        real = true;
        if (this.everFits[j]) {
          this.status[j] = JobStatus.Waiting;
          this.waiting++;
          this.enqueue(j);
        } else {
          this.status[j] = JobStatus.Rejected;
          this.rejectedCount++;
        }
      }
      if (real) {
        if (SLOW_EVENT_LOOP > 0) slowWork(SLOW_EVENT_LOOP);
        return true;
      }
    }
  }

  /** Closes the current decision point: settles the queue, records usage, arms the next tick. */
  endDecision(): void {
    if (this.heldCount > 0) throw new Error(`decision point at t=${this.now} ended with ${this.heldCount} held job(s)`);
    this.settleQueue();
    this.recordUsage();
    if (this.tick > 0 && !this.tickPending && this.waiting > 0) {
      this.events.push(this.now + this.tick, EV_TICK, -1, 0);
      this.tickPending = true;
    }
    if (this.debug) this.checkInvariants();
    if (this.onProgress && this.nFinished >= this.nextProgress) {
      this.onProgress(this.nFinished, this.n);
      this.nextProgress = this.nFinished + this.progressStep;
    }
  }

  /** Time of the next event, Infinity if none (for rewards integrated between decisions). */
  nextEventTime(): number {
    const tArr = this.nextArrival < this.n ? this.jobs[this.nextArrival].submit : Infinity;
    return Math.min(tArr, this.events.peekTime());
  }

  /** Ends the run (after the last decision point) and returns the result. */
  finishRun(): SimResult {
    if (this.until !== Infinity && this.until > this.now) this.now = this.until;
    this.onProgress?.(this.nFinished, this.n);
    return this.result();
  }

  /** Runs to the end and returns the result. */
  run(): SimResult {
    this.progressStep = Math.max(1, Math.floor(this.n / 100));
    this.nextProgress = this.progressStep;
    while (this.nextDecision()) {
      this.scheduler.schedule(this);
      this.endDecision();
    }
    return this.finishRun();
  }

  private checkInvariants(): void {
    this.state.checkInvariants();
    if (this.waitingCount !== this.waiting)
      throw new Error(`invariant: queue holds ${this.waitingCount} jobs, ${this.waiting} are waiting`);
    for (let i = 0; i < this.running; i++) {
      const j = this.runList[i];
      if (this.status[j] !== JobStatus.Running)
        throw new Error(`invariant: job ${j} in running list but status ${this.status[j]}`);
      if (this.start[j] < this.jobs[j].submit) throw new Error(`invariant: job ${j} started before it arrived`);
    }
  }

  private result(): SimResult {
    const len = this.tlLen;
    return {
      policy: this.scheduler.name,
      jobs: this.jobs,
      start: this.start,
      finish: this.finish,
      status: this.status,
      preemptions: this.preemptions,
      capacity: { gpus: this.state.gpus, cpus: this.state.totalCpu, memMiB: this.state.totalMem },
      timeline: {
        time: this.tlTime.slice(0, len),
        gpus: this.tlGpu.slice(0, len),
        cpus: this.tlCpu.slice(0, len),
        memMiB: this.tlMem.slice(0, len),
      },
      endTime: this.now,
      events: this.eventCount,
      counts: {
        jobs: this.n,
        finished: this.nFinished,
        rejected: this.rejectedCount,
        unfinished: this.n - this.nFinished - this.rejectedCount,
      },
    };
  }
}

/** Simulates `jobs` (sorted by submit) on `cluster` under `scheduler`. */
export function simulate(
  jobs: readonly Job[],
  cluster: ClusterSpec,
  scheduler: Scheduler,
  opts: SimOptions = {},
): SimResult {
  return new Simulator(jobs, cluster, scheduler, opts).run();
}
