/**
 * Which implementation trains a network: the fused Float32Array kernels of this folder or tfjs
 * (src/agents/nn.ts, on the backend src/tf/backend.ts picked). Decided at run time per network.
 *
 * The fused kernels win where tfjs's fixed cost per op dominates: narrow MLPs and minibatches of
 * a few hundred rows, with sparse inputs (DeepRM's image) best of all. tfjs (wasm SIMD, or
 * tensorflow native) wins for wide layers, where its vectorised matMul beats a scalar JS loop.
 * `npm run bench -- --suite training-throughput` measures both sides.
 */

/** What actually trains: recorded in each run's manifest. */
export type TrainBackend = 'fused' | 'tfjs';

/** What a config may ask for: 'auto' = `chooseTrainBackend`'s rule. */
export type TrainBackendChoice = 'auto' | TrainBackend;

export const TRAIN_BACKEND_CHOICES: readonly TrainBackendChoice[] = ['auto', 'fused', 'tfjs'];

/**
 * Widest hidden layer 'auto' still trains with the fused kernels. Their cost grows with the
 * width like tfjs's, but without SIMD; above a few hundred units per layer tfjs's kernels
 * amortise its per-op overhead (the training-throughput bench shows fused ahead at 20 and 64).
 */
export const FUSED_MAX_HIDDEN = 256;

/** The network facts the choice depends on. */
export interface NetworkShape {
  hiddenSizes: readonly number[];
  /** Kernel networks (rows > 1, RLScheduler) are not implemented by the fused kernels. */
  kernelRows?: number;
}

/** True when the fused kernels can train this network at all. */
export function fusedSupports(shape: NetworkShape): boolean {
  return (shape.kernelRows ?? 1) === 1;
}

/**
 * 'auto' → 'fused' for plain MLPs with every hidden layer ≤ FUSED_MAX_HIDDEN, else 'tfjs'.
 * An explicit 'fused' on a network the kernels do not support throws (no silent fallback).
 */
export function chooseTrainBackend(choice: TrainBackendChoice, shape: NetworkShape): TrainBackend {
  if (choice === 'tfjs') return 'tfjs';
  if (choice === 'fused') {
    if (!fusedSupports(shape))
      throw new Error(
        `trainBackend 'fused' does not support kernel networks (kernelRows ${shape.kernelRows}); use 'tfjs' or 'auto'`,
      );
    return 'fused';
  }
  return fusedSupports(shape) && shape.hiddenSizes.every((h) => h <= FUSED_MAX_HIDDEN) ? 'fused' : 'tfjs';
}
