/**
 * Pod request specs of the packing mode, interned: pods with the same (CPU, memory, GPU count,
 * per-GPU milli, GPU models) are one spec. The FGD target workload is the popularity of each spec,
 * and policies and memo tables key on the spec id instead of the pod.
 */
import { UsageError } from '../../util/errors';
import type { PodRequests } from '../../workload/openbPods';

/** Type mask meaning "any GPU model" (an empty gpu_spec). */
export const ANY_TYPE = -1;

export class PodSpecs {
  readonly count: number;
  /** Milli-cores. */
  readonly cpu: Float64Array;
  readonly mem: Float64Array;
  readonly numGpu: Int32Array;
  /** Milli-GPU per GPU (1000 = whole GPUs; < 1000 = a share of one GPU; 0 = no GPU). */
  readonly milli: Int32Array;
  /** Bit t set = GPU model t of the cluster is allowed; ANY_TYPE = any model. */
  readonly typeMask: Int32Array;
  constructor(rows: { cpu: number; mem: number; numGpu: number; milli: number; typeMask: number }[]) {
    this.count = rows.length;
    this.cpu = Float64Array.from(rows, (r) => r.cpu);
    this.mem = Float64Array.from(rows, (r) => r.mem);
    this.numGpu = Int32Array.from(rows, (r) => r.numGpu);
    this.milli = Int32Array.from(rows, (r) => r.milli);
    this.typeMask = Int32Array.from(rows, (r) => r.typeMask);
  }

  /** Total GPU request of spec s in milli-GPU. */
  gpuMilliTotal(s: number): number {
    return this.numGpu[s] * this.milli[s];
  }

  /** Whether spec s asks for a share of one GPU (the only case where GPUs are shared). */
  isShare(s: number): boolean {
    return this.numGpu[s] === 1 && this.milli[s] < 1000;
  }
}

export interface InternedPods {
  readonly specs: PodSpecs;
  /** Spec id of each pod row of the file. */
  readonly podSpec: Int32Array;
  /** Fraction of the file's pods with each spec (sums to 1): the FGD paper's target workload. */
  readonly popularity: Float64Array;
}

/**
 * Interns the pods of a file against a cluster's GPU models (`typeNames[t]` = model of type id t).
 * A gpu_spec naming a model the cluster lacks only narrows the mask (such a pod can never run);
 * an empty gpu_spec is ANY_TYPE.
 */
export function internPods(req: PodRequests, typeNames: readonly string[]): InternedPods {
  if (typeNames.length > 31)
    throw new UsageError(`packing supports ≤ 31 GPU models, the cluster has ${typeNames.length}`);
  const typeIndex = new Map(typeNames.map((t, i) => [t, i]));
  const ids = new Map<string, number>();
  const rows: { cpu: number; mem: number; numGpu: number; milli: number; typeMask: number }[] = [];
  const counts: number[] = [];
  const n = req.names.length;
  const podSpec = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let mask = ANY_TYPE;
    const spec = req.gpuSpec[i];
    if (spec !== '') {
      mask = 0;
      for (const m of spec.split('|')) {
        const t = typeIndex.get(m.trim());
        if (t !== undefined) mask |= 1 << t;
      }
    }
    const key = `${req.cpuMilli[i]}|${req.memMiB[i]}|${req.numGpu[i]}|${req.gpuMilli[i]}|${mask}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = rows.length;
      ids.set(key, id);
      rows.push({
        cpu: req.cpuMilli[i],
        mem: req.memMiB[i],
        numGpu: req.numGpu[i],
        milli: req.gpuMilli[i],
        typeMask: mask,
      });
      counts.push(0);
    }
    counts[id]++;
    podSpec[i] = id;
  }
  return { specs: new PodSpecs(rows), podSpec, popularity: Float64Array.from(counts, (c) => c / n) };
}
