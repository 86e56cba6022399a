/**
 * Loading modules that other engineers may not have written yet (registry,
 * traces, presets, DeepRM and agent benches). A module that does not exist is
 * `undefined` (its suite is skipped with a message); one that exists but fails
 * to load is reported with its error instead of silently skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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

/** The repository root: the nearest folder above this file holding Lepton's package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'lepton') return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** The shared datasets folder: $LEPTON_SHARED, else ../shared next to the repository. */
export function sharedDir(): string {
  return process.env.LEPTON_SHARED ? path.resolve(process.env.LEPTON_SHARED) : path.resolve(repoRoot(), '..', 'shared');
}
