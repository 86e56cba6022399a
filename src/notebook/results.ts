/**
 * A results folder at a glance (what `lepton simulate` / `train` / `evaluate` write): its files,
 * its summary table and the provenance in its manifest; and an HTML report embedded in the
 * notebook.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { escapeHtml } from '../report/html';
import { CsvTable } from '../workload/csv';
import { formatNumber } from './format';
import { tableHtml } from './frame';
import { emit } from './kernel';

/** A CSV file as records; numeric-looking fields become numbers (empty stays ''). */
export function readCsvRecords(file: string): Record<string, string | number>[] {
  const t = CsvTable.read(file);
  return [...t.records].map((r) => {
    const o: Record<string, string | number> = {};
    t.header.forEach((h, i) => {
      const s = r.fields[i] ?? '';
      const n = Number(s);
      o[h] = s.trim() !== '' && Number.isFinite(n) && /^[-+0-9.eE]+$/.test(s.trim()) ? n : s;
    });
    return o;
  });
}

function listFiles(dir: string, maxDepth: number, rel = ''): { file: string; bytes: number }[] {
  const out: { file: string; bytes: number }[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (maxDepth > 0) out.push(...listFiles(dir, maxDepth - 1, r));
      else out.push({ file: r + '/', bytes: NaN });
    } else out.push({ file: r, bytes: statSync(path.join(dir, r)).size });
  }
  return out;
}

/** Manifest fields worth a glance (the full manifest stays in the file). */
const MANIFEST_KEYS = ['command', 'seeds', 'gitRevision', 'git', 'backend', 'wallTimeSeconds'];

/** The HTML of `showResults` (exported for tests). */
export function resultsHtml(dir: string, opts: { maxDepth?: number; maxRows?: number } = {}): string {
  if (!existsSync(dir)) throw new Error(`showResults: ${dir} does not exist (run the experiment first)`);
  const parts: string[] = [`<h4 style="margin:4px 0">${escapeHtml(path.basename(path.resolve(dir)))}/</h4>`];
  const files = listFiles(dir, opts.maxDepth ?? 1);
  parts.push(
    tableHtml(
      files.map((f) => ({ file: f.file, 'size (kB)': Number.isNaN(f.bytes) ? '' : f.bytes / 1000 })),
      { caption: 'files', maxRows: 40, digits: 3 },
    ),
  );
  const summary = path.join(dir, 'summary.csv');
  if (existsSync(summary))
    parts.push(tableHtml(readCsvRecords(summary), { caption: 'summary.csv', maxRows: opts.maxRows ?? 30 }));
  const manifest = path.join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
    const rows = MANIFEST_KEYS.filter((k) => m[k] !== undefined).map((k) => ({
      field: k,
      value: typeof m[k] === 'number' ? formatNumber(m[k] as number) : JSON.stringify(m[k]),
    }));
    if (rows.length) parts.push(tableHtml(rows, { caption: 'manifest.json (excerpt)' }));
  }
  return `<div class="lepton-results">${parts.join('\n')}</div>`;
}

/** Shows a results folder: files and sizes, summary.csv as a table, a manifest excerpt. */
export function showResults(dir: string, opts: { maxDepth?: number; maxRows?: number } = {}): void {
  emit('text/html', resultsHtml(dir, opts));
}

/**
 * Embeds a self-contained HTML report (`report.html` of `lepton simulate`) in the notebook, in a
 * sandboxed iframe so its scripts and styles cannot touch JupyterLab's page.
 */
export function showReport(file: string, opts: { height?: number } = {}): void {
  const f = existsSync(file) && statSync(file).isDirectory() ? path.join(file, 'report.html') : file;
  if (!existsSync(f)) throw new Error(`showReport: ${f} does not exist`);
  const html = readFileSync(f, 'utf8');
  const srcdoc = html.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  emit(
    'text/html',
    `<iframe class="lepton-report" sandbox="allow-scripts" style="width:100%;height:${opts.height ?? 720}px;border:1px solid #ddd" srcdoc="${srcdoc}"></iframe>`,
  );
}
