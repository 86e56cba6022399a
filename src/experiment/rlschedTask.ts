/**
 * The `--env rlsched` training task: RLScheduler's learning environment (src/rlsched/env.ts) on
 * one SWF trace, evaluated on the Table V protocol (10 sequences of 1,024 jobs, gym seed 1) with
 * and without backfilling, beside the heuristics.
 *
 * Train / test separation. The paper trains and tests on sequences drawn from the same range of
 * the trace, so its training sequences overlap its test jobs. Here `split: 'disjoint'` (default)
 * trains only on windows of `seqLen` jobs that share no job with any of the protocol's test
 * sequences (all inside the first `slice` jobs, or the whole trace when slice is 0);
 * `split: 'paper'` draws training starts as the paper does (overlapping). Validation: 8 fixed
 * training-split sequences, for model selection only. The test protocol is evaluated once at the
 * end of `lepton train` (and by `lepton evaluate --rlsched-trace`).
 */
import { existsSync } from 'node:fs';
import type { Agent } from '../agents/types';
import { RlschedEnv } from '../rlsched/env';
import { RLSCHED_HEURISTICS, type RlschedHeuristic } from '../rlsched/heuristics';
import { HeuristicKeys, runHeuristic } from '../rlsched/replay';
import { sampleStarts } from '../rlsched/sequences';
import { loadRlschedTrace, type RlschedTrace } from '../rlsched/trace';
import { UsageError } from '../util/errors';
import { Rng } from '../util/rng';
import { sharedDataset } from '../workload/traces';
import type { HeldOutEval, TrainTask } from './task';

export interface RlschedSetting {
  /** SWF file: a path, or a file name in ../shared/datasets/hpc-swf/. */
  trace: string;
  /** batch_job_slice of the protocol (HPC2N: 10000); also bounds the training range. */
  slice: number;
  /** Jobs per training episode (paper: 256). */
  seqLen: number;
  /** Backfilling during training (the paper: off unless stated). */
  backfill: boolean;
  /** Trajectory filtering: train only on sequences whose SJF mean bsld lies in (lo, hi); null = off. */
  filter: [number, number] | null;
  /**
   * Terminal reward = −mean bsld / rewardScale (a positive rescaling; the optimum is unchanged).
   * 'auto' = SJF's mean bsld over the validation sequences, so returns are O(1) on every trace
   * (the value loss would otherwise swamp the policy gradient under gradient-norm clipping).
   */
  rewardScale: number | 'auto';
  split: 'disjoint' | 'paper';
  /** The test protocol (Table V: 1024, 10, 1). */
  evalLen: number;
  evalIters: number;
  evalSeed: number;
  numValidation: number;
  /**
   * Heuristic whose choices the env reports as `info.expertAction` (PPO's behaviour-cloning warm
   * start, `bcSteps`); 'auto' = the best heuristic on the validation (training-split) sequences;
   * null = none.
   */
  expert: RlschedHeuristic | 'auto' | null;
}

export const RLSCHED_SETTING: Readonly<RlschedSetting> = Object.freeze({
  trace: 'lublin_256.swf',
  slice: 0,
  seqLen: 256,
  backfill: false,
  filter: null,
  rewardScale: 'auto' as const,
  split: 'disjoint' as const,
  evalLen: 1024,
  evalIters: 10,
  evalSeed: 1,
  numValidation: 8,
  expert: null,
});

export function resolveRlschedSetting(overrides: Record<string, unknown> = {}): RlschedSetting {
  const s: RlschedSetting = { ...RLSCHED_SETTING };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in s)) throw new UsageError(`rlsched setting: unknown key '${k}' (known: ${Object.keys(s).join(', ')})`);
    (s as unknown as Record<string, unknown>)[k] = v;
  }
  const int = (k: keyof RlschedSetting, min: number): void => {
    const v = s[k] as unknown;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw new UsageError(`rlsched setting: '${k}' must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  };
  if (typeof s.trace !== 'string' || s.trace === '') throw new UsageError("rlsched setting: 'trace' must be a file");
  int('slice', 0);
  int('seqLen', 1);
  int('evalLen', 1);
  int('evalIters', 1);
  int('evalSeed', 0);
  int('numValidation', 1);
  if (typeof s.backfill !== 'boolean') throw new UsageError("rlsched setting: 'backfill' must be true or false");
  if (!(s.rewardScale === 'auto' || (typeof s.rewardScale === 'number' && s.rewardScale > 0)))
    throw new UsageError("rlsched setting: 'rewardScale' must be a positive number or 'auto'");
  if (s.expert !== null && s.expert !== 'auto' && !(RLSCHED_HEURISTICS as readonly string[]).includes(s.expert))
    throw new UsageError(`rlsched setting: 'expert' must be null, 'auto' or one of ${RLSCHED_HEURISTICS.join(', ')}`);
  if (s.split !== 'disjoint' && s.split !== 'paper')
    throw new UsageError("rlsched setting: 'split' must be 'disjoint' or 'paper'");
  if (
    s.filter !== null &&
    !(Array.isArray(s.filter) && s.filter.length === 2 && s.filter.every((x) => typeof x === 'number'))
  )
    throw new UsageError("rlsched setting: 'filter' must be null or [lo, hi]");
  return s;
}

/** A path as given, else the file of that name in the shared hpc-swf folder. */
export function resolveTracePath(trace: string): string {
  if (existsSync(trace)) return trace;
  const shared = sharedDataset('hpc-swf', trace);
  if (existsSync(shared)) return shared;
  throw new UsageError(`rlsched: trace '${trace}' not found (neither a path nor ${shared})`);
}

/** Start indices of training windows (see the module comment). */
export function trainingStarts(trace: RlschedTrace, s: RlschedSetting): Int32Array {
  const n = s.slice > 0 ? s.slice : trace.size;
  const out: number[] = [];
  if (s.split === 'paper') {
    for (let k = s.seqLen; k < n - s.seqLen - 1; k++) out.push(k);
  } else {
    const test = new Uint8Array(trace.size);
    const starts = sampleStarts(trace.size, {
      seqLen: s.evalLen,
      iters: s.evalIters,
      seed: s.evalSeed,
      slice: s.slice,
    });
    for (const p of starts) test.fill(1, p, p + s.evalLen);
    // windows [k, k+seqLen) inside [0, n) without a test job: a sliding count of test jobs
    let inWindow = 0;
    for (let i = 0; i < Math.min(s.seqLen, n); i++) inWindow += test[i];
    for (let k = 0; k + s.seqLen <= n; k++) {
      if (inWindow === 0) out.push(k);
      inWindow -= test[k];
      if (k + s.seqLen < n) inWindow += test[k + s.seqLen];
    }
  }
  if (out.length === 0) throw new UsageError(`rlsched: no training window of ${s.seqLen} jobs in this split`);
  return Int32Array.from(out);
}

/** Mean bounded slowdown per sequence of a greedy agent (one env, sequences in order). */
export function agentSequenceBsld(
  agent: Agent,
  env: RlschedEnv,
  starts: readonly number[],
  len: number,
  backfill: boolean,
  greedy = true,
): number[] {
  const out: number[] = [];
  for (const s of starts) {
    const r = env.resetTo(s, len, backfill);
    let obs = r.observation;
    let mask = r.info.actionMask;
    for (;;) {
      const st = env.step(agent.act(obs, mask, greedy));
      if (st.terminated) break;
      obs = st.observation;
      mask = st.info.actionMask;
    }
    out.push(env.lastMeanBsld);
  }
  return out;
}

/** Heuristic mean bsld per sequence (exact loop), for tables beside an agent. */
export function heuristicSequenceBsld(
  trace: RlschedTrace,
  starts: readonly number[],
  len: number,
  backfill: boolean,
  h: RlschedHeuristic,
): number[] {
  const env = new RlschedEnv({ trace, seqLen: len, backfill });
  const keys = new HeuristicKeys(len);
  return starts.map((s) => {
    env.sim.load(trace, s, len, backfill);
    runHeuristic(env.sim, keys.forSim(h, env.sim));
    return env.sim.meanBsld();
  });
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export function makeRlschedTask(overrides: Record<string, unknown> = {}): TrainTask & {
  trace: RlschedTrace;
  settingResolved: RlschedSetting;
  testStarts: number[];
  validationStarts: number[];
} {
  const s = resolveRlschedSetting(overrides);
  const trace = loadRlschedTrace(resolveTracePath(s.trace));
  const starts = trainingStarts(trace, s);
  const testStarts = sampleStarts(trace.size, {
    seqLen: s.evalLen,
    iters: s.evalIters,
    seed: s.evalSeed,
    slice: s.slice,
  });
  const vr = new Rng(20201109);
  const validationStarts = Array.from({ length: s.numValidation }, () => starts[vr.int(0, starts.length)]);
  const rewardScale =
    s.rewardScale === 'auto'
      ? mean(heuristicSequenceBsld(trace, validationStarts, s.seqLen, s.backfill, 'sjf'))
      : s.rewardScale;
  let expert: RlschedHeuristic | null = s.expert === 'auto' ? null : s.expert;
  if (s.expert === 'auto') {
    let best = Infinity;
    for (const h of RLSCHED_HEURISTICS) {
      const v = mean(heuristicSequenceBsld(trace, validationStarts, s.seqLen, s.backfill, h));
      if (v < best) [best, expert] = [v, h];
    }
  }
  const evalEnv = new RlschedEnv({
    trace,
    seqLen: s.seqLen,
    backfill: s.backfill,
    maxLen: Math.max(s.evalLen, s.seqLen),
  });
  const evaluate = (agent: Agent, greedy: boolean): HeldOutEval => {
    const off = agentSequenceBsld(agent, evalEnv, testStarts, s.evalLen, false, greedy);
    const on = agentSequenceBsld(agent, evalEnv, testStarts, s.evalLen, true, greedy);
    return {
      meanSlowdown: mean(s.backfill ? on : off),
      details: { no_backfill: mean(off), backfill: mean(on), sequences: testStarts.length },
    };
  };
  return {
    env: 'rlsched',
    setting: {
      ...s,
      rewardScaleUsed: rewardScale,
      expertUsed: expert,
      traceSha256: trace.sha256,
      trainStarts: starts.length,
    },
    numTrainSets: 50,
    makeTrainEnv: () =>
      new RlschedEnv({
        trace,
        seqLen: s.seqLen,
        starts,
        backfill: s.backfill,
        filter: s.filter,
        rewardScale,
        expert,
      }),
    evaluate,
    validate: (agent, greedy) => {
      const xs = agentSequenceBsld(agent, evalEnv, validationStarts, s.seqLen, s.backfill, greedy);
      return { meanSlowdown: mean(xs), details: { sequences: xs.length } };
    },
    trace,
    settingResolved: s,
    testStarts,
    validationStarts,
  };
}

export { RLSCHED_HEURISTICS };
