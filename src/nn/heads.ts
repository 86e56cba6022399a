/**
 * Losses on top of a FusedMlp's outputs, each returning its value and writing dLoss/dOutput
 * (what `FusedMlp.backward` takes), on flat typed arrays.
 *
 * Masked policy: π(·|s) = softmax of the logits over the legal actions only (mask = 1); a
 * masked action has probability exactly 0 and gets no gradient — the same distribution as
 * src/agents/nn.ts's maskedLogSoftmax (masked logits pushed to −1e9). With p the masked
 * softmax of row r and H = −Σ p log p:
 *   ∂ log π(a)/∂z_j = [j = a] − p_j,     ∂H/∂z_j = −p_j (log p_j + H)    (legal j; 0 otherwise).
 */

/**
 * Masked log-softmax of row `r` of `logits` (A values) into `logp` (A values, masked entries
 * −Infinity) and the probabilities into `p` (masked entries 0). Returns the entropy H.
 */
export function maskedSoftmaxRow(
  logits: ArrayLike<number>,
  off: number,
  mask: Uint8Array,
  moff: number,
  A: number,
  logp: Float64Array,
  p: Float64Array,
): number {
  let max = -Infinity;
  for (let a = 0; a < A; a++) if (mask[moff + a] !== 0 && logits[off + a] > max) max = logits[off + a];
  let z = 0;
  for (let a = 0; a < A; a++) if (mask[moff + a] !== 0) z += Math.exp(logits[off + a] - max);
  const logZ = max + Math.log(z);
  let h = 0;
  for (let a = 0; a < A; a++) {
    if (mask[moff + a] === 0) {
      logp[a] = -Infinity;
      p[a] = 0;
    } else {
      logp[a] = logits[off + a] - logZ;
      p[a] = Math.exp(logp[a]);
      h -= p[a] * logp[a];
    }
  }
  return h;
}

/** Scratch rows for the heads (one policy row at a time): no allocation per call. */
export class HeadScratch {
  readonly logp: Float64Array;
  readonly p: Float64Array;
  constructor(readonly numActions: number) {
    this.logp = new Float64Array(numActions);
    this.p = new Float64Array(numActions);
  }
}

/**
 * Weighted policy-gradient loss over n rows:
 *   L = −Σ_r [ w_r · log π(a_r|s_r) + β · H(π(s_r)) ] · scale
 * (REINFORCE: w = advantage, scale = 1/N of the update). Writes ∂L/∂logits to `dLogits`
 * (n × A, overwritten) and returns L; `stats` (optional) receives the mean entropy over the n
 * rows and the mean of −w·log π(a|s) (A2C's policy loss with scale 1/n).
 */
export function policyGradientLoss(
  logits: Float32Array,
  masks: Uint8Array,
  actions: Int32Array,
  weights: Float32Array,
  n: number,
  entropyCoef: number,
  scale: number,
  dLogits: Float64Array,
  s: HeadScratch,
  stats?: { entropy: number; pgLoss: number },
): number {
  const A = s.numActions;
  const { logp, p } = s;
  let loss = 0;
  let ent = 0;
  let pg = 0;
  for (let r = 0; r < n; r++) {
    const o = r * A;
    const h = maskedSoftmaxRow(logits, o, masks, o, A, logp, p);
    const a = actions[r];
    const w = weights[r];
    loss -= (w * logp[a] + entropyCoef * h) * scale;
    ent += h;
    pg -= w * logp[a];
    for (let j = 0; j < A; j++) {
      if (masks[o + j] === 0) {
        dLogits[o + j] = 0;
        continue;
      }
      // −w·([j = a] − p_j) − β·(−p_j (log p_j + H))
      const dlogp = (j === a ? 1 : 0) - p[j];
      dLogits[o + j] = scale * (-w * dlogp + entropyCoef * p[j] * (logp[j] + h));
    }
  }
  if (stats) {
    stats.entropy = ent / n;
    stats.pgLoss = pg / n;
  }
  return loss;
}

/** What `ppoPolicyLoss` reports besides the gradient (means over the minibatch). */
export interface PpoPolicyStats {
  pgLoss: number;
  entropy: number;
  /** k3 estimator of KL(old‖new): mean of (r − 1) − log r. */
  approxKl: number;
  /** Fraction of rows with |r − 1| > ε. */
  clipFrac: number;
}

/**
 * PPO's clipped surrogate and entropy bonus over n rows (means), as CleanRL:
 *   L = mean_r max(−Â r, −Â clip(r, 1−ε, 1+ε)) − c_e · mean_r H,   r = exp(log π − log π_old).
 * ∂L/∂logits is ADDED to nothing: it overwrites `dLogits` (n × A). Where the two surrogate
 * terms tie the unclipped one takes the gradient (tf.maximum's rule), and clip passes the
 * gradient on the closed interval [1−ε, 1+ε] (tf.clipByValue's rule).
 */
export function ppoPolicyLoss(
  logits: Float32Array,
  masks: Uint8Array,
  actions: Int32Array,
  oldLogp: Float32Array,
  adv: Float32Array,
  n: number,
  clipCoef: number,
  entCoef: number,
  dLogits: Float64Array,
  s: HeadScratch,
  stats: PpoPolicyStats,
): number {
  const A = s.numActions;
  const { logp, p } = s;
  let pg = 0;
  let ent = 0;
  let kl = 0;
  let clipped = 0;
  const lo = 1 - clipCoef;
  const hi = 1 + clipCoef;
  for (let r = 0; r < n; r++) {
    const o = r * A;
    const h = maskedSoftmaxRow(logits, o, masks, o, A, logp, p);
    const a = actions[r];
    const logRatio = logp[a] - oldLogp[r];
    const ratio = Math.exp(logRatio);
    const Ahat = adv[r];
    const pg1 = -Ahat * ratio;
    const rc = ratio < lo ? lo : ratio > hi ? hi : ratio;
    const pg2 = -Ahat * rc;
    // ∂/∂ log π(a) of the active branch, times ∂r/∂log π = r.
    let dRatio: number;
    if (pg1 >= pg2) {
      pg += pg1;
      dRatio = -Ahat;
    } else {
      pg += pg2;
      dRatio = ratio >= lo && ratio <= hi ? -Ahat : 0;
    }
    const dlogpA = (dRatio * ratio) / n;
    ent += h;
    kl += ratio - 1 - logRatio;
    if (Math.abs(ratio - 1) > clipCoef) clipped++;
    for (let j = 0; j < A; j++) {
      if (masks[o + j] === 0) {
        dLogits[o + j] = 0;
        continue;
      }
      const dlogp = (j === a ? 1 : 0) - p[j];
      dLogits[o + j] = dlogpA * dlogp + (entCoef / n) * p[j] * (logp[j] + h);
    }
  }
  stats.pgLoss = pg / n;
  stats.entropy = ent / n;
  stats.approxKl = kl / n;
  stats.clipFrac = clipped / n;
  return stats.pgLoss - entCoef * stats.entropy;
}

/**
 * Value loss (CleanRL), mean over n rows, times `coef`:
 *   clipped:   ½ · mean max((V − R)², (V_old + clip(V − V_old, ±ε) − R)²)
 *   unclipped: ½ · mean (V − R)²
 * Writes coef · ∂(loss)/∂V to `dV` (n values, overwritten) and returns the loss WITHOUT coef.
 */
export function valueLoss(
  v: Float32Array,
  ret: Float32Array,
  oldV: Float32Array,
  n: number,
  clip: boolean,
  clipCoef: number,
  coef: number,
  dV: Float64Array,
): number {
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const d1 = v[r] - ret[r];
    if (!clip) {
      sum += d1 * d1;
      dV[r] = (coef * d1) / n;
      continue;
    }
    const diff = v[r] - oldV[r];
    const dc = diff < -clipCoef ? -clipCoef : diff > clipCoef ? clipCoef : diff;
    const d2 = oldV[r] + dc - ret[r];
    if (d1 * d1 >= d2 * d2) {
      sum += d1 * d1;
      dV[r] = (coef * d1) / n;
    } else {
      sum += d2 * d2;
      dV[r] = diff >= -clipCoef && diff <= clipCoef ? (coef * d2) / n : 0;
    }
  }
  return (0.5 * sum) / n;
}
