/**
 * Long fuzzing run over every input format (see test/rel/fuzzHarness.ts for the
 * contract). Usage:
 *   nice -n 10 npx tsx scripts/fuzz.ts [--cases 100000] [--seed 1] [--chunk 5000] [--state FILE]
 * Cases run in chunks (chunk i uses fast-check seed `seed + i`); after each chunk the
 * counts are saved to the state file (default: in the system temp folder), so a killed
 * run resumes where it stopped. Prints the number of cases, outcomes per format and
 * every violation (with the mutations that produced it); exits 1 if there was any.
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { caseArb, caseBytes, fixtures, fuzzDir, prepare, runCase } from '../test/rel/fuzzHarness';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isSafeInteger(v) || v < 0) {
    console.error(`fuzz: --${name} expects a non-negative integer, got '${process.argv[i + 1]}'`);
    process.exit(2);
  }
  return v;
}

interface State {
  cases: number;
  seed: number;
  chunk: number;
  chunksDone: number;
  seconds: number;
  counts: Record<string, Record<string, number>>;
  violations: string[];
}

async function main(): Promise<void> {
  const cases = arg('cases', 100_000);
  const seed = arg('seed', 1);
  const chunk = Math.max(1, arg('chunk', 5000));
  const si = process.argv.indexOf('--state');
  const stateFile =
    si >= 0 ? process.argv[si + 1] : path.join(os.tmpdir(), `lepton-fuzz-${seed}-${cases}-${chunk}.json`);
  let st: State = { cases, seed, chunk, chunksDone: 0, seconds: 0, counts: {}, violations: [] };
  if (fs.existsSync(stateFile)) {
    const prev = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as State;
    if (prev.cases === cases && prev.seed === seed && prev.chunk === chunk) st = prev;
    if (st.chunksDone > 0) process.stderr.write(`resuming from ${stateFile}: ${st.chunksDone} chunks done\n`);
  }
  const dir = fuzzDir();
  await prepare(dir);
  const fx = fixtures(dir);
  const chunks = Math.ceil(cases / chunk);
  for (let c = st.chunksDone; c < chunks; c++) {
    const t0 = Date.now();
    const n = Math.min(chunk, cases - c * chunk);
    await fc.assert(
      fc.asyncProperty(caseArb(fx.length), async (k) => {
        const f = fx[k.fx];
        const o = await runCase(f, caseBytes(f, k.ms), dir);
        (st.counts[f.name] ??= {})[o.result] = (st.counts[f.name][o.result] ?? 0) + 1;
        if (!o.ok) st.violations.push(`${f.name} ${JSON.stringify(k.ms)}: ${o.detail.slice(0, 400)}`);
        return true;
      }),
      { numRuns: n, seed: seed + c },
    );
    st.chunksDone = c + 1;
    st.seconds += (Date.now() - t0) / 1000;
    // Saved atomically: a kill leaves the previous state or this one.
    const tmp = `${stateFile}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(st));
    fs.renameSync(tmp, stateFile);
    const done = Math.min(cases, st.chunksDone * chunk);
    process.stderr.write(`${done} cases, ${st.violations.length} violations, ${st.seconds.toFixed(0)} s\n`);
  }
  const total = Object.values(st.counts).reduce((s, c) => s + Object.values(c).reduce((a, b) => a + b, 0), 0);
  console.log(
    `fuzz: ${total} cases (seed ${seed}, ${chunks} chunks of ${chunk}) in ${st.seconds.toFixed(1)} s, ${st.violations.length} violations`,
  );
  for (const [name, c] of Object.entries(st.counts)) console.log(`  ${name.padEnd(14)} ${JSON.stringify(c)}`);
  for (const v of st.violations.slice(0, 50)) console.log('VIOLATION ' + v);
  process.exit(st.violations.length > 0 ? 1 : 0);
}

void main();
