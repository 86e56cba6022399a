import { ClusterState, EPS, GPU_MILLI } from './clusterState';

/**
 * Placement strategies: WHERE a job goes once the policy decided THAT it starts.
 * - first-fit:   lowest-index node that can hold the whole gang; else span nodes in index order.
 * - best-fit:    the node left with the fewest idle GPUs (packs, limits fragmentation); else span
 *                the nodes with the most room first (fewest nodes).
 * - consolidate: like best-fit, but a gang that fits on one node never spans nodes: it waits
 *                (Tiresias/Gandiva-style consolidation for communication-heavy jobs).
 * - spread:      the node with the most idle GPUs (balances load, worst-fit).
 * Each function writes the chosen GPU (or node) indices into `out` and returns their count,
 * or -1 if the job does not fit now. They never change the state.
 */
export type PlacementName = 'first-fit' | 'best-fit' | 'consolidate' | 'spread';
export const PLACEMENTS: readonly PlacementName[] = ['first-fit', 'best-fit', 'consolidate', 'spread'];

function typeOk(s: ClusterState, node: number, typeMask: number): boolean {
  return typeMask === 0 || (s.nodeTypeBit[node] & typeMask) !== 0;
}

/** Whole GPUs of `node` that a job with per-GPU cpu/mem demand could take now. */
function room(s: ClusterState, node: number, cpuPer: number, memPer: number): number {
  let k = s.nodeIdleGpus[node];
  if (cpuPer > 0) k = Math.min(k, Math.floor((s.nodeFreeCpu[node] + EPS) / cpuPer));
  if (memPer > 0) k = Math.min(k, Math.floor((s.nodeFreeMem[node] + EPS) / memPer));
  return k;
}

function takeIdle(s: ClusterState, node: number, count: number, out: Int32Array, at: number): void {
  for (let g = s.nodeGpuStart[node]; count > 0; g++) {
    if (s.gpuFree[g] === GPU_MILLI) {
      out[at++] = g;
      count--;
    }
  }
}

let order = new Int32Array(64);
let orderRoom = new Int32Array(64);

/** Gang of `gpus` whole GPUs. */
export function placeWhole(
  s: ClusterState,
  strategy: PlacementName,
  gpus: number,
  cpuPer: number,
  memPer: number,
  typeMask: number,
  out: Int32Array,
): number {
  if (gpus > s.idleGpus || typeMask === -1) return -1;
  let best = -1;
  let bestKey = 0;
  for (let n = 0; n < s.nodes; n++) {
    if (!typeOk(s, n, typeMask)) continue;
    const k = room(s, n, cpuPer, memPer);
    if (k < gpus) continue;
    if (strategy === 'first-fit') {
      best = n;
      break;
    }
    const idle = s.nodeIdleGpus[n];
    const better = strategy === 'spread' ? idle > bestKey : idle < bestKey;
    if (best < 0 || better) {
      best = n;
      bestKey = idle;
    }
  }
  if (best >= 0) {
    takeIdle(s, best, gpus, out, 0);
    return gpus;
  }
  // No single node: span several, unless consolidation forbids splitting a gang that could fit on one.
  if (strategy === 'consolidate' && gpus <= s.maxNodeGpus) return -1;
  let total = 0;
  let m = 0;
  if (order.length < s.nodes) {
    order = new Int32Array(s.nodes);
    orderRoom = new Int32Array(s.nodes);
  }
  for (let n = 0; n < s.nodes; n++) {
    if (!typeOk(s, n, typeMask)) continue;
    const k = room(s, n, cpuPer, memPer);
    if (k <= 0) continue;
    order[m] = n;
    orderRoom[m++] = k;
    total += k;
  }
  if (total < gpus) return -1;
  if (strategy !== 'first-fit') sortByRoomDesc(m);
  let need = gpus;
  let at = 0;
  for (let i = 0; i < m && need > 0; i++) {
    const take = Math.min(need, orderRoom[i]);
    takeIdle(s, order[i], take, out, at);
    at += take;
    need -= take;
  }
  return gpus;
}

/** Insertion sort of the first m candidates by room desc, then node index asc (deterministic). */
function sortByRoomDesc(m: number): void {
  for (let i = 1; i < m; i++) {
    const n = order[i];
    const k = orderRoom[i];
    let j = i - 1;
    while (j >= 0 && (orderRoom[j] < k || (orderRoom[j] === k && order[j] > n))) {
      order[j + 1] = order[j];
      orderRoom[j + 1] = orderRoom[j];
      j--;
    }
    order[j + 1] = n;
    orderRoom[j + 1] = k;
  }
}

/** A fractional share (`milli` < 1000) of one GPU. */
export function placeShare(
  s: ClusterState,
  strategy: PlacementName,
  milli: number,
  cpu: number,
  mem: number,
  typeMask: number,
  out: Int32Array,
): number {
  if (typeMask === -1) return -1;
  let best = -1;
  let bestFree = 0;
  for (let n = 0; n < s.nodes; n++) {
    if (!typeOk(s, n, typeMask)) continue;
    if (s.nodeFreeCpu[n] + EPS < cpu || s.nodeFreeMem[n] + EPS < mem) continue;
    for (let g = s.nodeGpuStart[n]; g < s.nodeGpuStart[n + 1]; g++) {
      const f = s.gpuFree[g];
      if (f < milli) continue;
      if (strategy === 'first-fit') {
        out[0] = g;
        return 1;
      }
      const better = strategy === 'spread' ? f > bestFree : f < bestFree;
      if (best < 0 || better) {
        best = g;
        bestFree = f;
      }
    }
  }
  if (best < 0) return -1;
  out[0] = best;
  return 1;
}

/** A job with no GPU: CPUs and memory on one node. Writes the node index. */
export function placeCpuOnly(
  s: ClusterState,
  strategy: PlacementName,
  cpu: number,
  mem: number,
  out: Int32Array,
): number {
  let best = -1;
  let bestFree = 0;
  for (let n = 0; n < s.nodes; n++) {
    const f = s.nodeFreeCpu[n];
    if (f + EPS < cpu || s.nodeFreeMem[n] + EPS < mem) continue;
    if (strategy === 'first-fit') {
      out[0] = n;
      return 1;
    }
    const better = strategy === 'spread' ? f > bestFree : f < bestFree;
    if (best < 0 || better) {
      best = n;
      bestFree = f;
    }
  }
  if (best < 0) return -1;
  out[0] = best;
  return 1;
}
