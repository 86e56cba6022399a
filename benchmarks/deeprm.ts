/** DeepRM environment steps/s, measured by benchmarks/deeprm.bench.ts (DeepRM engineer's file). */
import type { BenchOptions, SuiteOutcome } from './harness';
import { runExternal } from './external';

export const DEEPRM_SUITE = 'deeprm-env';

export async function deeprmSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  const out = await runExternal(DEEPRM_SUITE, './deeprm.bench', 'deeprmBench', opts);
  if ('missing' in out)
    return { suite: DEEPRM_SUITE, skipped: `${out.missing}: no DeepRM env benchmark yet`, results: [] };
  return out;
}
