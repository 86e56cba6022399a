/**
 * CSV writing (RFC 4180 quoting, '\n' line ends) with deterministic,
 * locale-free number formatting, for summary.csv and jobs.csv.
 */

/** A column: the row key, optionally with a different header text. */
export type CsvColumn = string | { readonly key: string; readonly header?: string };

/** Digits kept: decimals for |x| >= 1, significant digits for |x| < 1. */
const CSV_DIGITS = 6;

function stripZeros(s: string): string {
  // "12.500000" -> "12.5", "3.000000" -> "3", "1.50000e-7" -> "1.5e-7"
  const e = s.indexOf('e');
  const mant = e < 0 ? s : s.slice(0, e);
  const exp = e < 0 ? '' : s.slice(e);
  if (!mant.includes('.')) return s;
  return mant.replace(/0+$/, '').replace(/\.$/, '') + exp;
}

/**
 * Deterministic number text: integers exactly; |x| >= 1 rounded to 6 decimals;
 * |x| < 1 rounded to 6 significant digits (so small values keep precision);
 * trailing zeros dropped. NaN -> '' (missing), ±Infinity -> 'inf' / '-inf'.
 */
export function formatCsvNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return '0'; // also -0
  if (Number.isInteger(x)) return String(x);
  const s = Math.abs(x) >= 1 ? x.toFixed(CSV_DIGITS) : x.toPrecision(CSV_DIGITS);
  const out = stripZeros(s);
  return out === '-0' ? '0' : out;
}

/** Quotes a field when it holds a comma, quote, CR/LF or edge whitespace; doubles inner quotes. */
export function quoteField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatCsvNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** Header line plus one line per row, columns in the given order; ends with '\n'. */
export function writeCsv(rows: readonly Readonly<Record<string, unknown>>[], columns: readonly CsvColumn[]): string {
  const keys = columns.map((c) => (typeof c === 'string' ? c : c.key));
  const headers = columns.map((c) => (typeof c === 'string' ? c : (c.header ?? c.key)));
  const lines = [headers.map(quoteField).join(',')];
  for (const row of rows) lines.push(keys.map((k) => quoteField(cell(row[k]))).join(','));
  return lines.join('\n') + '\n';
}
