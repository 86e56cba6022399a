/**
 * Calibration: a fixed plain-JS loop whose ops/s says how fast this machine (and
 * this moment: turbo, noisy neighbours, power saving) is. Every other result is
 * also reported as a ratio to it, which is roughly stable across machines.
 *
 * The loop is deliberately like the simulator's hot loops: typed-array reads and
 * writes, integer LCG arithmetic and float adds, no allocation, no calls.
 */
import { runCases, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';

/** Elements in the calibration array (64 Ki doubles = 512 KiB, fits in L2 on most CPUs). */
export const CALIBRATION_SIZE = 1 << 16;

/** A sink the JIT cannot prove unused, so the loop is never eliminated. */
export let calibrationSink = 0;

/** One calibration op: refill the array from a 32-bit LCG and sum it. Returns the sum. */
export function calibrationLoop(a: Float64Array, seed: number): number {
  let x = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0; // Numerical Recipes LCG
    a[i] = x * 2.3283064365386963e-10; // / 2^32
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

export const CALIBRATION_SUITE = 'calibration';
export const CALIBRATION_CASE = 'plain loop (64 Ki LCG fill + sum)';

/** Runs the calibration case (ignoring --filter). `suite` lets run.ts measure it before and after. */
export async function calibrationSuite(opts: BenchOptions, suite = CALIBRATION_SUITE): Promise<SuiteOutcome> {
  const a = new Float64Array(CALIBRATION_SIZE);
  let seed = 1;
  const cases: BenchCase[] = [
    {
      name: CALIBRATION_CASE,
      fn: () => {
        calibrationSink += calibrationLoop(a, seed++);
      },
      perOp: CALIBRATION_SIZE,
      unit: 'iterations',
      info: { size: CALIBRATION_SIZE },
    },
  ];
  // The calibration always runs: --filter never removes it.
  return { suite, results: await runCases(suite, cases, { ...opts, filter: '' }) };
}
