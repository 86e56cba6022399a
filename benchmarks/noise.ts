/**
 * Measures the gate's own noise: runs `npm run bench` R times (or reads the summary.json
 * files given) and prints, per figure and per suite, how far the gated ratio moved
 * between runs of the same code, and how far single processes moved (the `ratios` of
 * each figure). docs/benchmarks.md quotes its output; benchmarks/targets.ts sets the
 * tolerances from it.
 *
 *   node dist/benchmarks/noise.js --runs 4 [--quick] [--processes 3]   # runs the gate 4 times
 *   node dist/benchmarks/noise.js results/a/summary.json results/b/summary.json ...
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Figure } from './gate';

interface Summary {
  date: string;
  mode: string;
  processes: number;
  machine: { loadAvg1: number };
  durationS: number;
  figures: Figure[];
}

/** Relative range in %: (max − min) / min. */
export function rangePct(xs: readonly number[]): number {
  const lo = Math.min(...xs);
  return lo > 0 ? ((Math.max(...xs) - lo) / lo) * 100 : NaN;
}

export interface NoiseRow {
  figure: string;
  /** Range of the gated (best-of-processes) ratio across runs, %. */
  betweenRunsPct: number;
  /** Largest range of the per-process ratios within one run, %. */
  betweenProcessesPct: number;
}

export function noise(summaries: readonly Summary[]): NoiseRow[] {
  const ids = new Set(summaries.flatMap((s) => s.figures.map((f) => f.id)));
  const rows: NoiseRow[] = [];
  for (const id of ids) {
    const figs = summaries.map((s) => s.figures.find((f) => f.id === id)).filter((f): f is Figure => !!f);
    if (figs.length < 2) continue;
    rows.push({
      figure: id,
      betweenRunsPct: rangePct(figs.map((f) => f.ratio)),
      betweenProcessesPct: Math.max(...figs.map((f) => rangePct(f.ratios))),
    });
  }
  return rows;
}

function main(): void {
  const argv = process.argv.slice(2);
  let files = argv.filter((a) => a.endsWith('.json'));
  const runsAt = argv.indexOf('--runs');
  if (runsAt >= 0) {
    const runs = Number(argv[runsAt + 1]);
    const passOn = argv.filter((a, i) => i !== runsAt && i !== runsAt + 1 && !a.endsWith('.json'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-noise-'));
    files = [];
    for (let r = 0; r < runs; r++) {
      const out = path.join(dir, `run${r}`);
      const res = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          path.join(__dirname, `run${path.extname(__filename)}`),
          ...passOn,
          '--no-history',
          '--out',
          out,
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      console.log(`run ${r + 1}/${runs}: exit ${res.status}`);
      files.push(path.join(out, 'summary.json'));
    }
  }
  if (files.length < 2) {
    console.error('usage: noise --runs R [gate options] | noise A/summary.json B/summary.json ...');
    process.exitCode = 2;
    return;
  }
  const summaries = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Summary);
  const rows = noise(summaries);
  console.log(
    `${summaries.length} runs (${summaries[0].mode}, ${summaries[0].processes} processes each); load average at start: ` +
      summaries.map((s) => s.machine.loadAvg1).join(', ') +
      `; durations ${summaries.map((s) => Math.round(s.durationS)).join(', ')} s`,
  );
  const w = Math.max(...rows.map((r) => r.figure.length));
  console.log(`${'figure'.padEnd(w)}  between runs  between processes`);
  for (const r of rows)
    console.log(
      `${r.figure.padEnd(w)}  ${r.betweenRunsPct.toFixed(1).padStart(11)}%  ${r.betweenProcessesPct.toFixed(1).padStart(16)}%`,
    );
  const bySuite = new Map<string, NoiseRow[]>();
  for (const r of rows) {
    const s = r.figure.slice(0, r.figure.indexOf('/'));
    bySuite.set(s, [...(bySuite.get(s) ?? []), r]);
  }
  console.log('\nper suite: worst / median range of the gated figure between runs, worst between processes');
  for (const [s, rs] of bySuite) {
    const between = rs.map((r) => r.betweenRunsPct).sort((a, b) => a - b);
    console.log(
      `${s.padEnd(20)} ${between[between.length - 1].toFixed(1).padStart(6)}% / ${between[between.length >> 1].toFixed(1).padStart(5)}%   ${Math.max(
        ...rs.map((r) => r.betweenProcessesPct),
      )
        .toFixed(1)
        .padStart(6)}%`,
    );
  }
}

if (require.main === module) main();
