import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../util/repoRoot';

export { repoRoot };

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `git describe`-style revision of the checkout, with "-dirty" when there are local changes. */
export function gitRevision(): string {
  try {
    const cwd = repoRoot();
    const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    return dirty ? `${rev}-dirty` : rev;
  } catch {
    return 'unknown';
  }
}

/** Installed versions of the packages that can change results. */
export function packageVersions(): Record<string, string> {
  const names = [
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-node-gpu',
    'danfojs-node',
    'plotly.js-dist-min',
    'typescript',
  ];
  const out: Record<string, string> = {};
  const root = repoRoot();
  for (const n of names) {
    try {
      out[n] = JSON.parse(readFileSync(path.join(root, 'node_modules', n, 'package.json'), 'utf8')).version;
    } catch {
      out[n] = 'not installed';
    }
  }
  try {
    out.lepton = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  } catch {
    /* keep going: the manifest is still useful without it */
  }
  return out;
}

export interface Manifest {
  command: string;
  config: Record<string, unknown>;
  seeds: number[];
  trace?: {
    kind: string;
    file?: string;
    sha256?: string;
    rowsRead: number;
    filtered: number;
    skipped: number;
    jobs: number;
  };
  gitRevision: string;
  node: string;
  platform: string;
  packages: Record<string, string>;
  backend?: string;
  startedAt: string;
  wallTimeSeconds: number;
  /** Rows a loader skipped (first 1,000), so a skip is never silent. */
  skippedRows?: unknown[];
  policyWallSeconds?: Record<string, number>;
  /** Anything command-specific (training curves, evaluation sets, …). */
  extra?: Record<string, unknown>;
}

export function makeManifest(fields: Omit<Manifest, 'gitRevision' | 'node' | 'platform' | 'packages'>): Manifest {
  return {
    ...fields,
    gitRevision: gitRevision(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages: packageVersions(),
  };
}

/** The manifest without what changes from run to run (clock times), for outputs that must be byte-identical. */
export function stableManifest(m: Manifest): Omit<Manifest, 'wallTimeSeconds' | 'startedAt' | 'policyWallSeconds'> {
  const { wallTimeSeconds: _w, startedAt: _s, policyWallSeconds: _p, ...rest } = m;
  return rest;
}
