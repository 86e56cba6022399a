import { existsSync } from 'node:fs';
import { readJsonFile } from '../util/json';
import { validateTrainConfig } from '../experiment/trainConfigSchema';
import { UsageError } from '../util/errors';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { ProgressBar } from './progress';
import { makeDeeprmTask } from '../experiment/deeprmTask';
import { makeClusterTask } from '../experiment/trainCluster';
import { makeRlschedTask } from '../experiment/rlschedTask';
import { ENV_KINDS, agentDefaults, runTraining, type EnvKind, type TrainTask } from '../experiment/train';
import { AGENT_KINDS, AGENTS, type AgentKind } from '../experiment/agents';

export const TRAIN_OPTIONS: OptionSpecs = {
  env: {
    type: 'string',
    arg: ENV_KINDS.join('|'),
    choices: ENV_KINDS,
    help: "environment: DeepRM paper setting (70 % load), the cluster simulator, or RLScheduler (SC'20) on an SWF trace",
    default: 'deeprm',
  },
  trace: {
    type: 'string',
    arg: 'FILE',
    help: 'rlsched: SWF trace (path or a file name in ../shared/datasets/hpc-swf/); = env setting "trace"',
  },
  slice: {
    type: 'number',
    arg: 'N',
    int: true,
    min: 0,
    max: 1_000_000_000,
    unit: 'jobs',
    help: 'rlsched: protocol batch_job_slice (HPC2N: 10000); = env setting "slice"',
  },
  backfill: { type: 'boolean', help: 'rlsched: backfill during training; = env setting "backfill"' },
  agent: {
    type: 'string',
    arg: AGENT_KINDS.join('|'),
    choices: AGENT_KINDS,
    help: 'learning algorithm',
    default: 'pg',
  },
  config: {
    type: 'string',
    arg: 'FILE',
    help: 'JSON of hyperparameter overrides; key "env" holds env-setting overrides (docs/training.md)',
  },
  seed: {
    type: 'number',
    arg: 'N',
    int: true,
    min: 0,
    max: 4294967295,
    help: 'training seed (network init, sampling, shuffles)',
    default: 1,
  },
  out: { type: 'string', arg: 'DIR', help: 'output folder: curve.csv, manifest.json, checkpoint/', required: true },
  iterations: {
    type: 'number',
    int: true,
    min: 1,
    max: 1e7,
    arg: 'N',
    help: `training iterations (${AGENT_KINDS.map((k) => `${k}: ${AGENTS[k].iterationUnit}`).join('; ')}); default: $LEPTON_TRAIN_ITERATIONS if set (short smoke runs, e.g. the README test), else the algorithm's`,
  },
  'eval-every': {
    type: 'number',
    int: true,
    min: 0,
    max: 1e7,
    arg: 'N',
    help: `held-out evaluation every N iterations (0 = at the end only; ${AGENT_KINDS.filter((k) => AGENTS[k].training.mode === 'segmented').join('/')})`,
    default: 10,
  },
  'eval-split': {
    type: 'string',
    arg: 'validation|heldout',
    choices: ['validation', 'heldout'],
    help: 'split of the periodic evaluation (validation: the held-out sets are evaluated only once, at the end)',
    default: 'validation',
  },
  'no-final-heldout': {
    type: 'boolean',
    help: 'with --eval-split validation: skip the held-out evaluation at the end (pilot runs)',
  },
  'no-stochastic': { type: 'boolean', help: 'evaluate only the greedy policy (default: greedy and sampling)' },
  resume: { type: 'boolean', help: 'continue the run in DIR from its checkpoint (same agent, env, seed and config)' },
  'force-config-change': {
    type: 'boolean',
    help: 'with --resume: continue even if the seed, env setting or hyperparameters differ (recorded in the manifest)',
  },
  quiet: { type: 'boolean', help: 'no progress bar or log lines' },
  help: { type: 'boolean', help: 'show this help' },
};

/**
 * LEPTON_TRAIN_ITERATIONS: the default of --iterations when set. It exists so that the README's
 * training commands can run verbatim in CI (scripts/readme-test.ts) in seconds; an explicit
 * --iterations wins. The value lands in the manifest like any run length.
 */
function iterationsFromEnv(): number | undefined {
  const raw = process.env.LEPTON_TRAIN_ITERATIONS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !(n >= 1 && n <= 1e7))
    throw new UsageError(
      `train: environment variable LEPTON_TRAIN_ITERATIONS must be an integer in [1, 10000000], got '${raw}' (unset it to use the algorithm's default)`,
    );
  return n;
}

export function trainHelp(): string {
  return formatHelp(
    `lepton train --env deeprm|cluster --agent ${AGENT_KINDS.join('|')} --seed N --out DIR [options]`,
    'Trains a learning scheduler on TRAINING job sets, evaluates it periodically on VALIDATION ones\n' +
      'and once at the end on HELD-OUT ones (deeprm: numpy seeds 42 / 271828 / 314159; cluster: no\n' +
      'validation split, held-out periodically). Writes DIR/curve.csv,\n' +
      'DIR/checkpoint/ and DIR/manifest.json. Example:\n' +
      '  lepton train --env deeprm --agent pg --seed 1 --iterations 300 --out results/deeprm/pg-seed1',
    TRAIN_OPTIONS,
  );
}

/**
 * Reads the --config file: hyperparameters of `agent` plus an optional "env" object,
 * validated by the zod schema of trainConfigSchema.ts (types, ranges, unknown keys).
 */
export function readTrainConfig(
  file: string | undefined,
  agent: AgentKind = 'pg',
  env: EnvKind = 'deeprm',
): {
  agent: Record<string, unknown>;
  env: Record<string, unknown>;
} {
  if (!file) return { agent: {}, env: {} };
  if (!existsSync(file)) throw new UsageError(`--config: file not found: ${file}`);
  return validateTrainConfig(readJsonFile(file), agentDefaults(agent), env, `--config ${file}`);
}

export function makeTask(env: EnvKind, overrides: Record<string, unknown>): TrainTask {
  if (env === 'rlsched') return makeRlschedTask(overrides);
  return env === 'deeprm' ? makeDeeprmTask(overrides) : makeClusterTask(overrides);
}

export async function runTrain(argv: string[]): Promise<number> {
  const a = parseArgs(argv, TRAIN_OPTIONS, 'train');
  if (a.help) {
    process.stdout.write(trainHelp());
    return 0;
  }
  // Types, ranges, choices and required options are checked by the option schema (TRAIN_OPTIONS).
  const env = a.env as EnvKind;
  const agent = a.agent as AgentKind;
  const out = a.out as string;
  const seed = a.seed as number;
  const evalEvery = a['eval-every'] as number;
  const evalSplit = a['eval-split'] as 'validation' | 'heldout';
  const quiet = Boolean(a.quiet);
  const config = readTrainConfig(a.config as string | undefined, agent as AgentKind, env as EnvKind);
  if (env !== 'rlsched' && (a.trace !== undefined || a.slice !== undefined || a.backfill))
    throw new UsageError('train: --trace, --slice and --backfill apply to --env rlsched only');
  if (env === 'rlsched') {
    if (a.trace !== undefined) config.env.trace = a.trace;
    if (a.slice !== undefined) config.env.slice = a.slice;
    if (a.backfill) config.env.backfill = true;
  }
  const task = makeTask(env as EnvKind, config.env);

  let bar: ProgressBar | undefined;
  const res = await runTraining({
    agent: agent as AgentKind,
    task,
    overrides: config.agent,
    seed,
    out,
    iterations: (a.iterations as number | undefined) ?? iterationsFromEnv(),
    evalEvery,
    resume: Boolean(a.resume),
    forceConfigChange: Boolean(a['force-config-change']),
    evalStochastic: !a['no-stochastic'],
    // The cluster task has no validation split: it keeps its held-out periodic evaluation.
    evalSplit: task.validate ? evalSplit : 'heldout',
    finalHeldOut: !a['no-final-heldout'],
    command: ['lepton', 'train', ...argv].join(' '),
    onProgress: (it, total) => {
      bar ??= new ProgressBar(`${agent} ${env}`, total, process.stderr, quiet);
      bar.update(it);
    },
    log: quiet ? undefined : (line) => process.stderr.write(`\n${line}\n`),
  });
  bar?.done();
  const g = res.final.greedy;
  const s = res.final.stochastic;
  process.stdout.write(
    `trained ${agent} on ${env} for ${res.iterations} iterations in ${res.trainWallSeconds.toFixed(1)} s (backend ${res.manifest.backend})\n` +
      `${res.finalSplit === 'heldout' ? 'held-out' : 'validation'} mean slowdown: greedy ${g.meanSlowdown.toFixed(3)}${s ? `, stochastic ${s.meanSlowdown.toFixed(3)}` : ''}\n` +
      `wrote ${out}/curve.csv, ${out}/manifest.json, ${out}/checkpoint/\n`,
  );
  return 0;
}
