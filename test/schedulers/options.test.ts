import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEDULERS, makeScheduler } from '../../src/schedulers/registry';
import { parsePolicyOptionArgs } from '../../src/schedulers/options';
import { UsageError } from '../../src/util/errors';
import { simulate } from '../../src/sim/simulator';
import { cluster, job } from './micro';

const schemaOf = (p: string) =>
  Object.prototype.hasOwnProperty.call(SCHEDULERS, p) ? SCHEDULERS[p].options : undefined;

test('every policy rejects an option its schema does not declare, naming the valid ones', () => {
  for (const [name, entry] of Object.entries(SCHEDULERS)) {
    assert.throws(
      () => makeScheduler(name, { noSuchOption: 1 }),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message.includes(`'${name}' has no option 'noSuchOption'`) &&
        Object.keys(entry.options).every((k) => e.message.includes(k)),
      name,
    );
  }
});

test("declared defaults are the factories' defaults: passing them changes no schedule", () => {
  // A small contended workload where every option matters (ticks, thresholds, estimates).
  const jobs = Array.from({ length: 40 }, (_, i) =>
    job(`j${i}`, i * 7, 30 + ((i * 37) % 400), 1 + (i % 3), { estimate: 50 + ((i * 53) % 500) }),
  );
  const c = cluster(2, 4);
  for (const [name, entry] of Object.entries(SCHEDULERS)) {
    const defaults = Object.fromEntries(Object.entries(entry.options).map(([k, s]) => [k, s.default]));
    const a = simulate(jobs, c, makeScheduler(name), { seed: 3 });
    const b = simulate(jobs, c, makeScheduler(name, defaults), { seed: 3 });
    assert.deepEqual(b.finish, a.finish, name);
    assert.deepEqual(b.preemptions, a.preemptions, name);
  }
});

test('wrong option types are usage errors that say what is expected', () => {
  assert.throws(
    () => makeScheduler('las', { tickInterval: '60' }),
    /'las' option 'tickInterval' must be a number >= 0/,
  );
  assert.throws(() => makeScheduler('las', { tickInterval: -1 }), /must be a number >= 0/);
  assert.throws(() => makeScheduler('gittins', { delta: 0 }), /must be a number > 0/);
  assert.throws(() => makeScheduler('tiresias', { thresholds: [1, 'x'] }), /list of numbers/);
  assert.throws(() => makeScheduler('easy', { useEstimates: 1 }), /true or false/);
  assert.throws(() => makeScheduler('fifo', { x: 1 }), /takes no options/);
});

test('--policy-opt items are parsed by the declared kind', () => {
  const o = parsePolicyOptionArgs(
    ['tiresias.thresholds=3600:36000', 'tiresias.promoteKnob=2', 'easy.useEstimates=true', 'las.tickInterval=0'],
    schemaOf,
  );
  assert.deepEqual(o, {
    tiresias: { thresholds: [3600, 36000], promoteKnob: 2 },
    easy: { useEstimates: true },
    las: { tickInterval: 0 },
  });
  assert.throws(() => parsePolicyOptionArgs(['tiresias.thresholds=1:x'], schemaOf), /expected a list of numbers/);
  assert.throws(() => parsePolicyOptionArgs(['nosuch.x=1'], schemaOf), /unknown policy 'nosuch'/);
  assert.throws(
    () => parsePolicyOptionArgs(['las.tick=1'], schemaOf),
    /'las' has no option 'tick'; its options: tickInterval/,
  );
  assert.throws(() => parsePolicyOptionArgs(['las'], schemaOf), /expected POLICY.OPTION=VALUE/);
});
