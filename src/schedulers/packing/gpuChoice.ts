/** GPU selection inside a node for a pod asking for a share of one GPU (shared by the packing policies). */
import type { PackingCluster } from '../../sim/packing/cluster';

/** Index (within node n) of the GPU with the least free share that still fits `need`; ties → lowest index. -1 if none. */
export function bestFitGpu(c: PackingCluster, n: number, need: number): number {
  const o = c.gpuOffset[n];
  let best = -1;
  let bestFree = Infinity;
  for (let g = 0; g < c.gpuCount[n]; g++) {
    const f = c.gpuFree[o + g];
    if (f >= need && f < bestFree) {
      best = g;
      bestFree = f;
    }
  }
  return best;
}

/** Index (within node n) of the first GPU whose free share fits `need`. -1 if none. */
export function firstFitGpu(c: PackingCluster, n: number, need: number): number {
  const o = c.gpuOffset[n];
  for (let g = 0; g < c.gpuCount[n]; g++) if (c.gpuFree[o + g] >= need) return g;
  return -1;
}
