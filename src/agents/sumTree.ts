/**
 * Sum-tree (and its min twin) over a fixed number of non-negative priorities.
 *
 * Layout: a complete binary tree in one Float64Array of size 2·P, P = capacity
 * rounded up to a power of two; node 1 is the root, node i has children 2i and
 * 2i+1, leaf j lives at P + j. Padding leaves hold 0 (sum) / +∞ (min), so they
 * are never sampled and never the minimum.
 *
 * Parents are recomputed as left + right (never by adding a delta), so rounding
 * error does not accumulate across millions of updates.
 */
import { Rng } from '../util/rng';

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export class SumTree {
  readonly capacity: number;
  private readonly leaves: number;
  private readonly tree: Float64Array;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`SumTree capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.leaves = nextPow2(capacity);
    this.tree = new Float64Array(2 * this.leaves);
  }

  /** Sets priority of slot i (must be finite and >= 0). */
  update(i: number, priority: number): void {
    if (i < 0 || i >= this.capacity) throw new RangeError(`SumTree index ${i} out of [0, ${this.capacity})`);
    if (!(priority >= 0) || !Number.isFinite(priority))
      throw new RangeError(`SumTree priority must be finite and >= 0, got ${priority}`);
    let node = this.leaves + i;
    this.tree[node] = priority;
    node >>= 1;
    while (node >= 1) {
      this.tree[node] = this.tree[2 * node] + this.tree[2 * node + 1];
      node >>= 1;
    }
  }

  get(i: number): number {
    return this.tree[this.leaves + i];
  }

  total(): number {
    return this.tree[1];
  }

  /**
   * The slot i such that sum(p[0..i)) <= prefix < sum(p[0..i]), i.e. the slot a
   * uniform draw `prefix` in [0, total) lands in. Always returns a slot with
   * positive priority when total > 0 (rounding at the right edge is absorbed by
   * never stepping into a zero-mass subtree). Returns -1 when total is 0.
   */
  find(prefix: number): number {
    const tree = this.tree;
    if (!(tree[1] > 0)) return -1;
    let node = 1;
    let rest = prefix;
    while (node < this.leaves) {
      const left = tree[2 * node];
      const right = tree[2 * node + 1];
      if (rest < left || right <= 0) node = 2 * node;
      else {
        rest -= left;
        node = 2 * node + 1;
      }
    }
    return node - this.leaves;
  }

  /** A slot drawn with probability p_i / total. */
  sample(rng: Rng): number {
    return this.find(rng.random() * this.total());
  }

  /** The whole tree (for checkpoints; internal nodes are exact sums, so a copy restores it bit for bit). */
  get nodes(): Float64Array {
    return this.tree;
  }

  loadNodes(nodes: Float64Array): void {
    if (nodes.length !== this.tree.length)
      throw new RangeError(`SumTree: ${nodes.length} stored nodes, expected ${this.tree.length}`);
    this.tree.set(nodes);
  }
}

/** Running minimum over slots (+∞ for never-set slots): for PER's max importance weight. */
export class MinTree {
  readonly capacity: number;
  private readonly leaves: number;
  private readonly tree: Float64Array;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`MinTree capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.leaves = nextPow2(capacity);
    this.tree = new Float64Array(2 * this.leaves).fill(Infinity);
  }

  update(i: number, value: number): void {
    if (i < 0 || i >= this.capacity) throw new RangeError(`MinTree index ${i} out of [0, ${this.capacity})`);
    let node = this.leaves + i;
    this.tree[node] = value;
    node >>= 1;
    while (node >= 1) {
      this.tree[node] = Math.min(this.tree[2 * node], this.tree[2 * node + 1]);
      node >>= 1;
    }
  }

  min(): number {
    return this.tree[1];
  }

  /** The whole tree (for checkpoints). */
  get nodes(): Float64Array {
    return this.tree;
  }

  loadNodes(nodes: Float64Array): void {
    if (nodes.length !== this.tree.length)
      throw new RangeError(`MinTree: ${nodes.length} stored nodes, expected ${this.tree.length}`);
    this.tree.set(nodes);
  }
}
