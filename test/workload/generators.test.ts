import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEEPRM_WORKLOAD_DEFAULTS,
  EMBEDDED_DEFAULTS,
  EMBEDDED_DEFAULT_CLUSTER,
  deeprmWorkload,
  embeddedDefaultWorkload,
  offeredLoad,
  poissonFromWorkload,
  poissonWorkload,
  samplePhillyShape,
} from '../../src/workload/generators';
import { PHILLY_SHAPE, PHILLY_SHAPE_JOBS } from '../../src/workload/phillyShape';
import { loadPhilly } from '../../src/workload/loaders/philly';
import { sharedDataset } from '../../src/workload/traces';
import { Job } from '../../src/workload/job';
import { Rng } from '../../src/util/rng';
import { UsageError } from '../../src/util/errors';
import { presetCluster } from '../../src/cluster/presets';
import { clusterTotals } from '../../src/cluster/spec';

/** Offered load computed here from scratch, not with the module's helper. */
function loadOf(jobs: readonly Job[], capacity: number): number {
  const work = jobs.reduce((s, j) => s + j.duration * (j.gpus + j.gpuShare), 0);
  return work / (capacity * Math.max(...jobs.map((j) => j.submit)));
}

describe('poissonFromWorkload (Philly source)', () => {
  const philly = loadPhilly(sharedDataset('philly', 'philly_jobs_pollux.csv'));
  const g = poissonFromWorkload(philly, { jobs: 100_000, capacityGpus: 3205, targetLoad: 0.7, seed: 11 });
  const jobs = g.workload.jobs;

  test('produced load within ±2% of the target over 1e5 jobs, and reported honestly', () => {
    assert.equal(jobs.length, 100_000);
    const actual = loadOf(jobs, 3205);
    assert.ok(Math.abs(actual / 0.7 - 1) < 0.02, `load ${actual}`);
    assert.ok(Math.abs(g.offeredLoad - actual) < 1e-9);
    assert.equal(offeredLoad(jobs, 3205), g.offeredLoad);
  });

  test('arrivals are Poisson-like: sorted, exponential gaps (CV ≈ 1)', () => {
    const gaps: number[] = [];
    for (let i = 1; i < jobs.length; i++) {
      assert.ok(jobs[i].submit >= jobs[i - 1].submit);
      gaps.push(jobs[i].submit - jobs[i - 1].submit);
    }
    const mean = gaps.reduce((s, x) => s + x, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, x) => s + (x - mean) ** 2, 0) / gaps.length);
    assert.ok(Math.abs(sd / mean - 1) < 0.03, `cv ${sd / mean}`);
    // P(gap > mean) = e^-1 for an exponential.
    const above = gaps.filter((x) => x > mean).length / gaps.length;
    assert.ok(Math.abs(above - Math.exp(-1)) < 0.01, `${above}`);
  });

  test('(duration, gpus) pairs are resampled jointly from the source', () => {
    const pairs = new Set(philly.jobs.map((j) => `${j.duration}/${j.gpus}/${j.group}`));
    assert.ok(jobs.every((j) => pairs.has(`${j.duration}/${j.gpus}/${j.group}`)));
    const single = jobs.filter((j) => j.gpus === 1).length / jobs.length;
    assert.ok(Math.abs(single - 0.9317) < 0.005, `${single}`);
  });

  test('other targets and capacities; jobs larger than maxGpus never drawn', () => {
    for (const [cap, target] of [
      [512, 0.9],
      [8, 0.5],
    ] as const) {
      const r = poissonFromWorkload(philly, { jobs: 20_000, capacityGpus: cap, targetLoad: target, seed: 3 });
      assert.ok(Math.abs(loadOf(r.workload.jobs, cap) / target - 1) < 0.02);
      assert.ok(r.workload.jobs.every((j) => j.gpus <= cap));
    }
  });

  test('deterministic: same seed → same jobs; another seed → different jobs', () => {
    const o = { jobs: 500, capacityGpus: 512, targetLoad: 0.8 };
    const a = poissonFromWorkload(philly, { ...o, seed: 5 }).workload.jobs;
    const b = poissonFromWorkload(philly, { ...o, seed: 5 }).workload.jobs;
    const c = poissonFromWorkload(philly, { ...o, seed: 6 }).workload.jobs;
    assert.deepEqual(a, b);
    assert.notDeepEqual(
      a.map((j) => j.duration),
      c.map((j) => j.duration),
    );
    assert.equal(a[0].id, 'resampled-philly-0');
  });
});

describe('poissonWorkload', () => {
  test('fixed demand: span = jobs × work / (capacity × load)', () => {
    const g = poissonWorkload(() => ({ duration: 100, gpus: 2 }), {
      jobs: 50,
      capacityGpus: 10,
      targetLoad: 0.5,
      seed: 1,
    });
    assert.equal(g.workload.jobs.at(-1)!.submit, (50 * 200) / (10 * 0.5));
    assert.ok(Math.abs(g.offeredLoad - 0.5) < 1e-12);
  });

  test('zero GPU work and bad options are UsageErrors', () => {
    assert.throws(
      () => poissonWorkload(() => ({ duration: 5, gpus: 0 }), { jobs: 3, capacityGpus: 1, targetLoad: 1, seed: 0 }),
      UsageError,
    );
    assert.throws(
      () => poissonWorkload(() => ({ duration: 5, gpus: 1 }), { jobs: 0, capacityGpus: 1, targetLoad: 1, seed: 0 }),
      UsageError,
    );
    assert.throws(
      () => poissonWorkload(() => ({ duration: 5, gpus: 1 }), { jobs: 3, capacityGpus: 1, targetLoad: -1, seed: 0 }),
      UsageError,
    );
  });
});

describe('deeprmWorkload', () => {
  const simuLen = 100_000;
  const d = deeprmWorkload({ seed: 42, simuLen, newJobRate: 0.7 });
  const jobs = d.workload.jobs;

  test('arrival rate, bimodal lengths, dominant/other demands as in the spec', () => {
    assert.ok(Math.abs(jobs.length / simuLen - 0.7) < 0.01);
    const small = jobs.filter((j) => j.duration <= 3).length / jobs.length;
    assert.ok(Math.abs(small - 0.8) < 0.01, `${small}`);
    for (const j of jobs) {
      assert.ok((j.duration >= 1 && j.duration <= 3) || (j.duration >= 10 && j.duration <= 15), `len ${j.duration}`);
      const [dom, other] = j.group === 'gpu-heavy' ? [j.gpus, j.cpus] : [j.cpus, j.gpus];
      assert.ok(dom >= 5 && dom <= 10 && other >= 1 && other <= 2, `${j.gpus}/${j.cpus}`);
      assert.ok(Number.isInteger(j.submit) && j.submit < simuLen);
    }
    // Every value of each uniform range occurs.
    assert.deepEqual(
      [...new Set(jobs.map((j) => j.duration))].sort((a, b) => a - b),
      [1, 2, 3, 10, 11, 12, 13, 14, 15],
    );
    const meanLen = jobs.reduce((s, j) => s + j.duration, 0) / jobs.length;
    assert.ok(Math.abs(meanLen - 4.1) < 0.05, `${meanLen}`);
  });

  test('load per resource ≈ 1.845 × rate, and equals Σ len·units / (resSlot · simuLen)', () => {
    for (const r of d.load) assert.ok(Math.abs(r / (1.845 * 0.7) - 1) < 0.02, `${r}`);
    const gpuUnits = jobs.reduce((s, j) => s + j.duration * j.gpus, 0);
    assert.equal(d.load[0], gpuUnits / (DEEPRM_WORKLOAD_DEFAULTS.resSlot * simuLen));
  });

  test('cluster scaling and determinism', () => {
    const a = deeprmWorkload({ seed: 7, simuLen: 200, secondsPerStep: 60, gpusPerUnit: 8, cpusPerUnit: 4 });
    const b = deeprmWorkload({ seed: 7, simuLen: 200 });
    assert.equal(a.workload.jobs.length, b.workload.jobs.length);
    a.workload.jobs.forEach((j, i) => {
      const k = b.workload.jobs[i];
      assert.deepEqual(
        [j.submit, j.duration, j.gpus, j.cpus],
        [k.submit * 60, k.duration * 60, k.gpus * 8, k.cpus * 4],
      );
    });
    assert.deepEqual(a.load, b.load);
    assert.deepEqual(deeprmWorkload({ seed: 7, simuLen: 200 }), b);
  });
});

describe('embedded Philly shape and default workload', () => {
  test('shape table: small, consistent with the Philly table it came from', () => {
    assert.ok(PHILLY_SHAPE.reduce((s, c) => s + c.durations.length, 0) <= 300);
    assert.equal(
      PHILLY_SHAPE.reduce((s, c) => s + c.count, 0),
      PHILLY_SHAPE_JOBS,
    );
    assert.equal(PHILLY_SHAPE.find((c) => c.gpus === 1)!.count, 76627);
    for (const c of PHILLY_SHAPE)
      for (let i = 1; i < c.durations.length; i++) assert.ok(c.durations[i - 1] <= c.durations[i]);
  });

  test('sampling reproduces the 1-GPU median (1,117 s) and the single-GPU share', () => {
    const rng = new Rng(9);
    const one: number[] = [];
    let n = 0;
    for (let i = 0; i < 200_000; i++) {
      const d = samplePhillyShape(rng);
      if (d.gpus === 1) one.push(d.duration);
      n++;
    }
    one.sort((a, b) => a - b);
    assert.ok(Math.abs(one.length / n - 0.9317) < 0.003);
    const med = one[one.length >> 1];
    assert.ok(Math.abs(med / 1117 - 1) < 0.05, `median ${med}`);
  });

  // Speed is measured by the benchmarks, not asserted in tests (a busy CI machine would flake).
  test('embeddedDefaultWorkload: Philly-like, exact target load, reproducible', () => {
    const g = embeddedDefaultWorkload(1);
    const jobs = g.workload.jobs;
    assert.equal(jobs.length, EMBEDDED_DEFAULTS.jobs);
    assert.ok(Math.abs(loadOf(jobs, EMBEDDED_DEFAULTS.capacityGpus) - EMBEDDED_DEFAULTS.targetLoad) < 1e-9);
    const single = jobs.filter((j) => j.gpus === 1).length / jobs.length;
    assert.ok(single > 0.91 && single < 0.95, `${single}`);
    assert.ok(jobs.every((j) => j.gpus <= EMBEDDED_DEFAULTS.capacityGpus && j.duration >= 1));
    assert.equal(clusterTotals(presetCluster(EMBEDDED_DEFAULT_CLUSTER)).gpus, EMBEDDED_DEFAULTS.capacityGpus);
    assert.deepEqual(embeddedDefaultWorkload(1).workload.jobs, jobs);
    assert.notDeepEqual(embeddedDefaultWorkload(2).workload.jobs.slice(0, 20), jobs.slice(0, 20));
    const small = embeddedDefaultWorkload(1, { jobs: 100, capacityGpus: 16, targetLoad: 0.5 });
    assert.ok(small.workload.jobs.every((j) => j.gpus <= 16));
    assert.ok(Math.abs(small.offeredLoad - 0.5) < 1e-9);
  });
});
