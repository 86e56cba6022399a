/**
 * Fixed-seed slice of the fuzzing suite (test/rel/fuzzHarness.ts): a few thousand
 * mutated inputs of every format must each be refused clearly (exit 2, file and line
 * or field named) or succeed with outputs that pass the simulator invariants. The
 * long run is `nice -n 10 npx tsx scripts/fuzz.ts --cases 100000`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { caseArb, fixtures, fuzzDir, mutate, runCase } from './fuzzHarness';

const CASES = Number(process.env.FUZZ_CASES ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

test('every unmutated fixture loads and simulates (the fuzzer starts from valid inputs)', () => {
  const dir = fuzzDir();
  for (const f of fixtures(dir)) {
    const o = runCase(f, Buffer.from(f.text, 'utf8'), dir);
    assert.equal(o.result, 'success', `${f.name}: ${o.detail}`);
  }
});

test(`fuzz: ${CASES} mutated inputs (seed ${SEED}) are refused clearly or pass the invariants`, () => {
  const dir = fuzzDir();
  const fx = fixtures(dir);
  const outcomes = { success: 0, refused: 0 };
  fc.assert(
    fc.property(caseArb(fx.length), (c) => {
      const o = runCase(fx[c.fx], mutate(fx[c.fx].text, c.ms), dir);
      assert.ok(o.ok, `${fx[c.fx].name} ${JSON.stringify(c.ms)}: ${o.detail}`);
      outcomes[o.result as 'success' | 'refused']++;
    }),
    { numRuns: CASES, seed: SEED },
  );
  // Both outcomes occur: the mutations are neither all fatal nor all harmless.
  assert.ok(outcomes.success > CASES / 20 && outcomes.refused > CASES / 2, JSON.stringify(outcomes));
});
