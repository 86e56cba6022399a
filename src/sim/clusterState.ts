import { MAX_CLUSTER_GPUS, MAX_CLUSTER_NODES } from '../util/limits';
import type { ClusterSpec } from '../cluster/spec';

/** Milli-units of one GPU: fractional shares are integers out of 1000. */
export const GPU_MILLI = 1000;
/** Tolerance for CPU/memory accounting, which is fractional when a gang spans nodes. */
export const EPS = 1e-6;

/**
 * Mutable free/used resources of a cluster, in typed arrays.
 * GPUs have global indices; node n owns GPUs [nodeGpuStart[n], nodeGpuStart[n+1]).
 */
export class ClusterState {
  readonly nodes: number;
  readonly gpus: number;
  readonly nodeGpuStart: Int32Array;
  readonly gpuNode: Int32Array;
  /** Free milli-GPU of each GPU (1000 = idle). */
  readonly gpuFree: Int32Array;
  /** Count of fully idle GPUs per node. */
  readonly nodeIdleGpus: Int32Array;
  readonly nodeFreeCpu: Float64Array;
  readonly nodeFreeMem: Float64Array;
  readonly nodeCapCpu: Float64Array;
  readonly nodeCapMem: Float64Array;
  /** One bit per GPU model (0 when the node has no model name). */
  readonly nodeTypeBit: Int32Array;
  readonly typeIds = new Map<string, number>();
  readonly totalCpu: number;
  readonly totalMem: number;
  readonly maxNodeGpus: number;
  idleGpus: number;
  usedGpu = 0;
  usedCpu = 0;
  usedMem = 0;

  constructor(spec: ClusterSpec) {
    const n = spec.nodes.length;
    this.nodes = n;
    this.nodeGpuStart = new Int32Array(n + 1);
    let g = 0;
    let maxG = 0;
    for (let i = 0; i < n; i++) {
      this.nodeGpuStart[i] = g;
      g += spec.nodes[i].gpus;
      maxG = Math.max(maxG, spec.nodes[i].gpus);
    }
    this.nodeGpuStart[n] = g;
    // One Int32 entry per GPU: beyond this the arrays would not fit (or wrap around).
    if (!(Number.isInteger(g) && g <= MAX_CLUSTER_GPUS && n <= MAX_CLUSTER_NODES))
      throw new RangeError(
        `cluster ${spec.name}: ${g} GPUs on ${n} nodes is beyond the simulator's range (${MAX_CLUSTER_GPUS} GPUs, ${MAX_CLUSTER_NODES} nodes)`,
      );
    this.gpus = g;
    this.maxNodeGpus = maxG;
    this.gpuNode = new Int32Array(g);
    this.gpuFree = new Int32Array(g).fill(GPU_MILLI);
    this.nodeIdleGpus = new Int32Array(n);
    this.nodeFreeCpu = new Float64Array(n);
    this.nodeFreeMem = new Float64Array(n);
    this.nodeCapCpu = new Float64Array(n);
    this.nodeCapMem = new Float64Array(n);
    this.nodeTypeBit = new Int32Array(n);
    let cpu = 0;
    let mem = 0;
    for (let i = 0; i < n; i++) {
      const node = spec.nodes[i];
      for (let k = this.nodeGpuStart[i]; k < this.nodeGpuStart[i + 1]; k++) this.gpuNode[k] = i;
      this.nodeIdleGpus[i] = node.gpus;
      this.nodeCapCpu[i] = this.nodeFreeCpu[i] = node.cpus;
      this.nodeCapMem[i] = this.nodeFreeMem[i] = node.memMiB;
      cpu += node.cpus;
      mem += node.memMiB;
      this.nodeTypeBit[i] = node.gpuType ? this.typeBit(node.gpuType) : 0;
    }
    this.idleGpus = g;
    this.totalCpu = cpu;
    this.totalMem = mem;
  }

  /** Bit for a GPU model name (at most 31 distinct models). */
  typeBit(name: string): number {
    let id = this.typeIds.get(name);
    if (id === undefined) {
      id = this.typeIds.size;
      if (id >= 31) throw new Error(`too many GPU models (max 31): ${name}`);
      this.typeIds.set(name, id);
    }
    return 1 << id;
  }

  /** Mask of acceptable models for a constraint like "V100|P100"; 0 = any. Unknown models give -1 (never fits). */
  typeMask(constraint: string | undefined): number {
    if (!constraint) return 0;
    let mask = 0;
    for (const t of constraint.split('|')) {
      const id = this.typeIds.get(t.trim());
      if (id !== undefined) mask |= 1 << id;
    }
    return mask === 0 ? -1 : mask;
  }

  /** Takes `milli` of each listed GPU plus cpu/mem per GPU on its node. */
  allocGpus(list: Int32Array, count: number, milli: number, cpuPer: number, memPer: number): void {
    for (let i = 0; i < count; i++) {
      const gpu = list[i];
      const node = this.gpuNode[gpu];
      if (this.gpuFree[gpu] === GPU_MILLI) {
        this.nodeIdleGpus[node]--;
        this.idleGpus--;
      }
      this.gpuFree[gpu] -= milli;
      this.nodeFreeCpu[node] -= cpuPer;
      this.nodeFreeMem[node] -= memPer;
    }
    this.usedGpu += (count * milli) / GPU_MILLI;
    this.usedCpu += count * cpuPer;
    this.usedMem += count * memPer;
  }

  releaseGpus(list: Int32Array, count: number, milli: number, cpuPer: number, memPer: number): void {
    for (let i = 0; i < count; i++) {
      const gpu = list[i];
      const node = this.gpuNode[gpu];
      this.gpuFree[gpu] += milli;
      if (this.gpuFree[gpu] === GPU_MILLI) {
        this.nodeIdleGpus[node]++;
        this.idleGpus++;
      }
      this.nodeFreeCpu[node] += cpuPer;
      this.nodeFreeMem[node] += memPer;
    }
    this.usedGpu -= (count * milli) / GPU_MILLI;
    this.usedCpu -= count * cpuPer;
    this.usedMem -= count * memPer;
  }

  allocNode(node: number, cpu: number, mem: number): void {
    this.nodeFreeCpu[node] -= cpu;
    this.nodeFreeMem[node] -= mem;
    this.usedCpu += cpu;
    this.usedMem += mem;
  }

  releaseNode(node: number, cpu: number, mem: number): void {
    this.nodeFreeCpu[node] += cpu;
    this.nodeFreeMem[node] += mem;
    this.usedCpu -= cpu;
    this.usedMem -= mem;
  }

  /** Throws if any resource is over-allocated or the counters disagree (debug mode). */
  checkInvariants(): void {
    let idle = 0;
    for (let n = 0; n < this.nodes; n++) {
      let nodeIdle = 0;
      for (let g = this.nodeGpuStart[n]; g < this.nodeGpuStart[n + 1]; g++) {
        const f = this.gpuFree[g];
        if (f < 0 || f > GPU_MILLI) throw new Error(`invariant: GPU ${g} free milli ${f} out of [0, 1000]`);
        if (f === GPU_MILLI) nodeIdle++;
      }
      if (nodeIdle !== this.nodeIdleGpus[n])
        throw new Error(`invariant: node ${n} idle count ${this.nodeIdleGpus[n]} != ${nodeIdle}`);
      idle += nodeIdle;
      if (this.nodeFreeCpu[n] < -EPS || this.nodeFreeCpu[n] > this.nodeCapCpu[n] + EPS)
        throw new Error(`invariant: node ${n} free CPU ${this.nodeFreeCpu[n]} out of [0, ${this.nodeCapCpu[n]}]`);
      if (this.nodeFreeMem[n] < -EPS || this.nodeFreeMem[n] > this.nodeCapMem[n] + EPS)
        throw new Error(`invariant: node ${n} free memory ${this.nodeFreeMem[n]} out of [0, ${this.nodeCapMem[n]}]`);
    }
    if (idle !== this.idleGpus) throw new Error(`invariant: idle GPUs ${this.idleGpus} != ${idle}`);
  }
}
