/**
 * What the gate demands, in one place: absolute targets (from the briefs) and the
 * regression tolerance of each suite (from the noise measured on the shared 2-core
 * machine, docs/benchmarks.md "Noise and tolerances").
 *
 * Absolute targets are checked on CPU seconds per op (the best process's median), i.e.
 * what one idle core gives; the wall time on a busy machine is longer.
 */

export interface Target {
  /** Figure id `suite/case`; `{quick|full}` variants are separate ids, so list each. */
  figure: string;
  /** What is compared: CPU seconds per op, CPU seconds per unit (per decision, per event), or units per CPU-second. */
  metric: 'secondsPerOp' | 'secondsPerUnit' | 'rate';
  op: '<=' | '>=' | '<';
  value: number;
  /** How the target reads in the table. */
  label: string;
}

export const TARGETS: readonly Target[] = [
  // event-core: the heap alone moves >= 3 M events (push + pop) per second.
  ...['100000', '20000'].map((n): Target => ({
    figure: `event-core/EventQueue fill+drain ${n}`,
    metric: 'rate',
    op: '>=',
    value: 3e6,
    label: '>= 3 M events/s',
  })),
  { figure: 'event-core/EventQueue hold size 10000', metric: 'rate', op: '>=', value: 3e6, label: '>= 3 M events/s' },
  // One FIFO replay of the whole Philly table on the whole Philly cluster (full run only).
  { figure: 'philly-replay/fifo full replay', metric: 'secondsPerOp', op: '<=', value: 0.5, label: '<= 0.5 s' },
  // Conservative backfilling on a long overloaded queue (issue 8: 42 s before).
  {
    figure: 'philly-overload/conservative 10000 jobs on 40x8',
    metric: 'secondsPerOp',
    op: '<=',
    value: 1,
    label: '<= 1 s',
  },
  // RLScheduler's Table V heuristic protocol (issue 9), both modes.
  {
    figure: 'rlsched/Table V heuristic protocol (3 traces x 2 modes x 6 x 10 x 1024 jobs)',
    metric: 'secondsPerOp',
    op: '<',
    value: 3,
    label: '< 3 s',
  },
];

/**
 * Allowed slowdown of a figure against its baseline ratio, in % (a figure regresses when
 * now < baseline × (1 − tolerance)). Chosen from measured noise (docs/benchmarks.md,
 * "Noise and tolerances", measured with benchmarks/noise.ts): the first pattern matching
 * the figure id wins.
 */
export const TOLERANCES: readonly { match: RegExp; pct: number | null; why: string }[] = [
  {
    // tfjs's wasm and cpu kernels (and native tensorflow): their CPU time per op moves with the
    // machine's load far beyond any useful tolerance — up to 96 % between gates on the loaded
    // machine, and `cpu decide batch 1` measured 5x more CPU per op on a quiet machine than on a
    // loaded one (tfjs's allocations keep V8's concurrent GC threads busy when cores are free).
    // Reported, never gated (null): a third-party library, not this project's code.
    // (The fast path, which is ours, has its own entry below.)
    match: /^inference-latency\/(wasm|cpu|tensorflow) /,
    pct: null,
    why: 'tfjs backends: CPU time per op varies up to 5x with machine load; reported, not gated',
  },
  {
    // The same library inside whole training runs: the `… tfjs` training-throughput cases are the
    // comparison points for the fused kernels. One quick gate on unchanged pg code moved 'pg 20
    // tfjs' by -59 % (1 process, load 3, 2026-12-01) while 'pg 20 fused' moved -3 %.
    match: /^training-throughput\/.* tfjs$/,
    pct: null,
    why: 'tfjs inside training runs: as noisy as the tfjs inference cases; reported, not gated',
  },
  {
    // Lepton's fast path, but at quick-gate sampling (≥ 30 ms samples of one decision batch) it is
    // noise: two clean-clone CI runs of the same code on 2026-12-01 gave 'batch 32' 191-201 k and
    // 20-50 k decisions per CPU-second, with spreads up to 170 % inside one process. Reported, not
    // gated, until its sampling is fixed (longer samples, a warmed network).
    match: /^inference-latency\/fast path /,
    pct: null,
    why: 'fast path at quick sampling: 4-10x between runs of the same code; reported, not gated',
  },
  { match: /./, pct: 30, why: "Lepton's code: measured range up to 17 % between runs under load 12" },
];

/** Allowed slowdown in %, or null for a figure that is reported but never fails the gate. */
export function tolerancePct(figure: string): number | null {
  const t = TOLERANCES.find((x) => x.match.test(figure));
  return t ? t.pct : 30;
}
