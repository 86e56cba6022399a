/**
 * Summary of a policy over several seeds (`lepton start`, any multi-seed run): for every metric of
 * SUMMARY_COLUMNS the mean over seeds and its cross-seed interval (metrics/ci.ts `seedInterval`, a
 * percentile bootstrap that never leaves the metric's range). One module so that the terminal table,
 * the cross-seed summary.csv and the cross-seed report show the same numbers.
 */
import { seedInterval, SEED_BOUND_SUFFIX, type Interval } from '../metrics/ci';
import { SUMMARY_COLUMNS, type Summary, type SummaryKey } from '../metrics/summary';
import { formatNumber, quoteField } from '../util/csv';

export interface SeedSummaryRow {
  readonly policy: string;
  /** The seeds, in run order. */
  readonly seeds: readonly number[];
  /** Per metric: mean over the seeds whose value is a number (NaN ones are left out; `n` says how many). */
  readonly metrics: Readonly<Record<SummaryKey, Interval>>;
}

/**
 * `perSeed[s][p]` is policy `policies[p]`'s summary on seed `seeds[s]` (every policy ran the same job
 * sequence of that seed).
 */
export function summarizeSeeds(
  policies: readonly string[],
  seeds: readonly number[],
  perSeed: readonly (readonly Summary[])[],
): SeedSummaryRow[] {
  if (perSeed.length !== seeds.length)
    throw new RangeError(`summarizeSeeds: ${perSeed.length} seed results for ${seeds.length} seeds`);
  return policies.map((policy, p) => {
    const metrics = {} as Record<SummaryKey, Interval>;
    for (const { key } of SUMMARY_COLUMNS) {
      const values = perSeed.map((runs) => runs[p][key]).filter((v) => !Number.isNaN(v));
      metrics[key] = seedInterval(values);
    }
    return { policy, seeds, metrics };
  });
}

/**
 * The cross-seed summary.csv: one row per policy; per metric `<key>_mean`, `<key>_boot95_lo`,
 * `<key>_boot95_hi` (empty bounds with one seed). Shortest round-trip numbers: same runs, same bytes.
 */
export function seedSummaryCsv(rows: readonly SeedSummaryRow[]): string {
  const head = ['policy', 'seeds'];
  for (const { key } of SUMMARY_COLUMNS)
    head.push(`${key}_mean`, `${key}_${SEED_BOUND_SUFFIX.lo}`, `${key}_${SEED_BOUND_SUFFIX.hi}`);
  const lines = [head.join(',')];
  for (const r of rows) {
    const cells = [quoteField(r.policy), r.seeds.join(' ')];
    for (const { key } of SUMMARY_COLUMNS) {
      const m = r.metrics[key];
      cells.push(formatNumber(m.estimate), formatNumber(m.lo), formatNumber(m.hi));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
