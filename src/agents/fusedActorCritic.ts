/**
 * The actor and critic of an on-policy run on the fused Float32Array kernels (src/nn/): what
 * onPolicy.ts trains when the run's backend is 'fused'.
 *
 * Actor and critic parameters live in one buffer [actor W0, b0, …, critic W0, b0, …], so ONE
 * optimizer updates both, with the state layout of the tfjs `Optimizer` over
 * [...actor.variables, ...critic.variables]: checkpoints are the same files either way.
 *
 * The rollout's observations are stored once, as sparse rows (`rows`, row k = rollout entry k),
 * when they are collected; the acting forward passes of all envs of a step run as one batch over
 * them, and every epoch's minibatches index them again (no dense copy, first layers read only
 * the nonzero cells).
 */
import type { Mlp, OptimizerConfig } from './nn';
import { FusedMlp, layerSlices } from '../nn/mlp';
import { SparseRows } from '../nn/sparseRows';
import { HeadScratch } from '../nn/heads';
import { FusedOptimizer, clipGradNorm } from '../nn/optim';

export class FusedActorCritic {
  readonly actor: FusedMlp;
  readonly critic: FusedMlp;
  readonly opt: FusedOptimizer;
  /** The current rollout's observations (entry t·N + i = step t of env i). */
  readonly rows: SparseRows;
  /** Observations outside the rollout (final observations of truncated episodes, last states). */
  readonly spare: SparseRows;
  readonly scratch: HeadScratch;
  private readonly grads: Float32Array;
  private dLogits = new Float64Array(0);
  private dV = new Float64Array(0);

  constructor(
    private readonly tfActor: Mlp,
    private readonly tfCritic: Mlp,
    optimizer: OptimizerConfig,
  ) {
    const na = layerSlices(tfActor.sizes).total;
    const nc = layerSlices(tfCritic.sizes).total;
    const params = new Float32Array(na + nc);
    this.grads = new Float32Array(na + nc);
    this.actor = new FusedMlp(tfActor.sizes, tfActor.spec.activation, [
      params.subarray(0, na),
      this.grads.subarray(0, na),
    ]);
    this.critic = new FusedMlp(tfCritic.sizes, tfCritic.spec.activation, [
      params.subarray(na),
      this.grads.subarray(na),
    ]);
    this.opt = new FusedOptimizer(
      params,
      optimizer,
      [...tfActor.variables, ...tfCritic.variables].map((v) => v.size),
    );
    this.rows = new SparseRows(tfActor.sizes[0]);
    this.spare = new SparseRows(tfActor.sizes[0]);
    this.scratch = new HeadScratch(tfActor.spec.outputSize);
    this.readWeights();
  }

  /** Copies the tfjs networks' weights in (at the start, after a checkpoint or a warm start). */
  readWeights(): void {
    this.actor.setWeights(this.tfActor.getWeights());
    this.critic.setWeights(this.tfCritic.getWeights());
  }

  /** Copies the trained weights out to the tfjs networks (what checkpoints and the agent hold). */
  writeWeights(): void {
    this.tfActor.setWeights(this.actor.weightViews());
    this.tfCritic.setWeights(this.critic.weightViews());
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }

  /** dLoss/dLogits and dLoss/dV buffers for n rows (grown once, then reused). */
  lossBuffers(n: number): { dLogits: Float64Array; dV: Float64Array } {
    const A = this.actor.outputSize;
    if (this.dLogits.length < n * A) this.dLogits = new Float64Array(n * A);
    if (this.dV.length < n) this.dV = new Float64Array(n);
    return { dLogits: this.dLogits, dV: this.dV };
  }

  /**
   * Clips the accumulated gradient to `maxGradNorm` (global L2 norm, as trainStep) and applies
   * one optimizer step; returns the norm before clipping.
   */
  step(maxGradNorm: number): number {
    const norm = clipGradNorm(this.grads, maxGradNorm);
    this.opt.apply(this.grads);
    return norm;
  }
}
