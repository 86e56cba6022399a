/**
 * What a learned placement policy sees in the packing mode, shared by the training env
 * (packingEnv.ts) and the evaluation wrapper, so both read the identical observation.
 *
 * One row of PACKING_FEATURES per node (a kernel network scores each row; the scores are the
 * logits over nodes): whether the pod fits, the node's free CPU, memory, GPU capacity and idle GPUs,
 * its GPU count, its fragmentation F_n(M) and the change Δ that placing the pod there would cause
 * (FGD's quantity, computable by any scheduler: it needs only the cluster state and the trace's
 * pod-spec popularity), then the pod's request (the same in every row). All scaled to about [-1, 1].
 * Inside the chosen node a share goes to the GPU FGD's rule picks (min Δ), so the agent's decision
 * is the node.
 */
import type { PackingCluster } from '../sim/packing/cluster';
import type { FragmentationModel } from '../sim/packing/fragmentation';
import type { PodSpecs } from '../sim/packing/specs';
import { fgdNodeStep, type FgdStep } from '../schedulers/packing/fgd';

export const PACKING_FEATURES = 12;

export class PackingObserver {
  readonly numNodes: number;
  readonly observationSize: number;
  /** Δ F_n(M) (milli-GPU) of the pod last observed, per node (0 where it does not fit). */
  readonly delta: Float64Array;
  /** Free share of the GPU the pod would take on each node (-1: not a share / does not fit). */
  readonly level: Int32Array;
  private readonly deltaMemo = new Map<number, number>();
  private readonly levelMemo = new Map<number, number>();
  private readonly scratch: Int32Array;
  private readonly step: FgdStep = { delta: 0, level: -1 };

  constructor(
    readonly cluster: PackingCluster,
    readonly specs: PodSpecs,
    readonly frag: FragmentationModel,
  ) {
    this.numNodes = cluster.numNodes;
    this.observationSize = cluster.numNodes * PACKING_FEATURES;
    this.delta = new Float64Array(cluster.numNodes);
    this.level = new Int32Array(cluster.numNodes);
    this.scratch = new Int32Array(Math.max(1, cluster.maxGpusPerNode));
  }

  /** Writes the observation of pod spec s into obs and the feasible nodes into mask; returns their count. */
  write(s: number, obs: Float32Array, mask: Uint8Array): number {
    const c = this.cluster;
    const sp = this.specs;
    const G = Math.max(1, c.maxGpusPerNode);
    const gm = G * 1000;
    let feasible = 0;
    for (let n = 0; n < c.numNodes; n++) {
      const ok = c.canHost(n, sp, s);
      mask[n] = ok ? 1 : 0;
      let d = 0;
      let lv = -1;
      if (ok) {
        feasible++;
        const key = c.stateId[n] * sp.count + s;
        const m = this.deltaMemo.get(key);
        if (m === undefined) {
          fgdNodeStep(c, sp, s, n, this.frag, this.scratch, this.step);
          d = this.step.delta;
          lv = this.step.level;
          this.deltaMemo.set(key, d);
          this.levelMemo.set(key, lv);
        } else {
          d = m;
          lv = this.levelMemo.get(key) as number;
        }
      }
      this.delta[n] = d;
      this.level[n] = lv;
      const o = n * PACKING_FEATURES;
      obs[o] = ok ? 1 : 0;
      obs[o + 1] = c.cpuFree[n] / c.maxCpu;
      obs[o + 2] = c.memFree[n] / c.maxMem;
      obs[o + 3] = c.gpuFreeTotal(n) / gm;
      obs[o + 4] = c.idleGpus(n) / G;
      obs[o + 5] = c.gpuCount[n] / G;
      obs[o + 6] = this.frag.ofNode(c, n) / gm;
      obs[o + 7] = d / gm;
      obs[o + 8] = sp.cpu[s] / c.maxCpu;
      obs[o + 9] = sp.mem[s] / c.maxMem;
      obs[o + 10] = sp.numGpu[s] / G;
      obs[o + 11] = sp.milli[s] / 1000;
    }
    return feasible;
  }

  /** GPU index (within node n) for the pod last observed: the GPU FGD's rule picks; -1 if not a share. */
  gpuFor(n: number): number {
    const lv = this.level[n];
    if (lv < 0) return -1;
    const c = this.cluster;
    const o = c.gpuOffset[n];
    for (let g = 0; g < c.gpuCount[n]; g++) if (c.gpuFree[o + g] === lv) return g;
    return -1;
  }
}
