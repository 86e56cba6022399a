import type { SimContext } from '../sim/scheduler';

/**
 * The waiting jobs of a NON-preemptive policy, split into lists by a per-job list id
 * (demand class, group, ...), each list in arrival (= index) order, kept across decision
 * points: `sync` appends the new arrivals, the policy calls `remove` for each job it
 * starts. Only the policy starts jobs and none come back, so nothing else changes; if the
 * lists ever disagree with the simulator's queue (another driver started jobs), `sync`
 * rebuilds them from the waiting snapshot.
 */
export class JobLists {
  /** First / last job of each list, -1 if empty. */
  head: Int32Array = new Int32Array(0);
  private tail = new Int32Array(0);
  /** Next / previous job in the same list, -1 at the ends. */
  next: Int32Array = new Int32Array(0);
  private prev = new Int32Array(0);
  /** Jobs in each list. */
  size: Int32Array = new Int32Array(0);
  /** The non-empty lists, nonEmpty[0..nonEmptyCount), in no particular order. */
  nonEmpty: Int32Array = new Int32Array(0);
  nonEmptyCount = 0;
  private slot = new Int32Array(0); // position of a list in nonEmpty
  private listOf: Int32Array = new Int32Array(0);
  private member = new Uint8Array(0);
  private total = 0;
  private seen = -1;

  /** `listOf[j]` in [0, lists): the list of job j. */
  reset(listOf: Int32Array, lists: number): void {
    const n = listOf.length;
    this.listOf = listOf;
    this.head = new Int32Array(lists).fill(-1);
    this.tail = new Int32Array(lists).fill(-1);
    this.size = new Int32Array(lists);
    this.nonEmpty = new Int32Array(lists);
    this.slot = new Int32Array(lists);
    this.nonEmptyCount = 0;
    this.next = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.member = new Uint8Array(n);
    this.total = 0;
    this.seen = -1;
  }

  /** Takes in the jobs that arrived since the last call. */
  sync(ctx: SimContext): void {
    const w = ctx.waitingCount;
    let first = w;
    while (first > 0 && ctx.waitingAt(first - 1) > this.seen) first--;
    for (let i = first; i < w; i++) this.append(ctx.waitingAt(i));
    if (first < w) this.seen = ctx.waitingAt(w - 1);
    if (this.total !== w) {
      for (let l = 0; l < this.head.length; l++) while (this.head[l] >= 0) this.remove(this.head[l]);
      for (let i = 0; i < w; i++) this.append(ctx.waitingAt(i));
    }
  }

  private append(j: number): void {
    const l = this.listOf[j];
    const t = this.tail[l];
    this.prev[j] = t;
    this.next[j] = -1;
    if (t >= 0) this.next[t] = j;
    else this.head[l] = j;
    this.tail[l] = j;
    if (this.size[l]++ === 0) {
      this.slot[l] = this.nonEmptyCount;
      this.nonEmpty[this.nonEmptyCount++] = l;
    }
    this.member[j] = 1;
    this.total++;
  }

  /** Drops a job (started by the policy) from its list. */
  remove(j: number): void {
    if (!this.member[j]) return;
    const l = this.listOf[j];
    const p = this.prev[j];
    const nx = this.next[j];
    if (p >= 0) this.next[p] = nx;
    else this.head[l] = nx;
    if (nx >= 0) this.prev[nx] = p;
    else this.tail[l] = p;
    if (--this.size[l] === 0) {
      const last = this.nonEmpty[--this.nonEmptyCount];
      this.nonEmpty[this.slot[l]] = last;
      this.slot[last] = this.slot[l];
    }
    this.member[j] = 0;
    this.total--;
  }
}

/** A binary min-heap of small ints (list ids) by an int priority (e.g. a head job index). */
export class IntHeap {
  private ids = new Int32Array(16);
  private pri = new Int32Array(16);
  size = 0;

  clear(): void {
    this.size = 0;
  }
  push(id: number, priority: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2);
      const pri = new Int32Array(this.size * 2);
      ids.set(this.ids);
      pri.set(this.pri);
      this.ids = ids;
      this.pri = pri;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.pri[p] <= priority) break;
      this.ids[i] = this.ids[p];
      this.pri[i] = this.pri[p];
      i = p;
    }
    this.ids[i] = id;
    this.pri[i] = priority;
  }
  /** Id with the smallest priority; size must be > 0. */
  peek(): number {
    return this.ids[0];
  }
  pop(): number {
    const top = this.ids[0];
    const n = --this.size;
    const id = this.ids[n];
    const priority = this.pri[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.pri[c + 1] < this.pri[c]) c++;
      if (this.pri[c] >= priority) break;
      this.ids[i] = this.ids[c];
      this.pri[i] = this.pri[c];
      i = c;
    }
    this.ids[i] = id;
    this.pri[i] = priority;
    return top;
  }
}
