/**
 * numpy's legacy `RandomState` (MT19937), bit for bit, for the calls DeepRM makes:
 * `seed(int)`, `rand()`/`random_sample()`, `randint(lo, hi)` and `shuffle(1-d array)`.
 *
 * Why: DeepRM draws its job sets, its colour-map shuffles and its Random agent from
 * numpy's global legacy generator. Reproducing that stream regenerates the original
 * job sets exactly (and lets the Random baseline share the original stream).
 * This is NOT Lepton's general RNG (see src/util/rng.ts); use it only for DeepRM.
 *
 * Details matched to numpy (checked against deeprm-rng-test-vectors.json):
 * - `seed(s)` with an integer s in [0, 2^32) is MT19937 `init_genrand(s)`; an array
 *   seed uses `init_by_array` (numpy's legacy path for non-integer seeds).
 * - `randomSample()`: a = u32 >> 5, b = u32 >> 6, (a * 2^26 + b) / 2^53.
 * - `randint(lo, hi)` (hi exclusive): rng = hi - lo - 1; rng = 0 draws nothing;
 *   otherwise mask = next 2^k - 1 >= rng, draw `u32 & mask` until <= rng.
 * - `shuffle(x)`: for i = n-1 down to 1, j = masked-rejection draw in [0, i], swap.
 */

const N = 624;
const M_SHIFT = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export interface NumpyRandomStateSnapshot {
  /** The 624-word MT19937 key. */
  key: number[];
  /** Position in the key (624 = regenerate before the next draw). */
  pos: number;
}

/** Smallest all-ones mask covering `max` (numpy's gen_mask). */
function maskFor(max: number): number {
  let mask = max >>> 0;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;

  constructor(seed: number | readonly number[] = 0) {
    this.seed(seed);
  }

  /** numpy `RandomState.seed(seed)` (legacy seeding). */
  seed(seed: number | readonly number[]): void {
    if (typeof seed === 'number') {
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new RangeError(`numpy seed must be an integer in [0, 2^32 - 1], got ${seed}`);
      }
      this.initGenrand(seed);
    } else {
      this.initByArray(seed);
    }
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.pos = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    const len = key.length;
    for (let k = Math.max(N, len); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + (key[j] >>> 0) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.pos = N;
  }

  private regenerate(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M_SHIFT; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M_SHIFT] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M_SHIFT - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M_SHIFT - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** One raw 32-bit output (numpy `randint(2**32)`-style draw). */
  nextUint32(): number {
    if (this.pos >= N) this.regenerate();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy `random_sample()` / `rand()`: a double in [0, 1). */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** numpy legacy `randint(lo, hi)` for int64 output, hi exclusive (one draw). */
  randint(lo: number, hi?: number): number {
    if (hi === undefined) {
      hi = lo;
      lo = 0;
    }
    const rng = hi - lo - 1;
    if (rng < 0) throw new RangeError(`randint: low >= high (${lo} >= ${hi})`);
    if (rng === 0) return lo;
    if (rng > 0xffffffff) throw new RangeError('randint: ranges above 2^32 are not supported');
    return lo + this.boundedMasked(rng);
  }

  /** A uniform integer in [0, max] by masked rejection on 32-bit draws. */
  private boundedMasked(max: number): number {
    if (max === 0xffffffff) return this.nextUint32();
    const mask = maskFor(max);
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }

  /** numpy legacy `shuffle` of a 1-d array, in place. */
  shuffle(x: { length: number; [i: number]: number }): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.boundedMasked(i);
      const tmp = x[i];
      x[i] = x[j];
      x[j] = tmp;
    }
  }

  getState(): NumpyRandomStateSnapshot {
    return { key: Array.from(this.mt), pos: this.pos };
  }

  setState(state: NumpyRandomStateSnapshot): void {
    if (state.key.length !== N || !(state.pos >= 0 && state.pos <= N)) {
      throw new RangeError('NumpyRandomState.setState: need a 624-word key and 0 <= pos <= 624');
    }
    this.mt.set(state.key);
    this.pos = state.pos;
  }
}
