/**
 * The six priority functions of RLScheduler's heuristic columns, **as implemented** in the
 * original code (spec rule 6). Smaller key = scheduled first; every key is fixed per job.
 *
 * WFP3 and UNICEP here are the RLScheduler variants, not the textbook policies: the original
 * computes the waiting time as `scheduled_time - submit_time` while `scheduled_time` is still
 * the unset value -1, so w = -1 - s for every waiting job and the current clock never enters.
 * The paper's Table V numbers come from these versions. The textbook policies (real waiting
 * time) are `wfp3` / `unicep` in src/schedulers/ (usable in `lepton simulate`).
 */

/** Heuristic names in the replay output (lower case, as the spec's output format). */
export const RLSCHED_HEURISTICS = ['fcfs', 'wfp3', 'unicep', 'sjf', 'f1', 'smallest'] as const;
export type RlschedHeuristic = (typeof RLSCHED_HEURISTICS)[number];

export interface HeuristicDef {
  /** What the key is, for help texts and docs. */
  describe: string;
  /** Whether the key has a secondary component (lexicographic pair). */
  pair: boolean;
  /**
   * Fill k1 (and k2 when `pair`) for jobs 0..len-1 of a sequence.
   * s = submit time, rt = requested time, n = requested processors.
   */
  fill(s: Float64Array, rt: Float64Array, n: Float64Array, len: number, k1: Float64Array, k2: Float64Array): void;
}

/** The original divides by the requested time in WFP3/UNICEP: Python raises ZeroDivisionError at 0. */
function requirePositive(rt: Float64Array, len: number, name: string): void {
  for (let i = 0; i < len; i++) {
    if (!(rt[i] !== 0)) {
      throw new RangeError(
        `${name}: a job has requested time 0; the original code divides by it (ZeroDivisionError), so this policy is undefined here`,
      );
    }
  }
}

export const HEURISTICS: Record<RlschedHeuristic, HeuristicDef> = {
  fcfs: {
    describe: 'submit time s',
    pair: false,
    fill(s, _rt, _n, len, k1) {
      for (let i = 0; i < len; i++) k1[i] = s[i];
    },
  },
  wfp3: {
    describe: 'RLScheduler WFP3 as implemented: -((w/rt)^3)*n with w = -1 - s (not the real waiting time)',
    pair: false,
    fill(s, rt, n, len, k1) {
      requirePositive(rt, len, 'wfp3');
      for (let i = 0; i < len; i++) {
        const w = -1 - s[i];
        const q = w / rt[i];
        const q3 = Math.pow(q, 3);
        k1[i] = -q3 * n[i];
      }
    },
  },
  unicep: {
    describe: 'RLScheduler UNICEP as implemented: -(w + 1e-15)/(log2(n + 1e-15)*rt) with w = -1 - s',
    pair: false,
    fill(s, rt, n, len, k1) {
      requirePositive(rt, len, 'unicep');
      for (let i = 0; i < len; i++) {
        const w = -1 - s[i];
        k1[i] = -(w + 1e-15) / (Math.log2(n[i] + 1e-15) * rt[i]);
      }
    },
  },
  sjf: {
    describe: '(requested time, submit time)',
    pair: true,
    fill(s, rt, _n, len, k1, k2) {
      for (let i = 0; i < len; i++) {
        k1[i] = rt[i];
        k2[i] = s[i];
      }
    },
  },
  f1: {
    describe: "log10(rt')*n + 870*log10(s'), rt' = rt or 0.1, s' = s or 0.1 (Carastan-Santos & de Camargo's F1)",
    pair: false,
    fill(s, rt, n, len, k1) {
      for (let i = 0; i < len; i++) {
        const r = rt[i] > 0 ? rt[i] : 0.1;
        const t = s[i] > 0 ? s[i] : 0.1;
        k1[i] = Math.log10(r) * n[i] + 870 * Math.log10(t);
      }
    },
  },
  smallest: {
    describe: '(requested processors, submit time)',
    pair: true,
    fill(s, _rt, n, len, k1, k2) {
      for (let i = 0; i < len; i++) {
        k1[i] = n[i];
        k2[i] = s[i];
      }
    },
  },
};
