/** Number formatting for tables and hover text: thousands separators, fixed significant digits. */

/**
 * Integers with thousands separators (82,247); other numbers with `digits` significant digits,
 * and with separators once they reach 1,000 (12,345.7 → "12,346"). NaN → "–".
 */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(digits)));
}

/** Any table cell as text (numbers through formatNumber). */
export function formatCell(v: unknown, digits = 4): string {
  if (typeof v === 'number') return formatNumber(v, digits);
  if (typeof v === 'bigint') return v.toLocaleString('en-US');
  if (v === null || v === undefined) return '';
  return String(v);
}
