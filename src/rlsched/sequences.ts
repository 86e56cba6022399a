/**
 * Which sequences the protocol schedules (spec rule 2): `iters` start indices drawn with numpy's
 * masked `randint(L, H)` from a generator seeded by gym 0.12.5, H = (slice or trace size) − L − 1.
 */
import { gymNpRandom } from './seeding';

export interface SequenceProtocol {
  seqLen: number;
  iters: number;
  seed: number;
  /** `batch_job_slice`: 0 = the whole trace. */
  slice: number;
}

/** Half-open range [lo, hi) the start index is drawn from. */
export function startIndexRange(traceSize: number, p: Pick<SequenceProtocol, 'seqLen' | 'slice'>): [number, number] {
  const n = p.slice > 0 ? p.slice : traceSize;
  return [p.seqLen, n - p.seqLen - 1];
}

/** The start indices of the protocol's sequences (validated: every sequence lies inside the trace). */
export function sampleStarts(traceSize: number, p: SequenceProtocol): number[] {
  if (!Number.isInteger(p.seqLen) || p.seqLen < 1)
    throw new RangeError(`--len must be a positive integer, got ${p.seqLen}`);
  if (!Number.isInteger(p.iters) || p.iters < 1)
    throw new RangeError(`--iter must be a positive integer, got ${p.iters}`);
  if (!Number.isInteger(p.slice) || p.slice < 0)
    throw new RangeError(`--slice must be 0 or a positive integer, got ${p.slice}`);
  if (p.slice > traceSize) throw new RangeError(`--slice ${p.slice} exceeds the trace's ${traceSize} jobs`);
  const [lo, hi] = startIndexRange(traceSize, p);
  if (hi <= lo) {
    throw new RangeError(
      `no room for sequences of ${p.seqLen} jobs: start range [${lo}, ${hi}) is empty (trace/slice of ${p.slice || traceSize} jobs)`,
    );
  }
  const rng = gymNpRandom(p.seed);
  const out: number[] = [];
  for (let i = 0; i < p.iters; i++) out.push(rng.randint(lo, hi));
  return out;
}
