/**
 * `npm run bench [-- --quick] [-- --filter TEXT] [-- --update-baseline]`: the benchmark
 * regression gate. Every suite of benchmarks/suites.ts runs in `--processes` fresh worker
 * processes (benchmarks/worker.ts: calibration, suite, calibration), round-robin so a busy
 * spell of the machine hits different suites; each case's figure is the best of the
 * processes' medians, as a ratio to the calibration of the same process. The figures are
 * compared with benchmarks/baseline.json (benchmarks/gate.ts, tolerances and absolute
 * targets in benchmarks/targets.ts), printed as one table, written to
 * <out>/summary.json and appended to <out>/history.jsonl. Exit 1 when a figure regressed
 * beyond its tolerance, a target is missed, a baselined figure or a suite is missing;
 * 2 on a usage error. See docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_OUT_DIR, DEFAULT_BASELINE, matchesFilter, parseBenchArgs, type GateOptions } from './harness';
import {
  aggregate,
  baselineMode,
  compare,
  failed,
  readBaseline,
  renderTable,
  writeJsonAtomic,
  suitesToConfirm,
  FILTERED_OUT,
  type Aggregate,
  type BaselineMode,
  type Mode,
  type Row,
} from './gate';
import { gitInfo, machineInfo } from './machine';
import { repoRoot, sharedDir } from 'lepton';
import { prepareReference, referenceEnv, resolveRevision, type ReferenceBuild } from './reference';
import { SUITE_NAMES } from './suites';
import type { WorkerOutput } from './worker';

/** Which build a worker process measures. */
type Side = 'current' | 'reference';

interface Worker {
  side: Side;
  /** The compiled (or, under tsx, source) benchmarks/worker of that build. */
  file: string;
  env: NodeJS.ProcessEnv;
  /** Working directory: the build's own root, so tsx (under `npx tsx`) resolves 'lepton' through its tsconfig. */
  cwd: string;
}

/** Runs one worker process; its stderr (progress) goes straight through. */
function runWorkerProcess(suite: string, opts: GateOptions, tmp: string, tag: string, w: Worker): WorkerOutput {
  const result = path.join(tmp, `${suite}-${w.side}-${tag}.json`);
  const args = [...process.execArgv, w.file, '--suite', suite, '--result', result];
  if (opts.quick) args.push('--quick');
  if (opts.filter) args.push('--filter', opts.filter);
  if (opts.verbose) args.push('--verbose');
  const r = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: w.env,
    cwd: w.cwd,
  });
  if (r.status !== 0 || !fs.existsSync(result)) {
    const why = r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    return {
      suite,
      pid: r.pid ?? -1,
      calibration: { before: undefined!, after: undefined!, opsPerS: NaN },
      outcome: { suite, skipped: `failed: worker process ${why}`, results: [] },
    };
  }
  return JSON.parse(fs.readFileSync(result, 'utf8')) as WorkerOutput;
}

/** Figures of one side's processes (failed processes count as a skipped suite). */
function aggregateSide(outputs: readonly WorkerOutput[]): Aggregate {
  const agg = aggregate(outputs.filter((o) => Number.isFinite(o.calibration.opsPerS) || o.outcome.skipped));
  for (const o of outputs)
    if (o.outcome.skipped && o.outcome.skipped !== FILTERED_OUT && !agg.skipped.some((s) => s.suite === o.suite))
      agg.skipped.push({ suite: o.suite, reason: o.outcome.skipped });
  return agg;
}

/** Modified tracked files that would make a baseline's revision not the code it measured. */
function uncommittedCode(root: string): string[] {
  const r = spawnSync(
    'git',
    [
      'status',
      '--porcelain',
      '--untracked-files=no',
      '--',
      'src',
      'benchmarks',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.slice(3).trim())
    .filter((f) => f !== '' && f !== DEFAULT_BASELINE);
}

async function main(): Promise<number> {
  let opts: GateOptions;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const root = repoRoot();
  if (opts.outDir === DEFAULT_OUT_DIR) opts.outDir = path.join(root, DEFAULT_OUT_DIR);
  if (opts.baseline === DEFAULT_BASELINE) opts.baseline = path.join(root, DEFAULT_BASELINE);
  const unknown = opts.suites.filter((x) => !SUITE_NAMES.includes(x));
  if (unknown.length > 0) {
    console.error(`--suite: unknown suite(s) ${unknown.join(', ')} (known: ${SUITE_NAMES.join(', ')})`);
    return 2;
  }
  const mode: Mode = opts.quick ? 'quick' : 'full';
  let baseline;
  try {
    baseline = readBaseline(opts.baseline);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const machine = machineInfo();
  const git = gitInfo();
  if (opts.updateBaseline) {
    // The baseline's revision becomes the reference build of later runs: it must be the code measured.
    const dirty = uncommittedCode(root);
    if (dirty.length > 0) {
      console.error(
        `--update-baseline: commit these first (the baseline records revision ${git.revision.slice(0, 10)} as the reference build, and they are not in it): ${dirty.join(', ')}`,
      );
      return 2;
    }
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  console.log(
    `Lepton benchmark gate (${mode}${opts.suites.length ? `, suites ${opts.suites.join(',')}` : ''}${opts.filter ? `, filter "${opts.filter}"` : ''}, ${opts.processes} processes per suite): ` +
      `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, git ${git.revision.slice(0, 10)}${git.dirty ? ' (dirty)' : ''}, load ${machine.loadAvg1}`,
  );
  const started = Date.now();
  const base = baseline.modes[mode];
  const current: Worker = {
    side: 'current',
    file: path.join(__dirname, `worker${path.extname(__filename)}`),
    env: process.env,
    cwd: process.cwd(),
  };

  // The reference build, measured side by side (docs/benchmarks.md); the stored figures only
  // when there is none (--reference none, no baseline yet, or it cannot be built).
  let reference: ReferenceBuild | undefined;
  let referenceNote = '';
  const wanted = opts.updateBaseline ? 'none' : opts.reference === 'baseline' ? base?.git.revision : opts.reference;
  if (wanted && wanted !== 'none' && wanted !== 'unknown') {
    try {
      reference = prepareReference(root, resolveRevision(root, wanted), (l) => console.log(l));
    } catch (e) {
      referenceNote = `no reference build (${(e as Error).message.split('\n')[0]}): compared with the stored figures of ${path.relative(process.cwd(), opts.baseline)}`;
      console.log(`  ${referenceNote}`);
    }
  } else if (!opts.updateBaseline)
    referenceNote = `compared with the stored figures of ${path.relative(process.cwd(), opts.baseline)} (${wanted === 'none' ? '--reference none' : 'no baseline revision'})`;
  const sides: Worker[] = [current];
  if (reference)
    sides.push({
      side: 'reference',
      // Under `npx tsx benchmarks/run.ts` the working tree runs from source: so does the
      // reference (tsx's transform and tsc's output differ in speed; compare like with like).
      file: path.extname(__filename) === '.ts' ? path.join(reference.dir, 'benchmarks', 'worker.ts') : reference.worker,
      env: referenceEnv(process.env, sharedDir()),
      cwd: reference.dir,
    });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-bench-'));
  const outputs: Record<Side, WorkerOutput[]> = { current: [], reference: [] };
  const runRounds = (names: readonly string[], first: number, count: number, label: string): void => {
    let suites = [...names];
    for (let round = first; round < first + count; round++) {
      // Rotate the order each round: a slow spell of the machine does not always hit the same suite.
      const order = suites.map((_, i) => suites[(i + round) % suites.length]);
      for (const s of order) {
        // Alternate which build goes first, so neither always inherits the other's after-effects.
        const ordered = round % 2 === 0 ? sides : [...sides].reverse();
        for (const w of ordered) {
          const t0 = Date.now();
          const out = runWorkerProcess(s, opts, tmp, String(round), w);
          outputs[w.side].push(out);
          const n = out.outcome.results.length;
          console.log(
            `  [${label}${round - first + 1}/${count}] ${s}${reference ? ` (${w.side})` : ''}: ${out.outcome.skipped ? `skipped (${out.outcome.skipped.split('\n')[0]})` : `${n} cases`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
          );
        }
      }
      // Suites --filter leaves empty need not run again.
      suites = suites.filter((s) => !outputs.current.some((o) => o.suite === s && o.outcome.skipped === FILTERED_OUT));
      if (suites.length === 0) break;
    }
  };
  const selected = (id: string): boolean => {
    const i = id.indexOf('/');
    const suite = id.slice(0, i);
    return (
      (opts.suites.length === 0 || opts.suites.includes(suite)) && matchesFilter(opts.filter, suite, id.slice(i + 1))
    );
  };
  const measure = (): {
    agg: Aggregate;
    against: BaselineMode | undefined;
    refSkips: Aggregate['skipped'];
    rows: Row[];
  } => {
    const agg = aggregateSide(outputs.current);
    let against = base;
    let refSkips: Aggregate['skipped'] = [];
    if (reference) {
      // A suite the reference cannot run (it is newer than the reference) has no reference figures: 'new'.
      const refAgg = aggregateSide(outputs.reference);
      refSkips = refAgg.skipped;
      against = baselineMode(refAgg, {
        date: new Date(started).toISOString(),
        git: { revision: reference.revision, dirty: false },
        machine,
        command,
        processes: opts.processes,
      });
    }
    const by = reference ? 'cpu' : 'ratio';
    return { agg, against, refSkips, rows: compare(agg, against, selected, undefined, undefined, by) };
  };
  let processesRun = opts.processes;
  let confirmed: string[] = [];
  let result: ReturnType<typeof measure>;
  try {
    runRounds(
      SUITE_NAMES.filter((x) => opts.suites.length === 0 || opts.suites.includes(x)),
      0,
      opts.processes,
      '',
    );
    result = measure();
    // A figure that fails on speed is measured again in fresh processes before the gate
    // believes it (docs/benchmarks.md, "Confirmation"). Not when writing a baseline: that
    // run's figures are the new reference as measured.
    confirmed = opts.updateBaseline || opts.confirm === 0 ? [] : suitesToConfirm(result.rows);
    if (confirmed.length > 0) {
      console.log(
        `  figures failed on speed in ${confirmed.join(', ')}: re-measuring in ${opts.confirm} more process(es) each before deciding`,
      );
      runRounds(confirmed, opts.processes, opts.confirm, 'confirm ');
      processesRun += opts.confirm;
      result = measure();
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const { agg, against, refSkips, rows } = result;
  const durationS = Math.round((Date.now() - started) / 100) / 10;

  console.log('');
  for (const n of agg.notes) console.log(`note: ${n}`);
  for (const s of refSkips)
    console.log(`note: the reference did not run suite ${s.suite} (${s.reason.split('\n')[0]}): its figures are new`);
  const against_ = reference
    ? `reference build git ${reference.revision.slice(0, 10)} (the baseline's revision${opts.reference === 'baseline' ? '' : ` given by --reference ${opts.reference}`}), measured side by side in this run`
    : `stored baseline ${base ? `git ${base.git.revision.slice(0, 10)}, ${base.date.slice(0, 10)}` : 'none for this mode'}`;
  console.log(`\n${renderTable(rows, reference ? 'reference' : 'baseline')}\n`);
  console.log(
    `${reference ? 'figure = units per CPU-second' : 'ratio = ops per CPU-second ÷ calibration ops per CPU-second of the same process'}, best of ${opts.processes} processes${confirmed.length ? ` (${processesRun} for ${confirmed.join(', ')}: confirmation)` : ''}; ` +
      `compared with the ${against_}; ${durationS} s`,
  );

  const summary = {
    date: new Date(started).toISOString(),
    durationS,
    command,
    mode,
    filter: opts.filter,
    processes: opts.processes,
    confirmedSuites: confirmed,
    confirmProcesses: opts.confirm,
    reference: reference
      ? { kind: 'side-by-side', revision: reference.revision, buildSeconds: reference.buildSeconds }
      : { kind: 'stored', revision: base?.git.revision ?? null, note: referenceNote },
    machine,
    git,
    calibrationOpsPerS: agg.calibrationOpsPerS,
    figures: agg.figures,
    referenceFigures: reference ? (against?.figures ?? {}) : undefined,
    rows,
    skipped: agg.skipped,
    notes: agg.notes,
    workers: (['current', 'reference'] as const).flatMap((side) =>
      outputs[side].map((o) => ({
        side,
        suite: o.suite,
        pid: o.pid,
        calibrationOpsPerS: o.calibration.opsPerS,
        calibrationBefore: o.calibration.before?.ops,
        calibrationAfter: o.calibration.after?.ops,
        results: o.outcome.results,
      })),
    ),
  };
  writeJsonAtomic(path.join(opts.outDir, 'summary.json'), summary);
  const gateFailed = failed(rows);
  if (opts.history) {
    const line = {
      date: summary.date,
      git: git.revision,
      dirty: git.dirty,
      mode,
      filter: opts.filter,
      suites: opts.suites,
      processes: opts.processes,
      reference: reference?.revision ?? null,
      cpus: machine.cpus,
      cpuModel: machine.cpuModel,
      node: machine.node,
      loadAvg1: machine.loadAvg1,
      calibrationOpsPerS: agg.calibrationOpsPerS,
      passed: !gateFailed,
      figures: Object.fromEntries(
        agg.figures.map((f) => [f.id, { ratio: f.ratio, secondsPerOp: f.secondsPerOp, rate: f.rate, unit: f.unit }]),
      ),
    };
    fs.mkdirSync(opts.outDir, { recursive: true });
    // One line per run, appended with a single write (O_APPEND) so concurrent runs never interleave within a line.
    fs.appendFileSync(path.join(opts.outDir, 'history.jsonl'), JSON.stringify(line) + '\n');
  }
  console.log(`wrote ${path.relative(process.cwd(), path.join(opts.outDir, 'summary.json'))}`);

  if (opts.updateBaseline) {
    const failedSuites = agg.skipped.filter((s) => s.reason.startsWith('failed'));
    if (failedSuites.length > 0) {
      console.error(`not updating the baseline: suite(s) failed: ${failedSuites.map((s) => s.suite).join(', ')}`);
      return 1;
    }
    baseline.modes[mode] = baselineMode(
      agg,
      { date: summary.date, git, machine, command, processes: opts.processes },
      base,
      (id) => !selected(id),
    );
    writeJsonAtomic(opts.baseline, baseline);
    console.log(
      `updated the ${mode} baseline in ${path.relative(process.cwd(), opts.baseline)} (${agg.figures.length} figures; reference revision now ${git.revision.slice(0, 10)})`,
    );
    return 0;
  }
  if (gateFailed) {
    console.log(
      'GATE FAILED: see the verdicts above (REGRESSED/MISS/MISSING/SKIPPED). If a change is intended, commit it, rerun with --update-baseline and commit benchmarks/baseline.json.',
    );
    return 1;
  }
  console.log('gate passed');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error((e as Error).stack ?? String(e));
    process.exitCode = 1;
  },
);
