/**
 * Straightforward full-scan implementations (the code before the speed-ups) of the policies whose
 * src/ versions take shortcuts: incremental queues, demand classes, early exits, cached
 * reservations, incremental preemption. test/schedulers/equivalence.test.ts requires the fast
 * policy to produce exactly the reference schedule. Policies without a fast path (fifo, random, sjf,
 * sjf-estimate: their src code is the reference) have no copy here, and a new policy needs one only
 * when it adds such a shortcut; test/repo/extension.test.ts refuses copies that equal src.
 */
import type { Scheduler } from '../../../src/sim/scheduler';
import { bestfit } from './bestfit';
import { conservative } from './conservative';
import { drf } from './drf';
import { easy } from './easy';
import { fifoSkip } from './fifoSkip';
import { gittins } from './gittins';
import { las } from './las';
import { srtf } from './srtf';
import { tetris } from './tetris';
import { tiresias } from './tiresias';
import { unicep, wfp3 } from './waitPriority';

/** Reference factory per registered policy name (src/schedulers/registry.ts). */
export const REFERENCE: Readonly<Record<string, (opts?: Record<string, unknown>) => Scheduler>> = {
  'fifo-skip': fifoSkip,
  srtf,
  las,
  tiresias,
  gittins,
  tetris,
  drf,
  easy,
  conservative,
  bestfit,
  wfp3,
  unicep,
};

export function makeReference(name: string, opts?: Record<string, unknown>): Scheduler {
  const f = REFERENCE[name];
  if (!f) throw new Error(`no reference implementation of ${name}`);
  return f(opts);
}
