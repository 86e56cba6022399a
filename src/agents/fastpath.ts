/**
 * Single-decision inference without tfjs: the MLP forward pass on plain
 * Float32Arrays, from weights exported out of the tfjs variables.
 *
 * A scheduling decision is one observation, for which tfjs's per-op overhead
 * dominates. Here the first layer runs over the *nonzero* inputs only (a DeepRM
 * image is mostly empty cells), adding one weight row per nonzero input, and the
 * later layers likewise skip ReLU zeros. Accumulation is in float64.
 *
 * Also `PolicyAgent`: the Agent that policy-gradient methods (REINFORCE, A2C, PPO)
 * return, acting through this fast path.
 */
import { Rng } from '../util/rng';
import type { Activation } from './nn';
import { Mlp, sampleMaskedSoftmax } from './nn';
import { maskedArgmax } from './masks';
import type { Agent } from './types';
import { loadCheckpoint, restoreNetwork, saveCheckpoint, storeNetwork } from './checkpoint';

/**
 * h = x·W0 + b for one observation, W0 stored transposed (WT[j·nIn + i]).
 * Gathers the nonzero inputs once, then one register-accumulated dot product per
 * hidden unit over them only (dense loop when most inputs are nonzero).
 */
function firstLayer(
  x: Float32Array,
  off: number,
  WT: Float32Array,
  b: Float32Array,
  h: Float64Array,
  nz: Int32Array,
  nzv: Float64Array,
  nIn: number,
  nOut: number,
): void {
  let nnz = 0;
  for (let i = 0; i < nIn; i++) {
    const v = x[off + i];
    if (v !== 0) {
      nz[nnz] = i;
      nzv[nnz++] = v;
    }
  }
  if (2 * nnz > nIn) {
    for (let j = 0; j < nOut; j++) {
      const row = j * nIn;
      let s = 0;
      for (let i = 0; i < nIn; i++) s += x[off + i] * WT[row + i];
      h[j] = b[j] + s;
    }
  } else {
    for (let j = 0; j < nOut; j++) {
      const row = j * nIn;
      let s = 0;
      for (let k = 0; k < nnz; k++) s += nzv[k] * WT[row + nz[k]];
      h[j] = b[j] + s;
    }
  }
}

/**
 * Layer 0 for rows r and r+1 at once, both dense: 2 rows × 4 outputs per inner loop
 * (8 float64 accumulators in registers, 6 loads per 8 multiply-adds), same summation
 * order as `firstLayer`'s dense loop (so the same bits). Inputs and weights are float64
 * copies of the float32 values (exact), so the inner loop converts nothing.
 * `W` is row-major [in][out].
 */
function firstLayerPair(
  x: Float64Array,
  off0: number,
  off1: number,
  W: Float64Array,
  b: Float32Array,
  h: Float64Array,
  hoff0: number,
  hoff1: number,
  nIn: number,
  nOut: number,
): void {
  let j = 0;
  for (; j + 4 <= nOut; j += 4) {
    let a0 = 0,
      a1 = 0,
      a2 = 0,
      a3 = 0,
      c0 = 0,
      c1 = 0,
      c2 = 0,
      c3 = 0;
    for (let i = 0, row = j; i < nIn; i++, row += nOut) {
      const x0 = x[off0 + i];
      const x1 = x[off1 + i];
      const w0 = W[row];
      const w1 = W[row + 1];
      const w2 = W[row + 2];
      const w3 = W[row + 3];
      a0 += x0 * w0;
      a1 += x0 * w1;
      a2 += x0 * w2;
      a3 += x0 * w3;
      c0 += x1 * w0;
      c1 += x1 * w1;
      c2 += x1 * w2;
      c3 += x1 * w3;
    }
    h[hoff0 + j] = b[j] + a0;
    h[hoff0 + j + 1] = b[j + 1] + a1;
    h[hoff0 + j + 2] = b[j + 2] + a2;
    h[hoff0 + j + 3] = b[j + 3] + a3;
    h[hoff1 + j] = b[j] + c0;
    h[hoff1 + j + 1] = b[j + 1] + c1;
    h[hoff1 + j + 2] = b[j + 2] + c2;
    h[hoff1 + j + 3] = b[j + 3] + c3;
  }
  for (; j < nOut; j++) {
    let a = 0;
    let c = 0;
    for (let i = 0, row = j; i < nIn; i++, row += nOut) {
      a += x[off0 + i] * W[row];
      c += x[off1 + i] * W[row];
    }
    h[hoff0 + j] = b[j] + a;
    h[hoff1 + j] = b[j] + c;
  }
}

/**
 * A hidden layer for `n` rows of `input` (row-major, float64): out = b + Σ_i input_i W_i,
 * 2 rows × 4 outputs per inner loop, inputs in order from the bias as `denseF64` does
 * (which skips exact zeros: adding ±0 changes nothing but the sign of an exact zero).
 */
function denseBatch(
  input: Float64Array,
  n: number,
  W: Float64Array,
  b: Float32Array,
  out: Float64Array,
  nIn: number,
  nOut: number,
): void {
  let r = 0;
  for (; r + 2 <= n; r += 2) {
    const i0 = r * nIn;
    const i1 = i0 + nIn;
    const o0 = r * nOut;
    const o1 = o0 + nOut;
    let j = 0;
    for (; j + 4 <= nOut; j += 4) {
      let a0 = b[j],
        a1 = b[j + 1],
        a2 = b[j + 2],
        a3 = b[j + 3];
      let c0 = a0,
        c1 = a1,
        c2 = a2,
        c3 = a3;
      for (let i = 0, row = j; i < nIn; i++, row += nOut) {
        const x0 = input[i0 + i];
        const x1 = input[i1 + i];
        const w0 = W[row];
        const w1 = W[row + 1];
        const w2 = W[row + 2];
        const w3 = W[row + 3];
        a0 += x0 * w0;
        a1 += x0 * w1;
        a2 += x0 * w2;
        a3 += x0 * w3;
        c0 += x1 * w0;
        c1 += x1 * w1;
        c2 += x1 * w2;
        c3 += x1 * w3;
      }
      out[o0 + j] = a0;
      out[o0 + j + 1] = a1;
      out[o0 + j + 2] = a2;
      out[o0 + j + 3] = a3;
      out[o1 + j] = c0;
      out[o1 + j + 1] = c1;
      out[o1 + j + 2] = c2;
      out[o1 + j + 3] = c3;
    }
    for (; j < nOut; j++) {
      let a = b[j];
      let c = a;
      for (let i = 0, row = j; i < nIn; i++, row += nOut) {
        a += input[i0 + i] * W[row];
        c += input[i1 + i] * W[row];
      }
      out[o0 + j] = a;
      out[o1 + j] = c;
    }
  }
  for (; r < n; r++) {
    const i0 = r * nIn;
    const o0 = r * nOut;
    for (let j = 0; j < nOut; j++) {
      let a = b[j];
      for (let i = 0, row = j; i < nIn; i++, row += nOut) a += input[i0 + i] * W[row];
      out[o0 + j] = a;
    }
  }
}

export class FastMlp {
  readonly sizes: number[];
  readonly activation: Activation;
  /** W[0] is stored transposed ([out][in]) so each hidden unit is one contiguous dot product. */
  private readonly W: Float32Array[];
  private readonly b: Float32Array[];
  private readonly bufs: Float64Array[];
  private readonly out: Float32Array;
  /** Indices and values of the nonzero inputs of the current observation. */
  private readonly nz: Int32Array;
  private readonly nzv: Float64Array;

  /** Kernel networks: the per-row MLP is applied to `rows` consecutive input slices (Mlp `rows`). */
  readonly rows: number;

  /** `weights` = [W0, b0, W1, b1, ...] with W_l row-major [in, out] as in `Mlp`. */
  constructor(sizes: readonly number[], weights: readonly Float32Array[], activation: Activation = 'relu', rows = 1) {
    this.sizes = [...sizes];
    this.rows = rows;
    this.activation = activation;
    this.W = [];
    this.b = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const w = weights[2 * l];
      const b = weights[2 * l + 1];
      if (w.length !== sizes[l] * sizes[l + 1] || b.length !== sizes[l + 1])
        throw new Error(`FastMlp: layer ${l} weights do not match sizes`);
      this.W.push(new Float32Array(w.length));
      this.b.push(new Float32Array(b.length));
    }
    this.update(weights);
    this.bufs = sizes.slice(1).map((n) => new Float64Array(n));
    this.out = new Float32Array(rows * sizes[sizes.length - 1]);
    this.nz = new Int32Array(sizes[0]);
    this.nzv = new Float64Array(sizes[0]);
  }

  static fromMlp(net: Mlp): FastMlp {
    return new FastMlp(net.sizes, net.getWeights(), net.spec.activation, net.spec.rows);
  }

  /** Overwrite the weights in place (after a training update) without reallocating. */
  update(weights: readonly Float32Array[]): void {
    const [nIn, nOut] = [this.sizes[0], this.sizes[1]];
    const w0 = weights[0];
    const t = this.W[0];
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) t[j * nIn + i] = w0[i * nOut + j];
    this.b[0].set(weights[1]);
    this.wdStale = true;
    for (let l = 1; l < this.W.length; l++) {
      this.W[l].set(weights[2 * l]);
      this.b[l].set(weights[2 * l + 1]);
    }
  }

  updateFrom(net: Mlp): void {
    this.update(net.getWeights());
  }

  /**
   * Outputs for the observation `x[off .. off+inputSize)`. The returned array is
   * reused by the next call: copy it to keep it.
   */
  forward(x: Float32Array, off = 0): Float32Array {
    const nIn = this.sizes[0];
    const nOut = this.sizes[this.sizes.length - 1];
    for (let r = 0; r < this.rows; r++) this.forwardRow(x, off + r * nIn, r * nOut);
    return this.out;
  }

  private forwardRow(x: Float32Array, off: number, outOff: number): void {
    const L = this.W.length;
    // Layer 0 reads the float32 observation, later layers the float64 buffers:
    // separate monomorphic loops keep V8's typed-array access fast. Layer 0
    // gathers only the nonzero inputs (one pass to find them), with the
    // accumulator in a register.
    const h = this.bufs[0];
    firstLayer(x, off, this.W[0], this.b[0], h, this.nz, this.nzv, this.sizes[0], this.sizes[1]);
    let hl = h;
    for (let l = 1; l < L; l++) {
      const n = this.sizes[l];
      if (this.activation === 'relu') {
        for (let j = 0; j < n; j++) if (hl[j] < 0) hl[j] = 0;
      } else for (let j = 0; j < n; j++) hl[j] = Math.tanh(hl[j]);
      hl = this.denseF64(l, hl);
    }
    const nOut = this.sizes[L];
    for (let j = 0; j < nOut; j++) this.out[outOff + j] = hl[j];
  }

  /** Per layer, n × size float64 activations of the last forwardBatch (grown on demand). */
  private batchBufs: Float64Array[] = [];
  /** The batch's inputs as float64 (converted once instead of once per output block). */
  private batchIn = new Float64Array(0);
  /** Float64 copies of the weights for forwardBatch, W[0] row-major [in][out] as in `Mlp`; rebuilt after `update`. */
  private Wd: Float64Array[] = [];

  /**
   * Outputs of `n` observations at once (rows of `x`, `inputSize` apart), written to
   * `out[r·outputSize ..]`. Same outputs as `n` calls of `forward` (the same float64
   * sums in the same order; only the sign of an exact zero may differ), faster for a
   * batch: pairs of rows share every weight load. Sparse rows (DeepRM images) still take
   * the nonzero-gathering first layer of `forward`.
   */
  forwardBatch(x: Float32Array, n: number, out: Float32Array): Float32Array {
    const sizes = this.sizes;
    const L = this.W.length;
    const nIn = sizes[0];
    if (x.length < n * nIn) throw new Error(`FastMlp.forwardBatch: ${x.length} inputs < ${n} × ${nIn}`);
    if (out.length < n * sizes[L]) throw new Error(`FastMlp.forwardBatch: out holds < ${n} × ${sizes[L]}`);
    for (let l = 0; l < L; l++)
      if (this.batchBufs.length <= l || this.batchBufs[l].length < n * sizes[l + 1])
        this.batchBufs[l] = new Float64Array(Math.max(n, 64) * sizes[l + 1]);
    if (this.batchIn.length < n * nIn) this.batchIn = new Float64Array(Math.max(n, 64) * nIn);
    if (this.wdStale) {
      const WT = this.W[0];
      const n1 = sizes[1];
      const W0 = new Float64Array(nIn * n1);
      for (let j = 0; j < n1; j++) for (let i = 0; i < nIn; i++) W0[i * n1 + j] = WT[j * nIn + i];
      this.Wd = [W0, ...this.W.slice(1).map((w) => Float64Array.from(w))];
      this.wdStale = false;
    }
    const xd = this.batchIn;
    for (let k = 0; k < n * nIn; k++) xd[k] = x[k];
    const h0 = this.batchBufs[0];
    const n1 = sizes[1];
    const dense = (r: number): boolean => {
      let nnz = 0;
      const o = r * nIn;
      for (let i = 0; i < nIn; i++) if (x[o + i] !== 0) nnz++;
      return 2 * nnz > nIn;
    };
    let r = 0;
    while (r < n) {
      if (r + 1 < n && dense(r) && dense(r + 1)) {
        firstLayerPair(xd, r * nIn, (r + 1) * nIn, this.Wd[0], this.b[0], h0, r * n1, (r + 1) * n1, nIn, n1);
        r += 2;
      } else {
        firstLayer(x, r * nIn, this.W[0], this.b[0], this.bufs[0], this.nz, this.nzv, nIn, n1);
        h0.set(this.bufs[0], r * n1);
        r++;
      }
    }
    let hl = h0;
    for (let l = 1; l < L; l++) {
      const m = n * sizes[l];
      if (this.activation === 'relu') {
        for (let k = 0; k < m; k++) if (hl[k] < 0) hl[k] = 0;
      } else for (let k = 0; k < m; k++) hl[k] = Math.tanh(hl[k]);
      denseBatch(hl, n, this.Wd[l], this.b[l], this.batchBufs[l], sizes[l], sizes[l + 1]);
      hl = this.batchBufs[l];
    }
    const m = n * sizes[L];
    for (let k = 0; k < m; k++) out[k] = hl[k];
    return out;
  }

  /** Set by `update`: the float64 weight copies must be rebuilt. */
  private wdStale = true;

  private denseF64(l: number, input: Float64Array): Float64Array {
    const nIn = this.sizes[l];
    const nOut = this.sizes[l + 1];
    const W = this.W[l];
    const b = this.b[l];
    const h = this.bufs[l];
    for (let j = 0; j < nOut; j++) h[j] = b[j];
    for (let i = 0; i < nIn; i++) {
      const xi = input[i];
      if (xi === 0) continue; // ReLU zeros
      const row = i * nOut;
      for (let j = 0; j < nOut; j++) h[j] += xi * W[row + j];
    }
    return h;
  }
}

/**
 * A stochastic policy over masked discrete actions: softmax of the policy
 * network's logits restricted to legal actions. Greedy = most likely legal action.
 */
export class PolicyAgent implements Agent {
  readonly name: string;
  readonly policy: Mlp;
  readonly fast: FastMlp;
  /** Drives sampling in `act`; fork or reseed it for reproducible evaluation. */
  rng: Rng;
  /** Saved alongside the weights (the training config, for the record). */
  meta: unknown;

  constructor(name: string, policy: Mlp, rng: Rng, meta: unknown = null) {
    this.name = name;
    this.policy = policy;
    this.fast = FastMlp.fromMlp(policy);
    this.rng = rng;
    this.meta = meta;
  }

  /** Re-export the tfjs weights to the fast path (call after each update). */
  sync(): void {
    this.fast.updateFrom(this.policy);
  }

  get numActions(): number {
    return this.policy.spec.outputSize;
  }

  /** Logits for one observation (reused buffer). */
  logits(obs: Float32Array, off = 0): Float32Array {
    return this.fast.forward(obs, off);
  }

  act(obs: Float32Array, mask: Uint8Array, greedy = false): number {
    return this.actAt(obs, 0, mask, 0, greedy);
  }

  /** n decisions at once through FastMlp.forwardBatch; the same actions (and RNG draws, in row order) as n `act` calls. */
  actBatch(obs: Float32Array, masks: Uint8Array, n: number, out: Int32Array, greedy = false): void {
    const A = this.numActions;
    if (this.batchLogits.length < n * A) this.batchLogits = new Float32Array(Math.max(n, 64) * A);
    const logits = this.fast.forwardBatch(obs, n, this.batchLogits);
    for (let i = 0; i < n; i++) {
      const a = greedy
        ? maskedArgmax(logits, i * A, masks, i * A, A)
        : sampleMaskedSoftmax(logits, i * A, masks, i * A, A, this.rng);
      if (a < 0) throw new Error(`${this.name}: no legal action (all-zero mask)`);
      out[i] = a;
    }
  }

  private batchLogits = new Float32Array(0);

  private actAt(obs: Float32Array, off: number, mask: Uint8Array, moff: number, greedy: boolean): number {
    const A = this.numActions;
    const logits = this.fast.forward(obs, off);
    const a = greedy ? maskedArgmax(logits, 0, mask, moff, A) : sampleMaskedSoftmax(logits, 0, mask, moff, A, this.rng);
    if (a < 0) throw new Error(`${this.name}: no legal action (all-zero mask)`);
    return a;
  }

  async save(dir: string): Promise<void> {
    await saveCheckpoint(dir, {
      algo: this.name,
      networks: { policy: storeNetwork(this.policy) },
      rngs: { act: this.rng.getState() },
      config: this.meta ?? null,
    });
  }

  dispose(): void {
    this.policy.dispose();
  }
}

/** Load an agent saved by `PolicyAgent.save` (or the policy of a training checkpoint). */
export async function loadPolicyAgent(dir: string, seed = 0): Promise<PolicyAgent> {
  const ck = await loadCheckpoint(dir);
  const stored = ck.networks.policy;
  if (!stored) throw new Error(`${dir}: checkpoint has no 'policy' network`);
  return new PolicyAgent(ck.algo, restoreNetwork(stored, 'policy'), new Rng(seed), ck.config ?? null);
}
