/**
 * Benchmarks written by other engineers (benchmarks/deeprm.bench.ts, an agents
 * latency bench) plug in here. Contract, checked at run time because those files
 * may not exist yet:
 *
 *   export async function deeprmBench(opts: BenchOptions): Promise<BenchCase[] | SuiteOutcome>
 *
 * Returning BenchCase[] (name, fn, perOp, unit) is preferred: the cases then run
 * through the shared CPU-time sampler like every other suite. A SuiteOutcome is taken as is.
 */
import { runCases, type BenchCase, type BenchOptions, type CaseResult, type SuiteOutcome } from './harness';
import { loadOptional } from './optional';

type ExternalBench = (opts: BenchOptions) => unknown;

function isBenchCase(x: unknown): x is BenchCase {
  const c = x as BenchCase;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof c.name === 'string' &&
    typeof c.fn === 'function' &&
    typeof c.perOp === 'number' &&
    typeof c.unit === 'string'
  );
}

function isCaseResult(x: unknown): x is CaseResult {
  const r = x as CaseResult;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof r.name === 'string' &&
    typeof r.ops === 'number' &&
    typeof r.rate === 'number'
  );
}

/**
 * Loads `rel`, calls its `exportName(opts)` and runs or adopts what it returns.
 * `{ missing: reason }` if the module or the export does not exist.
 */
export async function runExternal(
  suite: string,
  rel: string,
  exportName: string,
  opts: BenchOptions,
): Promise<SuiteOutcome | { missing: string }> {
  const mod = loadOptional<Record<string, unknown>>(rel);
  if (!mod.ok) return { missing: mod.reason };
  const fn = mod.module[exportName];
  if (typeof fn !== 'function') return { missing: `${rel} has no ${exportName}() export` };
  const out = await (fn as ExternalBench)(opts);
  if (Array.isArray(out) && out.every(isBenchCase)) return { suite, results: await runCases(suite, out, opts) };
  const o = out as Partial<SuiteOutcome> | null;
  if (o && Array.isArray(o.results) && o.results.every(isCaseResult))
    return { ...o, suite, results: o.results.map((r) => ({ ...r, suite })) } as SuiteOutcome;
  throw new Error(
    `${rel}: ${exportName}() returned neither BenchCase[] nor a SuiteOutcome (see benchmarks/external.ts)`,
  );
}
