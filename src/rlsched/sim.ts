/**
 * RLScheduler's scheduling loop (spec rules 3–5, 7), per job exact. One `RlschedSim` instance is
 * reused across sequences (no allocation per event or per decision); `load(...)` points it at a
 * sequence of consecutive trace jobs and resets the state.
 *
 * The API mirrors the original's two halves so that heuristics and learning agents share it:
 * - the caller picks a waiting job (a heuristic: `sortQueue(key)` then `queue.first()`; an agent:
 *   any job of `queue`);
 * - `schedule(j)` waits for j's nodes (events one at a time, or backfilling with a shadow time
 *   computed once), starts it, and moves forward until the queue is non-empty again
 *   (`HPCEnv.schedule` + `moveforward_for_job`). It returns true when the sequence is done.
 *
 * Local job indices 0..L-1 are positions in the sequence; `startTime[k]` is job k's start.
 */
import { JobList, type SortKey } from './lists';
import type { RlschedTrace } from './trace';

/** Key ids reserved by the simulator (heuristics use ids ≥ 16). */
export const KEY_SUBMIT = 0;
const KEY_ACTUAL_END = 1;
const KEY_EST_END = 2;

export class RlschedSim {
  readonly capacity: number;
  /** Sequence data (views into the trace). */
  submit!: Float64Array;
  run!: Float64Array;
  reqTime!: Float64Array;
  procs!: Float64Array;
  /** Nodes each job needs: ceil(procs / procs per node). */
  readonly nodes: Float64Array;
  readonly startTime: Float64Array;
  /** Jobs in start order (the original sums bsld in this order). */
  readonly startOrder: Int32Array;
  started = 0;
  private readonly actualEnd: Float64Array;
  private readonly estEnd: Float64Array;
  readonly queue: JobList;
  readonly running: JobList;
  len = 0;
  t = 0;
  free = 0;
  /** Next not-yet-admitted job. */
  next = 0;
  maxNodes = 0;
  procsPerNode = 1;
  backfill = false;
  /** The key that sorts the queue by submit time (FCFS order; the backfill scan's order). */
  readonly submitKey: SortKey;
  private readonly actualKey: SortKey;
  private readonly estKey: SortKey;
  /** Scratch flag per job for the backfill scan. */
  private readonly mark: Uint8Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.nodes = new Float64Array(capacity);
    this.startTime = new Float64Array(capacity);
    this.startOrder = new Int32Array(capacity);
    this.actualEnd = new Float64Array(capacity);
    this.estEnd = new Float64Array(capacity);
    this.queue = new JobList(capacity);
    this.running = new JobList(capacity);
    this.mark = new Uint8Array(capacity);
    this.submitKey = { id: KEY_SUBMIT, k1: new Float64Array(0), k2: null };
    this.actualKey = { id: KEY_ACTUAL_END, k1: this.actualEnd, k2: null };
    this.estKey = { id: KEY_EST_END, k1: this.estEnd, k2: null };
  }

  /** Point at trace jobs start … start+len−1 and reset to the spec's initial state (rule 3). */
  load(trace: RlschedTrace, start: number, len: number, backfill: boolean): void {
    if (len > this.capacity || len < 1) throw new RangeError(`sequence length ${len} not in [1, ${this.capacity}]`);
    if (start < 0 || start + len > trace.size) {
      throw new RangeError(`sequence ${start}…${start + len - 1} outside the trace (${trace.size} jobs)`);
    }
    this.submit = trace.submit.subarray(start, start + len);
    this.run = trace.run.subarray(start, start + len);
    this.reqTime = trace.reqTime.subarray(start, start + len);
    this.procs = trace.procs.subarray(start, start + len);
    this.submitKey.k1 = this.submit;
    this.len = len;
    this.maxNodes = trace.maxNodes;
    // The original: Cluster(max_nodes, max_procs / max_nodes) with Python true division.
    this.procsPerNode = trace.maxProcs / trace.maxNodes;
    for (let k = 0; k < len; k++) {
      const need = Math.ceil(this.procs[k] / this.procsPerNode);
      if (need > this.maxNodes) {
        throw new RangeError(
          `job ${trace.jobId[start + k]} of ${trace.file} needs ${need} nodes but the machine has ${this.maxNodes}` +
            ' (the original code would wait forever)',
        );
      }
      this.nodes[k] = need;
    }
    this.backfill = backfill;
    this.reset();
  }

  /** Empty machine, queue = [first job], clock = its submit time. */
  reset(): void {
    this.queue.clear();
    this.running.clear();
    this.free = this.maxNodes;
    this.t = this.submit[0];
    this.queue.push(0);
    this.next = 1;
    this.started = 0;
    this.startTime.fill(-1, 0, this.len);
  }

  fits(j: number): boolean {
    return this.nodes[j] <= this.free;
  }

  /** Stable in-place sort of the waiting list by a key (Python `job_queue.sort(key=…)`). */
  sortQueue(key: SortKey): void {
    this.queue.sort(key);
  }

  /**
   * Start job j (waiting in the queue), waiting for its nodes first; then move forward until the
   * queue is non-empty. Returns true when every job of the sequence has started.
   */
  schedule(j: number): boolean {
    if (this.nodes[j] > this.free) {
      if (this.backfill) this.waitBackfilling(j);
      else this.waitPlain(j);
    }
    this.start(j);
    if (!this.queue.remove(j)) throw new Error(`job ${j} is not waiting`);
    return this.moveForwardForJob();
  }

  /** Done when the queue is empty and every job has been admitted. */
  get done(): boolean {
    return this.queue.length === 0 && this.next >= this.len;
  }

  private start(j: number): void {
    const t = this.t;
    this.startTime[j] = t;
    this.startOrder[this.started++] = j;
    this.free -= this.nodes[j];
    this.actualEnd[j] = t + this.run[j];
    this.estEnd[j] = t + this.reqTime[j];
    this.running.push(j);
  }

  private admit(): void {
    const j = this.next++;
    this.queue.push(j);
    const s = this.submit[j];
    if (s > this.t) this.t = s;
  }

  /** One event (rule 3): admit the next job if it arrives no later than the earliest actual end, else release. */
  event(): void {
    const r = this.running;
    if (r.length === 0) {
      // Only reachable when a chosen job can never fit (guarded in load) or the caller misuses the API.
      throw new Error('RlschedSim: event with nothing running');
    }
    r.sort(this.actualKey);
    const first = r.first();
    const e = this.actualEnd[first];
    if (this.next < this.len && this.submit[this.next] <= e) {
      this.admit();
    } else {
      r.shift();
      this.free += this.nodes[first];
      if (e > this.t) this.t = e;
    }
  }

  /** Rule 4.2: events until j fits. */
  private waitPlain(j: number): void {
    while (this.nodes[j] > this.free) this.event();
  }

  /** Rule 5: shadow time computed once, then backfill scans + events until j fits. */
  private waitBackfilling(j: number): void {
    const r = this.running;
    r.sort(this.estKey);
    let freeProcs = this.free * this.procsPerNode;
    let shadow = this.t;
    const need = this.procs[j];
    for (let i = 0; i < r.length; i++) {
      const x = r.at(i);
      freeProcs += this.nodes[x] * this.procsPerNode;
      shadow = this.estEnd[x];
      if (freeProcs >= need) break;
    }
    const q = this.queue;
    const mark = this.mark;
    while (this.nodes[j] > this.free) {
      q.sort(this.submitKey);
      let any = false;
      for (let i = 0; i < q.length; i++) {
        const x = q.at(i);
        if (this.t + this.reqTime[x] < shadow && this.nodes[x] <= this.free) {
          this.start(x);
          mark[x] = 1;
          any = true;
        }
      }
      if (any) {
        q.compact((x) => mark[x] === 0);
        for (let k = this.started - 1; k >= 0 && mark[this.startOrder[k]] === 1; k--) mark[this.startOrder[k]] = 0;
      }
      this.event();
    }
  }

  /** `moveforward_for_job`: returns true when done; otherwise leaves ≥ 1 job waiting. */
  private moveForwardForJob(): boolean {
    if (this.queue.length > 0) return false;
    if (this.next >= this.len) return true;
    const r = this.running;
    for (;;) {
      if (r.length === 0) {
        this.admit();
        return false;
      }
      r.sort(this.actualKey);
      const first = r.first();
      const e = this.actualEnd[first];
      if (this.submit[this.next] <= e) {
        this.admit();
        return false;
      }
      r.shift();
      this.free += this.nodes[first];
      if (e > this.t) this.t = e;
    }
  }

  /** Bounded slowdown of started job k (rule 8). */
  bsld(k: number): number {
    const run = this.run[k];
    return Math.max(1, (this.startTime[k] - this.submit[k] + run) / Math.max(run, 10));
  }

  /** Mean bounded slowdown, summed as the original does: bsld/L in start order. */
  meanBsld(): number {
    let s = 0;
    const L = this.len;
    for (let i = 0; i < this.started; i++) s += this.bsld(this.startOrder[i]) / L;
    return s;
  }
}
