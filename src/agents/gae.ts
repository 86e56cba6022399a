/**
 * Returns and advantages as pure functions on typed arrays.
 *
 * Rollouts are time-major: entry t·N + i is step t of environment i (N = numEnvs).
 * An episode that ends at step t is either
 *   terminated — a true terminal state: nothing is bootstrapped; or
 *   truncated  — cut by a time/step limit: the return is bootstrapped with
 *                `truncValues[t·N+i]` = V(final observation of that episode).
 * Either way nothing flows back from step t+1 (it belongs to the next episode).
 * Sums are accumulated in float64 and stored in float32.
 */

/** G_t = r_t + γ·G_{t+1} for one trajectory, with G_T = `bootstrap`. */
export function discountedReturns(
  rewards: ArrayLike<number>,
  gamma: number,
  bootstrap = 0,
  out: Float32Array = new Float32Array(rewards.length),
): Float32Array {
  let g = bootstrap;
  for (let t = rewards.length - 1; t >= 0; t--) {
    g = rewards[t] + gamma * g;
    out[t] = g;
  }
  return out;
}

export interface GaeInput {
  /** Steps per environment in the rollout. */
  numSteps: number;
  numEnvs: number;
  /** r_t, length numSteps·numEnvs. */
  rewards: ArrayLike<number>;
  /** V(s_t), length numSteps·numEnvs. */
  values: ArrayLike<number>;
  /** 1 where the episode terminated at step t. */
  terminated: ArrayLike<number>;
  /** 1 where the episode was truncated at step t. */
  truncated: ArrayLike<number>;
  /** V(final observation) used where truncated = 1 (other entries ignored). */
  truncValues: ArrayLike<number>;
  /** V(s_T) of the observation after the last step, per env (length numEnvs). */
  lastValues: ArrayLike<number>;
  gamma: number;
  /** λ = 1 gives n-step returns (A2C), λ = 0 one-step TD. */
  lambda: number;
}

/**
 * Generalised advantage estimation (Schulman et al. 2016):
 *   δ_t = r_t + γ·V_next − V(s_t),  A_t = δ_t + γλ·A_{t+1} (A_{t+1} := 0 at episode end),
 * where V_next is 0 on termination, truncValues on truncation, V(s_{t+1}) otherwise.
 * Writes advantages and returns (= A + V, the value targets).
 */
export function computeGae(
  inp: GaeInput,
  advantages: Float32Array = new Float32Array(inp.numSteps * inp.numEnvs),
  returns: Float32Array = new Float32Array(inp.numSteps * inp.numEnvs),
): { advantages: Float32Array; returns: Float32Array } {
  const {
    numSteps: T,
    numEnvs: N,
    rewards,
    values,
    terminated,
    truncated,
    truncValues,
    lastValues,
    gamma,
    lambda,
  } = inp;
  for (let i = 0; i < N; i++) {
    let nextAdv = 0;
    let nextValue = lastValues[i];
    for (let t = T - 1; t >= 0; t--) {
      const k = t * N + i;
      let vNext: number;
      let carry: number;
      if (terminated[k]) {
        vNext = 0;
        carry = 0;
      } else if (truncated[k]) {
        vNext = truncValues[k];
        carry = 0;
      } else {
        vNext = nextValue;
        carry = nextAdv;
      }
      const delta = rewards[k] + gamma * vNext - values[k];
      const adv = delta + gamma * lambda * carry;
      advantages[k] = adv;
      returns[k] = adv + values[k];
      nextAdv = adv;
      nextValue = values[k];
    }
  }
  return { advantages, returns };
}

/**
 * DeepRM's time-dependent baseline: b_t = mean over the trajectories of the
 * return at step t, where a trajectory shorter than t counts as return 0
 * (pg_re pads with zeros). Returns advantages G_t − b_t for every trajectory.
 */
export function timeBaselineAdvantages(returns: readonly Float32Array[]): Float32Array[] {
  const maxLen = returns.reduce((m, r) => Math.max(m, r.length), 0);
  const baseline = new Float64Array(maxLen);
  for (const r of returns) for (let t = 0; t < r.length; t++) baseline[t] += r[t];
  for (let t = 0; t < maxLen; t++) baseline[t] /= returns.length;
  return returns.map((r) => {
    const adv = new Float32Array(r.length);
    for (let t = 0; t < r.length; t++) adv[t] = r[t] - baseline[t];
    return adv;
  });
}

/** In-place (x − mean) / (std + eps), population std, as CleanRL's advantage normalisation. */
export function normalize(x: Float32Array, eps = 1e-8): Float32Array {
  const n = x.length;
  if (n === 0) return x;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  const sd = Math.sqrt(v / n);
  for (let i = 0; i < n; i++) x[i] = (x[i] - mean) / (sd + eps);
  return x;
}

/** In-place (x − mean) / (std + 1e-8) over x[0..n) with the unbiased std (CleanRL / SB3). */
export function normalizeAdvantages(x: Float32Array, n: number): void {
  let mean = 0;
  for (let k = 0; k < n; k++) mean += x[k];
  mean /= n;
  let v = 0;
  for (let k = 0; k < n; k++) v += (x[k] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  for (let k = 0; k < n; k++) x[k] = (x[k] - mean) / (sd + 1e-8);
}
