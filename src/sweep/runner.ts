/**
 * Running a plan's cells: this shard's share (cell index mod N = I), minus the cells
 * already done, in `workers` child processes (or in this process for one worker), with a
 * progress line (done, running, failed, ETA). Shards come from --shard I/N, or a Slurm job
 * array (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), or a
 * Kubernetes Indexed Job (JOB_COMPLETION_INDEX of LEPTON_SHARD_COUNT).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { UsageError } from '../util/errors';
import { cleanStaleTemps, isDone, runAndStoreCell } from './cell';
import type { Cell, Plan } from './plan';

export interface Shard {
  index: number;
  count: number;
  /** Where it came from, for the log. */
  source: string;
}

/** --shard I/N, else the scheduler's environment variables, else 0/1. */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag);
    if (!m) throw new UsageError(`--shard '${flag}': expected I/N with 0 <= I < N, e.g. 0/4`);
    const [index, count] = [Number(m[1]), Number(m[2])];
    if (!(count >= 1 && index < count)) throw new UsageError(`--shard '${flag}': need 0 <= I < N and N >= 1`);
    return { index, count, source: '--shard' };
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = Number(env.SLURM_ARRAY_TASK_ID);
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    const count = Number(env.SLURM_ARRAY_TASK_COUNT);
    if (!Number.isInteger(id) || !Number.isInteger(min) || !(count >= 1) || id - min < 0 || id - min >= count)
      throw new UsageError(
        `Slurm array: SLURM_ARRAY_TASK_ID=${env.SLURM_ARRAY_TASK_ID}, SLURM_ARRAY_TASK_MIN=${env.SLURM_ARRAY_TASK_MIN}, ` +
          `SLURM_ARRAY_TASK_COUNT=${env.SLURM_ARRAY_TASK_COUNT}: expected a contiguous array (--array=0-N or 1-N, no step)`,
      );
    return { index: id - min, count, source: 'Slurm array task' };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = Number(env.JOB_COMPLETION_INDEX);
    const count = Number(env.LEPTON_SHARD_COUNT);
    if (!Number.isInteger(index) || !(count >= 1) || index < 0 || index >= count)
      throw new UsageError(
        `Kubernetes Indexed Job: JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX} needs LEPTON_SHARD_COUNT (= completions) > it`,
      );
    return { index, count, source: 'Kubernetes Indexed Job' };
  }
  return { index: 0, count: 1, source: 'whole plan' };
}

export function shardCells(cells: readonly Cell[], shard: Shard): Cell[] {
  return cells.filter((c) => c.index % shard.count === shard.index);
}

export interface RunOptions {
  out: string;
  workers: number;
  shard: Shard;
  /** Plan file (absolute), for the worker processes. */
  planFile: string;
  /** Recorded in each cell's manifest. */
  command: string;
  /** One progress line (default: stderr, rewritten in place on a terminal). */
  log?: (line: string) => void;
}

export interface RunSummary {
  total: number;
  shard: number;
  skipped: number;
  ran: number;
  failed: { hash: string; error: string }[];
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export async function runPlan(plan: Plan, cells: readonly Cell[], o: RunOptions): Promise<RunSummary> {
  const mine = shardCells(cells, o.shard);
  cleanStaleTemps(o.out);
  const todo = mine.filter((c) => !isDone(o.out, c.hash));
  const summary: RunSummary = {
    total: cells.length,
    shard: mine.length,
    skipped: mine.length - todo.length,
    ran: 0,
    failed: [],
  };
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  log(
    `[sweep] ${plan.name}: ${cells.length} cells; shard ${o.shard.index}/${o.shard.count} (${o.shard.source}) has ${mine.length}, ` +
      `${summary.skipped} already done, ${todo.length} to run on ${Math.min(o.workers, todo.length)} worker(s)`,
  );
  if (todo.length === 0) return summary;
  const started = Date.now();
  let running = 0;
  const progress = (): void => {
    const done = summary.ran + summary.failed.length;
    const elapsed = (Date.now() - started) / 1000;
    const eta = done > 0 ? ((todo.length - done) * elapsed) / done : NaN;
    log(
      `[sweep] ${summary.skipped + summary.ran}/${mine.length} done, ${running} running, ${summary.failed.length} failed, ` +
        `elapsed ${fmtDuration(elapsed)}, ETA ${done === todo.length ? '0 s' : fmtDuration(eta)}`,
    );
  };
  if (o.workers <= 1) {
    for (const c of todo) {
      running = 1;
      try {
        await runAndStoreCell(plan, c, o.out, o.command);
        summary.ran++;
      } catch (e) {
        summary.failed.push({ hash: c.hash, error: (e as Error).message });
      }
      running = 0;
      progress();
    }
    return summary;
  }
  // Child processes: a crash in one cell (or a native abort) takes down one worker, not the run.
  const queue = [...todo];
  const workerFile = path.join(__dirname, `worker${path.extname(__filename)}`);
  await new Promise<void>((resolve) => {
    let alive = 0;
    const startWorker = (): void => {
      const child: ChildProcess = fork(workerFile, [o.planFile, o.out, o.command], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      alive++;
      let current: Cell | undefined;
      const next = (): void => {
        current = queue.shift();
        if (!current) {
          child.send({ type: 'exit' });
          return;
        }
        running++;
        child.send({ type: 'run', index: current.index });
      };
      child.on('message', (m: { type: string; index: number; ok: boolean; error?: string }) => {
        if (m.type === 'ready') return next();
        if (m.type !== 'done' || !current) return;
        running--;
        if (m.ok) summary.ran++;
        else summary.failed.push({ hash: current.hash, error: m.error ?? 'unknown error' });
        current = undefined;
        progress();
        next();
      });
      child.on('exit', (code, signal) => {
        alive--;
        if (current) {
          running--;
          summary.failed.push({ hash: current.hash, error: `worker died (${signal ?? `exit ${code}`})` });
          progress();
          current = undefined;
          if (queue.length > 0) startWorker();
        }
        if (alive === 0) resolve();
      });
    };
    for (let i = 0; i < Math.min(o.workers, queue.length); i++) startWorker();
  });
  return summary;
}
