/**
 * A multi-layer perceptron that trains on plain Float32Arrays: batched forward pass, backward
 * pass into a flat gradient buffer, no tfjs and no allocation per call once the buffers have
 * grown to the largest batch.
 *
 * Why: Lepton's networks are small (DeepRM's 4480 → 20 → 11, CleanRL's 64-64) and their
 * minibatches a few hundred rows, where tfjs's per-op overhead (and, on wasm, its transposed
 * matMuls) dominates the arithmetic. Two properties of the workload make a direct loop fast:
 *   - DeepRM's observation is a mostly-empty 0/1 image, so the first layer is the sum of the
 *     weight rows of the nonzero inputs (gathered once per row and kept for the backward pass),
 *     and the first layer's weight gradient touches only those rows;
 *   - with W stored row-major [in][out] both x·W and the gradients xᵀ·dz and dz·Wᵀ are loops
 *     over contiguous rows of W: no transpose is ever materialised.
 * Sums are accumulated in float64 registers; activations are kept in float64.
 *
 * Parameters live in one flat Float32Array `params` laid out [W0, b0, W1, b1, ...] (the order of
 * `Mlp.variables` in src/agents/nn.ts, so weights move between the two by copying), and the
 * gradient in a flat `grads` of the same layout, so an optimizer is one loop over both.
 */
import { SparseRows } from './sparseRows';

export type FusedActivation = 'relu' | 'tanh';

/** Offsets of each layer's W and b in the flat parameter vector. */
export interface LayerSlices {
  /** Start of W_l (row-major [sizes[l]][sizes[l+1]]). */
  w: number;
  /** Start of b_l (sizes[l+1] values). */
  b: number;
}

/** Layout of [W0, b0, W1, b1, ...] for layer sizes `sizes` (input first, output last). */
export function layerSlices(sizes: readonly number[]): { slices: LayerSlices[]; total: number } {
  const slices: LayerSlices[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const w = off;
    off += sizes[l] * sizes[l + 1];
    slices.push({ w, b: off });
    off += sizes[l + 1];
  }
  return { slices, total: off };
}

export class FusedMlp {
  readonly sizes: readonly number[];
  readonly activation: FusedActivation;
  readonly slices: readonly LayerSlices[];
  /** [W0, b0, W1, b1, ...] flattened; W_l row-major [in][out]. */
  readonly params: Float32Array;
  /** Same layout as params; `backward` ADDS into it (call `zeroGrad` to start a sum). */
  readonly grads: Float32Array;

  /** acts[l] = n × sizes[l+1] post-activation outputs of layer l (the last one = raw outputs). */
  private acts: Float64Array[] = [];
  /** Gradient w.r.t. each layer's output (pre-activation after the activation derivative). */
  private deltas: Float64Array[] = [];
  /** Dense inputs given to `forward` are stored here first. */
  private readonly own: SparseRows;
  /** The rows of the last forward pass (kept for `backward`). */
  private lastRows: SparseRows;
  private lastIds: Int32Array | null = null;
  private out = new Float32Array(0);
  private lastN = 0;

  /**
   * `storage` (optional) = [params, grads] views to use instead of fresh arrays, e.g. slices of
   * one buffer shared by an actor and a critic that a single optimizer updates.
   */
  constructor(sizes: readonly number[], activation: FusedActivation = 'relu', storage?: [Float32Array, Float32Array]) {
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1))
      throw new Error(`FusedMlp: layer sizes must be ≥ 2 positive integers, got [${sizes.join(', ')}]`);
    this.sizes = [...sizes];
    this.activation = activation;
    const { slices, total } = layerSlices(sizes);
    this.slices = slices;
    if (storage && (storage[0].length !== total || storage[1].length !== total))
      throw new Error(`FusedMlp: storage must hold ${total} parameters and ${total} gradients`);
    this.params = storage ? storage[0] : new Float32Array(total);
    this.grads = storage ? storage[1] : new Float32Array(total);
    this.own = new SparseRows(sizes[0]);
    this.lastRows = this.own;
  }

  get numLayers(): number {
    return this.sizes.length - 1;
  }

  get inputSize(): number {
    return this.sizes[0];
  }

  get outputSize(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /** Copy [W0, b0, W1, b1, ...] (e.g. Mlp.getWeights()) into `params`. */
  setWeights(ws: readonly Float32Array[]): void {
    if (ws.length !== 2 * this.numLayers) throw new Error(`FusedMlp.setWeights: expected ${2 * this.numLayers} arrays`);
    for (let l = 0; l < this.numLayers; l++) {
      const { w, b } = this.slices[l];
      const nw = this.sizes[l] * this.sizes[l + 1];
      if (ws[2 * l].length !== nw || ws[2 * l + 1].length !== this.sizes[l + 1])
        throw new Error(`FusedMlp.setWeights: layer ${l} sizes do not match [${this.sizes.join(', ')}]`);
      this.params.set(ws[2 * l], w);
      this.params.set(ws[2 * l + 1], b);
    }
  }

  /** Views (not copies) of [W0, b0, W1, b1, ...] inside `params`. */
  weightViews(): Float32Array[] {
    const views: Float32Array[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const { w, b } = this.slices[l];
      views.push(this.params.subarray(w, b), this.params.subarray(b, b + this.sizes[l + 1]));
    }
    return views;
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }

  /** Grows the per-batch buffers to hold `n` rows (only when a larger batch arrives). */
  private ensure(n: number): void {
    const L = this.numLayers;
    for (let l = 0; l < L; l++) {
      const need = n * this.sizes[l + 1];
      if (this.acts.length <= l || this.acts[l].length < need) {
        const cap = Math.max(need, 2 * (this.acts[l]?.length ?? 0));
        this.acts[l] = new Float64Array(cap);
        this.deltas[l] = new Float64Array(cap);
      }
    }
    if (this.out.length < n * this.outputSize)
      this.out = new Float32Array(Math.max(n * this.outputSize, 2 * this.out.length));
  }

  /**
   * Outputs (logits / values) of the `n` dense rows of `x` (row-major, inputSize apart), kept
   * for `backward`. The returned array is reused by the next call.
   */
  forward(x: Float32Array, n: number): Float32Array {
    const D = this.sizes[0];
    if (x.length < n * D) throw new Error(`FusedMlp.forward: ${x.length} inputs < ${n} × ${D}`);
    this.own.clear();
    for (let r = 0; r < n; r++) this.own.push(x, r * D);
    return this.forwardRows(this.own, null, n);
  }

  /**
   * Outputs of rows ids[0..n) of `rows` (ids null: rows 0..n-1), kept for `backward` (which
   * reads `rows` again: do not change them in between). Output p belongs to ids[p].
   *
   * Layer 0 sums, per output, the nonzero inputs in increasing input order from 0 and then adds
   * the bias, and later layers start from the bias and skip zero inputs: the summation order of
   * FastMlp.forward (src/agents/fastpath.ts) on a sparse row, so acting on these outputs picks
   * the same actions as the agents' inference path with the same weights.
   */
  forwardRows(rows: SparseRows, ids: Int32Array | null, n: number): Float32Array {
    const sizes = this.sizes;
    if (rows.width !== sizes[0])
      throw new Error(`FusedMlp: rows are ${rows.width} wide, the network takes ${sizes[0]}`);
    if ((ids === null ? n : 0) > rows.n || (ids !== null && ids.length < n))
      throw new Error(`FusedMlp.forwardRows: ${n} rows asked, ${ids === null ? rows.n : ids.length} available`);
    this.ensure(n);
    this.lastN = n;
    this.lastRows = rows;
    this.lastIds = ids;
    const P = this.params;
    const H = sizes[1];
    const h0 = this.acts[0];
    const { w: w0, b: b0 } = this.slices[0];
    const rowStart = rows.rowStart;
    const idx = rows.idx;
    const val = rows.val;
    for (let p = 0; p < n; p++) {
      const r = ids === null ? p : ids[p];
      const ho = p * H;
      const k0 = rowStart[r];
      const k1 = rowStart[r + 1];
      // 4 outputs at a time in registers, over the nonzero inputs (one weight row each).
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        let a0 = 0,
          a1 = 0,
          a2 = 0,
          a3 = 0;
        for (let k = k0; k < k1; k++) {
          const v = val[k];
          const wr = w0 + idx[k] * H + j;
          a0 += v * P[wr];
          a1 += v * P[wr + 1];
          a2 += v * P[wr + 2];
          a3 += v * P[wr + 3];
        }
        h0[ho + j] = P[b0 + j] + a0;
        h0[ho + j + 1] = P[b0 + j + 1] + a1;
        h0[ho + j + 2] = P[b0 + j + 2] + a2;
        h0[ho + j + 3] = P[b0 + j + 3] + a3;
      }
      for (; j < H; j++) {
        let a = 0;
        for (let k = k0; k < k1; k++) a += val[k] * P[w0 + idx[k] * H + j];
        h0[ho + j] = P[b0 + j] + a;
      }
    }
    const L = this.numLayers;
    for (let l = 1; l < L; l++) {
      this.activate(this.acts[l - 1], n * sizes[l]);
      this.denseForward(l, n);
    }
    const out = this.out;
    const m = n * sizes[L];
    const last = this.acts[L - 1];
    for (let k = 0; k < m; k++) out[k] = last[k];
    return out;
  }

  private activate(h: Float64Array, m: number): void {
    if (this.activation === 'relu') {
      for (let k = 0; k < m; k++) if (h[k] < 0) h[k] = 0;
    } else for (let k = 0; k < m; k++) h[k] = Math.tanh(h[k]);
  }

  /** acts[l] = acts[l-1]·W_l + b_l, skipping zero inputs (ReLU zeros). */
  private denseForward(l: number, n: number): void {
    const nIn = this.sizes[l];
    const nOut = this.sizes[l + 1];
    const P = this.params;
    const { w, b } = this.slices[l];
    const input = this.acts[l - 1];
    const out = this.acts[l];
    for (let r = 0; r < n; r++) {
      const io = r * nIn;
      const oo = r * nOut;
      for (let j = 0; j < nOut; j++) out[oo + j] = P[b + j];
      for (let i = 0; i < nIn; i++) {
        const a = input[io + i];
        if (a === 0) continue;
        const wr = w + i * nOut;
        for (let j = 0; j < nOut; j++) out[oo + j] += a * P[wr + j];
      }
    }
  }

  /**
   * Backward pass of the last `forward`: `dOut` (n × outputSize) is dLoss/dOutput; the
   * parameter gradients are ADDED to `grads`. The input gradient is never computed
   * (observations are data).
   */
  backward(dOut: Float64Array): void {
    const n = this.lastN;
    const sizes = this.sizes;
    const L = this.numLayers;
    const P = this.params;
    const G = this.grads;
    let delta = this.deltas[L - 1];
    const m = n * sizes[L];
    for (let k = 0; k < m; k++) delta[k] = dOut[k];
    for (let l = L - 1; l >= 1; l--) {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      const { w, b } = this.slices[l];
      const input = this.acts[l - 1];
      const dIn = this.deltas[l - 1];
      const relu = this.activation === 'relu';
      for (let r = 0; r < n; r++) {
        const io = r * nIn;
        const oo = r * nOut;
        for (let j = 0; j < nOut; j++) G[b + j] += delta[oo + j];
        for (let i = 0; i < nIn; i++) {
          const a = input[io + i];
          const wr = w + i * nOut;
          // dW_l[i, :] += a · δ[r, :] and dIn[r, i] = δ[r, :]·W_l[i, :]: both along row i of W_l.
          let s = 0;
          if (a !== 0) {
            for (let j = 0; j < nOut; j++) {
              const d = delta[oo + j];
              G[wr + j] += a * d;
              s += d * P[wr + j];
            }
          } else if (!relu) {
            for (let j = 0; j < nOut; j++) s += delta[oo + j] * P[wr + j];
          }
          // Through the activation of layer l-1: ReLU passes where the output is > 0, tanh
          // multiplies by 1 − y² (y = the stored output).
          dIn[io + i] = relu ? (a > 0 ? s : 0) : s * (1 - a * a);
        }
      }
      delta = dIn;
    }
    // Layer 0: only the weight rows of nonzero inputs get a gradient.
    const H = sizes[1];
    const { w: w0, b: b0 } = this.slices[0];
    const rows = this.lastRows;
    const ids = this.lastIds;
    const rowStart = rows.rowStart;
    const idx = rows.idx;
    const val = rows.val;
    for (let p = 0; p < n; p++) {
      const r = ids === null ? p : ids[p];
      const ho = p * H;
      const k0 = rowStart[r];
      const k1 = rowStart[r + 1];
      for (let j = 0; j < H; j++) G[b0 + j] += delta[ho + j];
      // δ of 4 outputs in registers, added to the weight rows of the nonzero inputs.
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const d0 = delta[ho + j];
        const d1 = delta[ho + j + 1];
        const d2 = delta[ho + j + 2];
        const d3 = delta[ho + j + 3];
        if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue; // dead ReLU units
        for (let k = k0; k < k1; k++) {
          const v = val[k];
          const wr = w0 + idx[k] * H + j;
          G[wr] += v * d0;
          G[wr + 1] += v * d1;
          G[wr + 2] += v * d2;
          G[wr + 3] += v * d3;
        }
      }
      for (; j < H; j++) {
        const d = delta[ho + j];
        if (d === 0) continue;
        for (let k = k0; k < k1; k++) G[w0 + idx[k] * H + j] += val[k] * d;
      }
    }
  }
}
