import type { Rng } from '../util/rng';

/** Masked action selection shared by every agent (no tfjs: tabular agents use it too). */

/**
 * Index (relative to the row) of the largest values[offset + a] over legal a
 * (mask[maskOffset + a] = 1); ties go to the lowest index. -1 if nothing is legal.
 */
export function maskedArgmax(
  values: ArrayLike<number>,
  offset: number,
  mask: Uint8Array,
  maskOffset: number,
  numActions: number,
): number {
  let best = -1;
  let bestV = -Infinity;
  for (let a = 0; a < numActions; a++) {
    if (mask[maskOffset + a] === 0) continue;
    const v = values[offset + a];
    if (best < 0 || v > bestV) {
      best = a;
      bestV = v;
    }
  }
  return best;
}

/** Max over legal actions; 0 when no action is legal (nothing to bootstrap from). */
export function maskedMax(
  values: ArrayLike<number>,
  offset: number,
  mask: Uint8Array,
  maskOffset: number,
  numActions: number,
): number {
  const a = maskedArgmax(values, offset, mask, maskOffset, numActions);
  return a < 0 ? 0 : values[offset + a];
}

/** A legal action uniformly at random; throws if the mask has none (an env contract violation). */
export function randomLegalAction(mask: Uint8Array, maskOffset: number, numActions: number, rng: Rng): number {
  let legal = 0;
  for (let a = 0; a < numActions; a++) legal += mask[maskOffset + a] === 0 ? 0 : 1;
  if (legal === 0) throw new Error('action mask has no legal action');
  let k = rng.int(0, legal);
  for (let a = 0; a < numActions; a++) {
    if (mask[maskOffset + a] === 0) continue;
    if (k-- === 0) return a;
  }
  return -1; // unreachable
}

/**
 * Samples an action from softmax(logits) restricted to legal actions, with one
 * `rng.random()` draw. Returns -1 when no action is legal.
 */
export function sampleMaskedSoftmax(
  logits: ArrayLike<number>,
  off: number,
  mask: Uint8Array,
  moff: number,
  numActions: number,
  rng: Rng,
): number {
  let max = -Infinity;
  let last = -1;
  for (let a = 0; a < numActions; a++) {
    if (mask[moff + a] !== 0) {
      last = a;
      if (logits[off + a] > max) max = logits[off + a];
    }
  }
  if (last < 0) return -1;
  let total = 0;
  for (let a = 0; a < numActions; a++) if (mask[moff + a] !== 0) total += Math.exp(logits[off + a] - max);
  let u = rng.random() * total;
  for (let a = 0; a < numActions; a++) {
    if (mask[moff + a] === 0) continue;
    u -= Math.exp(logits[off + a] - max);
    if (u < 0) return a;
  }
  return last; // rounding left u ≥ 0: the last legal action
}
