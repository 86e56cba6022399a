/**
 * One measurement process of `npm run bench`: calibration, one suite, calibration again,
 * written as JSON to --result FILE. benchmarks/run.ts starts several of these per suite
 * (a fresh process each: JIT state, heap and GC history do not leak between suites).
 *
 *   node dist/benchmarks/worker.js --suite NAME --result FILE [--quick] [--filter TEXT] [--verbose]
 *
 * Each result's `ratio` = its ops per CPU-second ÷ the calibration's, the calibration being
 * the geometric mean of the runs before and after the suite in this same process.
 */
import * as fs from 'node:fs';
import { calibrationSuite, CALIBRATION_SUITE } from './calibration';
import type { BenchOptions, CaseResult, SuiteOutcome } from './harness';
import { SUITES } from './suites';

export interface WorkerOutput {
  suite: string;
  pid: number;
  calibration: { before: CaseResult; after: CaseResult; opsPerS: number };
  outcome: SuiteOutcome;
}

export async function runWorker(suite: string, opts: BenchOptions): Promise<WorkerOutput> {
  const fn = SUITES[suite];
  if (!fn) throw new Error(`unknown suite '${suite}' (known: ${Object.keys(SUITES).join(', ')})`);
  const before = (await calibrationSuite(opts, CALIBRATION_SUITE)).results[0];
  let outcome: SuiteOutcome;
  try {
    outcome = await fn(opts);
  } catch (e) {
    // A broken suite is reported (and fails the gate), it does not hide the others.
    outcome = { suite, skipped: `failed: ${(e as Error).stack ?? String(e)}`, results: [] };
  }
  const after = (await calibrationSuite(opts, `${CALIBRATION_SUITE}-end`)).results[0];
  const opsPerS = Math.sqrt(before.ops * after.ops);
  for (const r of outcome.results) r.ratio = r.ops / opsPerS;
  return { suite, pid: process.pid, calibration: { before, after, opsPerS }, outcome };
}

function arg(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const suite = arg(argv, '--suite');
  const result = arg(argv, '--result');
  if (!suite || !result) {
    console.error('usage: worker --suite NAME --result FILE [--quick] [--filter TEXT] [--verbose]');
    process.exit(2);
  }
  const opts: BenchOptions = {
    quick: argv.includes('--quick'),
    filter: arg(argv, '--filter') ?? '',
    outDir: '',
    verbose: argv.includes('--verbose'),
  };
  runWorker(suite, opts).then(
    (out) => fs.writeFileSync(result, JSON.stringify(out)),
    (e: unknown) => {
      console.error((e as Error).stack ?? String(e));
      process.exit(1);
    },
  );
}
