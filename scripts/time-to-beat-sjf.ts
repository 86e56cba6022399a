/**
 * Time-to-beat-SJF for REINFORCE (issue 11 §3): trains DeepRM's PG in the paper setting (70 %
 * load) and reports the training wall-clock until the VALIDATION mean slowdown (sampled policy,
 * every job counted) first drops below SJF's on the same validation job sets. Too long for
 * `npm run bench`, hence this script.
 *
 *   npx tsx scripts/time-to-beat-sjf.ts [--backend fused|tfjs] [--seed N] [--iterations N]
 *                                       [--eval-every N] [--out DIR]
 *
 * Resumable: rerunning with the same --out continues the run from its checkpoint (the wall
 * clock then counts only training time, as curve.csv's wall_seconds does). Writes
 * DIR/time-to-beat-sjf.json. Wall-clock depends on the machine and its load: the JSON records
 * the CPU count and load average at the end.
 */
import { existsSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  makeDeeprmTask,
  resolveDeeprmSetting,
  deeprmJobSets,
  evaluateDeeprmHeuristics,
  pooledMean,
  runTraining,
  writeFileAtomic,
} from 'lepton';

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

async function main(): Promise<void> {
  const backend = flag('--backend', 'fused');
  if (backend !== 'fused' && backend !== 'tfjs') throw new Error(`--backend must be fused or tfjs, got ${backend}`);
  const seed = Number(flag('--seed', '1'));
  const iterations = Number(flag('--iterations', '300'));
  const evalEvery = Number(flag('--eval-every', '5'));
  const out = flag('--out', path.join('results', 'deeprm', 'time-to-beat-sjf', `pg-${backend}-seed${seed}`));
  const setting = resolveDeeprmSetting({});
  const sjf = pooledMean(evaluateDeeprmHeuristics(deeprmJobSets(setting, 'validation'), ['sjf'])[0]);
  console.log(`SJF validation mean slowdown ${sjf.toFixed(4)}`);
  mkdirSync(out, { recursive: true });
  const res = await runTraining({
    agent: 'pg',
    task: makeDeeprmTask(),
    overrides: { trainBackend: backend },
    seed,
    out,
    iterations,
    evalEvery,
    evalStochastic: true,
    evalSplit: 'validation',
    finalHeldOut: false,
    resume: existsSync(path.join(out, 'checkpoint')),
    command: `npx tsx scripts/time-to-beat-sjf.ts ${process.argv.slice(2).join(' ')}`,
    log: (line) => console.log(line),
  });
  const beat = (key: 'val_mean_slowdown' | 'val_mean_slowdown_stochastic') =>
    res.curve.find((r) => Number.isFinite(r[key] as number) && (r[key] as number) < sjf);
  const sampled = beat('val_mean_slowdown_stochastic');
  const greedy = beat('val_mean_slowdown');
  const summary = {
    backend,
    seed,
    sjfValidation: sjf,
    evalEvery,
    iterationsRun: res.iterations,
    sampled: sampled
      ? {
          iteration: sampled.iteration,
          wallSeconds: sampled.wall_seconds,
          slowdown: sampled.val_mean_slowdown_stochastic,
        }
      : null,
    greedy: greedy
      ? { iteration: greedy.iteration, wallSeconds: greedy.wall_seconds, slowdown: greedy.val_mean_slowdown }
      : null,
    cpus: os.cpus().length,
    loadAverage: os.loadavg(),
  };
  writeFileAtomic(path.join(out, 'time-to-beat-sjf.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(JSON.stringify(summary));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
