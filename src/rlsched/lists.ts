/**
 * A persistent ordered list of job indices with in-place *stable* sorts, as RLScheduler's Python
 * lists (`job_queue`, `running_jobs`) behave: appends go to the end, removals keep the order of the
 * rest, and `sort(key)` is Python's stable `list.sort`. Ties are therefore broken by the list's
 * current order, which is what makes the replay exact (spec rule 7).
 *
 * Why it is not a plain re-sort each time: the lists are sorted by the same key again and again
 * with only a few jobs appended in between. The list remembers which key it was last sorted by and
 * how long the sorted prefix is; sorting by that key again only inserts the appended suffix
 * (binary search for the *last* position among equal keys = exactly what a stable sort of
 * "sorted prefix + suffix" yields). Sorting by another key is a full stable merge sort.
 * Storage is one Int32Array with a moving head (removing the first element is O(1)); each job is
 * appended at most once per simulation, so the capacity is the sequence length.
 */

/** A sort key: primary and optional secondary values per job index; `id` names the ordering. */
export interface SortKey {
  readonly id: number;
  k1: Float64Array;
  k2: Float64Array | null;
}

export class JobList {
  buf: Int32Array;
  head = 0;
  tail = 0;
  private scratch: Int32Array;
  /** Key the list was last sorted by (-1: none) and the end of the prefix sorted by it. */
  private sortedId = -1;
  private sortedEnd = 0;

  constructor(capacity: number) {
    this.buf = new Int32Array(capacity);
    this.scratch = new Int32Array(capacity);
  }

  clear(): void {
    this.head = 0;
    this.tail = 0;
    this.sortedId = -1;
    this.sortedEnd = 0;
  }

  get length(): number {
    return this.tail - this.head;
  }

  at(i: number): number {
    return this.buf[this.head + i];
  }

  first(): number {
    return this.buf[this.head];
  }

  push(j: number): void {
    if (this.tail === this.buf.length) {
      // Only reachable if a job is appended twice; the simulation never does.
      throw new Error('JobList: capacity exceeded');
    }
    this.buf[this.tail++] = j;
  }

  shift(): number {
    const j = this.buf[this.head++];
    if (this.sortedEnd < this.head) this.sortedEnd = this.head;
    return j;
  }

  /** Remove the element at absolute buffer position p, keeping the order of the others. */
  removeAtPos(p: number): void {
    if (p === this.head) {
      this.head++;
      if (this.sortedEnd < this.head) this.sortedEnd = this.head;
      return;
    }
    this.buf.copyWithin(p, p + 1, this.tail);
    this.tail--;
    if (p < this.sortedEnd) this.sortedEnd--;
  }

  /** Remove job j (first occurrence); returns false when absent. */
  remove(j: number): boolean {
    const b = this.buf;
    for (let p = this.head; p < this.tail; p++) {
      if (b[p] === j) {
        this.removeAtPos(p);
        return true;
      }
    }
    return false;
  }

  /**
   * Keep only the elements for which keep(j) is true, in order (a filter pass). Sortedness by the
   * current key is preserved.
   */
  compact(keep: (j: number) => boolean): void {
    const b = this.buf;
    let w = this.head;
    let sortedEnd = this.sortedEnd;
    for (let p = this.head; p < this.tail; p++) {
      const j = b[p];
      if (keep(j)) b[w++] = j;
      else if (p < this.sortedEnd) sortedEnd--;
    }
    this.tail = w;
    this.sortedEnd = sortedEnd;
  }

  /** Python `list.sort(key=…)`: stable, in place. */
  sort(key: SortKey): void {
    if (this.sortedId === key.id) {
      if (this.sortedEnd < this.tail) this.insertSuffix(key);
    } else {
      mergeSort(this.buf, this.scratch, this.head, this.tail, key.k1, key.k2);
      this.sortedId = key.id;
    }
    this.sortedEnd = this.tail;
  }

  /** Forget the sorted state (call when keys of listed jobs change). */
  invalidate(): void {
    this.sortedId = -1;
  }

  private insertSuffix(key: SortKey): void {
    const b = this.buf;
    const k1 = key.k1;
    const k2 = key.k2;
    const lo = this.head;
    const n = this.tail - this.sortedEnd;
    if (n > 8) {
      // Many appended jobs: sort the suffix, then one linear stable merge (prefix wins ties).
      mergeSort(b, this.scratch, this.sortedEnd, this.tail, k1, k2);
      mergeRuns(b, this.scratch, lo, this.sortedEnd, this.tail, k1, k2);
      return;
    }
    for (let p = this.sortedEnd; p < this.tail; p++) {
      const x = b[p];
      const x1 = k1[x];
      const x2 = k2 === null ? 0 : k2[x];
      // upper bound in [lo, p): first position whose key is strictly greater than x's
      let a = lo;
      let z = p;
      while (a < z) {
        const m = (a + z) >>> 1;
        const y = b[m];
        const y1 = k1[y];
        if (y1 > x1 || (y1 === x1 && k2 !== null && k2[y] > x2)) z = m;
        else a = m + 1;
      }
      if (a < p) {
        b.copyWithin(a + 1, a, p);
        b[a] = x;
      }
    }
  }
}

/** less(a, b) on keys: strictly smaller (k1, then k2). */
function less(a: number, b: number, k1: Float64Array, k2: Float64Array | null): boolean {
  const a1 = k1[a];
  const b1 = k1[b];
  if (a1 !== b1) return a1 < b1;
  return k2 !== null && k2[a] < k2[b];
}

/** Stable bottom-up merge sort of b[lo, hi) (insertion sort on runs of 16). */
export function mergeSort(
  b: Int32Array,
  s: Int32Array,
  lo: number,
  hi: number,
  k1: Float64Array,
  k2: Float64Array | null,
): void {
  const RUN = 16;
  for (let r = lo; r < hi; r += RUN) {
    const e = Math.min(r + RUN, hi);
    for (let i = r + 1; i < e; i++) {
      const x = b[i];
      let j = i - 1;
      while (j >= r && less(x, b[j], k1, k2)) {
        b[j + 1] = b[j];
        j--;
      }
      b[j + 1] = x;
    }
  }
  for (let w = RUN; w < hi - lo; w *= 2) {
    for (let m = lo + w; m < hi; m += 2 * w) {
      mergeRuns(b, s, m - w, m, Math.min(m + w, hi), k1, k2);
    }
  }
}

/** Stable merge of sorted b[lo, mid) and b[mid, hi); the left run wins ties. */
function mergeRuns(
  b: Int32Array,
  s: Int32Array,
  lo: number,
  mid: number,
  hi: number,
  k1: Float64Array,
  k2: Float64Array | null,
): void {
  if (mid >= hi || lo >= mid || !less(b[mid], b[mid - 1], k1, k2)) return;
  s.set(b.subarray(lo, mid), lo);
  let i = lo;
  let j = mid;
  let w = lo;
  while (i < mid && j < hi) {
    if (less(b[j], s[i], k1, k2)) b[w++] = b[j++];
    else b[w++] = s[i++];
  }
  while (i < mid) b[w++] = s[i++];
}
