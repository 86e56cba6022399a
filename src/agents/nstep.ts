/**
 * n-step return accumulator for one environment stream.
 *
 * Steps go in one at a time; a transition comes out once n rewards are known:
 *   (s_t, a_t, R = Σ_{k<n} γ^k r_{t+k}, s_{t+n}, discount γ^n)
 * When the episode ends every pending start is flushed with the rewards it has:
 *   - terminated: terminated = true (the target adds nothing after R);
 *   - truncated:  terminated = false, bootstrap from the final observation with γ^m.
 * If a truncated episode's final observation is unknown (a VecEnv that already
 * reset) pass `nextObs = null`: those pending transitions are dropped, because
 * bootstrapping from the wrong state or pretending it terminated would both bias Q.
 *
 * The emitted Transition is a scratch object reused on every emit: the sink must
 * copy it (ReplayBuffer.add does).
 */
import type { Transition } from './replay';
import type { ComponentState } from './checkpoint';

export type TransitionSink = (t: Transition) => void;

export class NStepAccumulator {
  private readonly obsBuf: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float64Array;
  private head = 0;
  private count = 0;
  private readonly out: Transition;
  private readonly zeroObs: Float32Array;
  private readonly zeroMask: Uint8Array;

  constructor(
    readonly n: number,
    readonly gamma: number,
    readonly obsSize: number,
    readonly numActions: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`n-step n must be an integer >= 1, got ${n}`);
    this.obsBuf = new Float32Array(n * obsSize);
    this.actions = new Int32Array(n);
    this.rewards = new Float64Array(n);
    this.zeroObs = new Float32Array(obsSize);
    this.zeroMask = new Uint8Array(numActions);
    this.out = {
      obs: new Float32Array(obsSize),
      action: 0,
      reward: 0,
      nextObs: this.zeroObs,
      terminated: false,
      discount: 1,
      nextMask: this.zeroMask,
    };
  }

  /** Transitions started but not yet emitted. */
  get pending(): number {
    return this.count;
  }

  /** Pending steps, for exact resume. */
  getState(): ComponentState {
    return {
      arrays: { obs: this.obsBuf.slice(), actions: this.actions.slice(), rewards: this.rewards.slice() },
      scalars: { head: this.head, count: this.count },
    };
  }

  setState(s: ComponentState): void {
    const { obs, actions, rewards } = s.arrays;
    const { head, count } = s.scalars;
    if (
      !(obs instanceof Float32Array && obs.length === this.obsBuf.length) ||
      !(actions instanceof Int32Array && actions.length === this.n) ||
      !(rewards instanceof Float64Array && rewards.length === this.n) ||
      !(Number.isInteger(head) && head >= 0 && head < this.n) ||
      !(Number.isInteger(count) && count >= 0 && count < this.n)
    )
      throw new RangeError(`n-step state: arrays or head/count (${head}/${count}) do not fit n = ${this.n}`);
    this.obsBuf.set(obs);
    this.actions.set(actions);
    this.rewards.set(rewards);
    this.head = head;
    this.count = count;
  }

  /** Forget pending steps (e.g. after an external reset). */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /**
   * One env step: `obs` → `action` → (`reward`, `nextObs`, `nextMask`).
   * `nextObs`/`nextMask` are the state after the step (the final state when the episode ended).
   */
  push(
    obs: Float32Array,
    action: number,
    reward: number,
    nextObs: Float32Array | null,
    nextMask: Uint8Array | null,
    terminated: boolean,
    truncated: boolean,
    sink: TransitionSink,
  ): void {
    const n = this.n;
    const slot = (this.head + this.count) % n;
    this.obsBuf.set(obs, slot * this.obsSize);
    this.actions[slot] = action;
    this.rewards[slot] = reward;
    this.count++;

    if (terminated || truncated) {
      // Drop only when we would have to bootstrap from an unknown state.
      const known = terminated || nextObs !== null;
      while (this.count > 0) {
        if (known) this.emitOldest(nextObs, nextMask, terminated, sink);
        this.head = (this.head + 1) % n;
        this.count--;
      }
      this.head = 0;
      return;
    }
    if (this.count === n) {
      this.emitOldest(nextObs, nextMask, false, sink);
      this.head = (this.head + 1) % n;
      this.count--;
    }
  }

  /** Emits the transition starting at `head` covering all `count` pending rewards. */
  private emitOldest(
    nextObs: Float32Array | null,
    nextMask: Uint8Array | null,
    terminated: boolean,
    sink: TransitionSink,
  ): void {
    const n = this.n;
    let ret = 0;
    let g = 1;
    for (let k = 0; k < this.count; k++) {
      ret += g * this.rewards[(this.head + k) % n];
      g *= this.gamma;
    }
    const t = this.out;
    const o = this.head * this.obsSize;
    t.obs.set(this.obsBuf.subarray(o, o + this.obsSize));
    t.action = this.actions[this.head];
    t.reward = ret;
    t.nextObs = nextObs ?? this.zeroObs;
    t.nextMask = nextMask ?? this.zeroMask;
    t.terminated = terminated;
    t.discount = g;
    sink(t);
  }
}
