/** Fixed-width text table for the terminal (right-aligned numbers). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(header), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** Short human number: 3 significant digits, thousands without exponent. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '-' : String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}
