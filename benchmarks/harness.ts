/**
 * The small layer Lepton's benchmarks share: a case description, a benny runner
 * that records ops/s plus a derived rate (events/s, jobs/s, ...), and the
 * options of `npm run bench` (quick mode, --filter).
 *
 * Every suite module exports `(opts: BenchOptions) => Promise<SuiteOutcome>`;
 * run.ts calls them in order and divides each ops/s by the calibration ops/s.
 */
import b from 'benny';
import type { Summary } from 'benny/lib/internal/common-types';

/** Unit of the derived rate: what one "op" of a case is made of. */
export type RateUnit = 'events' | 'jobs' | 'steps' | 'decisions' | 'updates' | 'iterations';

export interface BenchCase {
  /** Shown in the table and used by --filter; unique within the suite. */
  name: string;
  /** One op. Synchronous or async (benny runs async ones as deferred). */
  fn: () => unknown;
  /** How many `unit`s one op processes, e.g. events per replay. */
  perOp: number;
  unit: RateUnit;
  /** Free-form facts about the case (input size, backend, ...), copied into the summary. */
  info?: Record<string, string | number | boolean>;
}

export interface CaseResult {
  suite: string;
  name: string;
  ops: number;
  /** Relative margin of error (±%, 99 % level as benny reports it). */
  marginPct: number;
  samples: number;
  /** Mean seconds per op. */
  secondsPerOp: number;
  unit: RateUnit;
  perOp: number;
  /** perOp × ops: events/s, jobs/s, steps/s... */
  rate: number;
  /**
   * CPU time of this process ÷ wall time while the case ran. About 1 on an idle
   * machine; well below 1 means other processes took the core and ops/s is low.
   */
  cpuShare: number;
  /** rate / min(1, cpuShare): rough rate per CPU-second (filled in by run.ts). */
  cpuRate?: number;
  /** ops / calibration ops (filled in by run.ts once calibration is known). */
  ratio?: number;
  info?: Record<string, string | number | boolean>;
}

export interface SuiteOutcome {
  suite: string;
  /** Set when the suite did not run (missing input or module); the reason is printed. */
  skipped?: string;
  results: CaseResult[];
  /** Named pass/fail checks against the targets in the brief (e.g. FIFO replay <= 0.5 s). */
  checks?: TargetCheck[];
  notes?: string[];
}

export interface TargetCheck {
  name: string;
  value: number;
  target: string;
  /** Unit of `value` for display (' s', ' events/s'). */
  unit?: string;
  ok: boolean;
}

export interface BenchOptions {
  /** Fewer samples and smaller inputs (CI). */
  quick: boolean;
  /** Case-insensitive substring; a case runs if `suite/name` contains it. Empty = all. */
  filter: string;
  /** Folder for benny's per-suite JSON and summary.json (default: <repo>/results/bench). */
  outDir: string;
}

export const DEFAULT_OUT_DIR = 'results/bench';

/** Parses `[--quick] [--filter NAME] [--out DIR]` (also `--filter=NAME`, `--out=DIR`). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = { quick: false, filter: '', outDir: DEFAULT_OUT_DIR };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--quick') o.quick = true;
    else if (flag === '--filter') o.filter = value();
    else if (flag === '--out') o.outDir = value();
    else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

export const USAGE = 'usage: node dist/benchmarks/run.js [--quick] [--filter NAME] [--out DIR]';

export function matchesFilter(filter: string, suite: string, name: string): boolean {
  if (filter === '') return true;
  return `${suite}/${name}`.toLowerCase().includes(filter.toLowerCase());
}

/** True if --filter keeps at least one of `names` (lets a suite skip costly setup). */
export function anySelected(opts: BenchOptions, suite: string, names: readonly string[]): boolean {
  return names.some((n) => matchesFilter(opts.filter, suite, n));
}

/**
 * benchmark.js sampling options. Full: at least 5 samples and ~4 s per case;
 * no delay between cycles (idle time would lower cpuShare on an idle machine);
 * quick: at least 2 samples and ~0.5 s, enough to catch a 2x regression in CI.
 */
export function samplingOptions(quick: boolean): { minSamples: number; maxTime: number; delay: number } {
  return quick ? { minSamples: 2, maxTime: 0.5, delay: 0 } : { minSamples: 5, maxTime: 4, delay: 0 };
}

/** Turns one benny case result into ours. */
export function toCaseResult(suite: string, c: BenchCase, r: Summary['results'][number], cpuShare = NaN): CaseResult {
  const secondsPerOp = r.details.mean;
  // benny rounds `ops` to an integer, useless for slow cases (a 0.4 s replay is
  // "2 ops/s"); recompute it from the mean sample time.
  const ops = secondsPerOp > 0 ? 1 / secondsPerOp : r.ops;
  return {
    suite,
    name: c.name,
    ops,
    marginPct: r.margin,
    samples: r.samples,
    secondsPerOp,
    unit: c.unit,
    perOp: c.perOp,
    rate: ops * c.perOp,
    cpuShare,
    ...(c.info ? { info: c.info } : {}),
  };
}

/**
 * Runs the cases of one suite with benny (after --filter), prints one line per
 * case and saves benny's JSON to `<outDir>/<suite>.json`.
 */
export async function runCases(suite: string, cases: readonly BenchCase[], opts: BenchOptions): Promise<CaseResult[]> {
  const selected = cases.filter((c) => matchesFilter(opts.filter, suite, c.name));
  if (selected.length === 0) return [];
  const sampling = samplingOptions(opts.quick);
  const byName = new Map(selected.map((c) => [c.name, c]));
  const share = new Map<string, number>();
  let cpu0 = process.cpuUsage();
  let wall0 = performance.now();
  const summary = await b.suite(
    suite,
    b.configure({ cases: sampling, minDisplayPrecision: 2 }),
    ...selected.map((c) => b.add(c.name, c.fn)),
    b.cycle((r) => {
      // 'cycle' fires when a case completes: CPU and wall time since the previous one.
      const cpu = process.cpuUsage(cpu0);
      const wall = performance.now() - wall0;
      share.set(r.name, (cpu.user + cpu.system) / 1000 / wall);
      cpu0 = process.cpuUsage();
      wall0 = performance.now();
      const c = byName.get(r.name);
      const rate = c ? ` = ${formatRate(r.details.mean > 0 ? c.perOp / r.details.mean : 0)} ${c.unit}/s` : '';
      console.log(
        `  ${r.name}: ${formatRate(r.details.mean > 0 ? 1 / r.details.mean : r.ops)} ops/s ±${r.margin.toFixed(1)}% (${r.samples} samples, cpu ${Math.round((share.get(r.name) ?? NaN) * 100)}%)${rate}`,
      );
      return ''; // nothing for benny's log-update (it garbles non-TTY logs)
    }),
    b.save({ file: suite, folder: opts.outDir, format: 'json' }),
  );
  return summary.results.map((r) => {
    const c = byName.get(r.name);
    if (!c) throw new Error(`benny returned unknown case ${r.name}`);
    return toCaseResult(suite, c, r, share.get(r.name));
  });
}

/** 3 significant digits with k/M/G suffixes: 3.21 M, 415 k, 2.05. */
export function formatRate(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const [div, suffix] = a >= 1e9 ? [1e9, ' G'] : a >= 1e6 ? [1e6, ' M'] : a >= 1e3 ? [1e3, ' k'] : [1, ''];
  const v = x / div;
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toFixed(digits) + suffix;
}
