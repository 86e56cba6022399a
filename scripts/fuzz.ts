/**
 * Long fuzzing run over every input format (see test/rel/fuzzHarness.ts for the
 * contract). Usage:
 *   nice -n 10 npx tsx scripts/fuzz.ts [--cases 100000] [--seed 1]
 * Prints the number of cases, outcomes per format and every violation (with the
 * mutations that produced it); exits 1 if there was any violation.
 */
import fc from 'fast-check';
import { caseArb, fixtures, fuzzDir, mutate, runCase } from '../test/rel/fuzzHarness';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const cases = arg('cases', 100_000);
const seed = arg('seed', 1);
const dir = fuzzDir();
const fx = fixtures(dir);
const counts: Record<string, Record<string, number>> = {};
const violations: string[] = [];
const t0 = Date.now();
let n = 0;
fc.assert(
  fc.property(caseArb(fx.length), (c) => {
    const f = fx[c.fx];
    const o = runCase(f, mutate(f.text, c.ms), dir);
    n++;
    (counts[f.name] ??= {})[o.result] = (counts[f.name]?.[o.result] ?? 0) + 1;
    if (!o.ok) violations.push(`${f.name} ${JSON.stringify(c.ms)}: ${o.detail.slice(0, 400)}`);
    if (n % 10_000 === 0)
      process.stderr.write(`${n} cases, ${violations.length} violations, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    return true;
  }),
  { numRuns: cases, seed },
);
console.log(
  `fuzz: ${n} cases (seed ${seed}) in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${violations.length} violations`,
);
for (const [name, c] of Object.entries(counts)) console.log(`  ${name.padEnd(11)} ${JSON.stringify(c)}`);
for (const v of violations.slice(0, 50)) console.log('VIOLATION ' + v);
process.exit(violations.length > 0 ? 1 : 0);
