import type { OracleScheduler, OracleSimContext } from '../sim/scheduler';
import type { Job } from '../workload/job';
import { boolOption, cannotFit, ClassBlocks, demandClasses, gpuAmount, minWholeGpus } from './common';
import { RunningEnds, runTimeOf } from './backfill';
import { MinTree } from './minTree';

/**
 * EASY backfilling (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995; analysed by
 * Mu'alem & Feitelson, IEEE TPDS 2001). Jobs start in FIFO order while they fit. The
 * first one that does not (the head) gets a reservation at the shadow time: the earliest
 * believed end of running jobs at which the idle GPUs plus the GPUs those jobs free reach
 * the head's demand; `extra` = GPUs free at the shadow time beyond that demand. Any later
 * job that fits now may then start (backfill) if it would end by the shadow time, or if
 * it needs no more than `extra` GPUs (which it then consumes). Run times are the oracle
 * durations (ctx.expectedFinish for running jobs), or job.estimate with the option
 * useEstimates (EASY as deployed: estimates are user wall-time limits). GPUs are the
 * reserved resource: a head blocked only by CPU/memory gets a reservation at the next
 * believed completion. Non-preemptive. Options: useEstimates (default false).
 *
 * Speed on long queues: the backfill pass does not walk the whole queue; per demand
 * class it jumps to the next job short enough to end by the shadow time (or any job, if
 * the class fits in `extra`) with BackfillIndex, and drops a class once a job of it does
 * not fit (resources only shrink within the call).
 */
export function easy(opts?: Record<string, unknown>): OracleScheduler {
  const useEstimates = boolOption(opts, 'useEstimates', false);
  const running = new RunningEnds();
  const backfill = new BackfillIndex();
  let bound = 0; // see minWholeGpus: below it nothing can start
  return {
    name: 'easy',
    oracle: true,
    preemptive: false,
    reset(jobs) {
      bound = minWholeGpus(jobs);
      backfill.reset(jobs, useEstimates);
    },
    schedule(ctx: OracleSimContext) {
      backfill.sync(ctx);
      if (ctx.freeGpus < bound) return;
      const jobs = ctx.jobs;
      const w = ctx.waitingCount;
      let i = 0;
      while (i < w) {
        const j = ctx.waitingAt(i);
        if (cannotFit(ctx, jobs[j]) || !ctx.tryStart(j)) break;
        backfill.started(j);
        i++;
      }
      if (i >= w || ctx.freeGpus < bound) return;
      const headIndex = ctx.waitingAt(i);
      const headJob = jobs[headIndex];
      // Shadow time: walk believed completions until enough GPUs would be idle.
      running.collect(ctx, useEstimates);
      const need = gpuAmount(headJob);
      let avail = ctx.freeGpus;
      let shadow = Infinity;
      let extra = 0;
      for (let k = 0; k < running.count;) {
        const t = running.ends[k];
        while (k < running.count && running.ends[k] === t) avail += running.gpus[k++];
        if (avail >= need || k === running.count) {
          shadow = t;
          extra = Math.max(0, avail - need);
          break;
        }
      }
      const now = ctx.now;
      // Backfill: every later job that fits and ends by the shadow time or fits in `extra`.
      const tryBackfill = (j: number): Backfill => {
        const job = jobs[j];
        if (cannotFit(ctx, job)) return Backfill.NoFit;
        if (now + runTimeOf(job, useEstimates) <= shadow) return ctx.tryStart(j) ? Backfill.Started : Backfill.NoFit;
        const g = gpuAmount(job);
        if (g > extra) return Backfill.NotEligible;
        if (!ctx.tryStart(j)) return Backfill.NoFit;
        extra -= g;
        return Backfill.Started;
      };
      if (!backfill.indexed) {
        for (i++; i < w && ctx.freeGpus >= bound; i++) tryBackfill(ctx.waitingAt(i));
        return;
      }
      backfill.scan(ctx, headIndex, now, shadow, () => extra, bound, tryBackfill);
    },
  };
}

const enum Backfill {
  Started,
  /** The job does not fit now (nor will any job of its demand class in this call). */
  NoFit,
  /** Fits, but would delay the head's reservation. */
  NotEligible,
}

/** Above this many demand classes the backfill scan walks the queue instead. */
const MAX_INDEXED_CLASSES = 64;

/**
 * The waiting jobs by demand class (demandClasses), for a backfill scan that skips the
 * jobs that cannot be backfilled: a job qualifies if it ends by the shadow time (run time
 * <= shadow - now) or its class needs no more than `extra` GPUs. Each class's jobs sit
 * at fixed positions (arrival order) of a MinTree holding the run time of those waiting
 * and +Infinity for the others, so the next qualifying job of a class is one query.
 */
class BackfillIndex {
  indexed = false;
  private classOf: Int32Array = new Int32Array(0);
  private posOf = new Int32Array(0); // position of a job within its class
  private members: Int32Array[] = []; // each class's jobs in index order
  private trees: MinTree[] = [];
  private runTime = new Float64Array(0);
  private gpus = new Float64Array(0); // GPU amount per class
  private cursor = new Int32Array(0);
  private readonly blocks = new ClassBlocks();
  private live = 0;
  private seen = -1;

  reset(jobs: readonly Job[], useEstimates: boolean): void {
    const classes = demandClasses(jobs);
    this.indexed = classes.count <= MAX_INDEXED_CLASSES;
    this.live = 0;
    this.seen = -1;
    if (!this.indexed) return;
    const n = jobs.length;
    const c = classes.count;
    this.classOf = classes.classOf;
    this.posOf = new Int32Array(n);
    this.runTime = new Float64Array(n);
    this.gpus = new Float64Array(c);
    const sizes = new Int32Array(c);
    for (let j = 0; j < n; j++) {
      const k = this.classOf[j];
      this.posOf[j] = sizes[k]++;
      this.runTime[j] = runTimeOf(jobs[j], useEstimates);
      this.gpus[k] = gpuAmount(jobs[j]);
    }
    this.members = [];
    for (let k = 0; k < c; k++) this.members.push(new Int32Array(sizes[k]));
    for (let j = 0; j < n; j++) this.members[this.classOf[j]][this.posOf[j]] = j;
    this.trees = this.members.map((m) => new MinTree(m.length));
    this.cursor = new Int32Array(c);
    this.blocks.reset(c);
  }

  /** Takes in new arrivals (rebuilding if the queue changed behind the policy's back). */
  sync(ctx: OracleSimContext): void {
    if (!this.indexed) return;
    const w = ctx.waitingCount;
    let first = w;
    while (first > 0 && ctx.waitingAt(first - 1) > this.seen) first--;
    for (let i = first; i < w; i++) this.set(ctx.waitingAt(i), true);
    if (first < w) this.seen = ctx.waitingAt(w - 1);
    if (this.live !== w) {
      for (let k = 0; k < this.members.length; k++) {
        this.trees[k] = new MinTree(this.members[k].length);
      }
      this.live = 0;
      for (let i = 0; i < w; i++) this.set(ctx.waitingAt(i), true);
    }
  }

  started(j: number): void {
    if (this.indexed) this.set(j, false);
  }

  private set(j: number, waiting: boolean): void {
    this.trees[this.classOf[j]].set(this.posOf[j], waiting ? this.runTime[j] : Infinity);
    this.live += waiting ? 1 : -1;
  }

  /**
   * Offers `tryBackfill` every waiting job after `headIndex` that may qualify, in index
   * order (the others would be NotEligible); after a NoFit its class is skipped.
   */
  scan(
    ctx: OracleSimContext,
    headIndex: number,
    now: number,
    shadow: number,
    extra: () => number,
    bound: number,
    tryBackfill: (j: number) => Backfill,
  ): void {
    const classes = this.members.length;
    // Jobs ending by the shadow time have run time <= shadow - now, up to rounding: the
    // slack admits a few extra candidates, which tryBackfill then checks exactly.
    const slack = (Math.abs(shadow) + Math.abs(now)) * 1e-12;
    const short = Math.min(shadow - now + slack, Number.MAX_VALUE);
    this.blocks.next();
    for (let c = 0; c < classes; c++) {
      // First position after the head (positions are in index order).
      const m = this.members[c];
      let lo = 0;
      let hi = m.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (m[mid] <= headIndex) lo = mid + 1;
        else hi = mid;
      }
      this.cursor[c] = lo;
    }
    while (ctx.freeGpus >= bound) {
      let best = -1;
      let bestPos = -1;
      for (let c = 0; c < classes; c++) {
        if (this.cursor[c] < 0 || this.blocks.blocked(c)) continue;
        const limit = this.gpus[c] <= extra() ? Number.MAX_VALUE : short;
        const pos = this.trees[c].firstAtMost(this.cursor[c], limit);
        if (pos < 0) {
          this.cursor[c] = -1; // extra only shrinks: nothing further qualifies
          continue;
        }
        if (best < 0 || this.members[c][pos] < this.members[best][bestPos]) {
          best = c;
          bestPos = pos;
        }
      }
      if (best < 0) return;
      const j = this.members[best][bestPos];
      this.cursor[best] = bestPos + 1;
      const outcome = tryBackfill(j);
      if (outcome === Backfill.NoFit) this.blocks.block(best);
      else if (outcome === Backfill.Started) this.started(j);
    }
  }
}
