/**
 * The fragmentation measure of Weng et al., "Beware of Fragmentation" (USENIX ATC'23), §4.
 *
 * For a node n and a task m (a pod spec), F_n(m) is the GPU capacity of n that m cannot use:
 *  - m asks for no GPU (CPU-only task), or n's GPU model is not allowed for m, or m does not fit on
 *    n (not enough CPU, memory, or GPUs with a free share ≥ m's per-GPU request): ALL free GPU
 *    capacity of n is fragmented, F_n(m) = Σ_g R_g;
 *  - m fits on n: the GPUs whose free share is too small for m are fragmented,
 *    F_n(m) = Σ_{g : R_g < d_m} R_g, with d_m = m's per-GPU milli (1000 for whole-GPU tasks).
 * A target workload M (task specs with popularity p_m, from the trace) gives the node's expected
 * fragmentation F_n(M) = Σ_m p_m F_n(m) and the cluster's F(M) = Σ_n F_n(M), all in milli-GPU.
 *
 * Memory in the fit test is our reading of the paper's "insufficient resources"; the authors'
 * simulator (hkust-adsl/kubernetes-scheduler-simulator, utils/frag.go) checks CPU and GPU only.
 */
import type { PackingCluster } from './cluster';
import { ANY_TYPE, type PodSpecs } from './specs';

/** F_n(m) for an explicit node state; `gpus[off .. off+count)` are its free shares (milli). */
export function taskFragmentation(
  typeId: number,
  cpuFree: number,
  memFree: number,
  gpus: Int32Array,
  off: number,
  count: number,
  specs: PodSpecs,
  m: number,
): number {
  let total = 0;
  for (let g = off; g < off + count; g++) total += gpus[g];
  if (total === 0) return 0;
  const need = specs.milli[m];
  if (need === 0) return total;
  const mask = specs.typeMask[m];
  if (mask !== ANY_TYPE && !(typeId >= 0 && ((mask >>> typeId) & 1) === 1)) return total;
  if (cpuFree < specs.cpu[m] || memFree < specs.mem[m]) return total;
  let fit = 0;
  let small = 0;
  for (let g = off; g < off + count; g++) {
    const r = gpus[g];
    if (r >= need) fit++;
    else small += r;
  }
  return fit >= specs.numGpu[m] ? small : total;
}

/** The target workload M and F_n(M), memoised per interned node state. */
export class FragmentationModel {
  /** Spec ids with p_m > 0 and their popularity. */
  readonly tasks: Int32Array;
  readonly weights: Float64Array;
  /** Per cluster instance: interned state ids are only meaningful within one PackingCluster. */
  private readonly memos = new WeakMap<PackingCluster, Map<number, number>>();

  constructor(
    readonly specs: PodSpecs,
    popularity: Float64Array,
  ) {
    const ids: number[] = [];
    for (let s = 0; s < popularity.length; s++) if (popularity[s] > 0) ids.push(s);
    this.tasks = Int32Array.from(ids);
    this.weights = Float64Array.from(ids, (s) => popularity[s]);
  }

  /** F_n(M) of an explicit node state (milli-GPU). */
  ofState(typeId: number, cpuFree: number, memFree: number, gpus: Int32Array, off: number, count: number): number {
    let f = 0;
    for (let i = 0; i < this.tasks.length; i++)
      f += this.weights[i] * taskFragmentation(typeId, cpuFree, memFree, gpus, off, count, this.specs, this.tasks[i]);
    return f;
  }

  /** F_n(M) of node n of the cluster as it is now (memoised by the node's interned state). */
  ofNode(c: PackingCluster, n: number): number {
    let memo = this.memos.get(c);
    if (!memo) this.memos.set(c, (memo = new Map()));
    const id = c.stateId[n];
    let f = memo.get(id);
    if (f === undefined) {
      f = this.ofState(c.typeId[n], c.cpuFree[n], c.memFree[n], c.gpuFree, c.gpuOffset[n], c.gpuCount[n]);
      memo.set(id, f);
    }
    return f;
  }

  /** F(M) of the whole cluster (milli-GPU). */
  ofCluster(c: PackingCluster): number {
    let f = 0;
    for (let n = 0; n < c.numNodes; n++) f += this.ofNode(c, n);
    return f;
  }
}
