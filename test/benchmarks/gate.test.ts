import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  aggregate,
  compare,
  failed,
  readBaseline,
  renderTable,
  baselineMode,
  suitesToConfirm,
  type BaselineMode,
  type Row,
} from '../../benchmarks/gate';
import type { WorkerOutput } from '../../benchmarks/worker';
import type { CaseResult } from '../../benchmarks/harness';
import type { Target } from '../../benchmarks/targets';
import { referenceEnv, resolveRevision } from '../../benchmarks/reference';

const ROOT = path.resolve(__dirname, '../..');

function result(suite: string, name: string, secondsPerOp: number, ratio: number, perOp = 1): CaseResult {
  return {
    suite,
    name,
    ops: 1 / secondsPerOp,
    spreadPct: 1,
    samples: 3,
    reps: 1,
    secondsPerOp,
    wallSecondsPerOp: secondsPerOp * 2,
    unit: 'events',
    perOp,
    rate: perOp / secondsPerOp,
    cpuShare: 0.5,
    ratio,
  };
}

function worker(suite: string, cal: number, results: CaseResult[], skipped?: string): WorkerOutput {
  const c = result('calibration', 'cal', 1 / cal, 1);
  return { suite, pid: 1, calibration: { before: c, after: c, opsPerS: cal }, outcome: { suite, results, skipped } };
}

function base(figures: Record<string, number>): BaselineMode {
  return {
    date: '2026-01-01T00:00:00Z',
    git: { revision: 'abc', dirty: false },
    machine: {} as never,
    command: 'x',
    processes: 3,
    calibrationOpsPerS: 1,
    figures: Object.fromEntries(
      Object.entries(figures).map(([id, ratio]) => [id, { ratio, unit: 'events' as const, perOp: 1, secondsPerOp: 1 }]),
    ),
  };
}

describe('aggregate', () => {
  test('best ratio and best CPU time over the processes; every ratio kept', () => {
    const agg = aggregate([
      worker('s', 100, [result('s', 'a', 0.2, 0.05)]),
      worker('s', 400, [result('s', 'a', 0.1, 0.025)]),
      worker('s', 200, [result('s', 'a', 0.3, 0.0167)]),
    ]);
    assert.equal(agg.figures.length, 1);
    const f = agg.figures[0];
    assert.equal(f.id, 's/a');
    assert.equal(f.ratio, 0.05);
    assert.equal(f.secondsPerOp, 0.1);
    assert.equal(f.rate, 10);
    assert.deepEqual(f.ratios, [0.05, 0.025, 0.0167]);
    assert.ok(Math.abs(agg.calibrationOpsPerS - 200) < 1e-9);
  });
  test('a suite skipped for another reason than --filter is reported', () => {
    const agg = aggregate([worker('s', 1, [], 'no case matches --filter'), worker('t', 1, [], 'trace not found')]);
    assert.deepEqual(agg.skipped, [{ suite: 't', reason: 'trace not found' }]);
  });
});

describe('compare', () => {
  const tol = (): number => 20;
  const all = (): boolean => true;
  test('within tolerance ok, beyond it REGRESSED (fails) or faster (passes)', () => {
    const agg = aggregate([
      worker('s', 1, [result('s', 'same', 1, 0.9), result('s', 'slow', 1, 0.7), result('s', 'fast', 1, 1.5)]),
    ]);
    const rows = compare(agg, base({ 's/same': 1, 's/slow': 1, 's/fast': 1 }), all, [], tol);
    assert.deepEqual(
      rows.map((r) => [r.figure, r.verdict]),
      [
        ['s/same', 'ok'],
        ['s/slow', 'REGRESSED'],
        ['s/fast', 'faster'],
      ],
    );
    assert.equal(rows[1].change, '-30.0% (±20%)');
    assert.equal(failed(rows), true);
    assert.equal(failed([rows[0], rows[2]]), false);
    assert.match(renderTable(rows), /^figure +baseline +now +change +verdict\n/);
  });
  test('a figure without a tolerance (null) is reported as info and never fails', () => {
    const agg = aggregate([worker('s', 1, [result('s', 'tf', 1, 0.1)])]);
    const rows = compare(agg, base({ 's/tf': 1 }), all, [], () => null);
    assert.deepEqual(
      rows.map((r) => [r.verdict, r.change]),
      [['info', '-90.0% (not gated)']],
    );
    assert.equal(failed(rows), false);
  });
  test('a baselined figure the run should have measured is MISSING; one --filter excludes is not', () => {
    const agg = aggregate([worker('s', 1, [result('s', 'a', 1, 1)])]);
    const rows = compare(agg, base({ 's/a': 1, 's/b': 1, 'u/c': 1 }), (id) => id !== 'u/c', [], tol);
    assert.deepEqual(
      rows.map((r) => [r.figure, r.verdict]),
      [
        ['s/a', 'ok'],
        ['s/b', 'MISSING'],
      ],
    );
    assert.equal(failed(rows), true);
  });
  test('new figures pass; no baseline at all passes', () => {
    const agg = aggregate([worker('s', 1, [result('s', 'a', 1, 1)])]);
    assert.deepEqual(
      compare(agg, undefined, all, [], tol).map((r) => r.verdict),
      ['new'],
    );
  });
  test('absolute targets: PASS / MISS on CPU seconds per op, per unit, and rate', () => {
    const agg = aggregate([worker('s', 1, [result('s', 'a', 0.5, 1, 1000)])]);
    const targets: Target[] = [
      { figure: 's/a', metric: 'secondsPerOp', op: '<=', value: 0.6, label: '<= 0.6 s' },
      { figure: 's/a', metric: 'secondsPerUnit', op: '<=', value: 1e-4, label: '<= 100 µs' },
      { figure: 's/a', metric: 'rate', op: '>=', value: 3000, label: '>= 3 k/s' },
      { figure: 's/other', metric: 'rate', op: '>=', value: 1, label: 'not measured: no row' },
    ];
    const rows = compare(agg, undefined, all, targets, tol).filter((r) => r.figure.startsWith('target'));
    assert.deepEqual(
      rows.map((r) => r.verdict),
      ['PASS', 'MISS', 'MISS'],
    );
  });
  test('a skipped suite fails the gate', () => {
    const agg = aggregate([worker('t', 1, [], 'failed: boom')]);
    const rows = compare(agg, base({ 't/x': 1 }), all, [], tol);
    assert.deepEqual(
      rows.map((r) => r.verdict),
      ['SKIPPED'],
    );
    assert.equal(failed(rows), true);
  });
});

describe('baseline file', () => {
  test('missing file = empty baseline; bad content names the file and the field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-gate-'));
    assert.deepEqual(readBaseline(path.join(dir, 'none.json')).modes, {});
    const f = path.join(dir, 'b.json');
    fs.writeFileSync(f, JSON.stringify({ schema: 1, modes: { quick: { figures: { 's/a': { ratio: -1 } } } } }));
    assert.throws(
      () => readBaseline(f),
      /b\.json: field 'modes\.quick\.figures\["s\/a"\]\.ratio': not a positive number/,
    );
    fs.writeFileSync(f, '{');
    assert.throws(() => readBaseline(f), /b\.json: not valid JSON/);
    fs.rmSync(dir, { recursive: true });
  });
  test('the committed baseline is valid and has both modes', () => {
    const b = readBaseline(path.join(ROOT, 'benchmarks/baseline.json'));
    for (const mode of ['quick', 'full'] as const) {
      const m = b.modes[mode];
      assert.ok(m, `no ${mode} baseline`);
      assert.match(m.git.revision, /^[0-9a-f]{40}$/);
      assert.ok(m.machine.cpus >= 1 && m.machine.cpuModel.length > 0);
      assert.ok(Object.keys(m.figures).length > 10);
    }
  });
  test('a filtered update keeps the figures it did not measure', () => {
    const agg = aggregate([worker('s', 1, [result('s', 'a', 1, 2)])]);
    const prev = base({ 's/a': 1, 'u/c': 3 });
    const meta = { date: 'd', git: prev.git, machine: prev.machine, command: 'c', processes: 1 };
    const m = baselineMode(agg, meta, prev, (id) => id === 'u/c');
    assert.deepEqual(Object.fromEntries(Object.entries(m.figures).map(([k, v]) => [k, v.ratio])), {
      's/a': 2,
      'u/c': 3,
    });
  });
});

describe('compare by CPU rate (side by side with a reference build)', () => {
  test('units per CPU-second, not the calibration ratio, decide the verdict', () => {
    // Same CPU rate, very different calibration ratios: side by side this is 'ok'.
    const agg = aggregate([worker('s', 1, [result('s', 'a', 0.01, 5)])]);
    const ref = base({ 's/a': 1 });
    ref.figures['s/a'] = { ...ref.figures['s/a'], perOp: 1, secondsPerOp: 0.01 };
    const verdict = (by: 'cpu' | 'ratio'): string =>
      compare(
        agg,
        ref,
        () => true,
        [],
        () => 30,
        by,
      )[0].verdict;
    assert.equal(verdict('cpu'), 'ok');
    assert.equal(verdict('ratio'), 'faster');
    ref.figures['s/a'] = { ...ref.figures['s/a'], secondsPerOp: 0.005 };
    assert.equal(verdict('cpu'), 'REGRESSED');
  });
  test('the reference processes never get the test-only slow-down, and read the same shared traces', () => {
    const env = referenceEnv({ LEPTON_SLOW_EVENT_LOOP: '5000', PATH: '/bin' }, '/data/shared');
    assert.equal(env.LEPTON_SLOW_EVENT_LOOP, undefined);
    assert.equal(env.LEPTON_SHARED, '/data/shared');
    assert.equal(env.PATH, '/bin');
  });
  test('a revision the clone lacks is refused with what to do', () => {
    assert.throws(() => resolveRevision(ROOT, 'no-such-revision-xyz'), /not a commit of this clone.*--reference none/);
    assert.match(resolveRevision(ROOT, 'HEAD'), /^[0-9a-f]{40}$/);
  });
});

describe('suitesToConfirm', () => {
  const row = (figure: string, verdict: Row['verdict']): Row => ({
    figure,
    baseline: '',
    now: '',
    change: '',
    verdict,
  });
  test('suites of REGRESSED figures and MISSed targets, once each; never MISSING, SKIPPED, ok or faster', () => {
    assert.deepEqual(
      suitesToConfirm([
        row('a/x', 'REGRESSED'),
        row('a/y', 'REGRESSED'),
        row('target: b/z', 'MISS'),
        row('target: c/z', 'PASS'),
        row('d/x', 'MISSING'),
        row('suite e', 'SKIPPED'),
        row('f/x', 'ok'),
        row('g/x', 'faster'),
        row('h/x', 'new'),
      ]),
      ['a', 'b'],
    );
    assert.deepEqual(suitesToConfirm([row('a/x', 'ok')]), []);
  });
});

// The gate end to end: a build whose event loop does extra work per decision point
// (LEPTON_SLOW_EVENT_LOOP, src/sim/simulator.ts) must fail, both against the reference build
// measured side by side (the slow-down must not reach the reference's processes) and against
// the stored figures of the committed baseline.
function slowedGate(extra: readonly string[]): { status: number | null; text: string; out: string } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-gate-'));
  const r = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      path.join(ROOT, 'benchmarks/run.ts'),
      '--quick',
      '--processes',
      '1',
      '--suite',
      'event-core',
      '--filter',
      'event-core/simulate FIFO',
      '--out',
      out,
      '--no-history',
      '--confirm',
      '1',
      ...extra,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LEPTON_SLOW_EVENT_LOOP: '5000' } },
  );
  return { status: r.status, text: `${r.stdout}\n${r.stderr}`, out };
}

interface GateSummary {
  rows: { verdict: string }[];
  confirmedSuites: string[];
  reference: { kind: string; revision: string | null };
}

for (const [label, extra, kind] of [
  ['the reference build, side by side', [], 'side-by-side'],
  ['the stored figures (--reference none)', ['--reference', 'none'], 'stored'],
] as const) {
  test(`npm run bench fails on a deliberately slowed build against ${label} (exit 1, REGRESSED)`, () => {
    const { status, text, out } = slowedGate(extra);
    assert.equal(status, 1, text);
    assert.match(text, /event-core\/simulate FIFO 20000 1-GPU jobs on 4096 GPUs .* REGRESSED/);
    assert.match(text, /GATE FAILED/);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as GateSummary;
    assert.equal(summary.reference.kind, kind, text);
    assert.ok(summary.rows.some((row) => row.verdict === 'REGRESSED'));
    // A real regression survives the confirmation processes.
    assert.deepEqual(summary.confirmedSuites, ['event-core']);
    assert.match(text, /\[confirm 1\/1\] event-core/);
    assert.ok(!fs.existsSync(path.join(out, 'history.jsonl')), '--no-history appends nothing');
    fs.rmSync(out, { recursive: true });
  });
}
