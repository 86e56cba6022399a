/**
 * `npm run bench [-- --quick] [-- --filter NAME]`: runs every benchmark suite with
 * benny, prints a table and writes results/bench/<suite>.json (benny's own
 * output) plus results/bench/summary.json (machine, git revision, ops/s, ratio
 * to the calibration loop, derived rates, target checks). See docs/benchmarks.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calibrationSuite, CALIBRATION_SUITE } from './calibration';
import { eventCoreSuite } from './eventCore';
import { phillySuite } from './philly';
import { overloadSuite } from './overload';
import { deeprmSuite } from './deeprm';
import { latencySuite } from './latency';
import { rlschedSuite } from './rlsched';
import {
  DEFAULT_OUT_DIR,
  formatRate,
  parseBenchArgs,
  type BenchOptions,
  type CaseResult,
  type SuiteOutcome,
} from './harness';
import { gitInfo, machineInfo } from './machine';
import { repoRoot } from 'lepton';

/** Suites after calibration, in run order. */
export const SUITES: ReadonlyArray<{ name: string; run: (o: BenchOptions) => Promise<SuiteOutcome> }> = [
  { name: 'event-core', run: eventCoreSuite },
  { name: 'philly-replay', run: phillySuite },
  { name: 'philly-overload', run: overloadSuite },
  { name: 'deeprm-env', run: deeprmSuite },
  { name: 'inference-latency', run: latencySuite },
  { name: 'rlsched', run: rlschedSuite },
];

function table(rows: readonly CaseResult[]): string {
  const head = ['suite', 'case', 'ops/s', '±%', 'ms/op', 'ratio', 'rate', 'cpu%'];
  const body = rows.map((r) => [
    r.suite,
    r.name,
    formatRate(r.ops),
    r.marginPct.toFixed(1),
    (r.secondsPerOp * 1000).toPrecision(3),
    r.ratio === undefined ? '-' : r.ratio.toPrecision(3),
    `${formatRate(r.rate)} ${r.unit}/s`,
    Number.isFinite(r.cpuShare) ? String(Math.round(r.cpuShare * 100)) : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  if (opts.outDir === DEFAULT_OUT_DIR) opts.outDir = path.join(repoRoot(), DEFAULT_OUT_DIR);
  const machine = machineInfo();
  const git = gitInfo();
  console.log(
    `Lepton benchmarks${opts.quick ? ' (quick)' : ''}${opts.filter ? ` filter "${opts.filter}"` : ''}: ` +
      `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, git ${git.revision.slice(0, 10)}${git.dirty ? ' (dirty)' : ''}, load ${machine.loadAvg1}`,
  );
  const started = Date.now();

  console.log(`\n[${CALIBRATION_SUITE}]`);
  const calBefore = await calibrationSuite(opts, CALIBRATION_SUITE);
  const outcomes: SuiteOutcome[] = [];
  for (const s of SUITES) {
    console.log(`\n[${s.name}]`);
    let out: SuiteOutcome;
    try {
      out = await s.run(opts);
    } catch (e) {
      // One broken suite (e.g. a module mid-edit) must not hide the others' numbers.
      out = { suite: s.name, skipped: `failed: ${(e as Error).stack ?? String(e)}`, results: [] };
      process.exitCode = 1;
    }
    if (out.skipped) console.log(`  skipped: ${out.skipped}`);
    for (const n of out.notes ?? []) console.log(`  note: ${n}`);
    outcomes.push(out);
  }
  console.log(`\n[${CALIBRATION_SUITE}-end]`);
  const calAfter = await calibrationSuite(opts, `${CALIBRATION_SUITE}-end`);

  // The reference speed is the geometric mean of the calibration before and after
  // the suites, so a machine that slows down (thermal, neighbours) mid-run shows as drift.
  const before = calBefore.results[0].ops;
  const after = calAfter.results[0].ops;
  const calOps = Math.sqrt(before * after);
  const driftPct = ((after - before) / before) * 100;
  const all = [...calBefore.results, ...outcomes.flatMap((o) => o.results), ...calAfter.results];
  for (const r of all) {
    r.ratio = r.ops / calOps;
    // Rough speed per CPU-second: what an idle core would give (see cpuShare).
    if (r.cpuShare > 0) r.cpuRate = r.rate / Math.min(1, r.cpuShare);
  }

  console.log(`\n${table(all)}`);
  console.log(
    `\nratio = ops/s ÷ calibration ops/s (${formatRate(calOps)}; drift ${driftPct.toFixed(1)}% between start and end)`,
  );
  const checks = outcomes.flatMap((o) => o.checks ?? []);
  for (const c of checks)
    console.log(`${c.ok ? 'PASS' : 'MISS'}  ${c.name}: ${formatRate(c.value)}${c.unit ?? ''} (target ${c.target})`);
  for (const o of outcomes) if (o.skipped) console.log(`SKIP  ${o.suite}: ${o.skipped.split('\n')[0]}`);
  const contended = all.filter((r) => r.cpuShare < 0.8).length;
  if (contended > 0)
    console.log(
      `\nWARNING: ${contended}/${all.length} cases got < 80% of a core (other processes were running): ` +
        'their wall-clock ops/s understate the code; summary.json has cpuShare and cpuRate (rate per CPU-second).',
    );

  const summary = {
    date: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 100) / 10,
    command:
      `node ${path.relative(process.cwd(), process.argv[1] ?? 'dist/benchmarks/run.js')} ${process.argv.slice(2).join(' ')}`.trim(),
    quick: opts.quick,
    filter: opts.filter,
    machine,
    git,
    calibration: { opsPerS: calOps, beforeOpsPerS: before, afterOpsPerS: after, driftPct },
    results: all,
    checks,
    suites: outcomes.map((o) => ({
      suite: o.suite,
      cases: o.results.length,
      ...(o.skipped ? { skipped: o.skipped } : {}),
      ...(o.notes ? { notes: o.notes } : {}),
    })),
  };
  fs.mkdirSync(opts.outDir, { recursive: true });
  const file = path.join(opts.outDir, 'summary.json');
  fs.writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file) || file}`);
}

void main();
