/**
 * A fixed-size array of numbers (initially +Infinity) with point updates and "first
 * position at or after `from` whose value is <= t" queries, both O(log size): a
 * segment tree of minima. EASY backfilling uses one per demand class to find the next
 * waiting job short enough to backfill without scanning the ones that are not.
 */
export class MinTree {
  private readonly leaves: number;
  private readonly min: Float64Array;

  constructor(size: number) {
    let l = 1;
    while (l < size) l *= 2;
    this.leaves = l;
    this.min = new Float64Array(2 * l).fill(Infinity);
  }

  set(pos: number, value: number): void {
    let i = pos + this.leaves;
    this.min[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) this.min[i] = Math.min(this.min[2 * i], this.min[2 * i + 1]);
  }

  /** Smallest position >= from with value <= t, or -1. */
  firstAtMost(from: number, t: number): number {
    if (from >= this.leaves || this.min[1] > t) return -1;
    // Walk up from the leaf: at each left child whose right sibling lies after `from`,
    // look into the sibling; then descend to the leftmost qualifying leaf.
    let i = from + this.leaves;
    if (this.min[i] <= t) return from;
    for (;;) {
      // Move to the next subtree to the right.
      while (i & 1) {
        i >>= 1;
        if (i === 0) return -1;
      }
      i++;
      if (this.min[i] <= t) break;
    }
    while (i < this.leaves) i = this.min[2 * i] <= t ? 2 * i : 2 * i + 1;
    return i - this.leaves;
  }
}
