/**
 * Tables in a notebook: a danfojs DataFrame, an array of records or a header + rows, rendered as
 * an HTML table (danfojs' own `print()` draws box characters meant for a terminal). Numbers are
 * right-aligned with thousands separators.
 */
import { escapeHtml } from '../report/html';
import { formatCell } from './format';
import { emit } from './kernel';

/** The part of a danfojs DataFrame a table needs (duck-typed: no danfojs import here). */
export interface FrameLike {
  readonly columns: readonly (string | number)[];
  readonly values: readonly (readonly unknown[])[] | readonly unknown[];
}

export type TableInput = FrameLike | readonly Record<string, unknown>[];

export interface TableOptions {
  caption?: string;
  /** Significant digits of non-integers (default 4). */
  digits?: number;
  /** Show at most this many rows (default 50); the caption says how many were left out. */
  maxRows?: number;
}

function isFrame(t: TableInput): t is FrameLike {
  return !Array.isArray(t) && 'columns' in (t as object) && 'values' in (t as object);
}

/** Header and rows of any table input. */
export function tableRows(t: TableInput): { columns: string[]; rows: unknown[][] } {
  if (isFrame(t)) {
    const columns = t.columns.map(String);
    const vals = t.values as readonly unknown[];
    // A one-column danfojs frame / Series gives a flat array.
    const rows = vals.map((r) => (Array.isArray(r) ? [...r] : [r]));
    return { columns, rows };
  }
  const records = t as readonly Record<string, unknown>[];
  const columns: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  return { columns, rows: records.map((r) => columns.map((c) => r[c])) };
}

/** The HTML of a table (also used by `showResults`). */
export function tableHtml(t: TableInput, opts: TableOptions = {}): string {
  const { columns, rows } = tableRows(t);
  const max = opts.maxRows ?? 50;
  const shownRows = rows.slice(0, max);
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = shownRows
    .map(
      (r) =>
        '<tr>' +
        r
          .map((v) => {
            const align = typeof v === 'number' ? 'right' : 'left';
            return `<td style="text-align:${align}">${escapeHtml(formatCell(v, opts.digits))}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('');
  const more = rows.length > max ? ` (first ${max} of ${rows.length.toLocaleString('en-US')} rows)` : '';
  const cap =
    opts.caption || more
      ? `<caption style="text-align:left;caption-side:top"><b>${escapeHtml(opts.caption ?? '')}</b>${escapeHtml(more)}</caption>`
      : '';
  return `<table class="lepton-table">${cap}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Shows a danfojs DataFrame (or records, or any {columns, values}) as an HTML table. */
export function showFrame(t: TableInput, opts: TableOptions = {}): void {
  emit('text/html', tableHtml(t, opts));
}

/** Shows Markdown (headings, notes computed in a cell). */
export function showMarkdown(md: string): void {
  emit('text/markdown', md);
}

/** Shows HTML. */
export function showHtml(html: string): void {
  emit('text/html', html);
}
