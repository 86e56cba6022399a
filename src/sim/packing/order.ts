/**
 * Pod orders of the packing mode, as the FGD paper's workload-inflation experiment builds them
 * (authors' simulator: TunePodsByNodeTotalResource, then --shuffle-pod): start from every pod of the
 * file; while the total GPU request is below ratio × cluster GPU capacity, append a pod drawn
 * uniformly with replacement from the file, stopping before the one that would exceed it (above the
 * target, remove pods drawn uniformly instead); then shuffle (Fisher–Yates). The seed fixes all of
 * it, so every policy sees the identical sequence for a seed.
 */
import { Rng } from '../../util/rng';
import type { PodSpecs } from './specs';

export function inflatedOrder(
  podSpec: Int32Array,
  specs: PodSpecs,
  capacityMilli: number,
  ratio: number,
  seed: number,
): Int32Array {
  if (!(ratio > 0)) throw new RangeError(`inflation ratio must be > 0 (got ${ratio})`);
  const rng = new Rng(seed);
  const target = ratio * capacityMilli;
  const pods = Array.from(podSpec);
  let total = 0;
  for (const s of pods) total += specs.gpuMilliTotal(s);
  if (total > target) {
    while (total > target && pods.length > 0) {
      const i = rng.int(0, pods.length);
      total -= specs.gpuMilliTotal(pods[i]);
      pods.splice(i, 1);
    }
  } else {
    for (;;) {
      const s = podSpec[rng.int(0, podSpec.length)];
      if (total + specs.gpuMilliTotal(s) > target) break;
      total += specs.gpuMilliTotal(s);
      pods.push(s);
    }
  }
  const out = Int32Array.from(pods);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
