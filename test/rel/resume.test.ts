/**
 * Kill-and-resume equals an uninterrupted run (issue 7 §2, issue 11 §4), for EVERY agent of the
 * AGENTS registry: a training subprocess is SIGKILLed inside a checkpoint swap and at random
 * instants, resumed with --resume until it finishes, and its final weights, optimizer state,
 * stored arrays (replay buffers, Q table, env replay logs), RNG states, counters and learning
 * curve (wall-clock columns aside) must equal, byte for byte, those of a run that was never
 * interrupted. RUNS is a Record over AgentKind, so an agent added to the registry without a
 * case here does not type-check, and the loop below covers it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../src/util/rng';
import { AGENT_KINDS, type AgentKind } from '../../src/experiment/agents';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-rel-resume-'));
const ENV = { simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 2, numHeldOutSets: 2, evalEpisodeCap: 300 };

/** Tiny runs that checkpoint often, so kills land before, between and inside checkpoints. */
const RUNS: Record<AgentKind, { config: Record<string, unknown>; iterations: number; evalEvery: number }> = {
  pg: { config: { rolloutsPerJobSet: 2, jobSetsPerBatch: 2, checkpointEvery: 1 }, iterations: 8, evalEvery: 3 },
  a2c: { config: { numEnvs: 2, numSteps: 8, hiddenSizes: [16], checkpointEvery: 1 }, iterations: 8, evalEvery: 3 },
  a3c: {
    config: { numWorkers: 2, numEnvs: 2, numSteps: 8, hiddenSizes: [16], checkpointEvery: 1 },
    iterations: 8,
    evalEvery: 3,
  },
  ppo: {
    config: { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16], checkpointEvery: 1 },
    iterations: 6,
    evalEvery: 2,
  },
  dqn: {
    config: {
      hiddenSizes: [16],
      batchSize: 8,
      bufferSize: 200,
      learningStarts: 40,
      trainFrequency: 2,
      targetUpdateInterval: 30,
      prioritized: true,
      nStep: 2,
      logEvery: 50,
      checkpointEvery: 50,
    },
    iterations: 8,
    evalEvery: 3,
  },
  qlearning: { config: { bins: 2, logEvery: 100, checkpointEvery: 100 }, iterations: 8, evalEvery: 3 },
};

/** Curve columns measured on the wall clock (they may differ between runs). */
const WALL_COLUMNS = ['wall_seconds', 'stepsPerSecond'];

const args = (agent: AgentKind, out: string): string[] => {
  const config = path.join(root, `${agent}.json`);
  if (!fs.existsSync(config)) fs.writeFileSync(config, JSON.stringify({ ...RUNS[agent].config, env: ENV }));
  return [
    'train',
    '--agent',
    agent,
    '--seed',
    '5',
    '--iterations',
    String(RUNS[agent].iterations),
    '--eval-every',
    String(RUNS[agent].evalEvery),
    '--no-final-heldout',
    '--config',
    config,
    '--quiet',
    '--out',
    out,
  ];
};

/** Runs the CLI from source; kills it with SIGKILL after `killAfterMs` (if given). */
function run(argv: string[], opts: { killAfterMs?: number; fault?: string } = {}): Promise<number | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '..', 'helpers', 'run-cli.ts'), ...argv],
      {
        env: { ...process.env, ...(opts.fault ? { LEPTON_FAULT: opts.fault } : {}) },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const timer =
      opts.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve(0);
      else reject(new Error(`exit ${code}: ${err}`));
    });
  });
}

/** curve.csv without its wall-clock columns. */
function curveWithoutWall(dir: string): string {
  const [head, ...rows] = fs.readFileSync(path.join(dir, 'curve.csv'), 'utf8').trim().split('\n');
  const drop = new Set(
    head
      .split(',')
      .map((c, i) => (WALL_COLUMNS.includes(c) ? i : -1))
      .filter((i) => i >= 0),
  );
  return [head, ...rows]
    .map((l) =>
      l
        .split(',')
        .filter((_, k) => !drop.has(k))
        .join(','),
    )
    .join('\n');
}

function sameFiles(a: string, b: string, files: string[]): void {
  for (const f of files)
    assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), `${f} differs`);
}

for (const agent of AGENT_KINDS)
  test(`${agent}: SIGKILL at random points and inside a checkpoint swap, then --resume, equals an uninterrupted run`, async () => {
    const straight = path.join(root, `${agent}-straight`);
    assert.equal(await run(args(agent, straight)), 0);

    // Interrupted: killed inside the 2nd checkpoint swap, then at random instants, resumed until done.
    const cut = path.join(root, `${agent}-cut`);
    const rng = new Rng(Number(process.env.LEPTON_RESUME_SEED ?? 7) + AGENT_KINDS.indexOf(agent));
    let kills = 0;
    let result = await run(args(agent, cut), { fault: 'checkpoint-swap:2' });
    if (result === 'killed') kills++;
    for (let attempt = 0; result !== 0 && attempt < 20; attempt++) {
      const resume =
        fs.existsSync(path.join(cut, 'checkpoint', 'state.json')) ||
        fs.existsSync(path.join(cut, 'checkpoint.old', 'state.json'));
      const argv = resume ? [...args(agent, cut), '--resume'] : args(agent, cut);
      // Start-up (tsx + tfjs) takes ~1 s and the run a few more: kill in 0.7-3.7 s, twice at most.
      result = await run(argv, kills < 3 ? { killAfterMs: 700 + rng.int(0, 3000) } : {});
      if (result === 'killed') kills++;
    }
    assert.equal(result, 0);
    assert.ok(kills >= 1);
    sameFiles(straight, cut, ['checkpoint/weights.bin', 'checkpoint/arrays.bin', 'checkpoint/model.json']);
    assert.equal(curveWithoutWall(cut), curveWithoutWall(straight));
    const s = JSON.parse(fs.readFileSync(path.join(straight, 'checkpoint', 'state.json'), 'utf8'));
    const c = JSON.parse(fs.readFileSync(path.join(cut, 'checkpoint', 'state.json'), 'utf8'));
    assert.deepEqual(
      [c.counters, c.rngs, c.optimizers, c.arrays, c.extra],
      [s.counters, s.rngs, s.optimizers, s.arrays, s.extra],
    );
    // No temporaries left behind.
    assert.deepEqual(
      fs.readdirSync(cut).filter((n) => n.includes('.tmp-') || n.endsWith('.old')),
      [],
    );
  });
