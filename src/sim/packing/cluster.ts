/**
 * The cluster of the packing mode (Weng et al., ATC'23): nodes with CPU, memory and a list of
 * GPUs, each GPU with its free share in milli-GPU (1000 = idle). Pods only arrive, never leave.
 *
 * Sharing rules (openb): a pod asking for a share (< 1000 milli of one GPU) takes that much of ONE
 * GPU whose free share is large enough; a pod asking for k ≥ 1 whole GPUs takes k IDLE GPUs
 * (free share 1000) of one node. Every placement also takes the pod's CPU and memory on the node.
 * All state is in typed arrays; `place` allocates nothing but the interned state key.
 */
import type { ClusterSpec } from '../../cluster/spec';
import { UsageError } from '../../util/errors';
import { ANY_TYPE, type PodSpecs } from './specs';

export const MILLI = 1000;

export class PackingCluster {
  readonly name: string;
  readonly numNodes: number;
  readonly nodeNames: readonly string[];
  /** Milli-cores. */
  readonly cpuCap: Float64Array;
  readonly memCap: Float64Array;
  readonly gpuCount: Int32Array;
  /** GPUs of node n are gpuFree[gpuOffset[n] .. gpuOffset[n + 1]). */
  readonly gpuOffset: Int32Array;
  /** GPU model id of each node (-1 for a CPU-only node). */
  readonly typeId: Int32Array;
  readonly typeNames: readonly string[];
  readonly totalGpuMilli: number;
  readonly maxGpusPerNode: number;
  readonly maxCpu: number;
  readonly maxMem: number;
  readonly cpuFree: Float64Array;
  readonly memFree: Float64Array;
  readonly gpuFree: Int32Array;
  /** Interned id of each node's state (model, free CPU, free memory, sorted free GPU shares). */
  readonly stateId: Int32Array;
  /** Milli-GPU allocated so far. */
  allocatedGpuMilli = 0;
  private readonly intern = new Map<string, number>();
  private readonly sortBuf: Int32Array;

  constructor(spec: ClusterSpec) {
    const nodes = spec.nodes;
    if (nodes.length === 0) throw new UsageError(`cluster '${spec.name}' has no nodes`);
    this.name = spec.name;
    this.numNodes = nodes.length;
    this.nodeNames = nodes.map((n) => n.name);
    this.cpuCap = Float64Array.from(nodes, (n) => Math.round(n.cpus * 1000));
    this.memCap = Float64Array.from(nodes, (n) => n.memMiB);
    this.gpuCount = Int32Array.from(nodes, (n) => n.gpus);
    this.gpuOffset = new Int32Array(nodes.length + 1);
    const types: string[] = [];
    this.typeId = new Int32Array(nodes.length);
    nodes.forEach((n, i) => {
      if (!Number.isInteger(n.gpus) || n.gpus < 0) throw new UsageError(`node ${n.name}: gpus must be an integer ≥ 0`);
      this.gpuOffset[i + 1] = this.gpuOffset[i] + n.gpus;
      if (n.gpus > 0) {
        const t = n.gpuType ?? '';
        let k = types.indexOf(t);
        if (k < 0) k = types.push(t) - 1;
        this.typeId[i] = k;
      } else this.typeId[i] = -1;
    });
    this.typeNames = types;
    this.totalGpuMilli = this.gpuOffset[nodes.length] * MILLI;
    this.maxGpusPerNode = Math.max(...nodes.map((n) => n.gpus));
    this.maxCpu = Math.max(...this.cpuCap);
    this.maxMem = Math.max(...this.memCap);
    this.cpuFree = new Float64Array(nodes.length);
    this.memFree = new Float64Array(nodes.length);
    this.gpuFree = new Int32Array(this.gpuOffset[nodes.length]);
    this.stateId = new Int32Array(nodes.length);
    this.sortBuf = new Int32Array(Math.max(1, this.maxGpusPerNode));
    this.reset();
  }

  /** Empties the cluster (interned state ids stay valid: they describe states, not nodes). */
  reset(): void {
    this.cpuFree.set(this.cpuCap);
    this.memFree.set(this.memCap);
    this.gpuFree.fill(MILLI);
    this.allocatedGpuMilli = 0;
    for (let n = 0; n < this.numNodes; n++) this.stateId[n] = this.internState(n);
  }

  /** Number of distinct node states seen (the size of memo tables keyed by state id). */
  get numStates(): number {
    return this.intern.size;
  }

  /** Whether the node's GPU model is allowed by spec s (CPU-only nodes fail any model constraint). */
  accessible(n: number, specs: PodSpecs, s: number): boolean {
    const mask = specs.typeMask[s];
    if (mask === ANY_TYPE) return true;
    const t = this.typeId[n];
    return t >= 0 && ((mask >>> t) & 1) === 1;
  }

  /** Whether pod spec s fits on node n now. */
  canHost(n: number, specs: PodSpecs, s: number): boolean {
    if (!this.accessible(n, specs, s)) return false;
    if (this.cpuFree[n] < specs.cpu[s] || this.memFree[n] < specs.mem[s]) return false;
    const k = specs.numGpu[s];
    if (k === 0) return true;
    const need = specs.milli[s];
    let ok = 0;
    for (let g = this.gpuOffset[n], e = this.gpuOffset[n + 1]; g < e; g++) if (this.gpuFree[g] >= need) ok++;
    return ok >= k;
  }

  /**
   * Places pod spec s on node n. For a share, `gpu` is the GPU index within the node (its free share
   * must be ≥ the request); for whole GPUs and CPU-only pods `gpu` is ignored and the lowest-index
   * idle GPUs are taken. Throws on an infeasible placement (a policy bug, never a silent overcommit).
   */
  place(n: number, specs: PodSpecs, s: number, gpu = -1): void {
    if (!this.canHost(n, specs, s)) throw new Error(`packing: spec ${s} does not fit on node ${this.nodeNames[n]}`);
    const k = specs.numGpu[s];
    const m = specs.milli[s];
    const o = this.gpuOffset[n];
    if (k > 0 && specs.isShare(s)) {
      if (!(gpu >= 0 && gpu < this.gpuCount[n]) || this.gpuFree[o + gpu] < m)
        throw new Error(`packing: GPU ${gpu} of node ${this.nodeNames[n]} cannot take ${m} milli-GPU`);
      this.gpuFree[o + gpu] -= m;
    } else if (k > 0) {
      let left = k;
      for (let g = o, e = this.gpuOffset[n + 1]; g < e && left > 0; g++)
        if (this.gpuFree[g] === MILLI) {
          this.gpuFree[g] = 0;
          left--;
        }
    }
    this.cpuFree[n] -= specs.cpu[s];
    this.memFree[n] -= specs.mem[s];
    this.allocatedGpuMilli += k * m;
    this.stateId[n] = this.internState(n);
  }

  /** Free milli-GPU on node n (sum over its GPUs). */
  gpuFreeTotal(n: number): number {
    let t = 0;
    for (let g = this.gpuOffset[n], e = this.gpuOffset[n + 1]; g < e; g++) t += this.gpuFree[g];
    return t;
  }

  /** Number of idle GPUs (free share 1000) on node n. */
  idleGpus(n: number): number {
    let t = 0;
    for (let g = this.gpuOffset[n], e = this.gpuOffset[n + 1]; g < e; g++) if (this.gpuFree[g] === MILLI) t++;
    return t;
  }

  private internState(n: number): number {
    const o = this.gpuOffset[n];
    const c = this.gpuCount[n];
    const b = this.sortBuf.subarray(0, c);
    b.set(this.gpuFree.subarray(o, o + c));
    b.sort();
    const key = `${this.typeId[n]}|${this.cpuFree[n]}|${this.memFree[n]}|${b.join(',')}`;
    let id = this.intern.get(key);
    if (id === undefined) {
      id = this.intern.size;
      this.intern.set(key, id);
    }
    return id;
  }
}
