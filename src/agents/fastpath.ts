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

  actBatch(obs: Float32Array, masks: Uint8Array, n: number, out: Int32Array, greedy = false): void {
    const A = this.numActions;
    const D = this.policy.spec.inputSize;
    for (let i = 0; i < n; i++) out[i] = this.actAt(obs, i * D, masks, i * A, greedy);
  }

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
