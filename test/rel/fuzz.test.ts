/**
 * Fixed-seed slice of the fuzzing suite (test/rel/fuzzHarness.ts): a few thousand
 * mutated inputs of every format must each be refused clearly (exit 2, file and line
 * or field named) or succeed with outputs that pass the invariants. The long run is
 * `nice -n 10 npx tsx scripts/fuzz.ts --cases 100000` (docs/reliability.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { caseArb, caseBytes, fixtures, fuzzDir, prepare, runCase } from './fuzzHarness';

const CASES = Number(process.env.FUZZ_CASES ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

test('every unmutated fixture loads and passes its checks (the fuzzer starts from valid inputs)', async () => {
  const dir = fuzzDir();
  await prepare(dir);
  for (const f of fixtures(dir)) {
    const o = await runCase(f, caseBytes(f, []), dir);
    assert.equal(o.result, 'success', `${f.name}: ${o.detail}`);
  }
});

test('every input format is fuzzed', async () => {
  const dir = fuzzDir();
  await prepare(dir);
  const names = fixtures(dir).map((f) => f.name);
  for (const want of [
    'philly', // Philly CSV (philly_jobs_pollux.csv shape)
    'openb', // Alibaba
    'swf',
    'rlsched-swf',
    'swf-gz',
    'swf-gz-bytes',
    'pollux',
    'helios',
    'philly-raw',
    'cluster',
    'jobs', // JOBS.json
    'config', // train --config
    'ck-state',
    'ck-model',
    'plan-yaml',
    'plan-json',
    'policy-config',
  ])
    assert.ok(names.includes(want), `no fixture '${want}'`);
});

test(`fuzz: ${CASES} mutated inputs (seed ${SEED}) are refused clearly or pass the invariants`, async () => {
  const dir = fuzzDir();
  await prepare(dir);
  const fx = fixtures(dir);
  const outcomes = { success: 0, refused: 0 };
  const perFormat = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(caseArb(fx.length), async (c) => {
      const f = fx[c.fx];
      const o = await runCase(f, caseBytes(f, c.ms), dir);
      assert.ok(o.ok, `${f.name} ${JSON.stringify(c.ms)}: ${o.detail}`);
      outcomes[o.result as 'success' | 'refused']++;
      perFormat.set(f.name, (perFormat.get(f.name) ?? 0) + 1);
    }),
    { numRuns: CASES, seed: SEED },
  );
  // Both outcomes occur: the mutations are neither all fatal nor all harmless.
  assert.ok(outcomes.success > CASES / 20 && outcomes.refused > CASES / 2, JSON.stringify(outcomes));
  assert.equal(perFormat.size, fx.length, 'a format got no case');
});
