import type { Scheduler } from '../../../src/sim/scheduler';
import { UsageError } from '../../../src/util/errors';
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
import { srtf } from './srtf';
import { tetris } from './tetris';
import { tiresias } from './tiresias';
import { unicep, wfp3 } from './waitPriority';

export interface SchedulerEntry {
  readonly factory: (opts?: Record<string, unknown>) => Scheduler;
  readonly description: string;
  readonly preemptive: boolean;
}

/** Every heuristic policy by its command-line name (`lepton simulate --policy a,b,c`). */
export const SCHEDULERS: Record<string, SchedulerEntry> = {
  random: { factory: random, preemptive: false, description: 'random order (seeded), start all that fit' },
  fifo: { factory: fifo, preemptive: false, description: 'first in, first out; the head blocks the queue' },
  'fifo-skip': {
    factory: fifoSkip,
    preemptive: false,
    description: 'FIFO order, start every job that fits (skip the rest)',
  },
  sjf: { factory: sjf, preemptive: false, description: 'shortest job first (oracle duration), skipping' },
  srtf: { factory: srtf, preemptive: true, description: 'shortest remaining time first (oracle), preemptive' },
  las: { factory: las, preemptive: true, description: 'least attained GPU-service first, preemptive, ticks' },
  tiresias: {
    factory: tiresias,
    preemptive: true,
    description: 'Tiresias discretised 2D-LAS: K queues by GPU-time, FIFO within',
  },
  gittins: {
    factory: gittins,
    preemptive: true,
    description: 'Gittins index over the job-set GPU-time distribution, preemptive',
  },
  tetris: {
    factory: tetris,
    preemptive: false,
    description: 'Tetris: multi-resource alignment + remaining-time score',
  },
  drf: { factory: drf, preemptive: false, description: 'dominant resource fairness across groups (users / VCs)' },
  easy: { factory: easy, preemptive: false, description: 'EASY backfilling: head reservation, backfill if no delay' },
  conservative: {
    factory: conservative,
    preemptive: false,
    description: 'conservative backfilling: every job reserves',
  },
  bestfit: {
    factory: bestfit,
    preemptive: false,
    description: 'best-fit packing: largest job that fits, best-fit placement',
  },
  wfp3: { factory: wfp3, preemptive: false, description: 'textbook WFP3, naive' },
  unicep: { factory: unicep, preemptive: false, description: 'textbook UNICEP, naive' },
};

export const SCHEDULER_NAMES: readonly string[] = Object.keys(SCHEDULERS);

/** A fresh scheduler by name; UsageError listing the valid names for an unknown one. */
export function makeScheduler(name: string, opts?: Record<string, unknown>): Scheduler {
  const entry = Object.prototype.hasOwnProperty.call(SCHEDULERS, name) ? SCHEDULERS[name] : undefined;
  if (!entry)
    throw new UsageError(`unknown policy ${JSON.stringify(name)}; valid policies: ${SCHEDULER_NAMES.join(', ')}`);
  return entry.factory(opts);
}
