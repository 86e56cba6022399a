/**
 * Optimizers on flat Float32Array parameters and gradients (one loop per update), with the
 * update rules of src/agents/nn.ts's tfjs `Optimizer` so either can continue the other's state:
 *   sgd:     θ ← θ − lr·g
 *   rmsprop: acc ← ρ·acc + (1−ρ)·g²;  θ ← θ − lr·g / √(acc + ε)      (DeepRM / Lasagne)
 *   adam:    m ← β1·m + (1−β1)·g;  s ← β2·s + (1−β2)·g²;
 *            θ ← θ − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√s + ε)              (TF / tfjs form)
 * Arithmetic is float64 per element, stored as float32; tfjs rounds to float32 after every op,
 * so the two agree to float32 rounding (tested), not bit for bit.
 *
 * State export uses the tfjs optimizer's format (one slot array per variable; Adam: all m's,
 * then all s's), split along `segments` (the variables' sizes), so checkpoints are shared.
 */

export type FusedOptimizerKind = 'rmsprop' | 'adam' | 'sgd';

export interface FusedOptimizerConfig {
  kind: FusedOptimizerKind;
  lr: number;
  rho?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** Same shape as src/agents/nn.ts OptimizerState (kept structural to stay below agents/). */
export interface FusedOptimizerState {
  kind: FusedOptimizerKind;
  step: number;
  slots: Float32Array[];
}

/**
 * Global L2 norm of `g`; if above `maxNorm`, scales `g` in place by maxNorm / (norm + 1e-6)
 * (tfjs path: applyGrads in src/agents/nn.ts). Returns the norm before clipping.
 */
export function clipGradNorm(g: Float32Array, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < g.length; i++) ss += g[i] * g[i];
  const norm = Math.sqrt(ss);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (let i = 0; i < g.length; i++) g[i] *= scale;
  }
  return norm;
}

export class FusedOptimizer {
  readonly config: Required<FusedOptimizerConfig>;
  /** Mutable so schedules (e.g. PPO's annealing) can change it. */
  lr: number;
  step = 0;
  /** RMSProp: acc; Adam: m. */
  private readonly slot1: Float32Array;
  /** Adam: s. */
  private readonly slot2: Float32Array;

  /**
   * `params` is updated in place by `apply`. `segments` are the sizes of the variables the flat
   * vector is made of (for the state format only); they must sum to params.length.
   */
  constructor(
    readonly params: Float32Array,
    config: FusedOptimizerConfig,
    readonly segments: readonly number[] = [params.length],
  ) {
    if (segments.reduce((a, b) => a + b, 0) !== params.length)
      throw new Error(`FusedOptimizer: segments sum to ${segments.reduce((a, b) => a + b, 0)}, not ${params.length}`);
    this.config = {
      rho: 0.9,
      beta1: 0.9,
      beta2: 0.999,
      eps: config.kind === 'rmsprop' ? 1e-9 : 1e-8,
      ...config,
    };
    this.lr = config.lr;
    this.slot1 = new Float32Array(config.kind === 'sgd' ? 0 : params.length);
    this.slot2 = new Float32Array(config.kind === 'adam' ? params.length : 0);
  }

  /** One update with gradient `g` (same layout as params). */
  apply(g: Float32Array): void {
    this.step++;
    const { kind, rho, beta1, beta2, eps } = this.config;
    const p = this.params;
    const n = p.length;
    const lr = this.lr;
    if (kind === 'sgd') {
      for (let i = 0; i < n; i++) p[i] -= lr * g[i];
    } else if (kind === 'rmsprop') {
      const acc = this.slot1;
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const a = rho * acc[i] + (1 - rho) * gi * gi;
        acc[i] = a;
        p[i] -= (lr * gi) / Math.sqrt(Math.fround(a) + eps);
      }
    } else {
      const m = this.slot1;
      const s = this.slot2;
      const lrT = (lr * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = beta1 * m[i] + (1 - beta1) * gi;
        const si = beta2 * s[i] + (1 - beta2) * gi * gi;
        m[i] = mi;
        s[i] = si;
        p[i] -= (lrT * Math.fround(mi)) / (Math.sqrt(Math.fround(si)) + eps);
      }
    }
  }

  private split(a: Float32Array): Float32Array[] {
    const out: Float32Array[] = [];
    let off = 0;
    for (const len of this.segments) {
      out.push(Float32Array.from(a.subarray(off, off + len)));
      off += len;
    }
    return out;
  }

  getState(): FusedOptimizerState {
    const { kind } = this.config;
    const slots =
      kind === 'sgd'
        ? []
        : kind === 'rmsprop'
          ? this.split(this.slot1)
          : [...this.split(this.slot1), ...this.split(this.slot2)];
    return { kind, step: this.step, slots };
  }

  setState(state: FusedOptimizerState): void {
    const { kind } = this.config;
    if (state.kind !== kind) throw new Error(`optimizer state is for '${state.kind}', not '${kind}'`);
    const per = kind === 'sgd' ? 0 : kind === 'rmsprop' ? 1 : 2;
    const S = this.segments.length;
    if (state.slots.length !== per * S)
      throw new Error(`optimizer state has ${state.slots.length} slots, expected ${per * S}`);
    const fill = (dst: Float32Array, first: number): void => {
      let off = 0;
      for (let k = 0; k < S; k++) {
        const src = state.slots[first + k];
        if (src.length !== this.segments[k])
          throw new Error(`optimizer state slot ${first + k} has ${src.length} values, expected ${this.segments[k]}`);
        dst.set(src, off);
        off += src.length;
      }
    };
    if (per >= 1) fill(this.slot1, 0);
    if (per === 2) fill(this.slot2, S);
    this.step = state.step;
  }
}
