/**
 * Progress for long notebook cells: one HTML output that is overwritten in place (tslab's public
 * `newDisplay`), not terminal escape codes. Updates are throttled so a tight loop does not flood
 * the front end; outside a kernel it prints a line at most every few seconds.
 */
import { escapeHtml } from '../report/html';
import { formatNumber } from './format';
import { updatableOutput } from './kernel';

export interface Progress {
  /** Advance by `n` (default 1), with an optional status text (e.g. the current metric). */
  tick(n?: number, status?: string): void;
  /** Set the absolute position. */
  set(done: number, status?: string): void;
  /** Final update (always drawn). */
  finish(status?: string): void;
}

export interface ProgressOptions {
  /** Minimum milliseconds between two redraws (default 250). */
  intervalMs?: number;
  /** Unit of the count, e.g. "iterations", "jobs". */
  unit?: string;
  /** Clock for tests (default performance.now). */
  now?: () => number;
}

/** The HTML of a progress bar (exported for tests). */
export function progressHtml(label: string, done: number, total: number, elapsedS: number, status = '', unit = '') {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const eta = done > 0 && done < total ? (elapsedS * (total - done)) / done : 0;
  const text =
    `${escapeHtml(label)}: ${formatNumber(done)} / ${formatNumber(total)}${unit ? ' ' + escapeHtml(unit) : ''}` +
    ` (${(100 * frac).toFixed(0)} %), ${elapsedS.toFixed(1)} s` +
    (eta > 0 ? `, ~${eta.toFixed(0)} s left` : '') +
    (status ? ` — ${escapeHtml(status)}` : '');
  return (
    `<div class="lepton-progress" data-done="${done}" data-total="${total}" style="font-family:sans-serif;font-size:13px">` +
    `<progress value="${done}" max="${total}" style="width:320px;vertical-align:middle"></progress> ${text}</div>`
  );
}

/** A progress display for `total` steps of work. */
export function progress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const now = opts.now ?? (() => performance.now());
  const interval = opts.intervalMs ?? 250;
  const out = updatableOutput();
  const t0 = now();
  let done = 0;
  let last = -Infinity;
  let status = '';
  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - last < interval) return;
    last = t;
    out.update('text/html', progressHtml(label, done, total, (t - t0) / 1000, status, opts.unit));
  };
  draw(true);
  return {
    tick(n = 1, s) {
      done += n;
      if (s !== undefined) status = s;
      draw(false);
    },
    set(d, s) {
      done = d;
      if (s !== undefined) status = s;
      draw(false);
    },
    finish(s) {
      if (s !== undefined) status = s;
      draw(true);
    },
  };
}
