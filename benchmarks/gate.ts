/**
 * The regression gate: turns the worker processes' outputs into one figure per case
 * (best of the process medians), compares the figures with the committed baseline and
 * the absolute targets, and decides the exit code. Pure functions; benchmarks/run.ts does
 * the processes and the files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RateUnit } from './harness';
import type { GitInfo, MachineInfo } from './machine';
import type { WorkerOutput } from './worker';
import { TARGETS, tolerancePct, type Target } from './targets';

/** One gated number: a case measured in several processes. */
export interface Figure {
  /** `suite/case`. */
  id: string;
  unit: RateUnit;
  perOp: number;
  /** Best (highest) ratio to the same process's calibration over the processes. */
  ratio: number;
  /** Best (lowest) median CPU seconds per op over the processes. */
  secondsPerOp: number;
  /** perOp / secondsPerOp: units per CPU-second. */
  rate: number;
  /** Every process's ratio, in run order (their spread is the between-process noise). */
  ratios: number[];
  /** Median wall seconds per op of the process that gave secondsPerOp. */
  wallSecondsPerOp: number;
}

export interface Aggregate {
  figures: Figure[];
  /** Suites that did not run (for another reason than --filter). */
  skipped: { suite: string; reason: string }[];
  notes: string[];
  /** Geometric mean of the processes' calibration ops/s. */
  calibrationOpsPerS: number;
}

export const FILTERED_OUT = 'no case matches --filter';

export function aggregate(outputs: readonly WorkerOutput[]): Aggregate {
  const byId = new Map<string, Figure>();
  const skipped = new Map<string, string>();
  const notes = new Set<string>();
  let logCal = 0;
  for (const o of outputs) {
    logCal += Math.log(o.calibration.opsPerS);
    if (o.outcome.skipped && o.outcome.skipped !== FILTERED_OUT) skipped.set(o.suite, o.outcome.skipped);
    for (const n of o.outcome.notes ?? []) notes.add(`${o.suite}: ${n}`);
    for (const r of o.outcome.results) {
      const id = `${r.suite}/${r.name}`;
      const ratio = r.ratio ?? NaN;
      const f = byId.get(id);
      if (!f) {
        byId.set(id, {
          id,
          unit: r.unit,
          perOp: r.perOp,
          ratio,
          secondsPerOp: r.secondsPerOp,
          rate: r.rate,
          ratios: [ratio],
          wallSecondsPerOp: r.wallSecondsPerOp,
        });
        continue;
      }
      f.ratios.push(ratio);
      if (ratio > f.ratio) f.ratio = ratio;
      if (r.secondsPerOp < f.secondsPerOp) {
        f.secondsPerOp = r.secondsPerOp;
        f.rate = r.rate;
        f.wallSecondsPerOp = r.wallSecondsPerOp;
      }
    }
  }
  return {
    figures: [...byId.values()],
    skipped: [...skipped].map(([suite, reason]) => ({ suite, reason })),
    notes: [...notes],
    calibrationOpsPerS: outputs.length ? Math.exp(logCal / outputs.length) : NaN,
  };
}

export type Mode = 'quick' | 'full';

export interface BaselineFigure {
  ratio: number;
  unit: RateUnit;
  perOp: number;
  /** For reference only (absolute numbers move with the machine; the gate compares ratios). */
  secondsPerOp: number;
}

export interface BaselineMode {
  date: string;
  git: GitInfo;
  machine: MachineInfo;
  command: string;
  processes: number;
  calibrationOpsPerS: number;
  figures: Record<string, BaselineFigure>;
}

export interface Baseline {
  schema: 1;
  about: string;
  modes: Partial<Record<Mode, BaselineMode>>;
}

export const BASELINE_ABOUT =
  'Figures of `npm run bench` (full) and `npm run bench -- --quick`: ratio = ops per CPU-second ÷ calibration ops per CPU-second in the same process, best of the processes. Rewrite with --update-baseline (docs/benchmarks.md).';

export function emptyBaseline(): Baseline {
  return { schema: 1, about: BASELINE_ABOUT, modes: {} };
}

/** Reads and checks a baseline file; a missing file is an empty baseline. Errors name the file and the field. */
export function readBaseline(file: string): Baseline {
  if (!fs.existsSync(file)) return emptyBaseline();
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}); fix it or regenerate with --update-baseline`);
  }
  const bad = (field: string, why: string): Error =>
    new Error(`${file}: field '${field}': ${why}; regenerate with npm run bench -- --update-baseline`);
  const b = raw as Baseline;
  if (typeof b !== 'object' || b === null) throw bad('(root)', 'not an object');
  if (b.schema !== 1) throw bad('schema', `expected 1, got ${JSON.stringify(b.schema)}`);
  if (typeof b.modes !== 'object' || b.modes === null) throw bad('modes', 'not an object');
  for (const [mode, m] of Object.entries(b.modes)) {
    if (mode !== 'quick' && mode !== 'full') throw bad(`modes.${mode}`, 'unknown mode (quick or full)');
    if (typeof m?.figures !== 'object' || m.figures === null) throw bad(`modes.${mode}.figures`, 'not an object');
    for (const [id, f] of Object.entries(m.figures))
      if (!(typeof f?.ratio === 'number' && f.ratio > 0 && Number.isFinite(f.ratio)))
        throw bad(`modes.${mode}.figures["${id}"].ratio`, 'not a positive number');
  }
  return b;
}

/** Writes the file atomically (temp file + rename): an interrupted write never leaves half a baseline. */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

export type Verdict = 'ok' | 'faster' | 'REGRESSED' | 'new' | 'MISSING' | 'PASS' | 'MISS' | 'SKIPPED' | 'info';

/** Verdicts that fail the gate. */
export const FAILING: ReadonlySet<Verdict> = new Set<Verdict>(['REGRESSED', 'MISSING', 'MISS', 'SKIPPED']);

export interface Row {
  figure: string;
  baseline: string;
  now: string;
  change: string;
  verdict: Verdict;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return x.toExponential(2);
  return x.toPrecision(3);
}

function targetValue(f: Figure, t: Target): number {
  return t.metric === 'secondsPerOp' ? f.secondsPerOp : t.metric === 'rate' ? f.rate : f.secondsPerOp / f.perOp;
}

function formatTargetValue(v: number, t: Target): string {
  if (t.metric === 'rate') return `${fmt(v)} /s`;
  return v >= 1e-3 ? `${fmt(v)} s` : `${fmt(v * 1e6)} µs`;
}

/**
 * What a figure is compared by: its `ratio` to the calibration loop (against stored figures
 * measured at another time), or its `cpu` rate, units per CPU-second (against a reference
 * build measured side by side in the same run, where the calibration would only add its own
 * noise: docs/benchmarks.md).
 */
export type CompareBy = 'ratio' | 'cpu';

/**
 * One row per figure (ratio now vs baseline, within its tolerance), one per baseline figure
 * the run should have measured but did not, one per absolute target met or missed, one
 * per suite that did not run.
 */
export function compare(
  agg: Aggregate,
  base: BaselineMode | undefined,
  selected: (figure: string) => boolean,
  targets: readonly Target[] = TARGETS,
  tolerance: (figure: string) => number | null = tolerancePct,
  by: CompareBy = 'ratio',
): Row[] {
  const value = (x: { ratio: number; perOp: number; secondsPerOp: number }): number =>
    by === 'ratio' ? x.ratio : x.perOp / x.secondsPerOp;
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const f of agg.figures) {
    seen.add(f.id);
    const b = base?.figures[f.id];
    if (!b) {
      rows.push({ figure: f.id, baseline: '-', now: fmt(value(f)), change: '-', verdict: 'new' });
      continue;
    }
    const change = (value(f) / value(b) - 1) * 100;
    const tol = tolerance(f.id);
    const verdict: Verdict = tol === null ? 'info' : change < -tol ? 'REGRESSED' : change > tol ? 'faster' : 'ok';
    rows.push({
      figure: f.id,
      baseline: fmt(value(b)),
      now: fmt(value(f)),
      change: `${change >= 0 ? '+' : ''}${change.toFixed(1)}% ${tol === null ? '(not gated)' : `(±${tol}%)`}`,
      verdict,
    });
  }
  const skippedSuites = new Set(agg.skipped.map((s) => s.suite));
  for (const id of Object.keys(base?.figures ?? {})) {
    if (seen.has(id) || !selected(id)) continue;
    // A whole skipped suite gets one SKIPPED row below instead of one row per figure.
    if (skippedSuites.has(id.slice(0, id.indexOf('/')))) continue;
    rows.push({ figure: id, baseline: fmt(value(base!.figures[id])), now: '-', change: '-', verdict: 'MISSING' });
  }
  for (const t of targets) {
    const f = agg.figures.find((x) => x.id === t.figure);
    if (!f) continue;
    const v = targetValue(f, t);
    const ok = t.op === '<=' ? v <= t.value : t.op === '<' ? v < t.value : v >= t.value;
    rows.push({
      figure: `target: ${t.figure}`,
      baseline: t.label,
      now: formatTargetValue(v, t),
      change: '-',
      verdict: ok ? 'PASS' : 'MISS',
    });
  }
  for (const s of agg.skipped)
    rows.push({
      figure: `suite ${s.suite}`,
      baseline: '-',
      now: s.reason.split('\n')[0],
      change: '-',
      verdict: 'SKIPPED',
    });
  return rows;
}

/**
 * Suites whose figures fail on speed (REGRESSED, or an absolute target MISSed): the ones a
 * confirmation re-measures. MISSING and SKIPPED are not noise, so re-measuring cannot help.
 */
export function suitesToConfirm(rows: readonly Row[]): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    if (r.verdict !== 'REGRESSED' && r.verdict !== 'MISS') continue;
    const id = r.figure.startsWith('target: ') ? r.figure.slice('target: '.length) : r.figure;
    out.add(id.slice(0, id.indexOf('/')));
  }
  return [...out];
}

export function failed(rows: readonly Row[]): boolean {
  return rows.some((r) => FAILING.has(r.verdict));
}

/** `against` names the second column: 'baseline' (stored figures) or 'reference' (measured side by side). */
export function renderTable(rows: readonly Row[], against = 'baseline'): string {
  const head = ['figure', against, 'now', 'change', 'verdict'];
  const body = rows.map((r) => [r.figure, r.baseline, r.now, r.change, r.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The baseline section of this run's mode. */
export function baselineMode(
  agg: Aggregate,
  meta: Omit<BaselineMode, 'figures' | 'calibrationOpsPerS'>,
  previous?: BaselineMode,
  keep: (figure: string) => boolean = () => false,
): BaselineMode {
  const figures: Record<string, BaselineFigure> = {};
  // A filtered update rewrites only the figures it measured.
  for (const [id, f] of Object.entries(previous?.figures ?? {})) if (keep(id)) figures[id] = f;
  for (const f of agg.figures)
    figures[f.id] = { ratio: f.ratio, unit: f.unit, perOp: f.perOp, secondsPerOp: f.secondsPerOp };
  const sorted: Record<string, BaselineFigure> = {};
  for (const id of Object.keys(figures).sort()) sorted[id] = figures[id];
  return { ...meta, calibrationOpsPerS: agg.calibrationOpsPerS, figures: sorted };
}
