/**
 * Binary min-heap of timed events in parallel typed arrays (no allocation per
 * push/pop). Ties on time are broken by insertion sequence, so the order of
 * simultaneous events is deterministic.
 */
export class EventQueue {
  private time: Float64Array;
  private seq: Float64Array;
  private kind: Uint8Array;
  private job: Int32Array;
  private tag: Int32Array;
  private n = 0;
  private nextSeq = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.job = new Int32Array(capacity);
    this.tag = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
    this.nextSeq = 0;
  }

  /** Earliest time in the queue (Infinity if empty). */
  peekTime(): number {
    return this.n > 0 ? this.time[0] : Infinity;
  }
  peekKind(): number {
    return this.kind[0];
  }
  peekJob(): number {
    return this.job[0];
  }
  /** Free-form integer carried with the event (e.g. an epoch to detect stale completions). */
  peekTag(): number {
    return this.tag[0];
  }

  push(time: number, kind: number, job: number, tag: number): void {
    if (this.n === this.time.length) this.grow();
    let i = this.n++;
    const s = this.nextSeq++;
    // Sift up with a hole instead of swaps.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.time[p];
      if (pt < time || (pt === time && this.seq[p] < s)) break;
      this.move(p, i);
      i = p;
    }
    this.time[i] = time;
    this.seq[i] = s;
    this.kind[i] = kind;
    this.job[i] = job;
    this.tag[i] = tag;
  }

  /** Removes the earliest event; read it with peek* first. */
  pop(): void {
    const last = --this.n;
    if (last === 0) return;
    const t = this.time[last];
    const s = this.seq[last];
    const k = this.kind[last];
    const j = this.job[last];
    const g = this.tag[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (this.time[r] < this.time[c] || (this.time[r] === this.time[c] && this.seq[r] < this.seq[c]))) c = r;
      if (this.time[c] > t || (this.time[c] === t && this.seq[c] > s)) break;
      this.move(c, i);
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.kind[i] = k;
    this.job[i] = j;
    this.tag[i] = g;
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from];
    this.seq[to] = this.seq[from];
    this.kind[to] = this.kind[from];
    this.job[to] = this.job[from];
    this.tag[to] = this.tag[from];
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const t = new Float64Array(cap);
    t.set(this.time);
    this.time = t;
    const s = new Float64Array(cap);
    s.set(this.seq);
    this.seq = s;
    const k = new Uint8Array(cap);
    k.set(this.kind);
    this.kind = k;
    const j = new Int32Array(cap);
    j.set(this.job);
    this.job = j;
    const g = new Int32Array(cap);
    g.set(this.tag);
    this.tag = g;
  }
}
