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
 * `npm run bench` through benchmarks/deeprm.ts (this returns a SuiteOutcome).
 */
import b from 'benny';
import { samplingOptions, toCaseResult, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';
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

export async function deeprmBench(opts: Partial<BenchOptions> = {}): Promise<SuiteOutcome> {
  const cases = deeprmBenchCases().filter(
    (c) => !opts.filter || `${SUITE}/${c.name}`.toLowerCase().includes(opts.filter.toLowerCase()),
  );
  const byName = new Map(cases.map((c) => [c.name, c]));
  const cpuShare = new Map<string, number>();
  let cpu0 = process.cpuUsage();
  let wall0 = performance.now();
  const summary = await b.suite(
    SUITE,
    b.configure({ cases: samplingOptions(opts.quick ?? false) }),
    ...cases.map((c) => b.add(c.name, c.fn)),
    b.cycle((r) => {
      const cpu = process.cpuUsage(cpu0);
      cpuShare.set(r.name, (cpu.user + cpu.system) / 1000 / (performance.now() - wall0));
      cpu0 = process.cpuUsage();
      wall0 = performance.now();
      const stepsPerSec = r.details.mean > 0 ? STEPS_PER_OP / r.details.mean : 0;
      console.log(`  ${r.name}: ${(stepsPerSec / 1e6).toFixed(2)} M steps/s ±${r.margin.toFixed(1)}%`);
      return '';
    }),
    b.complete(),
    b.save({ file: SUITE, folder: opts.outDir ?? 'results/bench', format: 'json' }),
  );
  return {
    suite: SUITE,
    results: summary.results.map((r) => toCaseResult(SUITE, byName.get(r.name)!, r, cpuShare.get(r.name))),
    notes: [`one op = ${STEPS_PER_OP} SJF decisions; paper setting (num_nw 10, 20x224 image), compat mode`],
  };
}

if (require.main === module) {
  deeprmBench({ quick: process.argv.includes('--quick') }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
