/**
 * The SEARCHED scheduler families a cluster-study plan may name beside the RL agents of agents.ts:
 * parametric schedulers whose parameters are found by a derivative-free search over simulations
 * of the training split, not by reinforcement learning in ClusterEnv. They are full schedulers
 * (here: preemptive, on the same engine as LAS), which an Agent acting in ClusterEnv — start a job
 * or wait — cannot be. Adding one = its scheduler and search files + one entry here; the study
 * (clusterStudy.ts trainRun / agentRow) stores and deploys them through this table only.
 *
 * A run folder holds search.json (resumable state, after every update), result.json (the chosen
 * parameters and every iterate) and manifest.json (written last: the run is finished).
 */
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { ClusterSpec } from '../cluster/spec';
import type { BlindScheduler } from '../sim/scheduler';
import { readJsonFile } from '../util/json';
import { writeFileAtomic } from '../util/atomic';
import type { Job } from '../workload/job';
import {
  PRIORITY_ES_DEFAULTS,
  resolvePriorityEsConfig,
  searchPriority,
  type PriorityEsState,
} from '../agents/priorityEs';
import { learnedPriority, PRIORITY_PARAMS, type PriorityWeights } from '../schedulers/learnedPriority';
import { makeManifest } from './manifest';

export interface SearchProblem {
  cluster: ClusterSpec;
  train: readonly Job[];
  validation: readonly Job[];
  simSeed: number;
}

export interface SearchEntry {
  label: string;
  /** The search's hyperparameters and defaults: the keys a plan's `config` may set. */
  defaults: () => Record<string, unknown>;
  /** Runs (or resumes) the search in `dir`; writes result.json. Returns the resolved config. */
  search: (
    p: SearchProblem,
    overrides: Record<string, unknown>,
    seed: number,
    dir: string,
    log: (s: string) => void,
  ) => Record<string, unknown>;
  /** The deployed scheduler of a finished run folder (non-oracle by construction). */
  scheduler: (dir: string, name: string) => BlindScheduler;
}

export const RESULT_FILE = 'result.json';
const STATE_FILE = 'search.json';

export const SEARCHES = {
  'priority-es': {
    label: 'learned priority (ES)',
    defaults: () => ({ ...PRIORITY_ES_DEFAULTS }),
    search: (p, overrides, seed, dir, log) => {
      const cfg = resolvePriorityEsConfig(overrides);
      const stateFile = path.join(dir, STATE_FILE);
      const resume = existsSync(stateFile) ? (readJsonFile(stateFile) as PriorityEsState) : undefined;
      if (resume) log(`  priority-es: resuming after update ${resume.iteration}`);
      const res = searchPriority(p, cfg, seed, {
        resume,
        log,
        onIteration: (s) => writeFileAtomic(stateFile, JSON.stringify(s) + '\n'),
      });
      writeFileAtomic(path.join(dir, RESULT_FILE), JSON.stringify({ config: cfg, ...res }, null, 1) + '\n');
      return cfg;
    },
    scheduler: (dir, name) => {
      const r = readJsonFile(path.join(dir, RESULT_FILE)) as { chosen: { weights: PriorityWeights } };
      const w = r.chosen.weights;
      for (const k of PRIORITY_PARAMS)
        if (typeof w[k] !== 'number') throw new Error(`${dir}/${RESULT_FILE}: weight ${k} missing`);
      return learnedPriority(w, {}, name);
    },
  },
} as const satisfies Record<string, SearchEntry>;

export type SearchKind = keyof typeof SEARCHES;
export const SEARCH_KINDS = Object.keys(SEARCHES) as readonly SearchKind[];

export function isSearchKind(s: string): s is SearchKind {
  return Object.hasOwn(SEARCHES, s);
}

/** Runs one search into `dir` and writes its manifest (the run's "finished" mark). */
export function runSearch(
  kind: SearchKind,
  p: SearchProblem,
  overrides: Record<string, unknown>,
  seed: number,
  dir: string,
  command: string,
  describe: Record<string, unknown>,
  log: (s: string) => void,
): void {
  const entry: SearchEntry = SEARCHES[kind];
  mkdirSync(dir, { recursive: true });
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const c0 = process.cpuUsage();
  const cfg = entry.search(p, overrides, seed, dir, log);
  const cpu = process.cpuUsage(c0);
  const manifest = makeManifest({
    command,
    config: { search: kind, ...cfg, setting: describe },
    seeds: [seed],
    startedAt,
    wallTimeSeconds: (Date.now() - t0) / 1000,
    extra: { cpuSeconds: (cpu.user + cpu.system) / 1e6 },
  });
  writeFileAtomic(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}
