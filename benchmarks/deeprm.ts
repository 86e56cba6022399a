/** DeepRM environment steps/s, measured by benchmarks/deeprm.bench.ts. */
import { anySelected, type BenchOptions, type SuiteOutcome } from './harness';
import { deeprmBench, deeprmBenchCases } from './deeprm.bench';

export const DEEPRM_SUITE = 'deeprm-env';

export async function deeprmSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  // Skip before running anything when --filter excludes every DeepRM case
  // (an empty benny suite never completes cleanly).
  if (
    opts.filter &&
    !anySelected(
      opts,
      DEEPRM_SUITE,
      deeprmBenchCases().map((c) => c.name),
    )
  )
    return { suite: DEEPRM_SUITE, skipped: 'no case matches --filter', results: [] };
  const out = await deeprmBench(opts);
  return { ...out, suite: DEEPRM_SUITE, results: out.results.map((r) => ({ ...r, suite: DEEPRM_SUITE })) };
}
