/**
 * A progress bar on stderr. On a terminal it redraws one line; elsewhere (CI, pipes)
 * it prints a line at the end and every 5 s, so logs stay short.
 */
export class ProgressBar {
  private readonly tty: boolean;
  private lastPct = -1;
  private readonly t0 = Date.now();
  private lastPrint = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(done: number): void {
    if (this.quiet || this.total <= 0) return;
    const pct = Math.min(100, Math.floor((100 * done) / this.total));
    if (pct === this.lastPct) return;
    // Off a terminal: one line at the end, and one every 5 s of a long run.
    if (!this.tty && pct !== 100 && Date.now() - this.lastPrint < 5000) return;
    this.lastPrint = Date.now();
    this.lastPct = pct;
    const elapsed = (Date.now() - this.t0) / 1000;
    const secs = elapsed.toFixed(1);
    const eta = etaText(elapsed, done, this.total);
    if (this.tty) {
      const width = 30;
      const fill = Math.round((pct / 100) * width);
      this.stream.write(
        `\r${this.label.padEnd(14)} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${done}/${this.total} ${secs}s${eta}`,
      );
    } else this.stream.write(`${this.label}: ${pct}% (${done}/${this.total}, ${secs}s${eta})\n`);
  }

  done(): void {
    if (this.quiet) return;
    this.update(this.total);
    if (this.tty) this.stream.write('\n');
  }
}

/**
 * Remaining time at the average rate so far (`, ETA 3m 20s`); empty before the first unit is done
 * or once all are (no rate yet, or nothing left).
 */
export function etaText(elapsedSeconds: number, done: number, total: number): string {
  if (!(done > 0) || done >= total) return '';
  const left = Math.round((elapsedSeconds * (total - done)) / done);
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  return `, ETA ${h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`}`;
}
