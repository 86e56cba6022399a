/**
 * One entry point for every trace loader: `loadTrace(kind, file, opts)`, the
 * default file of each kind, and format detection for `--trace FILE`.
 *
 * Shared datasets live in `<shared>/datasets/` where <shared> is $LEPTON_SHARED
 * or `../shared` beside the repository root. Traces that are not in the shared
 * folder (raw Philly, Helios job logs) default to `datasets/raw/...` in the
 * repository, where `datasets/download.sh` puts them.
 */
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { UsageError } from '../util/errors';
import { readHead } from './csv';
import { Workload } from './job';
import { loadAlibaba } from './loaders/alibaba';
import { LoadOptions } from './loaders/common';
import { loadHelios } from './loaders/helios';
import { loadPhilly } from './loaders/philly';
import { loadPhillyRaw } from './loaders/phillyRaw';
import { loadPollux } from './loaders/pollux';
import { loadSwf } from './loaders/swf';
import { repoRoot } from '../util/repoRoot';

export type { LoadOptions } from './loaders/common';

export const TRACE_KINDS = ['philly', 'openb', 'swf', 'pollux', 'philly-raw', 'helios'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

export { repoRoot };

/** The shared folder: $LEPTON_SHARED, else `../shared` relative to the repository root. */
export function sharedDir(): string {
  const env = process.env.LEPTON_SHARED;
  return env ? resolve(env) : resolve(repoRoot(), '..', 'shared');
}

/** Path of a file in the shared datasets folder. */
export function sharedDataset(...parts: string[]): string {
  return join(sharedDir(), 'datasets', ...parts);
}

export function defaultTraceFile(kind: TraceKind): string {
  switch (kind) {
    case 'philly':
      return sharedDataset('philly', 'philly_jobs_pollux.csv');
    case 'openb':
      return sharedDataset('alibaba-gpu-2023-openb', 'openb_pod_list_default.csv');
    case 'swf':
      return sharedDataset('hpc-swf', 'nasa_ipsc_1993_cln.csv');
    case 'pollux':
      return sharedDataset('dl-workloads-pollux-sia', 'pollux_osdi21', 'workloads', 'workload-1.csv');
    case 'philly-raw':
      return join(repoRoot(), 'datasets', 'raw', 'philly', 'trace-data', 'cluster_job_log');
    case 'helios':
      return join(repoRoot(), 'datasets', 'raw', 'helios', 'data', 'Venus', 'cluster_log.csv');
  }
}

export function isTraceKind(s: string): s is TraceKind {
  return (TRACE_KINDS as readonly string[]).includes(s);
}

export function loadTrace(kind: TraceKind, file: string = defaultTraceFile(kind), opts: LoadOptions = {}): Workload {
  if (!existsSync(file)) {
    const hint =
      kind === 'philly-raw' || kind === 'helios' ? ' (full trace: see datasets/README.md, datasets/download.sh)' : '';
    throw new UsageError(`trace file not found: ${file}${hint}`);
  }
  switch (kind) {
    case 'philly':
      return loadPhilly(file, opts);
    case 'openb':
      return loadAlibaba(file, opts);
    case 'swf':
      return loadSwf(file, opts);
    case 'pollux':
      return loadPollux(file, opts);
    case 'philly-raw':
      return loadPhillyRaw(file, opts);
    case 'helios':
      return loadHelios(file, opts);
    default:
      throw new UsageError(`unknown trace kind ${JSON.stringify(kind)} (one of ${TRACE_KINDS.join(', ')})`);
  }
}

/** Header columns that identify each CSV kind (all must be present). */
const CSV_SIGNATURES: [TraceKind, string[]][] = [
  ['philly', ['timestamp', 'duration', 'num_gpus', 'cluster']],
  ['openb', ['name', 'cpu_milli', 'num_gpu', 'gpu_milli', 'pod_phase']],
  ['swf', ['job_id', 'submit_time', 'wait_time', 'run_time', 'allocated_procs']],
  ['pollux', ['name', 'time', 'application', 'num_replicas']],
  ['helios', ['job_id', 'vc', 'gpu_num', 'submit_time', 'start_time']],
];

/** Guesses the kind of a trace file from its extension and first bytes; UsageError if unknown. */
export function detectTraceKind(file: string): TraceKind {
  if (!existsSync(file)) throw new UsageError(`trace file not found: ${file}`);
  const ext = extname(file).toLowerCase();
  if (ext === '.swf') return 'swf';
  if (ext === '.json' || basename(file) === 'cluster_job_log') return 'philly-raw';
  const head = readHead(file).replace(/^\uFEFF/, '');
  const trimmed = head.trimStart();
  if (trimmed.startsWith('[')) return 'philly-raw';
  if (trimmed.startsWith(';') || /^\d+\s+-?\d/.test(trimmed)) return 'swf';
  const firstLine = head.split(/\r?\n/, 1)[0];
  const cols = new Set(firstLine.split(',').map((s) => s.trim().replace(/^"|"$/g, '')));
  for (const [kind, need] of CSV_SIGNATURES) if (need.every((c) => cols.has(c))) return kind;
  throw new UsageError(
    `cannot tell the trace kind of ${file} (header: ${firstLine.slice(0, 120)}); pass one of ${TRACE_KINDS.join(', ')}`,
  );
}
