/**
 * gym 0.12.5 `seeding.np_random(seed)` → numpy legacy `RandomState`, bit for bit.
 *
 * Why: RLScheduler draws its job sequences from `self.np_random`, built by gym's seeding helper.
 * gym hashes the seed before handing it to numpy, so `RandomState(seed)` would give other
 * sequences. The chain, as in gym/utils/seeding.py (0.12.5):
 *   create_seed(seed)     = seed mod 2^64 (integer seeds)
 *   hash_seed(seed)       = first 8 bytes of SHA-512(str(seed)), little-endian → a 64-bit integer
 *   _int_list_from_bigint = that integer in 32-bit words, low word first (no trailing zero words;
 *                           0 → [0])
 *   RandomState.seed(list) = MT19937 init_by_array(list)
 */
import { createHash } from 'node:crypto';
import { NumpyRandomState } from '../deeprm/numpyRandom';

/** The init_by_array key gym 0.12.5 derives from an integer seed (seed 1 → [2739863373, 598274112]). */
export function gymSeedKey(seed: number): number[] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`gym seed must be a non-negative integer, got ${seed}`);
  }
  // create_seed: seed mod 2^64 is the identity for safe integers; str() is the decimal string.
  const digest = createHash('sha512').update(String(seed), 'utf8').digest();
  const words = [digest.readUInt32LE(0), digest.readUInt32LE(4)];
  if (words[1] === 0) words.pop(); // divmod loop stops at 0; a zero integer still gives [0]
  return words;
}

/** numpy RandomState seeded exactly as gym 0.12.5's `seeding.np_random(seed)` seeds it. */
export function gymNpRandom(seed: number): NumpyRandomState {
  return new NumpyRandomState(gymSeedKey(seed));
}
