/** Static description of a cluster: what exists, not what is in use. */
export interface NodeSpec {
  readonly name: string;
  readonly gpus: number;
  /** GPU model (e.g. "V100"); jobs with a gpuType constraint only run on matching nodes. */
  readonly gpuType?: string;
  readonly cpus: number;
  readonly memMiB: number;
}

export interface ClusterSpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
}

export interface ClusterTotals {
  gpus: number;
  cpus: number;
  memMiB: number;
  nodes: number;
  maxNodeGpus: number;
  maxNodeCpus: number;
  maxNodeMemMiB: number;
}

export function clusterTotals(c: ClusterSpec): ClusterTotals {
  const t: ClusterTotals = {
    gpus: 0,
    cpus: 0,
    memMiB: 0,
    nodes: c.nodes.length,
    maxNodeGpus: 0,
    maxNodeCpus: 0,
    maxNodeMemMiB: 0,
  };
  for (const n of c.nodes) {
    t.gpus += n.gpus;
    t.cpus += n.cpus;
    t.memMiB += n.memMiB;
    t.maxNodeGpus = Math.max(t.maxNodeGpus, n.gpus);
    t.maxNodeCpus = Math.max(t.maxNodeCpus, n.cpus);
    t.maxNodeMemMiB = Math.max(t.maxNodeMemMiB, n.memMiB);
  }
  return t;
}

/** `count` identical nodes: the usual synthetic cluster. */
export function uniformCluster(name: string, count: number, node: Omit<NodeSpec, 'name'>): ClusterSpec {
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < count; i++) nodes.push({ ...node, name: `${name}-${i}` });
  return { name, nodes };
}
