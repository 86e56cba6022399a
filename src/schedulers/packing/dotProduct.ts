/**
 * Dot product (Tetris-style alignment; the FGD paper's DotProd baseline with its authors' settings
 * "merge" and "max"): the node minimising ⟨free, request⟩ / 2 over {CPU, GPU}, each dimension divided
 * by the largest node's capacity, GPU = the node's total free milli-GPU. Ties → lowest node index.
 * A share goes to the best-fit GPU of that node.
 */
import type { PackingPolicy } from '../../sim/packing/run';
import { bestFitGpu } from './gpuChoice';

export function dotProductPolicy(): PackingPolicy {
  return {
    name: 'dotprod',
    choose(c, specs, s, out) {
      const maxGpu = Math.max(1, c.maxGpusPerNode) * 1000;
      const rc = specs.cpu[s] / c.maxCpu;
      const rg = specs.gpuMilliTotal(s) / maxGpu;
      let best = Infinity;
      out.node = -1;
      for (let n = 0; n < c.numNodes; n++) {
        if (!c.canHost(n, specs, s)) continue;
        const dot = ((c.cpuFree[n] / c.maxCpu) * rc + (c.gpuFreeTotal(n) / maxGpu) * rg) / 2;
        if (dot < best) {
          best = dot;
          out.node = n;
        }
      }
      if (out.node < 0) return false;
      out.gpu = specs.isShare(s) ? bestFitGpu(c, out.node, specs.milli[s]) : -1;
      return true;
    },
  };
}
