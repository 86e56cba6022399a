/**
 * Why a policy network picked an action: attributions of the log-probability of that action
 * (softmax over the legal actions only, as the agents act) to the inputs of the observation.
 *
 * - Integrated gradients (Sundararajan et al., ICML 2017): attribution_i =
 *   (x_i − x'_i) · mean over α of ∂ log p_a / ∂x_i at x' + α(x − x'), with a midpoint Riemann sum.
 *   The attributions add up to log p_a(x) − log p_a(x') (completeness), up to the sum's error.
 * - Occlusion: the drop of log p_a when a named group of inputs (a job slot, the cluster image,
 *   the backlog) is set to a fill value — coarse, but in the environment's own vocabulary.
 *
 * Works on the plain weights of an MLP ([W0, b0, W1, b1, …], W row-major [in, out], as `Mlp` and
 * `FastMlp` store them) in float64, with an exact hand-written backward pass: no tfjs needed.
 */
import type { Activation } from './nn';

/** An MLP as plain arrays (Mlp.getWeights() order). */
export interface MlpWeights {
  /** Layer sizes including input and output, e.g. [4480, 20, 11]. */
  readonly sizes: readonly number[];
  readonly weights: readonly Float32Array[];
  readonly activation: Activation;
}

function check(net: MlpWeights, x: Float32Array | Float64Array, mask: Uint8Array): void {
  const L = net.sizes.length - 1;
  if (net.weights.length !== 2 * L) throw new Error(`attribution: expected ${2 * L} weight arrays`);
  if (x.length !== net.sizes[0])
    throw new Error(`attribution: input has ${x.length} values, net takes ${net.sizes[0]}`);
  if (mask.length !== net.sizes[L])
    throw new Error(`attribution: mask has ${mask.length} values, net has ${net.sizes[L]} outputs`);
  if (!mask.some((m) => m)) throw new Error('attribution: no legal action (all-zero mask)');
}

/** Forward pass keeping every layer's pre-activation (for the backward pass). */
function forward(net: MlpWeights, x: ArrayLike<number>): Float64Array[] {
  const L = net.sizes.length - 1;
  const pre: Float64Array[] = [];
  let h: ArrayLike<number> = x;
  for (let l = 0; l < L; l++) {
    const nIn = net.sizes[l];
    const nOut = net.sizes[l + 1];
    const W = net.weights[2 * l];
    const b = net.weights[2 * l + 1];
    const z = new Float64Array(nOut);
    for (let j = 0; j < nOut; j++) z[j] = b[j];
    for (let i = 0; i < nIn; i++) {
      const v = l > 0 ? activate(net.activation, h[i]) : h[i];
      if (v === 0) continue;
      const row = i * nOut;
      for (let j = 0; j < nOut; j++) z[j] += v * W[row + j];
    }
    pre.push(z);
    h = z;
  }
  return pre;
}

function activate(a: Activation, v: number): number {
  return a === 'relu' ? (v > 0 ? v : 0) : Math.tanh(v);
}

function activateGrad(a: Activation, v: number): number {
  if (a === 'relu') return v > 0 ? 1 : 0;
  const t = Math.tanh(v);
  return 1 - t * t;
}

/** Softmax of `logits` over the legal actions (0 for illegal ones). */
export function maskedSoftmax(logits: ArrayLike<number>, mask: Uint8Array): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < mask.length; k++) if (mask[k] && logits[k] > max) max = logits[k];
  const p = new Float64Array(mask.length);
  let sum = 0;
  for (let k = 0; k < mask.length; k++)
    if (mask[k]) {
      p[k] = Math.exp(logits[k] - max);
      sum += p[k];
    }
  for (let k = 0; k < mask.length; k++) p[k] /= sum;
  return p;
}

/** Logits of the network for one input. */
export function mlpLogits(net: MlpWeights, x: ArrayLike<number>): Float64Array {
  const pre = forward(net, x);
  return pre[pre.length - 1];
}

/** Action probabilities (softmax over legal actions) for one input. */
export function actionProbabilities(net: MlpWeights, x: Float32Array, mask: Uint8Array): Float64Array {
  check(net, x, mask);
  return maskedSoftmax(mlpLogits(net, x), mask);
}

/** log p(action | x) over the legal actions. */
export function logProb(net: MlpWeights, x: ArrayLike<number>, mask: Uint8Array, action: number): number {
  const p = maskedSoftmax(mlpLogits(net, x), mask);
  return Math.log(p[action]);
}

/** ∂ log p(action | x) / ∂x (exact backward pass). */
export function gradLogProb(net: MlpWeights, x: ArrayLike<number>, mask: Uint8Array, action: number): Float64Array {
  if (!mask[action]) throw new Error(`attribution: action ${action} is not legal`);
  const L = net.sizes.length - 1;
  const pre = forward(net, x);
  const p = maskedSoftmax(pre[L - 1], mask);
  // d log p_a / d z_k = [k = a] − p_k over legal k; illegal logits do not enter the softmax.
  let g = new Float64Array(net.sizes[L]);
  for (let k = 0; k < g.length; k++) g[k] = mask[k] ? (k === action ? 1 : 0) - p[k] : 0;
  for (let l = L - 1; l >= 0; l--) {
    const nIn = net.sizes[l];
    const nOut = net.sizes[l + 1];
    const W = net.weights[2 * l];
    const gin = new Float64Array(nIn);
    for (let i = 0; i < nIn; i++) {
      const row = i * nOut;
      let s = 0;
      for (let j = 0; j < nOut; j++) s += W[row + j] * g[j];
      gin[i] = s;
    }
    if (l > 0) {
      const z = pre[l - 1];
      for (let i = 0; i < nIn; i++) gin[i] *= activateGrad(net.activation, z[i]);
    }
    g = gin;
  }
  return g;
}

/**
 * Integrated gradients of log p(action | x) from `baseline` (default all zeros: an empty image)
 * with `steps` midpoint steps. Returns one attribution per input.
 */
export function integratedGradients(
  net: MlpWeights,
  x: Float32Array,
  mask: Uint8Array,
  action: number,
  steps = 32,
  baseline?: Float32Array,
): Float64Array {
  check(net, x, mask);
  const n = x.length;
  const base = baseline ?? new Float32Array(n);
  const sum = new Float64Array(n);
  const point = new Float64Array(n);
  for (let s = 0; s < steps; s++) {
    const alpha = (s + 0.5) / steps;
    for (let i = 0; i < n; i++) point[i] = base[i] + alpha * (x[i] - base[i]);
    const g = gradLogProb(net, point, mask, action);
    for (let i = 0; i < n; i++) sum[i] += g[i];
  }
  for (let i = 0; i < n; i++) sum[i] *= (x[i] - base[i]) / steps;
  return sum;
}

/** A named set of input indices (e.g. "slot 3" = every pixel of job slot 3). */
export interface InputGroup {
  readonly name: string;
  readonly indices: Int32Array;
}

/** Occlusion: log p_a(x) − log p_a(x with the group set to `fill`), per group. */
export function occlusion(
  net: MlpWeights,
  x: Float32Array,
  mask: Uint8Array,
  action: number,
  groups: readonly InputGroup[],
  fill = 0,
): { group: string; delta: number }[] {
  check(net, x, mask);
  const full = logProb(net, x, mask, action);
  const y = Float32Array.from(x);
  return groups.map((g) => {
    for (const i of g.indices) y[i] = fill;
    const d = full - logProb(net, y, mask, action);
    for (const i of g.indices) y[i] = x[i];
    return { group: g.name, delta: d };
  });
}

/** Sum of per-input attributions over each group. */
export function groupSums(attr: Float64Array, groups: readonly InputGroup[]): { group: string; value: number }[] {
  return groups.map((g) => {
    let s = 0;
    for (const i of g.indices) s += attr[i];
    return { group: g.name, value: s };
  });
}
