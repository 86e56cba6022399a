import type { Scheduler } from '../sim/scheduler';
import { UsageError } from '../util/errors';
import { bestfit } from './bestfit';
import { conservative } from './conservative';
import { drf } from './drf';
import { easy } from './easy';
import { fifo } from './fifo';
import { fifoSkip } from './fifoSkip';
import { gittins } from './gittins';
import { las } from './las';
import { random } from './random';
import { sjf } from './sjf';
import { sjfEstimate } from './sjfEstimate';
import { srtf } from './srtf';
import { srtfEstimate } from './srtfEstimate';
import { qssf } from './qssf';
import { PREDICTOR_OPTION } from './predicted';
import { tetris } from './tetris';
import { tiresias } from './tiresias';
import { unicep } from './unicep';
import { wfp3 } from './wfp3';
import { validatePolicyOptions, type PolicyOptionSchema } from './options';
import { LAS_TICK } from './las';
import { TIRESIAS_DEFAULTS } from './tiresias';
import { GITTINS_DEFAULTS } from './gittins';
import { TETRIS_DEFAULTS } from './tetris';

const tick = (def: number) =>
  ({
    kind: 'number',
    default: def,
    min: 0,
    help: 'seconds between re-evaluations while jobs wait (0 = only at arrivals / completions)',
  }) as const;
const useEstimates = {
  useEstimates: {
    kind: 'boolean',
    default: false,
    help: 'believe job.estimate (the true duration when absent) instead of the true duration',
  },
} as const;

export interface SchedulerEntry {
  readonly factory: (opts?: Record<string, unknown>) => Scheduler;
  readonly description: string;
  readonly preemptive: boolean;
  /** The options the factory reads (`lepton simulate --policy-opt NAME.OPTION=V`, `--config`). */
  readonly options: PolicyOptionSchema;
  /**
   * ORACLE information the policy reads with these options: what it knows that a real scheduler
   * does not at submit time (e.g. "true durations"), or false. Reports and `lepton simulate`
   * label such policies "oracle".
   */
  readonly oracle: (opts?: Record<string, unknown>) => string | false;
}

/** Every heuristic policy by its command-line name (`lepton simulate --policy a,b,c`). */
export const SCHEDULERS: Record<string, SchedulerEntry> = {
  random: {
    oracle: () => false,
    options: {},
    factory: random,
    preemptive: false,
    description: 'random order (seeded), start all that fit',
  },
  fifo: {
    oracle: () => false,
    options: {},
    factory: fifo,
    preemptive: false,
    description: 'first in, first out; the head blocks the queue',
  },
  'fifo-skip': {
    oracle: () => false,
    options: {},
    factory: fifoSkip,
    preemptive: false,
    description: 'FIFO order, start every job that fits (skip the rest)',
  },
  sjf: {
    oracle: () => 'true durations',
    options: {},
    factory: sjf,
    preemptive: false,
    description: 'shortest job first (oracle duration), skipping',
  },
  'sjf-estimate': {
    oracle: () => false,
    options: PREDICTOR_OPTION,
    factory: sjfEstimate,
    preemptive: false,
    description: 'shortest job first on predicted durations (user estimate, else finished-job history)',
  },
  qssf: {
    oracle: () => false,
    options: PREDICTOR_OPTION,
    factory: qssf,
    preemptive: false,
    description: 'Helios QSSF: shortest predicted GPU service (duration x GPUs) first',
  },
  srtf: {
    oracle: () => 'true remaining times',
    options: {},
    factory: srtf,
    preemptive: true,
    description: 'shortest remaining time first (oracle), preemptive',
  },
  'srtf-estimate': {
    oracle: () => false,
    options: PREDICTOR_OPTION,
    factory: srtfEstimate,
    preemptive: true,
    description: 'shortest predicted remaining time first, preemptive',
  },
  las: {
    oracle: () => false,
    options: { tickInterval: tick(LAS_TICK) },
    factory: las,
    preemptive: true,
    description: 'least attained GPU-service first, preemptive, ticks',
  },
  tiresias: {
    oracle: () => false,
    options: {
      thresholds: {
        kind: 'numbers',
        default: TIRESIAS_DEFAULTS.thresholds,
        help: 'ascending attained GPU-seconds at which a job moves down a queue (K = length + 1 queues)',
      },
      promoteKnob: {
        kind: 'number',
        default: TIRESIAS_DEFAULTS.promoteKnob,
        min: 0,
        help: 'promote to queue 0 when waited >= knob x ran since the last promotion (0 = off)',
      },
      tickInterval: tick(TIRESIAS_DEFAULTS.tickInterval),
    },
    factory: tiresias,
    preemptive: true,
    description: 'Tiresias discretised 2D-LAS: K queues by GPU-time, FIFO within',
  },
  gittins: {
    oracle: () => 'the duration distribution of the whole job set, future jobs included',
    options: {
      delta: {
        kind: 'number',
        default: GITTINS_DEFAULTS.delta,
        min: 0,
        exclusiveMin: true,
        help: 'service quantum (GPU-seconds) of the index',
      },
      tickInterval: tick(GITTINS_DEFAULTS.tickInterval),
    },
    factory: gittins,
    preemptive: true,
    description: 'Gittins index over the job-set GPU-time distribution, preemptive',
  },
  tetris: {
    oracle: () => 'true remaining times',
    options: {
      srtfWeight: {
        kind: 'number',
        default: TETRIS_DEFAULTS.srtfWeight,
        min: 0,
        help: 'm in eps = m * mean(a) / mean(p)',
      },
      minRemaining: {
        kind: 'number',
        default: TETRIS_DEFAULTS.minRemaining,
        min: 0,
        exclusiveMin: true,
        help: 'floor (s) on the remaining time in p = 1 / remaining',
      },
    },
    factory: tetris,
    preemptive: false,
    description: 'Tetris: multi-resource alignment + remaining-time score',
  },
  drf: {
    oracle: () => false,
    options: {},
    factory: drf,
    preemptive: false,
    description: 'dominant resource fairness across groups (users / VCs)',
  },
  easy: {
    oracle: (o) => (o?.useEstimates ? 'true durations of jobs without a user estimate' : 'true durations'),
    options: useEstimates,
    factory: easy,
    preemptive: false,
    description: 'EASY backfilling: head reservation, backfill if no delay',
  },
  conservative: {
    oracle: (o) => (o?.useEstimates ? 'true durations of jobs without a user estimate' : 'true durations'),
    options: useEstimates,
    factory: conservative,
    preemptive: false,
    description: 'conservative backfilling: every job reserves',
  },
  wfp3: {
    oracle: () => 'true durations of jobs without a user estimate',
    options: {},
    factory: wfp3,
    preemptive: false,
    description: 'WFP3 (Tang et al. 2009): (wait/estimate)^3 x size, real waiting time, strict order',
  },
  unicep: {
    oracle: () => 'true durations of jobs without a user estimate',
    options: {},
    factory: unicep,
    preemptive: false,
    description: 'UNICEP (Tang et al. 2009): wait/(log2(size) x estimate), real waiting time, strict order',
  },
  bestfit: {
    oracle: () => false,
    options: {},
    factory: bestfit,
    preemptive: false,
    description: 'best-fit packing: largest job that fits, best-fit placement',
  },
};

export const SCHEDULER_NAMES: readonly string[] = Object.keys(SCHEDULERS);

/** What oracle information `name` reads with `opts` (false: none). */
export function oracleInfo(name: string, opts?: Record<string, unknown>): string | false {
  return Object.prototype.hasOwnProperty.call(SCHEDULERS, name) ? SCHEDULERS[name].oracle(opts) : false;
}

/** A fresh scheduler by name; UsageError listing the valid names for an unknown one. */
export function makeScheduler(name: string, opts?: Record<string, unknown>): Scheduler {
  const entry = Object.prototype.hasOwnProperty.call(SCHEDULERS, name) ? SCHEDULERS[name] : undefined;
  if (!entry)
    throw new UsageError(`unknown policy ${JSON.stringify(name)}; valid policies: ${SCHEDULER_NAMES.join(', ')}`);
  return entry.factory(validatePolicyOptions(name, entry.options, opts));
}
