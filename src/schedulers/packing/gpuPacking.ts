/**
 * GPU packing (the FGD paper's GpuPacking baseline, tiers as its authors' simulator scores them),
 * highest score wins, ties → lowest node index:
 *  1. the pod fits on already-used GPUs only (best-fit GPUs, no idle GPU needed):
 *     100 − (free share of the chosen GPUs in %) / 10, at least 50;
 *  2. it needs idle GPUs on a node that is already in use: 50 − idle GPUs taken, at least 100/3;
 *  3. the node is entirely idle: 100/3 − its GPU count.
 * CPU-only pods score 0 everywhere (→ first fitting node).
 */
import type { PackingPolicy } from '../../sim/packing/run';
import { MILLI } from '../../sim/packing/cluster';
import { bestFitGpu } from './gpuChoice';

export function gpuPackingPolicy(): PackingPolicy {
  return {
    name: 'gpupacking',
    choose(c, specs, s, out) {
      const k = specs.numGpu[s];
      const need = specs.milli[s];
      let best = -Infinity;
      out.node = -1;
      for (let n = 0; n < c.numNodes; n++) {
        if (!c.canHost(n, specs, s)) continue;
        let score = 0;
        if (k > 0) {
          const idle = c.idleGpus(n);
          if (idle === c.gpuCount[n]) score = 100 / 3 - idle;
          else if (need === MILLI) score = Math.max(100 / 3, 50 - k);
          else {
            const g = bestFitGpu(c, n, need);
            const free = c.gpuFree[c.gpuOffset[n] + g];
            score = free === MILLI ? Math.max(100 / 3, 50 - 1) : Math.max(50, 100 - free / 100);
          }
        }
        if (score > best) {
          best = score;
          out.node = n;
        }
      }
      if (out.node < 0) return false;
      out.gpu = specs.isShare(s) ? bestFitGpu(c, out.node, need) : -1;
      return true;
    },
  };
}
