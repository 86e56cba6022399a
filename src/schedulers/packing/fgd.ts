/**
 * Fragmentation Gradient Descent (Weng et al., USENIX ATC'23, §5): place the pod where the
 * cluster's expected fragmentation F(M) under the target workload M grows least. Only the chosen
 * node's F_n(M) changes, so the step is argmin over feasible nodes n (and, for a share, over the
 * GPUs g of n that fit) of Δ = F_{n'}(M) − F_n(M), n' = n with the pod placed (on g).
 *
 * Exact Δ (the authors' simulator rounds a sigmoid of Δ to an integer score 0–100 and lets the
 * Kubernetes framework break the resulting ties at random); ties here → lowest node index, and
 * inside a node → the GPU with the smallest free share (then lowest index). Whole-GPU pods take the
 * node's lowest-index idle GPUs, as PackingCluster.place does. Δ is memoised per (interned node
 * state, pod spec): identical nodes (e.g. the many idle 8-GPU nodes) are scored once.
 */
import type { PackingCluster } from '../../sim/packing/cluster';
import { MILLI } from '../../sim/packing/cluster';
import type { FragmentationModel } from '../../sim/packing/fragmentation';
import type { PackingPolicy } from '../../sim/packing/run';
import type { PodSpecs } from '../../sim/packing/specs';

/** Δ F_n(M) of placing spec s on node n and the free share of the GPU it takes (-1: not a share). */
export interface FgdStep {
  delta: number;
  level: number;
}

/** The best placement of spec s on node n (which must fit) under FGD's rule; `scratch` ≥ the node's GPU count. */
export function fgdNodeStep(
  c: PackingCluster,
  specs: PodSpecs,
  s: number,
  n: number,
  frag: FragmentationModel,
  scratch: Int32Array,
  out: FgdStep,
): void {
  const base = frag.ofNode(c, n);
  const o = c.gpuOffset[n];
  const cnt = c.gpuCount[n];
  const cpu = c.cpuFree[n] - specs.cpu[s];
  const mem = c.memFree[n] - specs.mem[s];
  const need = specs.milli[s];
  out.delta = Infinity;
  out.level = -1;
  if (specs.isShare(s)) {
    for (let g = 0; g < cnt; g++) {
      const level = c.gpuFree[o + g];
      if (level < need) continue;
      scratch.set(c.gpuFree.subarray(o, o + cnt));
      scratch[g] = level - need;
      const d = frag.ofState(c.typeId[n], cpu, mem, scratch, 0, cnt) - base;
      if (d < out.delta || (d === out.delta && level < out.level)) {
        out.delta = d;
        out.level = level;
      }
    }
    return;
  }
  scratch.set(c.gpuFree.subarray(o, o + cnt));
  let left = specs.numGpu[s];
  for (let g = 0; g < cnt && left > 0; g++)
    if (scratch[g] === MILLI) {
      scratch[g] = 0;
      left--;
    }
  out.delta = frag.ofState(c.typeId[n], cpu, mem, scratch, 0, cnt) - base;
}

export function fgdPolicy(frag: FragmentationModel): PackingPolicy {
  const deltas = new Map<number, number>();
  const levels = new Map<number, number>();
  const step: FgdStep = { delta: 0, level: -1 };
  let scratch = new Int32Array(8);
  let bound: PackingCluster | null = null;
  return {
    name: 'fgd',
    choose(c, specs, s, out) {
      if (bound !== c) {
        // Memo keys are state ids of one cluster instance.
        bound = c;
        deltas.clear();
        levels.clear();
        scratch = new Int32Array(Math.max(1, c.maxGpusPerNode));
      }
      let best = Infinity;
      let bestLevel = -1;
      out.node = -1;
      for (let n = 0; n < c.numNodes; n++) {
        if (!c.canHost(n, specs, s)) continue;
        const key = c.stateId[n] * specs.count + s;
        let d = deltas.get(key);
        let level: number;
        if (d === undefined) {
          fgdNodeStep(c, specs, s, n, frag, scratch, step);
          d = step.delta;
          level = step.level;
          deltas.set(key, d);
          levels.set(key, level);
        } else level = levels.get(key) as number;
        if (d < best) {
          best = d;
          bestLevel = level;
          out.node = n;
        }
      }
      if (out.node < 0) return false;
      out.gpu = -1;
      if (specs.isShare(s)) {
        const o = c.gpuOffset[out.node];
        for (let g = 0; g < c.gpuCount[out.node]; g++)
          if (c.gpuFree[o + g] === bestLevel) {
            out.gpu = g;
            break;
          }
      }
      return true;
    },
  };
}
