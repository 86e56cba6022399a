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
  FILTERED_OUT,
  type Mode,
} from './gate';
import { gitInfo, machineInfo } from './machine';
import { repoRoot } from 'lepton';
import { SUITE_NAMES } from './suites';
import type { WorkerOutput } from './worker';

/** Runs one worker process; its stderr (progress) goes straight through. */
function runWorkerProcess(suite: string, opts: GateOptions, tmp: string, k: number): WorkerOutput {
  const result = path.join(tmp, `${suite}-${k}.json`);
  const worker = path.join(__dirname, `worker${path.extname(__filename)}`);
  const args = [...process.execArgv, worker, '--suite', suite, '--result', result];
  if (opts.quick) args.push('--quick');
  if (opts.filter) args.push('--filter', opts.filter);
  if (opts.verbose) args.push('--verbose');
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
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
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  console.log(
    `Lepton benchmark gate (${mode}${opts.suites.length ? `, suites ${opts.suites.join(',')}` : ''}${opts.filter ? `, filter "${opts.filter}"` : ''}, ${opts.processes} processes per suite): ` +
      `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, git ${git.revision.slice(0, 10)}${git.dirty ? ' (dirty)' : ''}, load ${machine.loadAvg1}`,
  );
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-bench-'));
  const outputs: WorkerOutput[] = [];
  let suites = SUITE_NAMES.filter((x) => opts.suites.length === 0 || opts.suites.includes(x));
  try {
    for (let round = 0; round < opts.processes; round++) {
      // Rotate the order each round: a slow spell of the machine does not always hit the same suite.
      const order = suites.map((_, i) => suites[(i + round) % suites.length]);
      for (const s of order) {
        const t0 = Date.now();
        const out = runWorkerProcess(s, opts, tmp, round);
        outputs.push(out);
        const n = out.outcome.results.length;
        console.log(
          `  [${round + 1}/${opts.processes}] ${s}: ${out.outcome.skipped ? `skipped (${out.outcome.skipped.split('\n')[0]})` : `${n} cases`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
      // Suites --filter leaves empty need not run again.
      suites = suites.filter((s) => !outputs.some((o) => o.suite === s && o.outcome.skipped === FILTERED_OUT));
      if (suites.length === 0) break;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const agg = aggregate(outputs.filter((o) => Number.isFinite(o.calibration.opsPerS) || o.outcome.skipped));
  for (const o of outputs)
    if (o.outcome.skipped && o.outcome.skipped !== FILTERED_OUT && !agg.skipped.some((s) => s.suite === o.suite))
      agg.skipped.push({ suite: o.suite, reason: o.outcome.skipped });
  const selected = (id: string): boolean => {
    const i = id.indexOf('/');
    const suite = id.slice(0, i);
    return (
      (opts.suites.length === 0 || opts.suites.includes(suite)) && matchesFilter(opts.filter, suite, id.slice(i + 1))
    );
  };
  const base = baseline.modes[mode];
  const rows = compare(agg, base, selected);
  const durationS = Math.round((Date.now() - started) / 100) / 10;

  console.log('');
  for (const n of agg.notes) console.log(`note: ${n}`);
  console.log(`\n${renderTable(rows)}\n`);
  console.log(
    `ratio = ops per CPU-second ÷ calibration ops per CPU-second of the same process, best of ${opts.processes} processes; ` +
      `baseline: ${base ? `git ${base.git.revision.slice(0, 10)}, ${base.date.slice(0, 10)}` : 'none for this mode'}; ${durationS} s`,
  );

  const summary = {
    date: new Date(started).toISOString(),
    durationS,
    command,
    mode,
    filter: opts.filter,
    processes: opts.processes,
    machine,
    git,
    calibrationOpsPerS: agg.calibrationOpsPerS,
    figures: agg.figures,
    rows,
    skipped: agg.skipped,
    notes: agg.notes,
    workers: outputs.map((o) => ({
      suite: o.suite,
      pid: o.pid,
      calibrationOpsPerS: o.calibration.opsPerS,
      calibrationBefore: o.calibration.before?.ops,
      calibrationAfter: o.calibration.after?.ops,
      results: o.outcome.results,
    })),
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
      `updated the ${mode} baseline in ${path.relative(process.cwd(), opts.baseline)} (${agg.figures.length} figures)`,
    );
    return 0;
  }
  if (gateFailed) {
    console.log(
      'GATE FAILED: see the verdicts above (REGRESSED/MISS/MISSING/SKIPPED). If a change is intended, rerun with --update-baseline and commit benchmarks/baseline.json.',
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
