/** DeepRM environment steps/s, measured by benchmarks/deeprm.bench.ts. */
import { anySelected, runCases, type BenchOptions, type SuiteOutcome } from './harness';
import { deeprmBench, deeprmBenchCases } from './deeprm.bench';

export const DEEPRM_SUITE = 'deeprm-env';

export async function deeprmSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  // Skip before building the envs when --filter excludes every DeepRM case.
  if (
    !anySelected(
      opts,
      DEEPRM_SUITE,
      deeprmBenchCases().map((c) => c.name),
    )
  )
    return { suite: DEEPRM_SUITE, skipped: 'no case matches --filter', results: [] };
  return {
    suite: DEEPRM_SUITE,
    results: await runCases(DEEPRM_SUITE, deeprmBench(opts), opts),
    notes: ['one op = 20,000 SJF decisions; paper setting (num_nw 10, 20x224 image), compat mode'],
  };
}
