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

/** The shared folder: $LEPTON_SHARED, else `../shared` relative to the repository root. */
export function sharedDir(): string {
  const env = process.env.LEPTON_SHARED;
  return env ? resolve(env) : resolve(repoRoot(), '..', 'shared');
}

/** Path of a file in the shared datasets folder. */
export function sharedDataset(...parts: string[]): string {
  return join(sharedDir(), 'datasets', ...parts);
}

/** What Lepton knows about one trace format: how to read it, where its file is, which cluster it ran on. */
export interface TraceFormat {
  /** Reads a file of this format into a Workload (row-level errors name file, line and field). */
  load: (file: string, opts: LoadOptions) => Workload;
  /** The file `--trace KIND` reads when no file is given. */
  defaultFile: () => string;
  /**
   * The cluster preset the trace ran on (`presetCluster` name; a `--vc` selects `<preset>:<vc>`);
   * undefined when the trace has no cluster of its own (pass --cluster).
   */
  defaultCluster?: 'philly' | 'openb';
  /** Where to get the file when it is not in the shared folder. */
  downloadHint?: string;
}

const DOWNLOAD_HINT = 'full trace: see datasets/README.md, datasets/download.sh';

/**
 * Every trace format, one entry each: adding a format = one loader file + one entry here
 * (+ a header signature below if it is a CSV that `--trace FILE` should recognise).
 */
export const TRACE_FORMATS = {
  philly: {
    load: loadPhilly,
    defaultFile: () => sharedDataset('philly', 'philly_jobs_pollux.csv'),
    defaultCluster: 'philly',
  },
  openb: {
    load: loadAlibaba,
    defaultFile: () => sharedDataset('alibaba-gpu-2023-openb', 'openb_pod_list_default.csv'),
    defaultCluster: 'openb',
  },
  swf: { load: loadSwf, defaultFile: () => sharedDataset('hpc-swf', 'nasa_ipsc_1993_cln.csv') },
  pollux: {
    load: loadPollux,
    defaultFile: () => sharedDataset('dl-workloads-pollux-sia', 'pollux_osdi21', 'workloads', 'workload-1.csv'),
  },
  'philly-raw': {
    load: loadPhillyRaw,
    defaultFile: () => join(repoRoot(), 'datasets', 'raw', 'philly', 'trace-data', 'cluster_job_log'),
    defaultCluster: 'philly',
    downloadHint: DOWNLOAD_HINT,
  },
  helios: {
    load: loadHelios,
    defaultFile: () => join(repoRoot(), 'datasets', 'raw', 'helios', 'data', 'Venus', 'cluster_log.csv'),
    downloadHint: DOWNLOAD_HINT,
  },
} as const satisfies Record<string, TraceFormat>;

export type TraceKind = keyof typeof TRACE_FORMATS;
export const TRACE_KINDS = Object.keys(TRACE_FORMATS) as readonly TraceKind[];

/** The format entry of a kind (widened to TraceFormat, so optional fields can be read). */
export function traceFormat(kind: TraceKind): TraceFormat {
  return TRACE_FORMATS[kind];
}

export function isTraceKind(s: string): s is TraceKind {
  return Object.hasOwn(TRACE_FORMATS, s);
}

export function defaultTraceFile(kind: TraceKind): string {
  return TRACE_FORMATS[kind].defaultFile();
}

export function loadTrace(kind: TraceKind, file: string = defaultTraceFile(kind), opts: LoadOptions = {}): Workload {
  const format = isTraceKind(kind) ? traceFormat(kind) : undefined;
  if (!format) throw new UsageError(`unknown trace kind ${JSON.stringify(kind)} (one of ${TRACE_KINDS.join(', ')})`);
  if (!existsSync(file)) {
    const hint = format.downloadHint ? ` (${format.downloadHint})` : '';
    throw new UsageError(`trace file not found: ${file}${hint}`);
  }
  return format.load(file, opts);
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
