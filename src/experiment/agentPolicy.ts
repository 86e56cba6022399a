import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../util/errors';
import { CHECKPOINT_DIR, loadTrainedAgent } from './train';
import { POLICY_DIR } from './exportPolicy';
import { agentInputSize } from './evaluateDeeprm';
import { agentScheduler } from '../agents/agentScheduler';
import { JOB_FEATURES, CLUSTER_FEATURES } from '../env/observation';
import type { Agent } from '../agents/types';
import type { Scheduler } from '../sim/scheduler';
import { DEFAULT_DURATION_SOURCE, checkDurationSource } from '../predict/source';

/**
 * The checkpoint folder and the training manifest (if any) for a --checkpoint argument: RUN/checkpoint,
 * else RUN/policy (an exported policy), else the folder itself.
 */
export function resolveCheckpoint(dir: string): { ckDir: string; trainManifest?: Record<string, unknown> } {
  if (!existsSync(dir)) throw new UsageError(`--checkpoint: folder not found: ${dir}`);
  const inner = path.join(dir, CHECKPOINT_DIR);
  const exported = path.join(dir, POLICY_DIR);
  // An interrupted checkpoint swap leaves only checkpoint.old: loadCheckpoint falls back to it.
  // A committed run may keep only its exported policy (`lepton export`; e.g. DQN, whose
  // checkpoint holds a replay buffer too large to commit): it acts identically.
  const ckDir = existsSync(inner) || existsSync(`${inner}.old`) ? inner : existsSync(exported) ? exported : dir;
  for (const m of [path.join(dir, 'manifest.json'), path.join(path.dirname(ckDir), 'manifest.json')]) {
    if (existsSync(m)) {
      try {
        return { ckDir, trainManifest: JSON.parse(readFileSync(m, 'utf8')) };
      } catch {
        /* an unreadable manifest only loses the provenance */
      }
    }
  }
  return { ckDir };
}

/** Window of a cluster agent: --window, else the training setting, else from its input size. */
export function agentWindow(window: number | undefined, agent: Agent, trainManifest?: Record<string, unknown>): number {
  if (window !== undefined) return window;
  const setting = (trainManifest?.config as { setting?: { window?: number } } | undefined)?.setting;
  if (setting?.window !== undefined) return setting.window;
  const n = agentInputSize(agent);
  if (n !== undefined && (n - CLUSTER_FEATURES) % JOB_FEATURES === 0) return (n - CLUSTER_FEATURES) / JOB_FEATURES;
  throw new UsageError('evaluate: cannot tell the agent window: pass --window K');
}

/** A trained cluster agent loaded as a policy for `lepton simulate --agent DIR`. */
export interface AgentPolicy {
  name: string;
  make: () => Scheduler;
  /** What oracle information the agent reads (its training env's `durations: oracle`), or false. */
  oracle: string | false;
  provenance: Record<string, unknown>;
}

export async function loadAgentPolicy(dir: string, maxNodeGpus: number, window?: number): Promise<AgentPolicy> {
  const { ckDir, trainManifest } = resolveCheckpoint(dir);
  const agent = await loadTrainedAgent(ckDir);
  const k = agentWindow(window, agent, trainManifest);
  const n = agentInputSize(agent);
  if (n !== undefined && n !== k * JOB_FEATURES + CLUSTER_FEATURES)
    throw new UsageError(
      `${dir}: the agent expects ${n} inputs, not a cluster observation with window ${k} (a DeepRM agent? use lepton evaluate --jobs)`,
    );
  const name = `agent:${path.basename(path.resolve(dir))}`;
  // The agent sees durations from the source it was trained with (checkpoints from before the
  // setting existed were trained on true durations: they deploy as oracles).
  const setting = (trainManifest?.config as { setting?: { durations?: unknown } } | undefined)?.setting;
  const durations =
    setting === undefined
      ? DEFAULT_DURATION_SOURCE
      : checkDurationSource(setting.durations ?? 'oracle', `${dir}: training setting`);
  return {
    name,
    make: () => agentScheduler(agent, k, maxNodeGpus, name, undefined, durations),
    oracle: durations === 'oracle' ? 'true durations (observation trained on them)' : false,
    provenance: {
      checkpoint: ckDir,
      window: k,
      durations,
      trainCommand: trainManifest?.command,
      trainGitRevision: trainManifest?.gitRevision,
    },
  };
}
