/**
 * Where a training run stands, read from its output folder: finished (`lepton train` writes
 * manifest.json last), checkpointed part-way (resumable with --resume), or not started. The result
 * tables list the runs of their plan that are not finished with this, so a run cut by the end of a
 * session is reported as pending at its checkpoint step instead of silently missing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkpointExists, loadCheckpoint } from '../agents/checkpoint';

export interface RunProgress {
  state: 'finished' | 'checkpointed' | 'not started';
  /** Training iteration of the checkpoint (the unit of --iterations); null without one. */
  iteration: number | null;
  /** Environment steps of the checkpoint (PPO/A2C: globalStep; DQN/Q-learning: step); null if not recorded. */
  steps: number | null;
}

/**
 * The training iteration a checkpoint's counters stand at, in the unit of --iterations: PG counts
 * iterations, PPO/A2C updates, DQN/Q-learning environment steps (an iteration = `logEvery` steps).
 * Shared with `--resume`, which continues from this iteration (NaN: steps without a valid logEvery).
 */
export function checkpointIteration(counters: Record<string, number> | undefined, logEvery: unknown): number {
  if (counters?.iteration !== undefined) return counters.iteration;
  if (counters?.update !== undefined) return counters.update;
  if (counters?.step !== undefined)
    return typeof logEvery === 'number' && logEvery > 0 ? Math.round(counters.step / logEvery) : NaN;
  return 0;
}

/** Progress of the run in `dir` (the --out folder of `lepton train`). */
export async function runProgress(dir: string): Promise<RunProgress> {
  const finished = existsSync(path.join(dir, 'manifest.json'));
  const ck = path.join(dir, 'checkpoint');
  if (!checkpointExists(ck)) return { state: finished ? 'finished' : 'not started', iteration: null, steps: null };
  const c = await loadCheckpoint(ck);
  return {
    state: finished ? 'finished' : 'checkpointed',
    iteration: checkpointIteration(c.counters, (c.config as { logEvery?: unknown } | null)?.logEvery),
    steps: c.counters?.globalStep ?? c.counters?.step ?? null,
  };
}
