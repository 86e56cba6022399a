/**
 * DeepRM environment throughput: env steps/s with the SJF heuristic, paper setting
 * (num_nw 10, simu_len 50, image 20x224), compat mode.
 *
 * One op = STEPS_PER_OP decisions on a long-lived env that cycles through 100 job
 * sets (reset on done), so the rate is steps/s = ops/s × STEPS_PER_OP.
 *
 * Cases: the Env interface `step()` with image observations (mask left unread, it is
 * lazy), the same reading `info.actionMask` every step, and the no-observation fast
 * path used by heuristic replays (`advance()`).
 *
 * Run alone: `npx tsx benchmarks/deeprm.bench.ts [--quick]`; also run by
 * `npm run bench` through benchmarks/deeprm.ts.
 */
import { runCases, type BenchCase, type BenchOptions } from './harness';
import {
  DeepRMEnv,
  generateSequences,
  sjfAction,
  NumpyRandomState,
  makeParams,
  PAPER_SETTING,
  UNSEEN_SEED,
} from 'lepton';

const SUITE = 'deeprm-env';
/** Decisions per benchmark op. */
const STEPS_PER_OP = 20_000;

type Api = 'step' | 'step+mask' | 'advance';

function makeCase(name: string, rate: number, api: Api, observation: boolean): BenchCase {
  const p = makeParams({ ...PAPER_SETTING, newJobRate: rate });
  const seq = generateSequences(p, rate, new NumpyRandomState(UNSEEN_SEED));
  const env = new DeepRMEnv({ params: p, sequences: seq, observation });
  let ex = 0;
  env.reset(ex);
  let sink = 0;
  const fn = (): number => {
    for (let i = 0; i < STEPS_PER_OP; i++) {
      const a = sjfAction(env);
      if (api === 'advance') {
        env.advance(a);
        if (env.terminated || env.truncated) env.reset(++ex);
      } else {
        const r = env.step(a);
        if (api === 'step+mask') sink += r.info.actionMask[0];
        if (r.terminated || r.truncated) env.reset(++ex);
      }
    }
    return sink;
  };
  return {
    name,
    fn,
    perOp: STEPS_PER_OP,
    unit: 'steps',
    info: { rate, numNw: p.numNw, simuLen: p.simuLen, observation, api },
  };
}

export function deeprmBenchCases(): BenchCase[] {
  return [
    makeCase('sjf step() image, rate 0.3', 0.3, 'step', true),
    makeCase('sjf step() image + mask, rate 0.3', 0.3, 'step+mask', true),
    makeCase('sjf step() image, rate 0.705 (130% load)', 0.705, 'step', true),
    makeCase('sjf advance() no observation, rate 0.3', 0.3, 'advance', false),
  ];
}

/** The cases (after --filter); benchmarks/external.ts runs them through the shared CPU-time sampler. */
export function deeprmBench(opts: Partial<BenchOptions> = {}): BenchCase[] {
  return deeprmBenchCases().filter(
    (c) => !opts.filter || `${SUITE}/${c.name}`.toLowerCase().includes(opts.filter.toLowerCase()),
  );
}

if (require.main === module) {
  const opts: BenchOptions = { quick: process.argv.includes('--quick'), filter: '', outDir: '', verbose: true };
  runCases(SUITE, deeprmBench(opts), opts).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
