/**
 * PPO's update phase on the fused Float32Array kernels (src/nn/): the same epochs, shuffles,
 * minibatches, losses, clipping and Adam as the tfjs loop in ppo.ts, without tfjs.
 *
 * The rollout's observations are converted once per update into sparse rows; every epoch's
 * minibatches then index them (no dense copy per minibatch), and the first layers of actor
 * and critic read only the nonzero cells. Actor and critic parameters live in one buffer so a
 * single Adam updates both, in the layout of ppo.ts's tfjs optimizer over
 * [...actor.variables, ...critic.variables] — checkpoints are interchangeable.
 */
import type { Rng } from '../util/rng';
import type { Mlp, OptimizerState } from './nn';
import { FusedMlp, layerSlices } from '../nn/mlp';
import { SparseRows } from '../nn/sparseRows';
import { HeadScratch, ppoPolicyLoss, valueLoss, type PpoPolicyStats } from '../nn/heads';
import { FusedOptimizer, clipGradNorm } from '../nn/optim';

/** The PpoConfig fields the update reads. */
export interface PpoUpdateConfig {
  updateEpochs: number;
  clipCoef: number;
  clipValueLoss: boolean;
  normAdv: boolean;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  targetKl: number | null;
}

/** One rollout, time-major, as ppo.ts stores it. */
export interface PpoRollout {
  obs: Float32Array;
  masks: Uint8Array;
  actions: Int32Array;
  logps: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  values: Float32Array;
  size: number;
}

export interface PpoUpdateMetrics {
  loss: number;
  pgLoss: number;
  vLoss: number;
  entropy: number;
  approxKl: number;
  clipFrac: number;
}

export class FusedPpoLearner {
  readonly actor: FusedMlp;
  readonly critic: FusedMlp;
  readonly opt: FusedOptimizer;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly rows: SparseRows;
  private readonly scratch: HeadScratch;
  private readonly stats: PpoPolicyStats = { pgLoss: 0, entropy: 0, approxKl: 0, clipFrac: 0 };
  private readonly A: number;
  private readonly mbSize: number;
  private readonly mbMask: Uint8Array;
  private readonly mbAct: Int32Array;
  private readonly mbLogp: Float32Array;
  private readonly mbAdv: Float32Array;
  private readonly mbRet: Float32Array;
  private readonly mbVal: Float32Array;
  private readonly dLogits: Float64Array;
  private readonly dV: Float64Array;

  constructor(
    private readonly tfActor: Mlp,
    private readonly tfCritic: Mlp,
    lr: number,
    adamEps: number,
    mbSize: number,
  ) {
    const na = layerSlices(tfActor.sizes).total;
    const nc = layerSlices(tfCritic.sizes).total;
    this.params = new Float32Array(na + nc);
    this.grads = new Float32Array(na + nc);
    this.actor = new FusedMlp(tfActor.sizes, tfActor.spec.activation, [
      this.params.subarray(0, na),
      this.grads.subarray(0, na),
    ]);
    this.critic = new FusedMlp(tfCritic.sizes, tfCritic.spec.activation, [
      this.params.subarray(na),
      this.grads.subarray(na),
    ]);
    this.opt = new FusedOptimizer(
      this.params,
      { kind: 'adam', lr, eps: adamEps },
      [...tfActor.variables, ...tfCritic.variables].map((v) => v.size),
    );
    this.readWeights();
    this.rows = new SparseRows(tfActor.sizes[0]);
    this.A = tfActor.spec.outputSize;
    this.mbSize = mbSize;
    this.scratch = new HeadScratch(this.A);
    this.mbMask = new Uint8Array(mbSize * this.A);
    this.mbAct = new Int32Array(mbSize);
    this.mbLogp = new Float32Array(mbSize);
    this.mbAdv = new Float32Array(mbSize);
    this.mbRet = new Float32Array(mbSize);
    this.mbVal = new Float32Array(mbSize);
    this.dLogits = new Float64Array(mbSize * this.A);
    this.dV = new Float64Array(mbSize);
  }

  /** Copies the tfjs networks' weights in (after a checkpoint was loaded into them). */
  readWeights(): void {
    this.actor.setWeights(this.tfActor.getWeights());
    this.critic.setWeights(this.tfCritic.getWeights());
  }

  /** Copies the trained weights out to the tfjs networks (what checkpoints and the agent hold). */
  writeWeights(): void {
    this.tfActor.setWeights(this.actor.weightViews());
    this.tfCritic.setWeights(this.critic.weightViews());
  }

  getState(): OptimizerState {
    return this.opt.getState();
  }

  setState(s: OptimizerState): void {
    this.opt.setState(s);
  }

  /**
   * `updateEpochs` passes over the rollout in minibatches of mbSize (order shuffled with `rng`
   * each epoch, exactly as ppo.ts's tfjs loop), one Adam step each. Returns the last
   * minibatch's metrics.
   */
  update(ro: PpoRollout, order: Int32Array, rng: Rng, cfg: PpoUpdateConfig): PpoUpdateMetrics {
    const D = this.actor.inputSize;
    const A = this.A;
    const m = this.mbSize;
    this.rows.clear();
    for (let k = 0; k < ro.size; k++) this.rows.push(ro.obs, k * D);
    let last: PpoUpdateMetrics = { loss: NaN, pgLoss: NaN, vLoss: NaN, entropy: NaN, approxKl: NaN, clipFrac: NaN };
    for (let k = 0; k < ro.size; k++) order[k] = k;
    for (let epoch = 0; epoch < cfg.updateEpochs; epoch++) {
      rng.shuffle(order);
      for (let start = 0; start + m <= ro.size; start += m) {
        const ids = order.subarray(start, start + m);
        for (let j = 0; j < m; j++) {
          const k = ids[j];
          for (let a = 0; a < A; a++) this.mbMask[j * A + a] = ro.masks[k * A + a];
          this.mbAct[j] = ro.actions[k];
          this.mbLogp[j] = ro.logps[k];
          this.mbAdv[j] = ro.advantages[k];
          this.mbRet[j] = ro.returns[k];
          this.mbVal[j] = ro.values[k];
        }
        if (cfg.normAdv) {
          let mean = 0;
          for (let j = 0; j < m; j++) mean += this.mbAdv[j];
          mean /= m;
          let v = 0;
          for (let j = 0; j < m; j++) v += (this.mbAdv[j] - mean) ** 2;
          // CleanRL: (adv − mean) / (std + 1e-8) with the unbiased std
          const sd = m > 1 ? Math.sqrt(v / (m - 1)) : 0;
          for (let j = 0; j < m; j++) this.mbAdv[j] = (this.mbAdv[j] - mean) / (sd + 1e-8);
        }
        this.grads.fill(0);
        const logits = this.actor.forwardRows(this.rows, ids, m);
        const pl = ppoPolicyLoss(
          logits,
          this.mbMask,
          this.mbAct,
          this.mbLogp,
          this.mbAdv,
          m,
          cfg.clipCoef,
          cfg.entCoef,
          this.dLogits,
          this.scratch,
          this.stats,
        );
        this.actor.backward(this.dLogits);
        const v = this.critic.forwardRows(this.rows, ids, m);
        const vLoss = valueLoss(v, this.mbRet, this.mbVal, m, cfg.clipValueLoss, cfg.clipCoef, cfg.vfCoef, this.dV);
        this.critic.backward(this.dV);
        clipGradNorm(this.grads, cfg.maxGradNorm);
        this.opt.apply(this.grads);
        const s = this.stats;
        last = {
          loss: pl + cfg.vfCoef * vLoss,
          pgLoss: s.pgLoss,
          vLoss,
          entropy: s.entropy,
          approxKl: s.approxKl,
          clipFrac: s.clipFrac,
        };
      }
      if (cfg.targetKl !== null && last.approxKl > cfg.targetKl) break;
    }
    return last;
  }
}
