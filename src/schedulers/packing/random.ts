/** Random: a node drawn uniformly among those that fit, and a GPU drawn uniformly among its GPUs that fit (the paper's Random). */
import type { PackingPolicy } from '../../sim/packing/run';
import type { Rng } from '../../util/rng';

export function randomPolicy(rng: Rng): PackingPolicy {
  return {
    name: 'random',
    choose(c, specs, s, out) {
      let seen = 0;
      for (let n = 0; n < c.numNodes; n++) {
        if (!c.canHost(n, specs, s)) continue;
        // Reservoir sampling: one pass, uniform over the feasible nodes, no allocation.
        if (rng.int(0, ++seen) === 0) out.node = n;
      }
      if (seen === 0) return false;
      out.gpu = -1;
      if (specs.isShare(s)) {
        const need = specs.milli[s];
        const o = c.gpuOffset[out.node];
        let k = 0;
        for (let g = 0; g < c.gpuCount[out.node]; g++)
          if (c.gpuFree[o + g] >= need && rng.int(0, ++k) === 0) out.gpu = g;
      }
      return true;
    },
  };
}
