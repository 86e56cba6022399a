/** DeepRM environment steps/s, measured by benchmarks/deeprm.bench.ts (DeepRM engineer's file). */
import { anySelected, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';
import { runExternal } from './external';
import { loadOptional } from './optional';

export const DEEPRM_SUITE = 'deeprm-env';

export async function deeprmSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  // Skip before running anything when --filter excludes every DeepRM case
  const mod = loadOptional<{ deeprmBenchCases?: () => BenchCase[] }>('./deeprm.bench');
  if (opts.filter && mod.ok && typeof mod.module.deeprmBenchCases === 'function') {
    const names = mod.module.deeprmBenchCases().map((c) => c.name);
    if (!anySelected(opts, DEEPRM_SUITE, names))
      return { suite: DEEPRM_SUITE, skipped: 'no case matches --filter', results: [] };
  }
  const out = await runExternal(DEEPRM_SUITE, './deeprm.bench', 'deeprmBench', opts);
  if ('missing' in out)
    return { suite: DEEPRM_SUITE, skipped: `${out.missing}: no DeepRM env benchmark yet`, results: [] };
  return out;
}
