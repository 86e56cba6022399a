/**
 * `lepton train` as a function: trains one agent on one task, writes
 *   DIR/checkpoint/   the training checkpoint (resume point; also what `lepton evaluate` loads)
 *   DIR/curve.csv     iteration, wall seconds, training metrics, held-out mean slowdown
 *   DIR/manifest.json config, seeds, git revision, tfjs backend, timings, final evaluation
 *
 * Periodic evaluation: on the task's VALIDATION split when `evalSplit` is 'validation'
 * (curve columns val_*; the held-out split is then evaluated once, at the end, for the
 * final numbers: columns eval_* of the last row), else on the held-out split (eval_*).
 * The training loops own their agent, so for pg, a2c and
 * ppo a run is cut into segments of `evalEvery` iterations. At a segment end the loop
 * is stopped through its logger (it then writes its checkpoint), the returned agent is
 * evaluated, and the next segment resumes from the checkpoint. REINFORCE, A2C and PPO
 * resume exactly (same RNG states, optimizer, job-set order or mid-episode env states),
 * so segmenting changes nothing.
 * dqn and qlearning (whole loops, resumed exactly from their own checkpoints) are
 * evaluated at the end only.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { fsUsageError } from '../util/fsErrors';
import { readJsonFile } from '../util/json';
import * as path from 'node:path';
import type { Agent, TrainMetrics } from '../agents/types';
import type { Env } from '../env/types';
import { loadPolicyAgent, PolicyAgent } from '../agents/fastpath';
import { checkpointExists, loadCheckpoint } from '../agents/checkpoint';
import { initBackend, currentBackend } from '../tf/backend';
import { writeCsv } from '../util/csv';
import { UsageError } from '../util/errors';
import { Rng } from '../util/rng';
import { makeManifest, type Manifest } from './manifest';
import { writeFileAtomic } from '../util/atomic';
import { AGENTS, AGENT_KINDS, agentEntry, type AgentKind } from './agents';
import { checkpointIteration } from './runProgress';
import type { EvalSplit, HeldOutEval, TrainTask } from './task';

export { AGENT_KINDS, type AgentKind };
export { ENV_KINDS, type EnvKind, type EvalSplit, type HeldOutEval, type TrainTask } from './task';

/**
 * `--env rlsched`: every policy-based family uses RLScheduler's kernel network (one 8 → 32 → 16 →
 * 8 → 1 ReLU MLP scoring each of the 128 job rows; logits masked), the value networks an MLP of the
 * same hidden sizes on the flat 128 × 8 observation; γ = 1 (reward only at the episode end). DQN
 * scores job rows with the same kernel (Q(s, "start row i") = kernel(row i)): a flat Q network would
 * have to learn 128 copies of one job-scoring function, and the kernel makes the Q values
 * permutation-equivariant like the policy. Tabular Q-learning hashes the binned observation.
 * Budgets are sized for this 2-core machine (docs/rlscheduler.md).
 */
export const RLSCHED_AGENT_DEFAULTS: Record<AgentKind, Record<string, unknown>> = {
  // Equal default budget for every family: 61,440 environment steps (= 240 episodes of 256 jobs).
  ppo: {
    numEnvs: 4,
    numSteps: 256,
    totalSteps: 61_440,
    kernelRows: 128,
    hiddenSizes: [32, 16, 8],
    activation: 'relu',
    gamma: 1,
    gaeLambda: 0.97,
    entCoef: 0,
    lr: 1e-3,
    updateEpochs: 8,
    annealLr: false,
    targetKl: 0.01,
    checkpointEvery: 5,
  },
  a2c: {
    numEnvs: 8,
    numSteps: 32,
    totalSteps: 61_440,
    kernelRows: 128,
    hiddenSizes: [32, 16, 8],
    activation: 'relu',
    gamma: 1,
    gaeLambda: 0.97,
    normAdv: true,
    optimizer: { kind: 'adam', lr: 1e-3 },
    checkpointEvery: 20,
  },
  // A2C's budget and optimizer, but a plain MLP (A3C has no kernel network) and the actors in
  // turn in this thread (the rlsched task has no env recipe for worker threads yet).
  a3c: {
    numWorkers: 2,
    numEnvs: 4,
    numSteps: 32,
    totalSteps: 61_440,
    hiddenSizes: [32, 16, 8],
    activation: 'relu',
    gamma: 1,
    gaeLambda: 0.97,
    normAdv: true,
    optimizer: { kind: 'adam', lr: 1e-3 },
    checkpointEvery: 20,
    threads: false,
  },
  pg: {
    // 4 job sets x 4 rollouts x 256 steps = 4,096 steps per iteration; 15 iterations = 61,440
    numJobSets: 4,
    rolloutsPerJobSet: 4,
    jobSetsPerBatch: 2,
    iterations: 15,
    kernelRows: 128,
    hiddenSizes: [32, 16, 8],
    init: 'glorot',
    optimizer: { kind: 'adam', lr: 1e-3 },
    checkpointEvery: 5,
  },
  dqn: {
    totalSteps: 61_440,
    logEvery: 2_048,
    kernelRows: 128,
    hiddenSizes: [32, 16, 8],
    dueling: false,
    gamma: 1,
    nStep: 8,
    bufferSize: 20_000,
    batchSize: 32,
    learningStarts: 2_048,
    targetUpdateInterval: 1_024,
    checkpointEvery: 10_240,
  },
  qlearning: { totalSteps: 61_440, logEvery: 2_048, bins: 2, gamma: 1, checkpointEvery: 10_240 },
};

/** The algorithm's own DEFAULTS (the keys a --config file may set). */
export function agentDefaults(agent: AgentKind): Record<string, unknown> {
  return AGENTS[agent].defaults();
}

/** Reported iterations of a run of `agent` with this config. */
export function iterationsOf(agent: AgentKind, cfg: Record<string, number>): number {
  return AGENTS[agent].iterationsOf(cfg);
}

/** The full hyperparameters of a run: algorithm DEFAULTS ← task defaults ← overrides ← --iterations. */
export function resolveAgentConfig(
  agent: AgentKind,
  task: TrainTask,
  overrides: Record<string, unknown>,
  iterations?: number,
): Record<string, unknown> {
  const entry = agentEntry(agent);
  const base = entry.defaults();
  for (const k of Object.keys(overrides))
    if (!(k in base))
      throw new UsageError(
        `--config: '${k}' is not a ${agent} hyperparameter (known: ${Object.keys(base).join(', ')})`,
      );
  // --env rlsched has its own per-agent defaults (its kernel network, budgets).
  const taskDefaults = task.env === 'rlsched' ? RLSCHED_AGENT_DEFAULTS[agent] : entry.taskDefaults(task);
  let cfg = { ...base, ...taskDefaults, ...overrides };
  if (iterations !== undefined) {
    if (!(Number.isInteger(iterations) && iterations >= 1))
      throw new UsageError(`--iterations must be an integer >= 1, got ${iterations}`);
    cfg = entry.withIterations(cfg, iterations);
  }
  cfg = entry.derive(cfg, overrides);
  // JSON-safe: Infinity is not representable (pg's maxGradNorm default).
  return cfg;
}

/** Loads whatever `lepton train` left in a checkpoint directory, as an Agent. */
export async function loadTrainedAgent(dir: string, seed = 0): Promise<Agent> {
  const algo = checkpointExists(dir) ? (await loadCheckpoint(dir)).algo : undefined;
  const kind = AGENT_KINDS.find((k) => agentEntry(k).owns(dir, algo));
  if (kind) return agentEntry(kind).load(dir, seed);
  if (algo !== undefined) return AGENTS.pg.load(dir, seed); // any other policy-network checkpoint
  throw new UsageError(`no checkpoint in ${dir}`);
}

/** One row of curve.csv. */
export interface CurveRow {
  iteration: number;
  wall_seconds: number;
  [metric: string]: number;
}

export interface TrainRunOptions {
  agent: AgentKind;
  task: TrainTask;
  /** Hyperparameter overrides (the --config file). */
  overrides: Record<string, unknown>;
  seed: number;
  out: string;
  iterations?: number;
  /** Held-out evaluation every this many iterations (0 = only at the end). */
  evalEvery: number;
  resume: boolean;
  /** Also evaluate the sampling (stochastic) policy at each evaluation point. */
  evalStochastic?: boolean;
  /**
   * Split of the periodic evaluation (default 'heldout', the historical behaviour;
   * `lepton train` defaults to 'validation' when the task has one). With 'validation'
   * the held-out split is evaluated once at the end (unless finalHeldOut is false).
   */
  evalSplit?: EvalSplit;
  /** With evalSplit 'validation': evaluate on the held-out split at the end (default true). */
  finalHeldOut?: boolean;
  /** argv of the command, for the manifest. */
  command: string;
  /** Let --resume continue a run whose seed, env or hyperparameters differ (recorded in the manifest). */
  forceConfigChange?: boolean;
  onProgress?: (iteration: number, total: number, last: CurveRow) => void;
  log?: (line: string) => void;
}

export interface TrainRunResult {
  iterations: number;
  trainWallSeconds: number;
  curve: CurveRow[];
  /** The last evaluation (held-out unless evalSplit 'validation' with finalHeldOut false). */
  final: { greedy: HeldOutEval; stochastic?: HeldOutEval };
  finalSplit: EvalSplit;
  manifest: Manifest;
}

export const CURVE_FILE = 'curve.csv';
/** What identifies a run (agent, env, seed, setting, hyperparameters), written at its start. */
export const RUN_FILE = 'run.json';

/** Keys that may change between a run and its resume: how long it runs. */
const RUN_LENGTH_KEYS = new Set(['iterations', 'totalSteps']);

function runIdentity(o: TrainRunOptions, cfg: Record<string, unknown>): Record<string, unknown> {
  const h = finiteConfig(cfg);
  for (const k of RUN_LENGTH_KEYS) delete h[k];
  return { agent: o.agent, env: o.task.env, seed: o.seed, setting: finiteConfig(o.task.setting), hyperparameters: h };
}

/** Human-readable differences between two identities ('seed 1 → 2', …). */
function identityChanges(prev: unknown, now: Record<string, unknown>, at = ''): string[] {
  if (JSON.stringify(prev) === JSON.stringify(now)) return [];
  if (typeof prev !== 'object' || prev === null || Array.isArray(prev) || Array.isArray(now))
    return [`${at || 'run'} ${JSON.stringify(prev)} → ${JSON.stringify(now)}`];
  const out: string[] = [];
  const p = prev as Record<string, unknown>;
  for (const k of new Set([...Object.keys(p), ...Object.keys(now)])) {
    const a = p[k];
    const b = now[k];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(b))
      out.push(...identityChanges(a, b as Record<string, unknown>, at ? `${at}.${k}` : k));
    else out.push(`${at ? `${at}.${k}` : k} ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
  }
  return out;
}
export const CHECKPOINT_DIR = 'checkpoint';

/** Reads curve.csv rows back (for --resume): all-numeric, no quoting. */
export function readCurve(file: string): CurveRow[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  if (lines.length === 0) return [];
  const header = lines[0].split(',');
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    const row: Record<string, number> = {};
    header.forEach((h, i) => (row[h] = cells[i] === '' || cells[i] === undefined ? NaN : Number(cells[i])));
    return row as CurveRow;
  });
}

/** Curve columns of one evaluation split. */
function evalColumns(split: EvalSplit): { greedy: string; stochastic: string; unscheduled: string } {
  const p = split === 'validation' ? 'val_' : 'eval_';
  return { greedy: `${p}mean_slowdown`, stochastic: `${p}mean_slowdown_stochastic`, unscheduled: `${p}unscheduled` };
}

function writeCurve(file: string, rows: readonly CurveRow[]): void {
  const cols: string[] = ['iteration', 'wall_seconds'];
  const isEval = (k: string): boolean => k.startsWith('eval_') || k.startsWith('val_');
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k) && !isEval(k)) cols.push(k);
  if (rows.some((r) => 'val_mean_slowdown' in r))
    cols.push('val_mean_slowdown', 'val_mean_slowdown_stochastic', 'val_unscheduled');
  cols.push('eval_mean_slowdown', 'eval_mean_slowdown_stochastic', 'eval_unscheduled');
  writeFileAtomic(
    file,
    writeCsv(
      rows.map((r) => ({
        val_mean_slowdown: NaN,
        val_mean_slowdown_stochastic: NaN,
        val_unscheduled: NaN,
        eval_mean_slowdown: NaN,
        eval_mean_slowdown_stochastic: NaN,
        eval_unscheduled: NaN,
        ...r,
      })),
      cols,
    ),
  );
}

function finiteConfig(cfg: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(cfg, (_k, v) => (v === Infinity ? 'Infinity' : v)));
}

/** Runs training with checkpoints, learning curve, periodic held-out evaluation and a manifest. */
export async function runTraining(o: TrainRunOptions): Promise<TrainRunResult> {
  const backend = await initBackend();
  const startedAt = new Date().toISOString();
  const log = o.log ?? (() => {});
  const periodicSplit: EvalSplit = o.evalSplit ?? 'heldout';
  if (periodicSplit === 'validation' && !o.task.validate)
    throw new UsageError(`--eval-split validation: the ${o.task.env} task has no validation split`);
  const cfg = resolveAgentConfig(o.agent, o.task, o.overrides, o.iterations);
  const total = iterationsOf(o.agent, cfg as Record<string, number>);
  try {
    mkdirSync(o.out, { recursive: true });
  } catch (e) {
    throw fsUsageError('create the output folder', o.out, e);
  }
  const ckDir = path.join(o.out, CHECKPOINT_DIR);
  const curveFile = path.join(o.out, CURVE_FILE);
  if (existsSync(ckDir) && !statSync(ckDir).isDirectory())
    throw new UsageError(`${ckDir} is a file, not a checkpoint folder: move it away or choose another --out`);
  const hasCk = checkpointExists(ckDir) || existsSync(path.join(ckDir, 'qlearning.json'));
  if (hasCk && !o.resume)
    throw new UsageError(`${ckDir} already holds a checkpoint: pass --resume to continue it, or choose another --out`);
  // A resume without a checkpoint would silently retrain from scratch over the old run.
  if (o.resume && !hasCk)
    throw new UsageError(
      `--resume: no checkpoint in ${ckDir} (no ${path.join(CHECKPOINT_DIR, 'state.json')}): nothing to resume; drop --resume to start a new run`,
    );
  // What makes two runs the same run: a resume must continue it, not silently switch
  // seed, environment or hyperparameters (the manifest would then lie). Run length may grow.
  const identity = runIdentity(o, cfg);
  const runFile = path.join(o.out, RUN_FILE);
  let changes: string[] = [];
  if (o.resume) {
    const prev = existsSync(runFile) ? readJsonFile(runFile) : undefined;
    changes = prev === undefined ? [`${RUN_FILE} is missing`] : identityChanges(prev, identity);
    if (changes.length > 0 && !o.forceConfigChange)
      throw new UsageError(
        `--resume: the run in ${o.out} was started with other settings (${changes.slice(0, 4).join('; ')}); ` +
          'resume with the same --agent/--env/--seed/--config, or pass --force-config-change to continue anyway',
      );
  }
  writeFileAtomic(runFile, JSON.stringify(identity, null, 2) + '\n');
  const entry = agentEntry(o.agent);
  if (o.resume && entry.training.mode === 'whole' && !entry.training.resumable && hasCk)
    throw new UsageError(
      `${o.agent} has no resumable training state (its loop keeps no checkpoint): start a new --out`,
    );

  // Where the previous run stopped (resume), and its curve up to there.
  let startIteration = 0;
  if (o.resume && hasCk) {
    const ck = await loadCheckpoint(ckDir);
    startIteration = checkpointIteration(ck.counters, cfg.logEvery);
    if (!(Number.isInteger(startIteration) && startIteration >= 0 && startIteration <= total))
      throw new UsageError(
        `--resume: ${path.join(ckDir, 'state.json')} is at iteration ${startIteration}, outside this run's 0…${total} (corrupt checkpoint, or pass a larger --iterations)`,
      );
    log(`resuming ${ck.algo} from iteration ${startIteration} of ${total}`);
  }
  const curve: CurveRow[] = readCurve(curveFile).filter((r) => r.iteration <= startIteration);
  const wallOffset = curve.length > 0 ? curve[curve.length - 1].wall_seconds : 0;
  let segmentStart = Date.now();
  let wallBefore = wallOffset;
  const wallNow = (): number => wallBefore + (Date.now() - segmentStart) / 1000;

  const record = (iteration: number, metrics: TrainMetrics): void => {
    const row: CurveRow = { iteration, wall_seconds: wallNow() };
    for (const [k, v] of Object.entries(metrics)) row[k] = v;
    const i = curve.findIndex((r) => r.iteration === iteration);
    if (i >= 0) curve[i] = row;
    else curve.push(row);
    writeCurve(curveFile, curve); // small file: keeps the curve current for long runs
    o.onProgress?.(iteration, total, row);
  };
  const evaluateInto = (
    agent: Agent,
    iteration: number,
    split: EvalSplit = periodicSplit,
  ): { greedy: HeldOutEval; stochastic?: HeldOutEval } => {
    // Evaluation time is not training time.
    wallBefore = wallNow();
    const run = (greedy: boolean): HeldOutEval =>
      split === 'validation' ? o.task.validate!(agent, greedy) : o.task.evaluate(agent, greedy);
    const greedy = run(true);
    let stochastic: HeldOutEval | undefined;
    if (o.evalStochastic !== false && o.task.stochasticEval !== false && agent instanceof PolicyAgent) {
      const saved = agent.rng.getState();
      agent.rng = new Rng(o.seed + 1_000_003);
      stochastic = run(false);
      agent.rng.setState(saved);
    }
    segmentStart = Date.now();
    let row = curve.find((r) => r.iteration === iteration);
    if (!row) {
      row = { iteration, wall_seconds: wallBefore };
      curve.push(row);
      curve.sort((a, b) => a.iteration - b.iteration);
    }
    const col = evalColumns(split);
    row[col.greedy] = greedy.meanSlowdown;
    // Jobs a policy never scheduled are not in its mean (spec): show them beside it.
    row[col.unscheduled] = greedy.details.unscheduled ?? greedy.details.unfinished ?? NaN;
    if (stochastic) row[col.stochastic] = stochastic.meanSlowdown;
    writeCurve(curveFile, curve);
    log(
      `iteration ${iteration}: ${split === 'validation' ? 'validation' : 'held-out'} mean slowdown greedy ${greedy.meanSlowdown.toFixed(3)}${stochastic ? `, stochastic ${stochastic.meanSlowdown.toFixed(3)}` : ''}`,
    );
    return { greedy, stochastic };
  };

  const makeEnv = (): Env => o.task.makeTrainEnv();
  let agent: Agent;
  let done = startIteration;
  let final: { greedy: HeldOutEval; stochastic?: HeldOutEval } | undefined;

  const training = entry.training;
  if (training.mode === 'segmented') {
    const train = (target: number): Promise<PolicyAgent> =>
      training.train(makeEnv, cfg, {
        seed: o.seed,
        checkpointDir: ckDir,
        resume: true,
        envRecipe: o.task.trainEnvRecipe,
        onIteration: (it, m) => {
          record(it, m);
          done = it;
          return it < target;
        },
      });
    // The untrained policy (iteration 0) is a useful first point of the curve.
    if (training.evalUntrained && startIteration === 0 && o.evalEvery > 0) {
      const a0 = await training.train(makeEnv, entry.withIterations(cfg, 0), {
        seed: o.seed,
        resume: false,
        onIteration: () => true,
      });
      evaluateInto(a0, 0);
      a0.dispose();
    }
    // A run killed after the checkpoint of an evaluation point but before that evaluation:
    // evaluate the checkpointed policy now, so the curve equals an uninterrupted run's.
    if (startIteration > 0 && startIteration < total && o.evalEvery > 0 && startIteration % o.evalEvery === 0) {
      const row = curve.find((r) => r.iteration === startIteration);
      if (!row || !Number.isFinite(row[evalColumns(periodicSplit).greedy])) {
        const a = await loadPolicyAgent(ckDir, o.seed);
        evaluateInto(a, startIteration);
        a.dispose();
      }
    }
    let current: PolicyAgent | undefined;
    do {
      const target = o.evalEvery > 0 ? Math.min(total, (Math.floor(done / o.evalEvery) + 1) * o.evalEvery) : total;
      current?.dispose();
      current = await train(target);
      writeCurve(curveFile, curve);
      if (done >= total || o.evalEvery > 0) final = evaluateInto(current, done);
    } while (done < total);
    agent = current;
  } else {
    const res = await training.train(makeEnv, cfg, {
      seed: o.seed,
      checkpointDir: ckDir,
      resume: o.resume,
      onIteration: (it, m) => {
        record(it, m);
        done = it;
        return true;
      },
    });
    agent = res.agent;
    done = res.iterations;
    writeCurve(curveFile, curve);
    final = evaluateInto(agent, done);
  }
  if (!final) final = evaluateInto(agent, done);
  let finalSplit: EvalSplit = periodicSplit;
  const lastValidation = periodicSplit === 'validation' ? final : undefined;
  if (periodicSplit === 'validation' && o.finalHeldOut !== false) {
    final = evaluateInto(agent, done, 'heldout');
    finalSplit = 'heldout';
  }
  const trainWallSeconds = curve.length > 0 ? curve[curve.length - 1].wall_seconds : 0;

  const manifest = makeManifest({
    command: o.command,
    config: {
      env: o.task.env,
      agent: o.agent,
      setting: o.task.setting,
      hyperparameters: finiteConfig(cfg),
      evalEvery: o.evalEvery,
      evalSplit: periodicSplit,
      iterations: total,
    },
    seeds: [o.seed],
    // 'fused' when src/nn/'s kernels computed the gradients, else the tfjs backend that did.
    backend: entry.trainBackend(cfg) === 'fused' ? 'fused' : backend,
    startedAt,
    wallTimeSeconds: trainWallSeconds,
    extra: {
      trainWallSeconds,
      iterationsDone: done,
      resumedFrom: startIteration,
      ...(changes.length > 0 ? { resumedWithChanges: changes } : {}),
      tfjsBackend: currentBackend(),
      trainBackend: entry.trainBackend(cfg),
      ...(finalSplit === 'heldout'
        ? { heldOut: { greedy: final.greedy, ...(final.stochastic ? { stochastic: final.stochastic } : {}) } }
        : {}),
      ...(lastValidation
        ? {
            validation: {
              greedy: lastValidation.greedy,
              ...(lastValidation.stochastic ? { stochastic: lastValidation.stochastic } : {}),
            },
          }
        : {}),
      files: { curve: CURVE_FILE, checkpoint: CHECKPOINT_DIR },
      notes:
        training.mode === 'whole'
          ? 'held-out evaluation only at the end for this algorithm (see docs/training.md)'
          : undefined,
    },
  });
  writeFileAtomic(path.join(o.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { iterations: done, trainWallSeconds, curve, final, finalSplit, manifest };
}
