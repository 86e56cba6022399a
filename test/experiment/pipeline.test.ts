/**
 * One pipeline for simulate, evaluate and start: for every option `lepton simulate` takes,
 * `lepton evaluate --trace` (with an agent beside the heuristics) gives the SAME heuristic rows,
 * byte for byte, in summary.csv and jobs.csv; and each option really changes what simulate
 * computes (so "accepted but ignored", as evaluate once did with --arrival-scale, fails here).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { runTrain } from '../../src/cli/train';
import { SIMULATE_OPTIONS } from '../../src/cli/simulate';
import { EVALUATE_OPTIONS } from '../../src/cli/evaluate';
import { Rng } from '../../src/util/rng';

const HEURISTICS = ['fifo', 'random', 'tiresias'];

/** A small openb-format trace: whole and fractional GPUs, two QoS groups, contended on 4×8 GPUs. */
function writeOpenbTrace(file: string, n: number): void {
  const rng = new Rng(42);
  const rows = [
    'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time',
  ];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += Math.round(rng.exponential(40));
    const frac = rng.random() < 0.3;
    const gpus = frac ? 1 : [1, 1, 2, 4, 8][rng.int(0, 5)];
    const milli = frac ? [250, 500, 750][rng.int(0, 3)] : 1000;
    const dur = Math.round(rng.exponential(600)) + 10;
    const qos = rng.random() < 0.5 ? 'LS' : 'BE';
    rows.push(
      `pod-${i},${rng.int(1, 8) * 1000},${rng.int(1, 16) * 1024},${gpus},${milli},,${qos},Succeeded,${t},${t + dur},${t}`,
    );
  }
  fs.writeFileSync(file, rows.join('\n') + '\n');
}

/** Runs the CLI in-process, output captured; throws with stderr on a non-zero exit. */
async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), err };
  } catch (e) {
    return { code: -1, err: err + String(e) };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

/** The lines of a CSV whose first field is one of `policies` (header kept). */
function rowsOf(file: string, policies: readonly string[]): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return [lines[0], ...lines.slice(1).filter((l) => policies.includes(l.split(',')[0]))].join('\n');
}

let root: string;
let trace: string;
/** The same trace plus one pod of 64 GPUs, more than the whole cluster. */
let oversizeTrace: string;
let checkpoint: string;
/** The arguments every case shares; `set` replaces --trace or --cluster (options may not repeat). */
const BASE = (set: { trace?: string; cluster?: string } = {}): string[] => [
  ...[
    '--trace',
    set.trace === 'OVERSIZE' ? oversizeTrace : (set.trace ?? trace),
    '--cluster',
    set.cluster ?? 'uniform:4x8',
  ],
  ...['--policy', HEURISTICS.join(','), '--quiet'],
];

/**
 * Every `lepton simulate` option: the arguments that exercise it, and whether those arguments
 * should change simulate's results relative to BASE (false only for equivalent spellings).
 */
const CASES: Record<string, { args: () => string[]; set?: { trace?: string; cluster?: string }; changes: boolean }> = {
  'trace-file': { set: { trace: 'openb' }, args: () => ['--trace-file', trace], changes: false },
  vc: { args: () => ['--vc', 'LS'], changes: true },
  from: { args: () => ['--from', '2000'], changes: true },
  to: { args: () => ['--to', '6000'], changes: true },
  limit: { args: () => ['--limit', '120'], changes: true },
  cluster: { set: { cluster: 'uniform:3x8' }, args: () => [], changes: true },
  seed: { args: () => ['--seed', '7'], changes: true },
  placement: { args: () => ['--placement', 'spread'], changes: true },
  'restart-overhead': { args: () => ['--restart-overhead', '120'], changes: true },
  'no-fractional': { args: () => ['--no-fractional'], changes: true },
  'arrival-scale': { args: () => ['--arrival-scale', '3'], changes: true },
  until: { args: () => ['--until', '5000'], changes: true },
  'skip-invalid': { set: { trace: 'OVERSIZE' }, args: () => ['--skip-invalid'], changes: true },
  'window-trim': { args: () => ['--window-trim', '0.2'], changes: true },
  'policy-opt': { args: () => ['--policy-opt', 'tiresias.thresholds=60:600,tiresias.tickInterval=20'], changes: true },
  config: { args: () => ['--config', path.join(root, 'policy-config.json')], changes: true },
};
/** Simulate options outside the comparison, and why. */
const NOT_COMPARED: Record<string, string> = {
  trace: 'in every case (BASE)',
  policy: 'in every case (BASE); evaluate adds its agent',
  agent: "evaluate's agent is --checkpoint",
  window: "the agent's window: evaluate has its own --window",
  out: 'where the files go',
  'no-report': 'report.html only',
  quiet: 'progress bar only',
  help: 'no run',
};

describe('one pipeline: evaluate --trace = simulate for every simulate option', () => {
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-pipeline-'));
    trace = path.join(root, 'pods.csv');
    writeOpenbTrace(trace, 300);
    oversizeTrace = path.join(root, 'pods-oversize.csv');
    fs.writeFileSync(
      oversizeTrace,
      fs.readFileSync(trace, 'utf8') + 'pod-big,1000,1024,64,1000,,LS,Succeeded,100,700,100\n',
    );
    fs.writeFileSync(
      path.join(root, 'policy-config.json'),
      JSON.stringify({ policyOptions: { tiresias: { thresholds: [60, 600], tickInterval: 20 } }, restartOverhead: 30 }),
    );
    checkpoint = path.join(root, 'agent');
    const config = path.join(root, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        rolloutsPerJobSet: 2,
        jobSetsPerBatch: 2,
        env: { jobs: 12, numTrainSets: 2, numHeldOutSets: 2 },
      }),
    );
    const code = await runTrain([
      ...['--env', 'cluster', '--agent', 'pg', '--iterations', '1', '--eval-every', '0'],
      ...['--config', config, '--out', checkpoint, '--quiet'],
    ]);
    assert.equal(code, 0);
  });

  test('every simulate option is either compared below or listed as not compared, and evaluate takes it', () => {
    const all = Object.keys(SIMULATE_OPTIONS).sort();
    assert.deepEqual(all, [...Object.keys(CASES), ...Object.keys(NOT_COMPARED)].sort());
    for (const k of Object.keys(CASES)) assert.ok(EVALUATE_OPTIONS[k], `evaluate does not take --${k}`);
  });

  const run = async (name: string, argv: string[]): Promise<string> => {
    const out = path.join(root, name);
    const r = await cli([...argv, '--out', out, '--no-report']);
    assert.equal(r.code, 0, `${argv.join(' ')}\n${r.err}`);
    return out;
  };

  for (const [option, c] of Object.entries(CASES)) {
    test(`--${option}`, async () => {
      const base = await run(`base-${option}`, ['simulate', ...BASE()]);
      const sim = await run(`sim-${option}`, ['simulate', ...BASE(c.set), ...c.args()]);
      const ev = await run(`eval-${option}`, ['evaluate', '--checkpoint', checkpoint, ...BASE(c.set), ...c.args()]);
      for (const f of ['summary.csv', 'jobs.csv'])
        assert.equal(rowsOf(path.join(ev, f), HEURISTICS), rowsOf(path.join(sim, f), HEURISTICS), `${f} differs`);
      const evRows = fs.readFileSync(path.join(ev, 'summary.csv'), 'utf8').split('\n');
      assert.match(evRows[1], /^agent:agent,/, 'the agent runs first in evaluate');
      const simSummary = rowsOf(path.join(sim, 'summary.csv'), HEURISTICS);
      const baseSummary = rowsOf(path.join(base, 'summary.csv'), HEURISTICS);
      if (c.changes) assert.notEqual(simSummary, baseSummary, `--${option} did not change simulate's results`);
      else assert.equal(simSummary, baseSummary);
    });
  }

  test('--skip-invalid matters: without it, a job larger than the cluster stops the run', async () => {
    const r = await cli(['simulate', ...BASE({ trace: 'OVERSIZE' }), '--out', path.join(root, 'x')]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /8 GPUs|larger|never fit|--skip-invalid/);
  });
});
