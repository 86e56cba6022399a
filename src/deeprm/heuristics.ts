/**
 * DeepRM's baseline agents (other_agents.py), one decision per call.
 *
 * SJF, Packer and Tetris* consider only jobs that fit *starting now* for their whole
 * length on every resource, keep the best score with a strict `>` starting from 0
 * (ties → lowest slot; a score of 0 never wins), and return void (= M) otherwise.
 * Called repeatedly, they keep allocating at the current time step until void.
 */
import type { DeepRMEnv } from './env';
import type { NumpyRandomState } from './numpyRandom';

export type DeepRMPolicy = (env: DeepRMEnv) => number;

/** Shortest job first: score 1/len (compared as the integer len, same order). */
export function sjfAction(env: DeepRMEnv): number {
  const slots = env.slots;
  const lens = env.jobLen;
  let best = env.M;
  let bestLen = Infinity;
  for (let j = 0; j < env.M; j++) {
    const h = slots[j];
    if (h < 0) continue;
    const len = lens[h];
    if (len < bestLen && env.fitsNow(h)) {
      bestLen = len;
      best = j;
    }
  }
  return best;
}

/** Packer (the 'Tetris' label in the original scripts): score = avail[0] · res. */
export function packerAction(env: DeepRMEnv): number {
  const slots = env.slots;
  const R = env.R;
  const avail = env.avail;
  const res = env.jobRes;
  let best = env.M;
  let bestScore = 0;
  for (let j = 0; j < env.M; j++) {
    const h = slots[j];
    if (h < 0) continue;
    let score = 0;
    for (let r = 0; r < R; r++) score += avail[r] * res[h * R + r];
    if (score > bestScore && env.fitsNow(h)) {
      bestScore = score;
      best = j;
    }
  }
  return best;
}

/** The paper's Tetris* knob: 1 favours Packer, 0 favours SJF. */
export const DEFAULT_TETRIS_KNOB = 0.5;

/** Tetris* (get_packer_sjf_action): score = knob*align + (1-knob)/len. */
export function tetrisAction(env: DeepRMEnv, knob = DEFAULT_TETRIS_KNOB): number {
  const slots = env.slots;
  const R = env.R;
  const avail = env.avail;
  const res = env.jobRes;
  let best = env.M;
  let bestScore = 0;
  for (let j = 0; j < env.M; j++) {
    const h = slots[j];
    if (h < 0 || !env.fitsNow(h)) continue;
    let align = 0;
    for (let r = 0; r < R; r++) align += avail[r] * res[h * R + r];
    const score = knob * align + (1 - knob) * (1 / env.jobLen[h]);
    if (score > bestScore) {
      bestScore = score;
      best = j;
    }
  }
  return best;
}

/** Random: numpy `randint(M+1)`, one draw per decision. */
export function randomAction(env: DeepRMEnv, rng: NumpyRandomState): number {
  return rng.randint(env.M + 1);
}

export const POLICY_NAMES = ['sjf', 'packer', 'random', 'tetris'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** A policy closure by name (random needs its numpy generator; tetris its knob). */
export function makePolicy(name: PolicyName, opts: { rng?: NumpyRandomState; knob?: number } = {}): DeepRMPolicy {
  switch (name) {
    case 'sjf':
      return sjfAction;
    case 'packer':
      return packerAction;
    case 'tetris': {
      const knob = opts.knob ?? DEFAULT_TETRIS_KNOB;
      return (env) => tetrisAction(env, knob);
    }
    case 'random': {
      const rng = opts.rng;
      if (!rng) throw new Error('makePolicy: random needs a NumpyRandomState');
      return (env) => randomAction(env, rng);
    }
  }
}
