/**
 * Best fit (the FGD paper's BestFit baseline, as its authors' simulator scores it): the node with the
 * least free resources left after placing the pod, Σ_i w_i (free_i − request_i) / max_i over i ∈
 * {CPU, GPU} with w = 0.5 each, GPU = the node's total free milli-GPU, max_i = the largest node's
 * capacity of i. Ties → lowest node index. A share goes to the best-fit GPU of that node.
 */
import type { PackingPolicy } from '../../sim/packing/run';
import { bestFitGpu } from './gpuChoice';

export function bestFitPolicy(): PackingPolicy {
  return {
    name: 'bestfit',
    choose(c, specs, s, out) {
      const maxGpu = Math.max(1, c.maxGpusPerNode) * 1000;
      const req = specs.gpuMilliTotal(s);
      let best = Infinity;
      out.node = -1;
      for (let n = 0; n < c.numNodes; n++) {
        if (!c.canHost(n, specs, s)) continue;
        const left = (0.5 * (c.cpuFree[n] - specs.cpu[s])) / c.maxCpu + (0.5 * (c.gpuFreeTotal(n) - req)) / maxGpu;
        if (left < best) {
          best = left;
          out.node = n;
        }
      }
      if (out.node < 0) return false;
      out.gpu = specs.isShare(s) ? bestFitGpu(c, out.node, specs.milli[s]) : -1;
      return true;
    },
  };
}
