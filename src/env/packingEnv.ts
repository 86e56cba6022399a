/**
 * The packing mode as an RL environment (Weng et al.'s setting, sim/packing/): an episode is one
 * inflated, shuffled pod order on an empty cluster; each step places the arriving pod on a node
 * (action = node index, masked to the nodes where it fits; the observation is PackingObserver's).
 * Pods that fit nowhere fail and are skipped without a decision; the episode ends when the order is
 * exhausted.
 *
 * Reward (DEFAULTS.reward):
 *  - 'frag':  −ΔF(M) of the step in GPUs (the growth of the cluster's expected fragmentation that
 *             the placement caused; the sum over an episode is −F(M) at the end plus constants of
 *             the pod order, so maximising it is FGD's objective over the whole episode);
 *  - 'alloc': the GPUs the step allocated (the episode sum is the allocation at the end).
 *
 * Pod orders: reset(seed) uses order seed trainSeedBase + seed, so training episodes never reuse
 * the evaluation orders (seeds < trainSeedBase; checked by the study).
 */
import type { ClusterSpec } from '../cluster/spec';
import { PackingCluster } from '../sim/packing/cluster';
import type { FragmentationModel } from '../sim/packing/fragmentation';
import { inflatedOrder } from '../sim/packing/order';
import type { PodSpecs } from '../sim/packing/specs';
import { UsageError } from '../util/errors';
import { PackingObserver, PACKING_FEATURES } from './packingObserver';
import type { Env, ResetResult, StepResult } from './types';

export interface PackingEnvConfig {
  /** Inflate each order to ratio × GPU capacity (the paper: 1.3). */
  ratio: number;
  reward: 'frag' | 'alloc';
  /** Order seed of episode seed k is trainSeedBase + k. */
  trainSeedBase: number;
}

export const PACKING_ENV_DEFAULTS: Readonly<PackingEnvConfig> = Object.freeze({
  ratio: 1.3,
  reward: 'frag',
  trainSeedBase: 1_000_000,
});

export class PackingEnv implements Env {
  readonly observationSize: number;
  readonly observationShape: readonly number[];
  readonly numActions: number;
  readonly cluster: PackingCluster;
  readonly observer: PackingObserver;
  private readonly obs: Float32Array;
  private readonly mask: Uint8Array;
  private order: Int32Array = new Int32Array(0);
  private pos = 0;
  private readonly cfg: PackingEnvConfig;

  constructor(
    clusterSpec: ClusterSpec,
    readonly specs: PodSpecs,
    readonly podSpec: Int32Array,
    readonly frag: FragmentationModel,
    cfg: Partial<PackingEnvConfig> = {},
  ) {
    this.cfg = { ...PACKING_ENV_DEFAULTS, ...cfg };
    if (this.cfg.reward !== 'frag' && this.cfg.reward !== 'alloc')
      throw new UsageError(`packing env: reward must be 'frag' or 'alloc', got '${String(this.cfg.reward)}'`);
    this.cluster = new PackingCluster(clusterSpec);
    this.observer = new PackingObserver(this.cluster, specs, frag);
    this.numActions = this.cluster.numNodes;
    this.observationSize = this.observer.observationSize;
    this.observationShape = [this.cluster.numNodes, PACKING_FEATURES];
    this.obs = new Float32Array(this.observationSize);
    this.mask = new Uint8Array(this.numActions);
  }

  reset(seed = 0): ResetResult {
    this.order = inflatedOrder(
      this.podSpec,
      this.specs,
      this.cluster.totalGpuMilli,
      this.cfg.ratio,
      this.cfg.trainSeedBase + seed,
    );
    this.pos = 0;
    this.cluster.reset();
    this.advance();
    return { observation: this.obs, info: { actionMask: this.mask } };
  }

  step(action: number): StepResult {
    if (this.pos >= this.order.length) throw new Error('packing env: step after the episode ended (call reset)');
    if (!(action >= 0 && action < this.numActions) || this.mask[action] !== 1)
      throw new Error(`packing env: action ${action} is masked (the pod does not fit there)`);
    const s = this.order[this.pos];
    const reward =
      this.cfg.reward === 'frag' ? -this.observer.delta[action] / 1000 : this.specs.gpuMilliTotal(s) / 1000;
    this.cluster.place(action, this.specs, s, this.observer.gpuFor(action));
    this.pos++;
    const done = this.advance();
    return { observation: this.obs, reward, terminated: done, truncated: false, info: { actionMask: this.mask } };
  }

  /** Skips pods that fit nowhere; writes the next decision's observation. Returns true at the end of the order. */
  private advance(): boolean {
    while (this.pos < this.order.length) {
      if (this.observer.write(this.order[this.pos], this.obs, this.mask) > 0) return false;
      this.pos++;
    }
    this.obs.fill(0);
    this.mask.fill(1); // never acted on (the episode is over), but an all-zero mask would break samplers
    return true;
  }
}
