/**
 * `npm run bench:memory [-- --jobs 100000,200000,400000] [-- --out FILE]`: peak memory of
 * `lepton simulate` (fifo + tiresias, summary.csv + streamed jobs.csv, no report) on
 * generated Philly-format traces of growing size. Each size runs in a fresh process
 * (the compiled CLI in dist/); its peak resident set size comes from
 * process.resourceUsage().maxRSS. Prints jobs, peak MB, wall seconds, and the slope
 * (least squares over the sizes) in MB per 100k jobs; writes them as JSON to --out.
 * Not part of the timing gate (benchmarks/run.ts): memory is measured, not ratioed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng, repoRoot } from 'lepton';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A Philly-format trace of `n` jobs (seeded): arrivals over ~n/100 hours, Philly-like sizes. */
function writeTrace(file: string, n: number, seed = 1): void {
  const rng = new Rng(seed);
  const fd = fs.openSync(file, 'w');
  const t0 = Date.UTC(2017, 9, 1) / 1000;
  const sizes = [1, 1, 1, 1, 2, 2, 4, 8, 16];
  let chunk = 'timestamp,duration,num_gpus,gpu_time,cluster\n';
  for (let i = 0; i < n; i++) {
    const ts = new Date((t0 + Math.floor(rng.random() * n * 36)) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const dur = Math.round(60 * Math.exp(rng.random() * 8));
    const g = sizes[rng.int(0, sizes.length)];
    chunk += `${ts},${dur}.0,${g},${dur * g}.0,vc${rng.int(0, 8)}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

const root = repoRoot();
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(cli)) {
  console.error('bench:memory: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const sizes = (arg('jobs') ?? '100000,200000,400000').split(',').map(Number);
const out = arg('out') ?? path.join(root, 'results', 'bench', 'memory.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-mem-'));
const rows: { jobs: number; peakMB: number; wallSeconds: number }[] = [];
for (const n of sizes) {
  const trace = path.join(tmp, `philly-${n}.csv`);
  writeTrace(trace, n);
  const script =
    `require(${JSON.stringify(cli)}).main(${JSON.stringify(['simulate', '--trace', trace, '--cluster', 'philly', '--policy', 'fifo,tiresias', '--quiet', '--no-report', '--out', path.join(tmp, `out-${n}`)])})` +
    `.then((c) => { process.stdout.write(JSON.stringify({ code: c, maxRSS: process.resourceUsage().maxRSS }) + '\\n'); process.exit(c); })`;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0) {
    console.error(`bench:memory: simulate on ${n} jobs failed (exit ${r.status}): ${r.stderr.slice(-500)}`);
    process.exit(1);
  }
  const { maxRSS } = JSON.parse(last) as { maxRSS: number };
  rows.push({ jobs: n, peakMB: maxRSS / 1024, wallSeconds: (Date.now() - t0) / 1000 });
  console.log(
    `${String(n).padStart(9)} jobs  peak ${(maxRSS / 1024).toFixed(0).padStart(6)} MB  ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  fs.rmSync(trace);
  fs.rmSync(path.join(tmp, `out-${n}`), { recursive: true, force: true });
}
// Slope of peak MB over jobs (least squares): the memory each further 100k jobs costs.
const mx = rows.reduce((s, r) => s + r.jobs, 0) / rows.length;
const my = rows.reduce((s, r) => s + r.peakMB, 0) / rows.length;
const sxy = rows.reduce((s, r) => s + (r.jobs - mx) * (r.peakMB - my), 0);
const sxx = rows.reduce((s, r) => s + (r.jobs - mx) ** 2, 0);
const perHundredK = sxx > 0 ? (sxy / sxx) * 100_000 : NaN;
console.log(
  `peak memory per 100k jobs (slope): ${perHundredK.toFixed(1)} MB; intercept ${(my - (sxy / (sxx || 1)) * mx).toFixed(0)} MB`,
);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  JSON.stringify(
    {
      command: 'npm run bench:memory',
      policies: ['fifo', 'tiresias'],
      rows,
      mbPer100kJobs: perHundredK,
      node: process.version,
      date: new Date().toISOString(),
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${out}`);
fs.rmSync(tmp, { recursive: true, force: true });
