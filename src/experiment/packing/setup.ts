/**
 * The openb packing setting (Weng et al., ATC'23): the node list as a PackingCluster, the pod list
 * interned into specs, and the target workload M = the popularity of each pod spec in the file.
 * `every > 1` keeps a stratified 1/every sample of the nodes (sorted by GPU model, GPU count, CPU,
 * memory, name; every `every`-th from the middle of the first stride), so the GPU-model mix is kept
 * on a cluster small enough for a learned policy to be trained on two CPU cores.
 */
import { alibabaNodeList } from '../../cluster/alibaba';
import type { ClusterSpec } from '../../cluster/spec';
import { PackingCluster } from '../../sim/packing/cluster';
import { FragmentationModel } from '../../sim/packing/fragmentation';
import { internPods, type InternedPods } from '../../sim/packing/specs';
import { UsageError } from '../../util/errors';
import { sharedDataset } from '../../workload/traces';
import { loadOpenbPods, type PodRequests } from '../../workload/openbPods';

export const OPENB_FILES = {
  pods: () => sharedDataset('alibaba-gpu-2023-openb', 'openb_pod_list_default.csv'),
  nodes: () => sharedDataset('alibaba-gpu-2023-openb', 'openb_node_list_all_node.csv'),
};

export interface PackingSetup {
  readonly cluster: PackingCluster;
  readonly clusterSpec: ClusterSpec;
  readonly pods: PodRequests;
  readonly interned: InternedPods;
  readonly frag: FragmentationModel;
  readonly podsFile: string;
  readonly nodesFile: string;
  readonly every: number;
}

export function subsampleNodes(spec: ClusterSpec, every: number): ClusterSpec {
  if (!Number.isInteger(every) || every < 1)
    throw new UsageError(`node subsample: every must be an integer ≥ 1, got ${every}`);
  if (every === 1) return spec;
  const sorted = [...spec.nodes].sort(
    (a, b) =>
      (a.gpuType ?? '').localeCompare(b.gpuType ?? '') ||
      a.gpus - b.gpus ||
      a.cpus - b.cpus ||
      a.memMiB - b.memMiB ||
      a.name.localeCompare(b.name),
  );
  const nodes = sorted.filter((_, i) => i % every === Math.floor(every / 2));
  if (nodes.length === 0) throw new UsageError(`node subsample: 1/${every} of ${spec.nodes.length} nodes is empty`);
  return { name: `${spec.name}/${every}`, nodes };
}

export function packingSetup(o: { podsFile?: string; nodesFile?: string; every?: number } = {}): PackingSetup {
  const podsFile = o.podsFile ?? OPENB_FILES.pods();
  const nodesFile = o.nodesFile ?? OPENB_FILES.nodes();
  const every = o.every ?? 1;
  const clusterSpec = subsampleNodes(alibabaNodeList(nodesFile), every);
  const cluster = new PackingCluster(clusterSpec);
  const pods = loadOpenbPods(podsFile);
  const interned = internPods(pods, cluster.typeNames);
  return {
    cluster,
    clusterSpec,
    pods,
    interned,
    frag: new FragmentationModel(interned.specs, interned.popularity),
    podsFile,
    nodesFile,
    every,
  };
}
