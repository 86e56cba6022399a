/**
 * The Alibaba GPU cluster trace 2023 ("openb") node lists as a ClusterSpec. The pods of the
 * same trace are jobs, read by workload/loaders/alibaba.ts; the machines are a cluster, here.
 */
import { TraceError } from '../util/errors';
import { CsvTable, fieldText, intField, numberField, textField } from '../workload/csv';
import type { ClusterSpec, NodeSpec } from './spec';

/**
 * Reads an openb node list (`sn, cpu_milli, memory_mib, gpu, model`) into a
 * ClusterSpec. `model` is empty for CPU-only nodes (gpuType left undefined).
 * The all-node list has 1,523 nodes and 6,212 GPUs; the GPU-node list 1,213 and 6,212.
 */
export function alibabaNodeList(file: string, name = 'openb'): ClusterSpec {
  const t = CsvTable.read(file);
  const c = {
    sn: t.column('sn'),
    cpu: t.column('cpu_milli'),
    mem: t.column('memory_mib'),
    gpu: t.column('gpu'),
    model: t.column('model'),
  };
  const nodes: NodeSpec[] = [];
  for (const r of t.records) {
    const gpus = intField(file, r, c.gpu, 'gpu');
    if (gpus < 0) throw new TraceError(file, r.line, 'gpu', `negative (${gpus})`);
    const cpuMilli = numberField(file, r, c.cpu, 'cpu_milli');
    const memMiB = numberField(file, r, c.mem, 'memory_mib');
    if (cpuMilli < 0) throw new TraceError(file, r.line, 'cpu_milli', `negative (${cpuMilli})`);
    if (memMiB < 0) throw new TraceError(file, r.line, 'memory_mib', `negative (${memMiB})`);
    const model = fieldText(file, r, c.model, 'model').trim();
    if (gpus > 0 && !model) throw new TraceError(file, r.line, 'model', 'missing GPU model for a node with GPUs');
    nodes.push({
      name: textField(file, r, c.sn, 'sn'),
      gpus,
      ...(model ? { gpuType: model } : {}),
      cpus: cpuMilli / 1000,
      memMiB,
    });
  }
  return { name, nodes };
}
