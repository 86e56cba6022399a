/**
 * Annealing schedules for exploration ε and prioritised-replay β.
 *
 * A schedule is plain data (so it can sit in a JSON config / checkpoint) and
 * `scheduleValue(s, step)` is a pure function of the step count.
 */
import { UsageError } from '../util/errors';

export type Schedule =
  | { kind: 'constant'; value: number }
  /** start → end linearly over `steps`, then held at `end`. */
  | { kind: 'linear'; start: number; end: number; steps: number }
  /**
   * start → end geometrically: value = end + (start − end)·decay^step
   * (decay in (0, 1]; reaches within 1% of the gap after ln(0.01)/ln(decay) steps).
   */
  | { kind: 'exponential'; start: number; end: number; decay: number };

export function scheduleValue(s: Schedule, step: number): number {
  switch (s.kind) {
    case 'constant':
      return s.value;
    case 'linear': {
      if (s.steps <= 0 || step >= s.steps) return s.end;
      const frac = Math.max(0, step) / s.steps;
      return s.start + (s.end - s.start) * frac;
    }
    case 'exponential':
      return s.end + (s.start - s.end) * Math.pow(s.decay, Math.max(0, step));
  }
}

/** Throws UsageError on a malformed schedule (called when a config is built). */
export function validateSchedule(s: Schedule, name: string): void {
  const finite = (x: number): boolean => Number.isFinite(x);
  switch (s.kind) {
    case 'constant':
      if (!finite(s.value)) throw new UsageError(`${name}: value must be a finite number`);
      return;
    case 'linear':
      if (!finite(s.start) || !finite(s.end) || !finite(s.steps) || s.steps < 0)
        throw new UsageError(`${name}: linear schedule needs finite start/end and steps >= 0`);
      return;
    case 'exponential':
      if (!finite(s.start) || !finite(s.end) || !(s.decay > 0 && s.decay <= 1))
        throw new UsageError(`${name}: exponential schedule needs finite start/end and 0 < decay <= 1`);
      return;
    default:
      throw new UsageError(`${name}: unknown schedule kind '${(s as { kind: string }).kind}'`);
  }
}
