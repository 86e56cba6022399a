/**
 * The small layer Lepton's benchmarks share: a case description, a CPU-time sampler
 * that records seconds per op plus a derived rate (events/s, jobs/s, ...), and the
 * options of `npm run bench` (quick mode, --filter, the gate's options).
 *
 * Every suite module exports `(opts: BenchOptions) => Promise<SuiteOutcome>` and is
 * listed in benchmarks/suites.ts; benchmarks/worker.ts runs one suite in a fresh
 * process between two calibrations, benchmarks/run.ts repeats that in several
 * processes and gates the result against benchmarks/baseline.json (docs/benchmarks.md).
 */

/** Unit of the derived rate: what one "op" of a case is made of. */
export type RateUnit = 'events' | 'jobs' | 'steps' | 'decisions' | 'updates' | 'iterations';

export interface BenchCase {
  /** Shown in the table and used by --filter; unique within the suite. */
  name: string;
  /** One op. Synchronous or async (a returned promise is awaited). */
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
  /** Ops per CPU-second (1 / secondsPerOp). */
  ops: number;
  /** (slowest − fastest sample) ÷ median, in %: the within-process noise of this case. */
  spreadPct: number;
  samples: number;
  /** Ops per sample. */
  reps: number;
  /** Median CPU seconds per op (user + system of this process). */
  secondsPerOp: number;
  /** Median wall seconds per op (for reference: inflated when the machine is busy). */
  wallSecondsPerOp: number;
  unit: RateUnit;
  perOp: number;
  /** perOp × ops: events, jobs, steps... per CPU-second. */
  rate: number;
  /**
   * CPU time of this process ÷ wall time while the case ran. About 1 on an idle
   * machine; well below 1 means other processes took the core.
   */
  cpuShare: number;
  /** ops / calibration ops of the same process (filled in by the worker). */
  ratio?: number;
  info?: Record<string, string | number | boolean>;
}

export interface SuiteOutcome {
  suite: string;
  /** Set when the suite did not run (missing input or module); the reason is printed. */
  skipped?: string;
  results: CaseResult[];
  /** Named pass/fail checks against absolute targets (e.g. FIFO replay <= 0.5 s). */
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

/** What a suite sees. */
export interface BenchOptions {
  /** Fewer samples and smaller inputs (CI). */
  quick: boolean;
  /** Case-insensitive substring; a case runs if `suite/name` contains it. Empty = all. */
  filter: string;
  /** Folder for summary.json and history.jsonl (default: <repo>/results/bench). */
  outDir: string;
  /** Print one line per case as it finishes (stderr). */
  verbose?: boolean;
}

/** What `npm run bench` accepts: the suites' options plus the gate's. */
export interface GateOptions extends BenchOptions {
  /** Worker processes per suite; the figure is the best of their medians (default 3). */
  processes: number;
  /** Rewrite the baseline of this mode with this run's figures instead of gating. */
  updateBaseline: boolean;
  /** Baseline file (default benchmarks/baseline.json). */
  baseline: string;
  /** Append this run to <outDir>/history.jsonl (default true). */
  history: boolean;
  /** Run only these suites (empty = all). */
  suites: string[];
  /**
   * Extra worker processes for each suite with a REGRESSED or MISS figure before the gate
   * fails (0 = none). A regression must survive a second, independent set of processes:
   * one slow spell of the machine (or a neighbour) is not a regression of the code.
   */
  confirm: number;
  /**
   * What the figures are compared with: 'baseline' (default) = the baseline's git revision,
   * built and measured side by side in this run; a git revision = that one; 'none' = the
   * baseline file's stored figures (the only option when the clone lacks the revision).
   */
  reference: string;
}

export const DEFAULT_OUT_DIR = 'results/bench';
export const DEFAULT_BASELINE = 'benchmarks/baseline.json';
export const DEFAULT_PROCESSES = 3;
export const DEFAULT_CONFIRM = 3;

export const USAGE = `usage: npm run bench -- [options]   (node dist/benchmarks/run.js [options])
  --quick              smaller inputs, fewer samples (the CI gate)
  --filter TEXT        only cases whose "suite/case" contains TEXT (case-insensitive)
  --suite A[,B]        only these suites (the others are not started at all)
  --processes N        worker processes per suite (default ${DEFAULT_PROCESSES}); figure = best of their medians
  --confirm N          before failing, re-measure each suite with a REGRESSED/MISS figure in N more
                       processes (default ${DEFAULT_CONFIRM}; 0 = fail at once); figure = best of all processes
  --reference R        compare with: 'baseline' (default: the baseline's git revision, built and
                       measured side by side in this run), a git revision, or 'none' (stored figures)
  --update-baseline    write this run's figures as the baseline of this mode (quick or full);
                       its git revision (HEAD, committed) becomes the reference of later runs
  --baseline FILE      baseline file (default ${DEFAULT_BASELINE})
  --out DIR            summary.json and history.jsonl go here (default ${DEFAULT_OUT_DIR})
  --no-history         do not append to DIR/history.jsonl
  --verbose            one line per case as it finishes`;

function intIn(flag: string, v: string, lo: number, hi: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < lo || n > hi)
    throw new Error(`${flag}: '${v}' is not an integer from ${lo} to ${hi}`);
  return n;
}

/** Parses the command line of `npm run bench` (also `--flag=value`). Throws with the usage on a bad option. */
export function parseBenchArgs(argv: readonly string[]): GateOptions {
  const o: GateOptions = {
    quick: false,
    filter: '',
    outDir: DEFAULT_OUT_DIR,
    processes: DEFAULT_PROCESSES,
    updateBaseline: false,
    baseline: DEFAULT_BASELINE,
    history: true,
    verbose: false,
    suites: [],
    confirm: DEFAULT_CONFIRM,
    reference: 'baseline',
  };
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
    else if (flag === '--baseline') o.baseline = value();
    else if (flag === '--update-baseline') o.updateBaseline = true;
    else if (flag === '--no-history') o.history = false;
    else if (flag === '--suite') o.suites.push(...value().split(','));
    else if (flag === '--verbose') o.verbose = true;
    else if (flag === '--processes') o.processes = intIn(flag, value(), 1, 20);
    else if (flag === '--confirm') o.confirm = intIn(flag, value(), 0, 20);
    else if (flag === '--reference') {
      const v = value();
      if (!/^(baseline|none|[0-9A-Za-z][0-9A-Za-z._/~^-]*)$/.test(v))
        throw new Error(`--reference: '${v}' is not 'baseline', 'none' or a git revision`);
      o.reference = v;
    } else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

export function matchesFilter(filter: string, suite: string, name: string): boolean {
  if (filter === '') return true;
  return `${suite}/${name}`.toLowerCase().includes(filter.toLowerCase());
}

/** True if --filter keeps at least one of `names` (lets a suite skip costly setup). */
export function anySelected(opts: BenchOptions, suite: string, names: readonly string[]): boolean {
  return names.some((n) => matchesFilter(opts.filter, suite, n));
}

/**
 * Sampling plan of one case in one process. Every sample runs the op `reps` times, with
 * `reps` chosen after the warm-up so a sample lasts at least `minSampleS` of CPU time
 * (one op when a single op is longer). The case's figure is the median sample.
 */
export interface Sampling {
  /** CPU seconds of warm-up (at least one op): lets V8 optimise before timing. */
  warmupS: number;
  /** Timed samples per case and process. */
  samples: number;
  /** Minimum CPU seconds per sample. */
  minSampleS: number;
}

/**
 * Quick (CI): 3 samples of >= 30 ms after >= 50 ms of warm-up; full: 3 samples of >= 100 ms
 * after >= 200 ms. Three samples per process suffice for a median because the gate also
 * repeats every case in several processes (benchmarks/run.ts); more would break the
 * 5-minute budget of the full run.
 */
export function samplingOptions(quick: boolean): Sampling {
  return quick ? { warmupS: 0.05, samples: 3, minSampleS: 0.03 } : { warmupS: 0.2, samples: 3, minSampleS: 0.1 };
}

/** CPU seconds (user + system, every thread of this process) since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One timed measurement of a case: CPU and wall seconds per op of each sample. */
export interface Samples {
  cpu: number[];
  wall: number[];
  reps: number;
}

/**
 * Times `fn` by CPU time, not wall time: on a shared machine other processes take the
 * core away, which stretches wall time but not (much) the CPU time this process spends.
 * Async ops (returning a promise) are awaited.
 */
export async function sampleCase(fn: () => unknown, s: Sampling): Promise<Samples> {
  const call = async (): Promise<void> => {
    const r = fn();
    if (r instanceof Promise) await r;
  };
  let ops = 0;
  const c0 = process.cpuUsage();
  do {
    await call();
    ops++;
  } while (cpuSince(c0) < s.warmupS);
  const perOp = Math.max(cpuSince(c0) / ops, 1e-9);
  const reps = Math.max(1, Math.ceil(s.minSampleS / perOp));
  const out: Samples = { cpu: [], wall: [], reps };
  for (let k = 0; k < s.samples; k++) {
    const w0 = performance.now();
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) await call();
    out.cpu.push(cpuSince(t0) / reps);
    out.wall.push((performance.now() - w0) / 1000 / reps);
  }
  return out;
}

/** Turns the samples of one case into its result (median CPU seconds per op). */
export function toCaseResult(suite: string, c: BenchCase, s: Samples): CaseResult {
  const secondsPerOp = median(s.cpu);
  const wallSecondsPerOp = median(s.wall);
  const ops = secondsPerOp > 0 ? 1 / secondsPerOp : Infinity;
  const cpuTotal = s.cpu.reduce((a, b) => a + b, 0);
  const wallTotal = s.wall.reduce((a, b) => a + b, 0);
  return {
    suite,
    name: c.name,
    ops,
    spreadPct: secondsPerOp > 0 ? ((Math.max(...s.cpu) - Math.min(...s.cpu)) / secondsPerOp) * 100 : 0,
    samples: s.cpu.length,
    reps: s.reps,
    secondsPerOp,
    wallSecondsPerOp,
    unit: c.unit,
    perOp: c.perOp,
    rate: ops * c.perOp,
    cpuShare: wallTotal > 0 ? cpuTotal / wallTotal : NaN,
    ...(c.info ? { info: c.info } : {}),
  };
}

/** Runs the cases of one suite (after --filter) one after another and prints one line per case. */
export async function runCases(suite: string, cases: readonly BenchCase[], opts: BenchOptions): Promise<CaseResult[]> {
  const selected = cases.filter((c) => matchesFilter(opts.filter, suite, c.name));
  const sampling = samplingOptions(opts.quick);
  const results: CaseResult[] = [];
  for (const c of selected) {
    const r = toCaseResult(suite, c, await sampleCase(c.fn, sampling));
    results.push(r);
    if (opts.verbose)
      console.error(
        `  ${suite}/${c.name}: ${formatRate(r.rate)} ${c.unit}/CPU-s, ${(r.secondsPerOp * 1000).toPrecision(3)} ms/op ` +
          `(spread ${r.spreadPct.toFixed(1)}%, ${r.samples}×${r.reps} ops, cpu ${Math.round(r.cpuShare * 100)}%)`,
      );
  }
  return results;
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
