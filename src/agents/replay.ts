/**
 * Experience replay: uniform and prioritised (Schaul et al. 2016, proportional variant).
 *
 * Transitions live in preallocated typed arrays (a ring of `capacity` slots), so
 * adding and sampling allocate nothing. A transition is already n-step folded:
 *   target = reward + (1 − terminated) · discount · max_{a' legal in nextMask} Q(nextObs, a')
 * with `discount` = γ^m for the m steps the reward covers (see nstep.ts).
 *
 * `sample` returns one batch object owned by the buffer and overwritten by the
 * next `sample` call: copy what you keep.
 */
import { Rng } from '../util/rng';
import { MinTree, SumTree } from './sumTree';
import type { ComponentState, StoredArray } from './checkpoint';

/** One (possibly n-step) transition. Arrays are read, not kept: the buffer copies them. */
export interface Transition {
  obs: Float32Array;
  action: number;
  reward: number;
  nextObs: Float32Array;
  /** The MDP ended: no bootstrap from nextObs. */
  terminated: boolean;
  /** Multiplier of the bootstrap term, γ^m. */
  discount: number;
  /** Legal actions at nextObs (1 = legal); the target's max runs over these only. */
  nextMask: Uint8Array;
}

export interface ReplayBatch {
  size: number;
  obs: Float32Array; // size × obsSize
  actions: Int32Array;
  rewards: Float32Array;
  nextObs: Float32Array; // size × obsSize
  terminated: Uint8Array;
  discounts: Float32Array;
  nextMasks: Uint8Array; // size × numActions
  /** Importance-sampling weights (all 1 for uniform replay). */
  weights: Float32Array;
  /** Slots sampled, to hand back to `updatePriorities`. */
  indices: Int32Array;
}

export interface ReplayBuffer {
  readonly capacity: number;
  /** Number of transitions currently stored (<= capacity). */
  readonly size: number;
  /** Stores a copy of t; returns the slot written (oldest overwritten once full). */
  add(t: Transition): number;
  /** Draws batchSize transitions (with replacement). `beta` is used by prioritised replay only. */
  sample(batchSize: number, rng: Rng, beta?: number): ReplayBatch;
  /** Feeds back |TD error| per sampled slot (no-op for uniform replay). */
  updatePriorities(indices: Int32Array, tdErrors: ArrayLike<number>): void;
  /** Everything sampling depends on (the filled slots only), for exact resume. */
  getState(): ComponentState;
  /** Restores `getState()` of a buffer of the same capacity and sizes (throws RangeError otherwise). */
  setState(s: ComponentState): void;
}

function stateInt(s: ComponentState, key: string, max: number): number {
  const v = s.scalars[key];
  if (!(Number.isInteger(v) && v >= 0 && v <= max))
    throw new RangeError(`replay state: ${key} = ${v}, expected 0…${max}`);
  return v;
}

/** The typed-array ring shared by both buffers. */
class TransitionStore {
  readonly obs: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminated: Uint8Array;
  readonly discounts: Float32Array;
  readonly nextMasks: Uint8Array;
  private batch: ReplayBatch | null = null;

  constructor(
    readonly capacity: number,
    readonly obsSize: number,
    readonly numActions: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`replay capacity must be a positive integer, got ${capacity}`);
    this.obs = new Float32Array(capacity * obsSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.nextObs = new Float32Array(capacity * obsSize);
    this.terminated = new Uint8Array(capacity);
    this.discounts = new Float32Array(capacity);
    this.nextMasks = new Uint8Array(capacity * numActions);
  }

  write(slot: number, t: Transition): void {
    const o = this.obsSize;
    const m = this.numActions;
    if (t.obs.length !== o || t.nextObs.length !== o)
      throw new Error(`transition obs length ${t.obs.length}/${t.nextObs.length}, expected ${o}`);
    if (t.nextMask.length !== m) throw new Error(`transition nextMask length ${t.nextMask.length}, expected ${m}`);
    this.obs.set(t.obs, slot * o);
    this.actions[slot] = t.action;
    this.rewards[slot] = t.reward;
    this.nextObs.set(t.nextObs, slot * o);
    this.terminated[slot] = t.terminated ? 1 : 0;
    this.discounts[slot] = t.discount;
    this.nextMasks.set(t.nextMask, slot * m);
  }

  /** Copies of the first `count` slots (the filled ones: slots fill from 0 and wrap only when full). */
  saveArrays(count: number): Record<string, StoredArray> {
    const o = this.obsSize;
    const m = this.numActions;
    return {
      obs: this.obs.slice(0, count * o),
      actions: this.actions.slice(0, count),
      rewards: this.rewards.slice(0, count),
      nextObs: this.nextObs.slice(0, count * o),
      terminated: this.terminated.slice(0, count),
      discounts: this.discounts.slice(0, count),
      nextMasks: this.nextMasks.slice(0, count * m),
    };
  }

  loadArrays(a: Record<string, StoredArray>, count: number): void {
    const o = this.obsSize;
    const m = this.numActions;
    const put = (name: string, into: StoredArray, per: number): void => {
      const src = a[name];
      if (!src || src.constructor !== into.constructor || src.length !== count * per)
        throw new RangeError(
          `replay state: array ${name} missing or not ${count * per} values of ${into.constructor.name}`,
        );
      into.set(src as never, 0);
    };
    put('obs', this.obs, o);
    put('actions', this.actions, 1);
    put('rewards', this.rewards, 1);
    put('nextObs', this.nextObs, o);
    put('terminated', this.terminated, 1);
    put('discounts', this.discounts, 1);
    put('nextMasks', this.nextMasks, m);
  }

  /** The reusable batch, reallocated only when batchSize changes. */
  batchOf(batchSize: number): ReplayBatch {
    if (this.batch && this.batch.size === batchSize) return this.batch;
    this.batch = {
      size: batchSize,
      obs: new Float32Array(batchSize * this.obsSize),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextObs: new Float32Array(batchSize * this.obsSize),
      terminated: new Uint8Array(batchSize),
      discounts: new Float32Array(batchSize),
      nextMasks: new Uint8Array(batchSize * this.numActions),
      weights: new Float32Array(batchSize).fill(1),
      indices: new Int32Array(batchSize),
    };
    return this.batch;
  }

  /** Copies the slots in batch.indices into the batch arrays. */
  gather(batch: ReplayBatch): void {
    const o = this.obsSize;
    const m = this.numActions;
    for (let j = 0; j < batch.size; j++) {
      const s = batch.indices[j];
      batch.obs.set(this.obs.subarray(s * o, s * o + o), j * o);
      batch.actions[j] = this.actions[s];
      batch.rewards[j] = this.rewards[s];
      batch.nextObs.set(this.nextObs.subarray(s * o, s * o + o), j * o);
      batch.terminated[j] = this.terminated[s];
      batch.discounts[j] = this.discounts[s];
      batch.nextMasks.set(this.nextMasks.subarray(s * m, s * m + m), j * m);
    }
  }
}

export class UniformReplay implements ReplayBuffer {
  private readonly store: TransitionStore;
  private next = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    obsSize: number,
    numActions: number,
  ) {
    this.store = new TransitionStore(capacity, obsSize, numActions);
  }

  get size(): number {
    return this.count;
  }

  add(t: Transition): number {
    const slot = this.next;
    this.store.write(slot, t);
    this.next = (slot + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    return slot;
  }

  sample(batchSize: number, rng: Rng): ReplayBatch {
    if (this.count === 0) throw new Error('cannot sample from an empty replay buffer');
    const batch = this.store.batchOf(batchSize);
    for (let j = 0; j < batchSize; j++) batch.indices[j] = rng.int(0, this.count);
    batch.weights.fill(1);
    this.store.gather(batch);
    return batch;
  }

  updatePriorities(): void {}

  getState(): ComponentState {
    return { arrays: this.store.saveArrays(this.count), scalars: { next: this.next, count: this.count } };
  }

  setState(s: ComponentState): void {
    const count = stateInt(s, 'count', this.capacity);
    const next = stateInt(s, 'next', this.capacity - 1);
    if (count < this.capacity && next !== count) throw new RangeError(`replay state: next ${next} ≠ count ${count}`);
    this.store.loadArrays(s.arrays, count);
    this.count = count;
    this.next = next;
  }
}

export interface PrioritizedReplayOptions {
  /** Priority exponent: P(i) ∝ (|δ_i| + epsilon)^alpha; 0 = uniform. */
  alpha: number;
  /** Added to |δ| so no transition gets zero probability. */
  epsilon: number;
}

export class PrioritizedReplay implements ReplayBuffer {
  private readonly store: TransitionStore;
  private readonly sums: SumTree;
  private readonly mins: MinTree;
  private next = 0;
  private count = 0;
  /** Largest raw priority (|δ| + ε) seen so far: new transitions get it, so each is replayed at least once soon. */
  private maxPriority = 1;

  constructor(
    readonly capacity: number,
    obsSize: number,
    numActions: number,
    readonly options: PrioritizedReplayOptions = { alpha: 0.6, epsilon: 1e-6 },
  ) {
    if (!(options.alpha >= 0)) throw new Error(`PER alpha must be >= 0, got ${options.alpha}`);
    if (!(options.epsilon > 0)) throw new Error(`PER epsilon must be > 0, got ${options.epsilon}`);
    this.store = new TransitionStore(capacity, obsSize, numActions);
    this.sums = new SumTree(capacity);
    this.mins = new MinTree(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Stored (already α-powered) priority of a slot. */
  priority(slot: number): number {
    return this.sums.get(slot);
  }

  add(t: Transition): number {
    const slot = this.next;
    this.store.write(slot, t);
    this.setPriority(slot, this.maxPriority);
    this.next = (slot + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    return slot;
  }

  /**
   * Stratified proportional sampling: [0, total) is cut into batchSize equal
   * segments and one slot drawn in each (lower variance than i.i.d. draws).
   * Weight w_i = (N·P(i))^−β / max_j (N·P(j))^−β = (p_min / p_i)^β, the max taken
   * over the whole buffer, so weights are in (0, 1] and only ever scale updates down.
   */
  sample(batchSize: number, rng: Rng, beta = 1): ReplayBatch {
    if (this.count === 0) throw new Error('cannot sample from an empty replay buffer');
    const batch = this.store.batchOf(batchSize);
    const total = this.sums.total();
    const segment = total / batchSize;
    const pMin = this.mins.min();
    for (let j = 0; j < batchSize; j++) {
      const slot = this.sums.find((j + rng.random()) * segment);
      batch.indices[j] = slot;
      batch.weights[j] = Math.pow(pMin / this.sums.get(slot), beta);
    }
    this.store.gather(batch);
    return batch;
  }

  updatePriorities(indices: Int32Array, tdErrors: ArrayLike<number>): void {
    for (let j = 0; j < indices.length; j++) {
      const raw = Math.abs(tdErrors[j]) + this.options.epsilon;
      if (!Number.isFinite(raw)) throw new Error(`non-finite TD error ${tdErrors[j]} for replay slot ${indices[j]}`);
      if (raw > this.maxPriority) this.maxPriority = raw;
      this.setPriority(indices[j], raw);
    }
  }

  getState(): ComponentState {
    return {
      arrays: { ...this.store.saveArrays(this.count), sums: this.sums.nodes.slice(), mins: this.mins.nodes.slice() },
      scalars: { next: this.next, count: this.count, maxPriority: this.maxPriority },
    };
  }

  setState(s: ComponentState): void {
    const count = stateInt(s, 'count', this.capacity);
    const next = stateInt(s, 'next', this.capacity - 1);
    if (count < this.capacity && next !== count) throw new RangeError(`replay state: next ${next} ≠ count ${count}`);
    const maxPriority = s.scalars.maxPriority;
    if (!(Number.isFinite(maxPriority) && maxPriority > 0))
      throw new RangeError(`replay state: maxPriority = ${maxPriority}, expected a finite number > 0`);
    const { sums, mins } = s.arrays;
    if (!(sums instanceof Float64Array) || !(mins instanceof Float64Array))
      throw new RangeError('replay state: the priority trees (sums, mins) are missing');
    this.store.loadArrays(s.arrays, count);
    this.sums.loadNodes(sums);
    this.mins.loadNodes(mins);
    this.count = count;
    this.next = next;
    this.maxPriority = maxPriority;
  }

  private setPriority(slot: number, raw: number): void {
    const p = Math.pow(raw, this.options.alpha);
    this.sums.update(slot, p);
    this.mins.update(slot, p);
  }
}
