import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noDurationEncoder } from '../../src/env/noDurationEncoder';
import { windowEncoder, JOB_FEATURES } from '../../src/env/observation';
import { Simulator } from '../../src/sim/simulator';
import type { Scheduler, SimContext } from '../../src/sim/scheduler';
import { makeJob } from '../../src/workload/job';
import { presetCluster } from '../../src/cluster/presets';

const IDLE: Scheduler = { name: 'idle', preemptive: false, reset() {}, schedule() {} };

function decisionPoint(): Simulator {
  const jobs = [
    makeJob({ id: 'a', submit: 0, duration: 1000, gpus: 2 }),
    makeJob({ id: 'b', submit: 0, duration: 50, gpus: 1 }),
    makeJob({ id: 'c', submit: 0, duration: 7, gpus: 3 }),
  ];
  const sim = new Simulator(jobs, presetCluster('uniform:1x4'), IDLE, { oversize: 'reject' });
  assert.ok(sim.nextDecision());
  return sim;
}

test('no-duration observation: the window encoding with the duration feature 0', () => {
  const sim = decisionPoint();
  const n = windowEncoder.size(4);
  const [o1, o2] = [new Float32Array(n), new Float32Array(n)];
  const [m1, m2] = [new Uint8Array(5), new Uint8Array(5)];
  const [s1, s2] = [new Int32Array(4), new Int32Array(4)];
  const truth = Float64Array.from(sim.jobs, (j) => j.duration);
  assert.equal(
    windowEncoder.encode(sim, 4, 4, o1, m1, s1, truth),
    noDurationEncoder.encode(sim, 4, 4, o2, m2, s2, truth),
  );
  assert.deepEqual(m1, m2);
  assert.deepEqual(s1, s2);
  for (let i = 0; i < n; i++) {
    const isDuration = i < 4 * JOB_FEATURES && i % JOB_FEATURES === 2;
    if (isDuration) assert.equal(o2[i], 0);
    else assert.equal(o2[i], o1[i], `feature ${i}`);
  }
  assert.ok(o1[2] > 0, 'the oracle window encoding does carry the duration');
});

test('no-duration observation never reads a duration or remaining time', () => {
  const sim = decisionPoint();
  const blind = new Proxy(sim as SimContext, {
    get(target, prop, recv) {
      if (prop === 'remaining' || prop === 'expectedFinish')
        return () => {
          throw new Error(`read ${String(prop)}`);
        };
      if (prop === 'jobs')
        return target.jobs.map(
          (j) =>
            new Proxy(j, {
              get(t, p) {
                if (p === 'duration') throw new Error('read duration');
                return Reflect.get(t, p);
              },
            }),
        );
      const v = Reflect.get(target, prop, recv);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const n = noDurationEncoder.size(4);
  const none = new Float64Array(3).fill(NaN);
  assert.equal(
    noDurationEncoder.encode(blind, 4, 4, new Float32Array(n), new Uint8Array(5), new Int32Array(4), none),
    3,
  );
  // The window encoder reads only the caller's believed durations, never the job's or remaining().
  assert.equal(
    windowEncoder.encode(blind, 4, 4, new Float32Array(n), new Uint8Array(5), new Int32Array(4), new Float64Array(3)),
    3,
  );
});
