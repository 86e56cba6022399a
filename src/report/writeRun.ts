import * as path from 'node:path';
import { summaryCsv, jobsCsvStream } from './tables';
import { OutputSet } from '../util/atomic';
import type { PolicyRun } from '../experiment/comparePolicies';
import { stableManifest, type Manifest } from '../experiment/manifest';
import type { Experiment } from '../experiment/pipeline';
import { renderHtmlReport } from './html';

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

/**
 * Writes one experiment of the pipeline (experiment/pipeline.ts) into `sub` of an open output set:
 * summary.csv, jobs.csv, manifest.json and, unless `report` is false, report.html. The report embeds
 * the manifest without clock times, so the same run gives a byte-identical report.
 */
export function writeExperiment(
  set: OutputSet,
  exp: Experiment,
  o: { report: boolean; title: string; sub?: string },
): WrittenFiles {
  const html = o.report
    ? renderHtmlReport({
        title: o.title,
        summaries: exp.runs.map((r) => ({ policy: r.policy, summary: r.summary })),
        results: exp.runs.map((r) => r.result),
        manifest: stableManifest(exp.manifest),
      })
    : undefined;
  return writeRunFiles(set, exp.runs, exp.manifest, html, o.sub);
}
