/**
 * A trained policy on its own: the networks (or the Q table) and what rebuilds the agent for
 * acting, without the resumable training state a checkpoint/ also holds (optimizer moments, RNG
 * streams of training, environment states, and for DQN its replay buffer).
 *
 * Why it exists: a DQN checkpoint stores its 20,000-transition replay buffer so that `--resume` is
 * exact; on DeepRM or RLScheduler observations that is 100+ MB, too large to commit, while the
 * Q network it trained is a few KB. `lepton export` writes RUN/policy/ from RUN/checkpoint/, and
 * every command that reads a trained agent (`lepton evaluate`, `rlsched evaluate`, `simulate
 * --agent`) falls back to RUN/policy/ when RUN/checkpoint/ is absent, so a committed run can be
 * re-evaluated on a clean clone whichever of the two it keeps. The exported agent is the one
 * the agent's own `save` writes, loaded by the same registry entry: it acts identically (a test
 * compares evaluations from both).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkpointExists } from '../agents/checkpoint';
import { UsageError } from '../util/errors';
import { OutputSet } from '../util/atomic';
import { makeManifest, type Manifest } from './manifest';
import { CHECKPOINT_DIR, loadTrainedAgent } from './train';

/** Folder of a run that holds its exported policy. */
export const POLICY_DIR = 'policy';
/** Provenance of an export (not `manifest.json`: that name is the training manifest's). */
export const EXPORT_MANIFEST = 'export.json';

/** Every name an agent's `save` can write (checkpoint format, or the Q-learning table). */
const POLICY_FILES = ['model.json', 'weights.bin', 'arrays.bin', 'state.json', 'qlearning.json', 'qtable.f64'];

export interface ExportResult {
  /** The training checkpoint read. */
  from: string;
  /** The policy folder written. */
  out: string;
  algo: string;
  /** Bytes of the exported files, by name. */
  files: Record<string, number>;
}

/**
 * Writes the policy of the run (or checkpoint folder) `run` into `out` (default RUN/policy), as a
 * whole: a reader sees the old export or the new one, never a mix.
 */
export async function exportPolicy(run: string, out?: string, command = 'lepton export'): Promise<ExportResult> {
  if (!fs.existsSync(run)) throw new UsageError(`export: folder not found: ${run}`);
  const inner = path.join(run, CHECKPOINT_DIR);
  const hasInner = checkpointExists(inner);
  const from = hasInner ? inner : run;
  if (!checkpointExists(from) && !fs.existsSync(path.join(from, 'qlearning.json')))
    throw new UsageError(
      `export: no training checkpoint in ${run} (expected ${inner}/state.json): give a \`lepton train\` output folder`,
    );
  const dest = out ?? (hasInner ? path.join(run, POLICY_DIR) : undefined);
  if (dest === undefined)
    throw new UsageError(`export: ${run} is a checkpoint folder, not a run folder: give --out DIR`);
  if (path.resolve(dest) === path.resolve(from))
    throw new UsageError(`export: --out ${dest} is the checkpoint itself: choose another folder`);

  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const agent = await loadTrainedAgent(from);
  const set = OutputSet.open(dest, { known: [...POLICY_FILES, EXPORT_MANIFEST], what: 'exported policy' });
  try {
    await agent.save(set.dir);
    const files: Record<string, number> = {};
    for (const f of fs.readdirSync(set.dir).sort()) files[f] = fs.statSync(path.join(set.dir, f)).size;
    const manifest: Manifest = makeManifest({
      command,
      config: { from: path.resolve(from), algo: agent.name },
      seeds: [],
      startedAt,
      wallTimeSeconds: (Date.now() - t0) / 1000,
      extra: { files },
    });
    set.write(EXPORT_MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
    set.commit();
    return { from, out: dest, algo: agent.name, files };
  } finally {
    set.abort();
  }
}
