/**
 * The resource requests of an openb pod list (Alibaba GPU 2023, Weng et al. ATC'23) for the
 * packing mode (sim/packing/). Unlike loadAlibaba (./loaders/alibaba.ts), which turns pods into jobs and
 * must skip the 897 Pending pods (no duration), packing needs no time at all: every row is a pod
 * request, Pending ones included, exactly as the FGD paper's simulator reads the file.
 *
 * Sharing rules (openb): `num_gpu == 1 && gpu_milli < 1000` asks for a share of ONE GPU;
 * `num_gpu ≥ 1` otherwise asks for `num_gpu` WHOLE GPUs (gpu_milli must then be 1000);
 * `num_gpu == 0` is a CPU-only pod (gpu_milli must be 0).
 */
import { TraceError } from '../util/errors';
import { CsvTable, fieldText, intField, numberField, textField } from './csv';

export const MILLI = 1000;

export interface PodRequests {
  readonly file: string;
  readonly sha256: string;
  readonly names: readonly string[];
  /** CPU request in milli-cores. */
  readonly cpuMilli: Float64Array;
  readonly memMiB: Float64Array;
  /** GPUs asked for: 0 (CPU only), 1 (a share or one whole GPU), or k whole GPUs. */
  readonly numGpu: Int32Array;
  /** Per-GPU share in milli-GPU: < 1000 only when numGpu is 1; 1000 for whole GPUs; 0 for CPU-only pods. */
  readonly gpuMilli: Int32Array;
  /** Allowed GPU models, '|'-separated as in the file; '' = any model. */
  readonly gpuSpec: readonly string[];
}

export function loadOpenbPods(file: string): PodRequests {
  const t = CsvTable.read(file);
  const c = {
    name: t.column('name'),
    cpu: t.column('cpu_milli'),
    mem: t.column('memory_mib'),
    numGpu: t.column('num_gpu'),
    gpuMilli: t.column('gpu_milli'),
    spec: t.column('gpu_spec'),
  };
  const names: string[] = [];
  const cpu: number[] = [];
  const mem: number[] = [];
  const ng: number[] = [];
  const gm: number[] = [];
  const spec: string[] = [];
  for (const r of t.records) {
    const cpuMilli = numberField(file, r, c.cpu, 'cpu_milli');
    if (cpuMilli < 0) throw new TraceError(file, r.line, 'cpu_milli', `negative (${cpuMilli}); requests are ≥ 0`);
    const memMiB = numberField(file, r, c.mem, 'memory_mib');
    if (memMiB < 0) throw new TraceError(file, r.line, 'memory_mib', `negative (${memMiB}); requests are ≥ 0`);
    const numGpu = intField(file, r, c.numGpu, 'num_gpu');
    if (numGpu < 0) throw new TraceError(file, r.line, 'num_gpu', `negative (${numGpu}); requests are ≥ 0`);
    const milli = intField(file, r, c.gpuMilli, 'gpu_milli');
    if (numGpu === 0 && milli !== 0)
      throw new TraceError(file, r.line, 'gpu_milli', `must be 0 for a CPU-only pod (num_gpu 0), got ${milli}`);
    if (numGpu === 1 && !(milli > 0 && milli <= MILLI))
      throw new TraceError(file, r.line, 'gpu_milli', `must be in (0, 1000] for num_gpu 1, got ${milli}`);
    if (numGpu > 1 && milli !== MILLI)
      throw new TraceError(
        file,
        r.line,
        'gpu_milli',
        `must be 1000 for num_gpu ${numGpu} (only single-GPU pods share a GPU), got ${milli}`,
      );
    names.push(textField(file, r, c.name, 'name'));
    cpu.push(cpuMilli);
    mem.push(memMiB);
    ng.push(numGpu);
    gm.push(milli);
    spec.push(fieldText(file, r, c.spec, 'gpu_spec').trim());
  }
  if (names.length === 0) throw new TraceError(file, t.headerLine, '(rows)', 'no pod rows: the packing mode needs ≥ 1');
  return {
    file,
    sha256: t.sha256,
    names,
    cpuMilli: Float64Array.from(cpu),
    memMiB: Float64Array.from(mem),
    numGpu: Int32Array.from(ng),
    gpuMilli: Int32Array.from(gm),
    gpuSpec: spec,
  };
}
