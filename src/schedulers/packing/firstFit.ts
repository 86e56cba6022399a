/** First fit: the lowest-index node that fits, and its first GPU that fits (a baseline). */
import type { PackingPolicy } from '../../sim/packing/run';
import { firstFitGpu } from './gpuChoice';

export function firstFitPolicy(): PackingPolicy {
  return {
    name: 'firstfit',
    choose(c, specs, s, out) {
      for (let n = 0; n < c.numNodes; n++) {
        if (!c.canHost(n, specs, s)) continue;
        out.node = n;
        out.gpu = specs.isShare(s) ? firstFitGpu(c, n, specs.milli[s]) : -1;
        return true;
      }
      return false;
    },
  };
}
