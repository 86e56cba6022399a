/**
 * The largest magnitudes the simulator represents exactly. Inputs beyond them are
 * refused at the boundary (loaders, cluster files, options) with a message, instead
 * of wrapping around in a typed array or losing precision in a float.
 *
 * - GPU counts: the simulator keeps one Int32 entry per cluster GPU and per-job GPU
 *   counts in an Int32Array, so a count must stay well inside 2^31; the cluster-wide
 *   cap also bounds memory (4 bytes × 3 arrays per GPU).
 * - Times: seconds in float64; below 2^33 s (≈ 272 years) a float64 still resolves
 *   2 µs, so sums of submit + duration stay exact to far below a second.
 */
export const MAX_CLUSTER_GPUS = 1 << 24;
export const MAX_CLUSTER_NODES = 1 << 20;
/** GPUs of one job: a job larger than any cluster we can build can never fit (= MAX_CLUSTER_GPUS). */
export const MAX_JOB_GPUS = 1 << 24;
/** Seconds: durations, (rebased) submit times, horizons. */
export const MAX_SECONDS = 2 ** 33;
/** CPUs and MiB per node or job (float64, exact integers far beyond any machine). */
export const MAX_RESOURCE = 2 ** 40;

/** "16,777,216" — limits quoted in messages. */
export function fmtLimit(x: number): string {
  return x.toLocaleString('en-US');
}
