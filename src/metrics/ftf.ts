import { JobStatus, type SimResult } from '../sim/result';
import { isFinished } from './perjob';

/**
 * Finish-time fairness (Themis, Mahajan et al., NSDI 2020): ρ = T_sh / T_id.
 *   T_sh = JCT_i, the finish time in the shared cluster (from submit).
 *   T_id = the JCT the job would have alone on a 1/N share of the cluster:
 *          duration_i × max(1, N̄_i · g_i / C)
 *     with g_i = gpus_i + gpuShare_i its GPU demand, C the cluster's GPUs, and
 *     N̄_i = (1 / JCT_i) ∫_{submit_i}^{finish_i} n(t) dt the time-averaged number
 *     of jobs in the system (submitted, not rejected, not yet finished, job i
 *     included, so N̄_i >= 1). A job whose demand fits in its share C / N̄_i runs
 *     at full speed there (T_id = duration); a larger one is slowed in proportion.
 * ρ <= 1: the job did at least as well as under an equal 1/N partition.
 * NaN for unfinished jobs and when duration or JCT is 0 (nothing to compare).
 */
export function finishTimeFairness(r: SimResult): Float64Array {
  const n = r.jobs.length;
  const area = activeJobArea(r);
  const cap = r.capacity.gpus;
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (!isFinished(r, i)) continue;
    const job = r.jobs[i];
    const jct = r.finish[i] - job.submit;
    if (!(job.duration > 0) || !(jct > 0)) continue;
    const nAvg = (area(r.finish[i]) - area(job.submit)) / jct;
    const demand = job.gpus + job.gpuShare;
    const share = cap > 0 ? (nAvg * demand) / cap : 0;
    out[i] = jct / (job.duration * Math.max(1, share));
  }
  return out;
}

/**
 * A(q) = ∫_{-∞}^{q} n(t) dt for the count n(t) of jobs in the system: +1 at
 * every non-rejected submit, −1 at every finish. Built once in O(n log n);
 * each query is a binary search.
 */
export function activeJobArea(r: SimResult): (q: number) => number {
  const n = r.jobs.length;
  const ups: number[] = [];
  const downs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (r.status[i] === JobStatus.Rejected) continue;
    ups.push(r.jobs[i].submit);
    if (isFinished(r, i)) downs.push(r.finish[i]);
  }
  const up = Float64Array.from(ups).sort();
  const down = Float64Array.from(downs).sort();
  const m = up.length + down.length;
  const time = new Float64Array(m);
  const count = new Float64Array(m); // jobs in system right after event k
  const acc = new Float64Array(m); // A(time[k])
  let a = 0;
  let b = 0;
  let active = 0;
  let area = 0;
  for (let k = 0; k < m; k++) {
    const isUp = b >= down.length || (a < up.length && up[a] <= down[b]);
    const t = isUp ? up[a++] : down[b++];
    if (k > 0) area += active * (t - time[k - 1]);
    active += isUp ? 1 : -1;
    time[k] = t;
    count[k] = active;
    acc[k] = area;
  }
  return (q: number): number => {
    // last k with time[k] <= q
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (time[mid] <= q) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    return k < 0 ? 0 : acc[k] + count[k] * (q - time[k]);
  };
}
