import type { OracleSimContext } from '../sim/scheduler';
import type { Job } from '../workload/job';
import { ensureFloat64, ensureInt32, gpuAmount } from './common';

/**
 * What the backfilling policies believe about run times: the oracle duration, or the
 * user's estimate (job.estimate, falling back to the duration when a job has none).
 */
export function runTimeOf(job: Job, useEstimates: boolean): number {
  return useEstimates ? (job.estimate ?? job.duration) : job.duration;
}

/**
 * Running jobs sorted by believed end time, for building GPU availability profiles.
 * Oracle mode uses ctx.expectedFinish; estimate mode assumes a job ends when its
 * estimate is used up (now, if it has overrun it).
 */
export class RunningEnds {
  ends: Float64Array = new Float64Array(64);
  gpus: Float64Array = new Float64Array(64);
  count = 0;
  private ids: Int32Array = new Int32Array(64);
  private keys = new Float64Array(0);

  collect(ctx: OracleSimContext, useEstimates: boolean): void {
    const r = ctx.runningCount;
    const n = ctx.jobs.length;
    if (this.keys.length < n) this.keys = new Float64Array(n);
    this.ids = ensureInt32(this.ids, r);
    this.ends = ensureFloat64(this.ends, r);
    this.gpus = ensureFloat64(this.gpus, r);
    const keys = this.keys;
    for (let i = 0; i < r; i++) {
      const j = ctx.runningAt(i);
      this.ids[i] = j;
      keys[j] = useEstimates
        ? ctx.now + Math.max(0, runTimeOf(ctx.jobs[j], true) - ctx.executed(j))
        : ctx.expectedFinish(j);
    }
    this.ids.subarray(0, r).sort((a, b) => keys[a] - keys[b] || a - b);
    for (let i = 0; i < r; i++) {
      const j = this.ids[i];
      this.ends[i] = keys[j];
      this.gpus[i] = gpuAmount(ctx.jobs[j]);
    }
    this.count = r;
  }
}
