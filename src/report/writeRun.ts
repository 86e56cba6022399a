import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { summaryCsv, jobsCsv } from './tables';
import { writeFileAtomic } from '../util/atomicWrite';
import type { PolicyRun } from '../experiment/comparePolicies';
import type { Manifest } from '../experiment/manifest';

export interface WrittenFiles {
  summary: string;
  jobs: string;
  manifest: string;
  report?: string;
}

/** Writes summary.csv, jobs.csv, manifest.json and (optionally) report.html into `dir`. */
export function writeRun(
  dir: string,
  runs: readonly PolicyRun[],
  manifest: Manifest,
  reportHtml?: string,
): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const files: WrittenFiles = {
    summary: path.join(dir, 'summary.csv'),
    jobs: path.join(dir, 'jobs.csv'),
    manifest: path.join(dir, 'manifest.json'),
  };
  writeFileAtomic(files.summary, summaryCsv(runs));
  writeFileAtomic(files.jobs, jobsCsv(runs.map((r) => r.result)));
  writeFileAtomic(files.manifest, JSON.stringify(manifest, null, 2) + '\n');
  if (reportHtml !== undefined) {
    files.report = path.join(dir, 'report.html');
    writeFileAtomic(files.report, reportHtml);
  }
  return files;
}
