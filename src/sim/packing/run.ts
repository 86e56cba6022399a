/**
 * One packing run: pods of an order arrive back to back (no timestamps, no departures); each is
 * placed where the policy says or fails (and is dropped; later pods still arrive, as in the paper's
 * workload-inflation experiment). Recorded: the state when the first pod fails, the curve over
 * arrived workload (GPU request of the pods arrived so far / cluster GPU capacity) at every
 * `gridStep`, and the final state.
 */
import type { PackingCluster } from './cluster';
import type { FragmentationModel } from './fragmentation';
import type { PodSpecs } from './specs';

/** Where a policy puts a pod: node index, and GPU index within the node for a share (else -1). */
export interface PackingChoice {
  node: number;
  gpu: number;
}

/** A placement policy of the packing mode (schedulers/packing/ implements them). */
export interface PackingPolicy {
  readonly name: string;
  /** Writes a feasible placement of spec s into `out` and returns true, or returns false (no node fits). */
  choose(c: PackingCluster, specs: PodSpecs, s: number, out: PackingChoice): boolean;
}

/** The cluster after some pods, in GPUs (not milli). */
export interface PackingSnapshot {
  /** Pods arrived so far (placed + failed). */
  pods: number;
  arrivedGpu: number;
  allocatedGpu: number;
  /** F(M): expected fragmented GPU capacity under the target workload. */
  fragGpu: number;
  unallocatedGpu: number;
  failedPods: number;
  failedGpu: number;
}

export interface PackingRunResult {
  policy: string;
  capacityGpu: number;
  /** Arrived workload of curve point k = (k + 1) · gridStep (fraction of capacity). */
  gridStep: number;
  curve: PackingSnapshot[];
  /** The state just before the first failing pod arrived (null if none failed). */
  firstFailure: PackingSnapshot | null;
  final: PackingSnapshot;
}

export function runPacking(
  c: PackingCluster,
  specs: PodSpecs,
  order: Int32Array,
  policy: PackingPolicy,
  frag: FragmentationModel,
  gridStep = 0.01,
): PackingRunResult {
  c.reset();
  const cap = c.totalGpuMilli;
  const nodeFrag = new Float64Array(c.numNodes);
  let fragTotal = 0;
  for (let n = 0; n < c.numNodes; n++) fragTotal += nodeFrag[n] = frag.ofNode(c, n);
  let arrived = 0;
  let failed = 0;
  let failedMilli = 0;
  let pods = 0;
  let firstFailure: PackingSnapshot | null = null;
  const curve: PackingSnapshot[] = [];
  const choice: PackingChoice = { node: -1, gpu: -1 };
  const snap = (): PackingSnapshot => ({
    pods,
    arrivedGpu: arrived / 1000,
    allocatedGpu: c.allocatedGpuMilli / 1000,
    fragGpu: fragTotal / 1000,
    unallocatedGpu: (cap - c.allocatedGpuMilli) / 1000,
    failedPods: failed,
    failedGpu: failedMilli / 1000,
  });
  for (let i = 0; i < order.length; i++) {
    const s = order[i];
    const req = specs.gpuMilliTotal(s);
    if (policy.choose(c, specs, s, choice)) {
      c.place(choice.node, specs, s, choice.gpu);
      fragTotal -= nodeFrag[choice.node];
      fragTotal += nodeFrag[choice.node] = frag.ofNode(c, choice.node);
    } else {
      if (firstFailure === null) firstFailure = snap();
      failed++;
      failedMilli += req;
    }
    arrived += req;
    pods++;
    // Tolerance: k·gridStep is not exact in binary; 1e-9 of capacity is far below one milli-GPU.
    while ((curve.length + 1) * gridStep * cap <= arrived + 1e-9 * cap) curve.push(snap());
  }
  return { policy: policy.name, capacityGpu: cap / 1000, gridStep, curve, firstFailure, final: snap() };
}
