import * as path from 'node:path';
import { summaryCsv, jobsCsvStream } from './tables';
import { OutputSet, writeFileAtomic } from '../util/atomic';
import type { PolicyRun } from '../experiment/comparePolicies';
import type { Manifest } from '../experiment/manifest';

export { writeFileAtomic };

export interface WrittenFiles {
  summary: string;
  jobs: string;
  manifest: string;
  report?: string;
}

/** What a run folder of simulate/evaluate/start may hold (anything else: refuse to replace it). */
export const RUN_FILES: readonly (string | RegExp)[] = [
  'summary.csv',
  'jobs.csv',
  'manifest.json',
  'report.html',
  /^seed-\d+$/,
];

/** Opens DIR as an atomic output set (checks it early: call before simulating). */
export function openRunOutput(dir: string, what = 'run folder'): OutputSet {
  return OutputSet.open(dir, { known: RUN_FILES, what });
}

/**
 * Writes summary.csv, jobs.csv (streamed), manifest.json and (optionally) report.html
 * into `sub` of an open output set (nothing is visible until the set is committed).
 */
export function writeRunFiles(
  set: OutputSet,
  runs: readonly PolicyRun[],
  manifest: Manifest,
  reportHtml?: string,
  sub = '',
): WrittenFiles {
  const files: WrittenFiles = {
    summary: set.write(path.join(sub, 'summary.csv'), summaryCsv(runs)),
    jobs: set.write(path.join(sub, 'jobs.csv'), (emit) =>
      jobsCsvStream(
        runs.map((r) => r.result),
        emit,
      ),
    ),
    manifest: set.write(path.join(sub, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n'),
  };
  if (reportHtml !== undefined) files.report = set.write(path.join(sub, 'report.html'), reportHtml);
  return files;
}

/** Writes a whole run folder atomically: the old folder's files or the new ones, never a mix. */
export function writeRun(
  dir: string,
  runs: readonly PolicyRun[],
  manifest: Manifest,
  reportHtml?: string,
): WrittenFiles {
  const set = openRunOutput(dir);
  try {
    const files = writeRunFiles(set, runs, manifest, reportHtml);
    set.commit();
    return files;
  } finally {
    set.abort();
  }
}
