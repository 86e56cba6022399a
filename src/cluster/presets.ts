/**
 * Cluster presets: the real clusters behind the traces, a JSON format for
 * custom clusters, and `presetCluster(name)` to pick one from the command line.
 *
 * Philly capacity is uncertain (dataset philly/README.md, msr-fiddle/philly-traces#8):
 * the official machine list contradicts the job log. Our choices:
 * - `phillyCluster()` (whole cluster) uses the REVISED machine list inferred from
 *   GPU-utilisation logs (`philly_machine_list_revised.csv`): 264×8 + 271×4 + 3×2 +
 *   1×3 GPUs = 539 nodes and 3,205 GPUs. The 13 machines listed with 0 GPUs are left out.
 * - `phillyCluster({ vc })` uses the per-VC node quota of `philly_vc_nodes.csv`
 *   (11 VCs, 352 nodes) with 8 GPUs per node, the convention of the Helios authors'
 *   QSSF simulator that published these quotas (its `--num_gpus_per_node` default).
 *   Override with `gpusPerNode`. The four tiny VCs of the job table (≤ 8 jobs each)
 *   have no quota and are rejected.
 * Philly jobs request no CPU or memory, so Philly nodes get NOMINAL CPU and memory
 * (PHILLY_CPUS_PER_GPU, PHILLY_MEM_MIB_PER_GPU) only so that nothing divides by zero.
 *
 * So that `npm start` needs no dataset, both Philly presets fall back to embedded
 * copies of those two small files (PHILLY_MACHINE_SIZES, PHILLY_VC_NODES; a test
 * checks they equal the files) when the default shared file is absent. With the
 * fallback, whole-cluster nodes are named `philly-<i>` instead of the machine ids.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../util/errors';
import { readJsonFile } from '../util/json';
import { MAX_CLUSTER_GPUS, MAX_CLUSTER_NODES, MAX_RESOURCE, fmtLimit } from '../util/limits';
import { int, real, validate, z } from '../util/schema';
import { CsvTable, intField, textField } from '../workload/csv';
import { alibabaNodeList } from './alibaba';
import { sharedDataset } from '../workload/traces';
import { ClusterSpec, NodeSpec, uniformCluster } from './spec';

/** Nominal CPUs per GPU: 96 cores per 8-GPU node, the Helios QSSF simulator default. */
export const PHILLY_CPUS_PER_GPU = 12;
/** Nominal memory per GPU: 64 GiB (512 GiB per 8-GPU node, close to the ~504 GiB Philly example machine). */
export const PHILLY_MEM_MIB_PER_GPU = 64 * 1024;
/** GPUs per node for per-VC Philly presets (Helios QSSF convention). */
export const PHILLY_VC_GPUS_PER_NODE = 8;

/** Whole-cluster composition of `philly_machine_list_revised.csv`: [GPUs per machine, machines] (0-GPU machines left out). */
export const PHILLY_MACHINE_SIZES: readonly (readonly [number, number])[] = [
  [8, 264],
  [4, 271],
  [2, 3],
  [3, 1],
];

/** Node quota per VC, as in `philly_vc_nodes.csv` (file order). */
export const PHILLY_VC_NODES: Readonly<Record<string, number>> = {
  '6214e9': 64,
  '7f04ca': 32,
  '11cb48': 16,
  b436b2: 64,
  ee9e8c: 64,
  e13805: 16,
  '6c71a0': 32,
  '2869ce': 16,
  ed69ec: 8,
  '103959': 8,
  '0e4a51': 32,
};

export interface PhillyClusterOptions {
  /** A Philly virtual cluster (e.g. '6214e9'); omitted = the whole cluster. */
  vc?: string;
  /** GPUs per node for a VC preset (default PHILLY_VC_GPUS_PER_NODE). */
  gpusPerNode?: number;
  machineListFile?: string;
  vcNodesFile?: string;
}

function phillyNode(name: string, gpus: number): NodeSpec {
  return { name, gpus, cpus: gpus * PHILLY_CPUS_PER_GPU, memMiB: gpus * PHILLY_MEM_MIB_PER_GPU };
}

/**
 * Per-VC node quotas from `philly_vc_nodes.csv` (`vc, node num`); without an explicit
 * file and with the shared file absent, the embedded PHILLY_VC_NODES.
 */
export function phillyVcNodes(file?: string): Map<string, number> {
  if (file === undefined) {
    file = sharedDataset('philly', 'philly_vc_nodes.csv');
    if (!existsSync(file)) return new Map(Object.entries(PHILLY_VC_NODES));
  }
  const t = CsvTable.read(file);
  const cVc = t.column('vc');
  const cNodes = t.column('node num');
  const m = new Map<string, number>();
  for (const r of t.records) m.set(textField(file, r, cVc, 'vc'), intField(file, r, cNodes, 'node num'));
  return m;
}

export function phillyCluster(opts: PhillyClusterOptions = {}): ClusterSpec {
  if (opts.vc !== undefined) {
    const quotas = phillyVcNodes(opts.vcNodesFile);
    const count = quotas.get(opts.vc);
    if (count === undefined)
      throw new UsageError(`unknown Philly VC ${JSON.stringify(opts.vc)} (known: ${[...quotas.keys()].join(', ')})`);
    const g = opts.gpusPerNode ?? PHILLY_VC_GPUS_PER_NODE;
    if (!(Number.isInteger(g) && g >= 1)) throw new UsageError(`gpusPerNode must be a positive integer (${g})`);
    const nodes: NodeSpec[] = [];
    for (let i = 0; i < count; i++) nodes.push(phillyNode(`${opts.vc}-${i}`, g));
    return { name: `philly:${opts.vc}`, nodes };
  }
  const file = opts.machineListFile ?? sharedDataset('philly', 'philly_machine_list_revised.csv');
  if (opts.machineListFile === undefined && !existsSync(file)) {
    const nodes: NodeSpec[] = [];
    for (const [gpus, count] of PHILLY_MACHINE_SIZES)
      for (let i = 0; i < count; i++) nodes.push(phillyNode(`philly-${nodes.length}`, gpus));
    return { name: 'philly', nodes };
  }
  const t = CsvTable.read(file);
  const cId = t.column('machineId');
  const cGpus = t.column('number of GPUs');
  const nodes: NodeSpec[] = [];
  for (const r of t.records) {
    const gpus = intField(file, r, cGpus, 'number of GPUs');
    if (gpus > 0) nodes.push(phillyNode(textField(file, r, cId, 'machineId'), gpus));
  }
  return { name: 'philly', nodes };
}

/**
 * The Alibaba openb cluster. Default: the ALL-node list (1,523 nodes, 6,212 GPUs;
 * 310 CPU-only nodes are needed by the 13% CPU-only pods). The GPU-node list
 * (`openb_node_list_gpu_node.csv`, 1,213 nodes, same 6,212 GPUs) can be passed instead.
 */
export function alibabaCluster(
  file = sharedDataset('alibaba-gpu-2023-openb', 'openb_node_list_all_node.csv'),
): ClusterSpec {
  return alibabaNodeList(file, 'openb');
}

/** One node entry of a cluster JSON file (units: GPUs, CPU cores, MiB). */
const NODE_SCHEMA = z.strictObject({
  name: z.string().min(1, { error: 'must be a non-empty string' }).max(200),
  gpus: int(0, MAX_CLUSTER_GPUS, 'GPUs'),
  gpuType: z.string().min(1).max(100).optional(),
  cpus: real(0, MAX_RESOURCE, 'CPU cores'),
  memMiB: real(0, MAX_RESOURCE, 'MiB'),
  count: int(1, MAX_CLUSTER_NODES, 'nodes').optional(),
});

/** The cluster JSON format (see clusterFromJson). */
export const CLUSTER_SCHEMA = z.strictObject({
  name: z.string().min(1, { error: 'must be a non-empty string' }).max(200),
  nodes: z.array(NODE_SCHEMA).min(1, { error: 'must be a non-empty list' }).max(MAX_CLUSTER_NODES),
});

/**
 * Reads a cluster from JSON: `{ "name": string, "nodes": [{ "name": string,
 * "gpus": int >= 0, "gpuType"?: string, "cpus": number >= 0, "memMiB": number >= 0,
 * "count"?: int >= 1 }] }`. A node with count > 1 expands to `<name>-0 … <name>-(count-1)`.
 * Unknown keys are errors. Errors are UsageErrors naming the file and the field path
 * (e.g. `nodes[2].gpus`); totals beyond the simulator's range are refused before expanding.
 */
export function clusterFromJson(file: string): ClusterSpec {
  return clusterFromObject(readJsonFile(file), file);
}

/** Validates an already-parsed cluster object (see clusterFromJson); `where` names it in errors. */
export function clusterFromObject(data: unknown, where = '<cluster>'): ClusterSpec {
  const d = validate(CLUSTER_SCHEMA, data, where);
  let nodeCount = 0;
  let gpuCount = 0;
  for (const n of d.nodes) {
    nodeCount += n.count ?? 1;
    gpuCount += (n.count ?? 1) * n.gpus;
  }
  if (nodeCount > MAX_CLUSTER_NODES || gpuCount > MAX_CLUSTER_GPUS)
    throw new UsageError(
      `${where}: ${nodeCount} nodes with ${gpuCount} GPUs in total is beyond the simulator's range ` +
        `(${fmtLimit(MAX_CLUSTER_NODES)} nodes, ${fmtLimit(MAX_CLUSTER_GPUS)} GPUs)`,
    );
  const nodes: NodeSpec[] = [];
  const names = new Set<string>();
  d.nodes.forEach((n, i) => {
    const count = n.count ?? 1;
    const base: Omit<NodeSpec, 'name'> = {
      gpus: n.gpus,
      cpus: n.cpus,
      memMiB: n.memMiB,
      ...(n.gpuType ? { gpuType: n.gpuType } : {}),
    };
    for (let k = 0; k < count; k++) {
      const name = count === 1 ? n.name : `${n.name}-${k}`;
      if (names.has(name))
        throw new UsageError(`${where}: field 'nodes[${i}].name': duplicate node name ${JSON.stringify(name)}`);
      names.add(name);
      nodes.push({ ...base, name });
    }
  });
  return { name: d.name, nodes };
}

/**
 * A cluster by name: 'philly', 'philly:<vc>', 'openb', 'uniform:<nodes>x<gpus>'
 * (nodes with Philly's nominal CPU/memory per GPU), or a path ending in '.json'.
 */
export function presetCluster(name: string): ClusterSpec {
  if (name === 'philly') return phillyCluster();
  if (name.startsWith('philly:')) return phillyCluster({ vc: name.slice('philly:'.length) });
  if (name === 'openb') return alibabaCluster();
  const m = /^uniform:(\d+)x(\d+)$/.exec(name);
  if (m) {
    const count = Number(m[1]);
    const gpus = Number(m[2]);
    if (count < 1 || gpus < 1) throw new UsageError(`uniform cluster needs >= 1 node and >= 1 GPU per node (${name})`);
    if (count > MAX_CLUSTER_NODES || count * gpus > MAX_CLUSTER_GPUS)
      throw new UsageError(
        `cluster ${name}: ${count} nodes × ${gpus} GPUs is beyond the simulator's range ` +
          `(${fmtLimit(MAX_CLUSTER_NODES)} nodes, ${fmtLimit(MAX_CLUSTER_GPUS)} GPUs in total)`,
      );
    return uniformCluster(name, count, {
      gpus,
      cpus: gpus * PHILLY_CPUS_PER_GPU,
      memMiB: gpus * PHILLY_MEM_MIB_PER_GPU,
    });
  }
  if (name.toLowerCase().endsWith('.json')) return clusterFromJson(name);
  throw new UsageError(
    `unknown cluster ${JSON.stringify(name)}: use philly, philly:<vc>, openb, uniform:<nodes>x<gpus> or a .json file`,
  );
}
