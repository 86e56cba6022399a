/**
 * Loading modules that other engineers may not have written yet (registry,
 * traces, presets, DeepRM and agent benches). A module that does not exist is
 * `undefined` (its suite is skipped with a message); one that exists but fails
 * to load is reported with its error instead of silently skipped.
 */

export type Loaded<T> = { ok: true; module: T } | { ok: false; reason: string };

/**
 * `require`s `rel` (extensionless, relative to this folder: '../src/...' or './x.bench').
 * Works both compiled (dist/benchmarks) and under tsx (benchmarks/).
 */
export function loadOptional<T>(rel: string): Loaded<T> {
  let resolved: string;
  try {
    resolved = require.resolve(rel);
  } catch {
    return { ok: false, reason: `${rel} not found` };
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { ok: true, module: require(resolved) as T };
  } catch (e) {
    return { ok: false, reason: `${rel} exists but failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}

// One definition of both, shared with the CLI and the loaders.
export { repoRoot } from '../src/util/repoRoot';
export { sharedDir } from '../src/workload/traces';
