/**
 * Running one cell and storing its result. A cell's folder `<out>/cells/<hash>/` holds
 * `result.json` (the cell's spec and its metrics: what `sweep merge` reads) and
 * `manifest.json` (provenance: git revision, versions, wall time, host). The folder is
 * written as `<out>/cells/.tmp-<host>-<pid>-<hash>/` and renamed into place when complete:
 * a cell is done exactly when its folder exists, so a run killed at any point (kill -9,
 * node failure, Slurm pre-emption) never leaves a half-written cell that looks done.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../util/errors';
import { embeddedDefaultWorkload } from '../workload/generators';
import { loadTrace } from '../workload/traces';
import type { Job } from '../workload/job';
import { presetCluster, clusterFromJson } from '../cluster/presets';
import { clusterTotals, type ClusterSpec } from '../cluster/spec';
import { simulate } from '../sim/simulator';
import { summarize, SUMMARY_COLUMNS, type Summary } from '../metrics';
import { makeScheduler } from '../schedulers/registry';
import { loadAgentPolicy } from '../experiment/agentPolicy';
import { makeManifest } from '../experiment/manifest';
import type { Scheduler } from '../sim/scheduler';
import { parseTrace, type Cell, type Plan } from './plan';

export interface CellResult {
  hash: string;
  spec: Cell['spec'];
  /** Jobs replayed (after the prefix and oversize rejection is counted in `metrics`). */
  jobs: number;
  events: number;
  metrics: Summary;
}

export const CELLS_DIR = 'cells';

export function cellDir(out: string, hash: string): string {
  return path.join(out, CELLS_DIR, hash);
}

export function isDone(out: string, hash: string): boolean {
  return fs.existsSync(path.join(cellDir(out, hash), 'result.json'));
}

export function readCellResult(out: string, hash: string): CellResult {
  const file = path.join(cellDir(out, hash), 'result.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CellResult;
}

/** Workloads and clusters loaded once per process (a worker runs many cells of one trace). */
const workloads = new Map<string, Job[]>();

function cellJobs(plan: Plan, cell: Cell): Job[] {
  const { trace, jobs, arrivalScale, seed } = cell.spec;
  let base: Job[];
  if (trace === 'embedded') {
    const key = `embedded:${seed}`;
    base = workloads.get(key) ?? embeddedDefaultWorkload(seed, { jobs: plan.options.embeddedJobs }).workload.jobs;
    workloads.set(key, base);
  } else {
    base = workloads.get(trace) ?? [];
    if (!workloads.has(trace)) {
      const { kind, file } = parseTrace(trace)!;
      base = loadTrace(kind, file).jobs;
      workloads.set(trace, base);
    }
  }
  let out = jobs > 0 ? base.slice(0, jobs) : base;
  if (arrivalScale !== 1) out = out.map((j) => ({ ...j, submit: j.submit / arrivalScale }));
  return out;
}

function cellCluster(name: string): ClusterSpec {
  return name.toLowerCase().endsWith('.json') ? clusterFromJson(name) : presetCluster(name);
}

/** Runs one cell in this process and returns its result (nothing is written). */
export async function runCell(plan: Plan, cell: Cell): Promise<CellResult> {
  const jobs = cellJobs(plan, cell);
  const cluster = cellCluster(cell.spec.cluster);
  let make: () => Scheduler;
  if (cell.spec.scheduler.startsWith('policy:')) {
    const name = cell.spec.scheduler.slice('policy:'.length);
    make = () => makeScheduler(name);
  } else if (cell.spec.scheduler.startsWith('agent:')) {
    const maxNodeGpus = Math.max(...cluster.nodes.map((n) => n.gpus));
    make = (await loadAgentPolicy(cell.spec.scheduler.slice('agent:'.length), maxNodeGpus)).make;
  } else throw new UsageError(`cell ${cell.hash}: unknown scheduler ${cell.spec.scheduler}`);
  const result = simulate(jobs, cluster, make(), {
    seed: cell.spec.seed,
    oversize: plan.options.oversize,
    placement: plan.options.placement as never,
  });
  const metrics = summarize(result);
  return { hash: cell.hash, spec: cell.spec, jobs: jobs.length, events: result.events, metrics };
}

let tmpCounter = 0;

/**
 * Runs a cell and publishes its folder atomically. Returns false if another process
 * published the same cell first (its result is kept: both are identical).
 */
export async function runAndStoreCell(plan: Plan, cell: Cell, out: string, command: string): Promise<boolean> {
  const started = Date.now();
  const result = await runCell(plan, cell);
  const cells = path.join(out, CELLS_DIR);
  fs.mkdirSync(cells, { recursive: true });
  const tmp = path.join(cells, `.tmp-${os.hostname()}-${process.pid}-${tmpCounter++}-${cell.hash}`);
  fs.mkdirSync(tmp);
  const manifest = makeManifest({
    command,
    config: { plan: plan.name, cell: cell.spec, options: plan.options, hash: cell.hash, index: cell.index },
    seeds: [cell.spec.seed],
    startedAt: new Date(started).toISOString(),
    wallTimeSeconds: (Date.now() - started) / 1000,
    extra: {
      host: os.hostname(),
      pid: process.pid,
      gpus: clusterTotals(cellCluster(cell.spec.cluster)).gpus,
      slurmJob: process.env.SLURM_JOB_ID ?? null,
      slurmArrayTask: process.env.SLURM_ARRAY_TASK_ID ?? null,
      k8sIndex: process.env.JOB_COMPLETION_INDEX ?? null,
    },
  });
  writeSynced(path.join(tmp, 'result.json'), JSON.stringify(result, numbersAsIs, 2) + '\n');
  writeSynced(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  syncDir(tmp);
  try {
    fs.renameSync(tmp, cellDir(out, cell.hash));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fs.rmSync(tmp, { recursive: true, force: true });
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw e;
  }
  syncDir(cells);
  return true;
}

/** JSON has no NaN/Infinity: metrics that are undefined (no finished job) are stored as null. */
function numbersAsIs(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

function writeSynced(file: string, text: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Deletes this host's temporaries of cells whose process no longer runs (a killed run). */
export function cleanStaleTemps(out: string): number {
  const cells = path.join(out, CELLS_DIR);
  if (!fs.existsSync(cells)) return 0;
  const prefix = `.tmp-${os.hostname()}-`;
  let n = 0;
  for (const name of fs.readdirSync(cells)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    fs.rmSync(path.join(cells, name), { recursive: true, force: true });
    n++;
  }
  return n;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process whose parent died too may stay a zombie (in a container whose PID 1
  // reaps nothing): kill(pid, 0) still succeeds, but it will never write again.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(pid, 0)
  }
}

export const METRIC_KEYS: readonly string[] = SUMMARY_COLUMNS.map((c) => c.key);
