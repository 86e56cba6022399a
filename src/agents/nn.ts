/**
 * Small neural-network toolkit for Lepton's agents, on tfjs.
 *
 * Built from plain `matMul` with a hand-written gradient (tf.customGrad) because
 * on the wasm backend a matMul with transposeA/transposeB is ~10× slower than a
 * plain one, and model.predict() copies its input. Every dense layer therefore
 * transposes explicitly (on wasm) and never computes the gradient with respect
 * to the network input (observations are data, not parameters).
 *
 * Contents: `Mlp` (weights as tf.Variable, seeded init from our Rng), masked
 * softmax / argmax / sampling helpers (tensors and typed arrays), optimizers with
 * exportable state (RMSProp as DeepRM, Adam, SGD) and `trainStep`.
 */
import { tf } from '../tf/tf';
import type { Rng } from '../util/rng';

/** Hidden-layer nonlinearity. The output layer is always linear (logits / values). */
export type Activation = 'relu' | 'tanh';

/**
 * How weights are initialised. 'glorot' = Glorot-uniform weights, zero biases.
 * 'deeprm' = Normal(0, 0.01) weights and zero biases, as DeepRM's Lasagne network.
 */
export type InitScheme = 'glorot' | 'deeprm';

export interface MlpSpec {
  inputSize: number;
  /** Sizes of the hidden layers, e.g. [20] for DeepRM, [64, 64] for CleanRL. */
  hiddenSizes: readonly number[];
  outputSize: number;
  /** Default 'relu'. */
  activation?: Activation;
  /** Default 'glorot'. */
  init?: InitScheme;
  /**
   * Multiplies the output layer's initial weights (default 1). A small value (0.01)
   * makes an initial policy near uniform; CleanRL uses it for policy heads.
   */
  outputScale?: number;
  /**
   * Kernel network (RLScheduler's policy): the input is `rows` equal slices (e.g. 128 job rows of
   * 8 features), one shared MLP maps each slice to outputSize/rows values (e.g. one score per job).
   * Default 1 = an ordinary MLP. Permuting the input rows permutes the outputs the same way.
   */
  rows?: number;
}

let uid = 0;

/** Draws a [fanIn, fanOut] weight matrix from `rng` (never from tfjs's own RNG). */
export function initWeights(fanIn: number, fanOut: number, scheme: InitScheme, rng: Rng): Float32Array {
  const w = new Float32Array(fanIn * fanOut);
  if (scheme === 'glorot') {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.random() - 1) * limit;
  } else {
    for (let i = 0; i < w.length; i++) w[i] = 0.01 * rng.normal();
  }
  return w;
}

/** True where an explicit transpose + plain matMul beats matMul's transpose flags. */
function explicitTranspose(): boolean {
  return tf.getBackend() === 'wasm';
}

function matMulTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return explicitTranspose() ? tf.matMul(tf.transpose(a), b) : tf.matMul(a, b, true, false);
}

function matMulTB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return explicitTranspose() ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

/**
 * y = act(x·W + b) with a hand-written gradient. When `inputGrad` is false the
 * gradient for x is a placeholder: valid only when x does not depend on any
 * trained variable (tfjs prunes such inputs before it reads their gradient).
 */
function dense(
  x: tf.Tensor2D,
  W: tf.Variable,
  b: tf.Variable,
  act: Activation | 'linear',
  inputGrad: boolean,
): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xt, wt, bt] = args as tf.Tensor2D[];
    const save = args[3] as tf.GradSaveFunc;
    const y: tf.Tensor =
      act === 'tanh'
        ? tf.tanh(tf.add(tf.matMul(xt, wt), bt))
        : tf.fused.matMul({ a: xt, b: wt, bias: bt, activation: act });
    save([xt, wt, y]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xs, ws, ys] = saved as tf.Tensor2D[];
        let dz = dy as tf.Tensor2D;
        if (act === 'relu') dz = tf.mul(dz, tf.step(ys));
        else if (act === 'tanh') dz = tf.mul(dz, tf.sub(1, tf.square(ys)));
        const dW = matMulTA(xs, dz);
        const db = tf.sum(dz, 0);
        const dx = inputGrad ? matMulTB(dz, ws) : tf.zeros([1]);
        return [dx, dW, db];
      },
    };
  });
  return op(x, W, b) as tf.Tensor2D;
}

/** A multi-layer perceptron whose parameters are tf.Variables [W0, b0, W1, b1, ...]. */
export class Mlp {
  readonly spec: Required<MlpSpec>;
  readonly variables: tf.Variable[];
  /** Layer sizes including input and output, e.g. [4480, 20, 11]. */
  readonly sizes: number[];

  constructor(spec: MlpSpec, rng: Rng, name = 'mlp') {
    this.spec = {
      activation: 'relu',
      init: 'glorot',
      outputScale: 1,
      rows: 1,
      ...spec,
      hiddenSizes: [...spec.hiddenSizes],
    };
    const R = this.spec.rows;
    if (!(Number.isInteger(R) && R >= 1) || spec.inputSize % R !== 0 || spec.outputSize % R !== 0)
      throw new Error(`Mlp: rows ${R} must divide inputSize ${spec.inputSize} and outputSize ${spec.outputSize}`);
    // Per-row layer sizes (the whole network when rows = 1).
    this.sizes = [spec.inputSize / R, ...spec.hiddenSizes, spec.outputSize / R];
    const id = `${name}_${uid++}`;
    this.variables = [];
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const [fanIn, fanOut] = [this.sizes[l], this.sizes[l + 1]];
      const w = initWeights(fanIn, fanOut, this.spec.init, rng);
      if (l + 2 === this.sizes.length && this.spec.outputScale !== 1) {
        for (let i = 0; i < w.length; i++) w[i] *= this.spec.outputScale;
      }
      this.variables.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true, `${id}/W${l}`)));
      this.variables.push(tf.tidy(() => tf.variable(tf.zeros([fanOut]), true, `${id}/b${l}`)));
    }
  }

  get numLayers(): number {
    return this.sizes.length - 1;
  }

  get numParams(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  /** Forward pass on a [n, inputSize] tensor → [n, outputSize]. Call inside tf.tidy. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    const R = this.spec.rows;
    let h: tf.Tensor2D = R === 1 ? x : tf.reshape(x, [x.shape[0] * R, this.sizes[0]]);
    const L = this.numLayers;
    for (let l = 0; l < L; l++) {
      const act = l + 1 === L ? 'linear' : this.spec.activation;
      h = dense(h, this.variables[2 * l], this.variables[2 * l + 1], act, l > 0);
    }
    return R === 1 ? h : (tf.reshape(h, [x.shape[0], this.spec.outputSize]) as tf.Tensor2D);
  }

  /** Forward pass without gradient bookkeeping (inference). Call inside tf.tidy. */
  infer(x: tf.Tensor2D): tf.Tensor2D {
    const R = this.spec.rows;
    let h: tf.Tensor2D = R === 1 ? x : tf.reshape(x, [x.shape[0] * R, this.sizes[0]]);
    const L = this.numLayers;
    for (let l = 0; l < L; l++) {
      const [W, b] = [this.variables[2 * l] as tf.Tensor2D, this.variables[2 * l + 1]];
      const act = l + 1 === L ? 'linear' : this.spec.activation;
      const y =
        act === 'tanh'
          ? tf.tanh(tf.add(tf.matMul(h, W), b))
          : tf.fused.matMul({ a: h, b: W, bias: b, activation: act });
      h = y as tf.Tensor2D;
    }
    return R === 1 ? h : (tf.reshape(h, [x.shape[0], this.spec.outputSize]) as tf.Tensor2D);
  }

  /** Forward pass on n rows of a flat Float32Array; returns n × outputSize values. */
  predict(obs: Float32Array, n: number): Float32Array {
    return tf.tidy(() => {
      const x = tf.tensor2d(obs.subarray(0, n * this.spec.inputSize), [n, this.spec.inputSize]);
      return this.infer(x).dataSync() as Float32Array;
    });
  }

  /** Copies of the parameters, in `variables` order. */
  getWeights(): Float32Array[] {
    return this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  setWeights(ws: readonly Float32Array[]): void {
    if (ws.length !== this.variables.length)
      throw new Error(`setWeights: expected ${this.variables.length} arrays, got ${ws.length}`);
    this.variables.forEach((v, i) => {
      if (ws[i].length !== v.size)
        throw new Error(`setWeights: array ${i} has ${ws[i].length} values, expected ${v.size}`);
      tf.tidy(() => v.assign(tf.tensor(ws[i], v.shape)));
    });
  }

  /** Copy another network's parameters (same spec), e.g. into a DQN target network. */
  copyFrom(other: Mlp): void {
    this.variables.forEach((v, i) => v.assign(other.variables[i]));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

// ---------------------------------------------------------------------------
// Masks, softmax, argmax

/** A [n, numActions] bool tensor from a flat Uint8Array of 0/1 masks. */
export function maskTensor(masks: Uint8Array, n: number, numActions: number): tf.Tensor2D {
  return tf.tensor2d(masks.subarray(0, n * numActions), [n, numActions], 'bool');
}

/** Logits with masked actions pushed to -1e9 (so their probability is exactly 0). */
export function maskLogits(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.where(mask, logits, tf.fill(logits.shape, -1e9));
}

/** Row-wise log-softmax over legal actions (masked entries ≈ -1e9). */
export function maskedLogSoftmax(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.logSoftmax(maskLogits(logits, mask));
}

/** Row-wise entropy of the masked policy: -Σ p log p over legal actions. */
export function maskedEntropy(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  const logp = maskedLogSoftmax(logits, mask);
  // Masked entries have p = 0 exactly; zero them so 0 · (-1e9) cannot leak.
  const plogp = tf.where(mask, tf.mul(tf.exp(logp), logp), tf.zerosLike(logp));
  return tf.neg(tf.sum(plogp, 1)) as tf.Tensor1D;
}

/** log π(a_i | s_i) for the chosen actions: picks one column per row. */
export function pickColumns(values: tf.Tensor2D, actions: Int32Array): tf.Tensor1D {
  const n = values.shape[0];
  const oneHot = tf.oneHot(tf.tensor1d(actions.subarray(0, n), 'int32'), values.shape[1]);
  return tf.sum(tf.mul(values, oneHot), 1) as tf.Tensor1D;
}

// Masked sampling lives in masks.ts (no tfjs: A3C's worker threads sample without loading tfjs).
export { sampleMaskedSoftmax } from './masks';

// ---------------------------------------------------------------------------
// Optimizers with exportable state (so checkpoints resume bit for bit)

export type OptimizerKind = 'rmsprop' | 'adam' | 'sgd';

export interface OptimizerConfig {
  kind: OptimizerKind;
  /** Learning rate. */
  lr: number;
  /** RMSProp decay of the squared-gradient average (DeepRM: 0.9). */
  rho?: number;
  /** Adam first / second moment decays (0.9, 0.999). */
  beta1?: number;
  beta2?: number;
  /** Added inside the square root (RMSProp, DeepRM: 1e-9) or to it (Adam: 1e-8). */
  eps?: number;
}

/** DeepRM's optimizer (pg_network.py rmsprop_updates): lr 0.001, rho 0.9, eps 1e-9. */
export const DEEPRM_RMSPROP: OptimizerConfig = { kind: 'rmsprop', lr: 0.001, rho: 0.9, eps: 1e-9 };

export interface OptimizerState {
  kind: OptimizerKind;
  /** Number of updates applied so far. */
  step: number;
  /** Slot values in a fixed order (RMSProp: one per variable; Adam: m's then v's). */
  slots: Float32Array[];
}

export class Optimizer {
  readonly config: Required<OptimizerConfig>;
  /** Mutable so schedules (e.g. PPO's linear annealing) can change it. */
  lr: number;
  step = 0;
  /** The variables this optimizer updates, in gradient order. */
  readonly vars: readonly tf.Variable[];
  private readonly slots: tf.Variable[];

  constructor(vars: readonly tf.Variable[], config: OptimizerConfig) {
    this.config = { rho: 0.9, beta1: 0.9, beta2: 0.999, eps: config.kind === 'rmsprop' ? 1e-9 : 1e-8, ...config };
    this.lr = config.lr;
    this.vars = [...vars];
    const perVar = config.kind === 'rmsprop' ? 1 : config.kind === 'adam' ? 2 : 0;
    this.slots = [];
    for (let k = 0; k < perVar; k++)
      for (const v of vars) this.slots.push(tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  }

  /** Apply one update: `grads[i]` is the gradient of the loss for `vars[i]`. */
  apply(grads: readonly tf.Tensor[]): void {
    this.step++;
    const { kind, rho, beta1, beta2, eps } = this.config;
    const n = this.vars.length;
    tf.tidy(() => {
      for (let i = 0; i < n; i++) {
        const v = this.vars[i];
        const g = grads[i];
        if (kind === 'sgd') {
          v.assign(tf.sub(v, tf.mul(this.lr, g)));
        } else if (kind === 'rmsprop') {
          // acc ← ρ·acc + (1-ρ)·g²;  v ← v - lr·g / √(acc + ε)   (DeepRM / Lasagne form)
          const acc = this.slots[i];
          const accNew = tf.add(tf.mul(rho, acc), tf.mul(1 - rho, tf.square(g)));
          acc.assign(accNew);
          v.assign(tf.sub(v, tf.div(tf.mul(this.lr, g), tf.sqrt(tf.add(accNew, eps)))));
        } else {
          // Adam with the bias correction folded into the step size (TF / tfjs form):
          // v ← v - lr·√(1-β2ᵗ)/(1-β1ᵗ) · m / (√s + ε). Computed in float64 from
          // the step count so a restored optimizer continues exactly.
          const m = this.slots[i];
          const s = this.slots[n + i];
          const mNew = tf.add(tf.mul(beta1, m), tf.mul(1 - beta1, g));
          const sNew = tf.add(tf.mul(beta2, s), tf.mul(1 - beta2, tf.square(g)));
          m.assign(mNew);
          s.assign(sNew);
          const lrT = (this.lr * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
          v.assign(tf.sub(v, tf.div(tf.mul(lrT, mNew), tf.add(tf.sqrt(sNew), eps))));
        }
      }
    });
  }

  getState(): OptimizerState {
    return {
      kind: this.config.kind,
      step: this.step,
      slots: this.slots.map((s) => Float32Array.from(s.dataSync() as Float32Array)),
    };
  }

  setState(state: OptimizerState): void {
    if (state.kind !== this.config.kind)
      throw new Error(`optimizer state is for '${state.kind}', not '${this.config.kind}'`);
    if (state.slots.length !== this.slots.length)
      throw new Error(`optimizer state has ${state.slots.length} slots, expected ${this.slots.length}`);
    this.step = state.step;
    this.slots.forEach((s, i) => tf.tidy(() => s.assign(tf.tensor(state.slots[i], s.shape))));
  }

  dispose(): void {
    for (const s of this.slots) s.dispose();
  }
}

/** What one optimiser step reports (not an environment step: that is env/types.ts StepResult). */
export interface TrainStepResult {
  loss: number;
  /** Global L2 norm of the gradient before clipping. */
  gradNorm: number;
  /** Extra scalars the loss function reported. */
  metrics: Record<string, number>;
}

/** What a loss function gives `trainStep`: the loss, optionally with named scalars to report. */
export type LossOutput = tf.Scalar | { loss: tf.Scalar; metrics?: Record<string, tf.Scalar> };

/**
 * Loss and gradients of `lossFn` for `vars` via the tape. The caller owns
 * (and disposes) the returned gradient tensors and metric values are read out.
 */
export function computeGrads(
  vars: readonly tf.Variable[],
  lossFn: () => LossOutput,
): { loss: number; grads: tf.Tensor[]; metrics: Record<string, number> } {
  let kept: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const out = lossFn();
    if (out instanceof tf.Tensor) return out;
    kept = out.metrics ?? {};
    for (const k in kept) tf.keep(kept[k]);
    return out.loss;
  }, [...vars]);
  const gs = vars.map((v) => {
    const g = grads[v.name];
    if (!g) throw new Error(`computeGrads: no gradient for ${v.name}`);
    return g;
  });
  const loss = value.dataSync()[0];
  const metrics: Record<string, number> = {};
  for (const k in kept) metrics[k] = kept[k].dataSync()[0];
  tf.dispose([value, ...Object.values(kept)]);
  return { loss, grads: gs, metrics };
}

/**
 * Clip `grads` to global L2 norm `maxGradNorm` (if above) and apply them with
 * `opt`. Does not dispose `grads`. Returns the norm before clipping.
 */
export function applyGrads(opt: Optimizer, grads: readonly tf.Tensor[], maxGradNorm = Infinity): number {
  const gradNorm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0]);
  if (gradNorm > maxGradNorm) {
    const scale = maxGradNorm / (gradNorm + 1e-6);
    const clipped = grads.map((g) => tf.mul(g, scale));
    opt.apply(clipped);
    tf.dispose(clipped);
  } else opt.apply(grads);
  return gradNorm;
}

/**
 * One gradient step: loss and gradients for `opt.vars` via the tape, optional
 * clipping of the global gradient norm to `maxGradNorm`, then the optimizer update.
 */
export function trainStep(opt: Optimizer, lossFn: () => LossOutput, maxGradNorm = Infinity): TrainStepResult {
  const { loss, grads, metrics } = computeGrads(opt.vars, lossFn);
  const gradNorm = applyGrads(opt, grads, maxGradNorm);
  tf.dispose(grads);
  return { loss, gradNorm, metrics };
}
