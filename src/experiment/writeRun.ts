import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { SUMMARY_COLUMNS } from '../metrics';
import type { PolicyRun } from './comparePolicies';
import type { Manifest } from './manifest';

const STATUS = ['pending', 'waiting', 'running', 'finished', 'rejected'];

/** Deterministic number text: integers as is, others rounded to 1e-6, NaN as empty. */
export function csvNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (Number.isInteger(x)) return String(x);
  return String(Math.round(x * 1e6) / 1e6);
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes atomically (temp file + rename) so a crash never leaves half a result file. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** summary.csv: one row per policy, one column per metric (SUMMARY_COLUMNS order). */
export function summaryCsv(runs: readonly PolicyRun[]): string {
  const cols = SUMMARY_COLUMNS.map((c) => c.key);
  let out = ['policy', ...cols].join(',') + '\n';
  for (const r of runs) out += [csvField(r.policy), ...cols.map((k) => csvNumber(r.summary[k]))].join(',') + '\n';
  return out;
}

/** jobs.csv: one row per job and policy. */
export function jobsCsv(runs: readonly PolicyRun[]): string {
  const parts: string[] = ['id,policy,group,submit,duration,gpus,gpu_share,cpus,mem_mib,start,finish,queueing,jct,preemptions,status\n'];
  for (const r of runs) {
    const { jobs, start, finish, preemptions, status } = r.result;
    const pol = csvField(r.policy);
    let chunk = '';
    for (let j = 0; j < jobs.length; j++) {
      const job = jobs[j];
      chunk +=
        `${csvField(job.id)},${pol},${csvField(job.group)},${csvNumber(job.submit)},${csvNumber(job.duration)},${job.gpus},` +
        `${csvNumber(job.gpuShare)},${csvNumber(job.cpus)},${csvNumber(job.memMiB)},${csvNumber(start[j])},${csvNumber(finish[j])},` +
        `${csvNumber(start[j] - job.submit)},${csvNumber(finish[j] - job.submit)},${preemptions[j]},${STATUS[status[j]]}\n`;
      if (chunk.length > 1 << 20) {
        parts.push(chunk);
        chunk = '';
      }
    }
    parts.push(chunk);
  }
  return parts.join('');
}

export interface WrittenFiles {
  summary: string;
  jobs: string;
  manifest: string;
  report?: string;
}

/** Writes summary.csv, jobs.csv, manifest.json and (optionally) report.html into `dir`. */
export function writeRun(dir: string, runs: readonly PolicyRun[], manifest: Manifest, reportHtml?: string): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const files: WrittenFiles = {
    summary: path.join(dir, 'summary.csv'),
    jobs: path.join(dir, 'jobs.csv'),
    manifest: path.join(dir, 'manifest.json'),
  };
  writeFileAtomic(files.summary, summaryCsv(runs));
  writeFileAtomic(files.jobs, jobsCsv(runs));
  writeFileAtomic(files.manifest, JSON.stringify(manifest, null, 2) + '\n');
  if (reportHtml !== undefined) {
    files.report = path.join(dir, 'report.html');
    writeFileAtomic(files.report, reportHtml);
  }
  return files;
}
