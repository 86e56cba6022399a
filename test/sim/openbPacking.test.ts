/**
 * Packing mode (FGD paper, ATC'23): hand-computed fragmentation and FGD micro-cases, property tests
 * of the sharing rules and capacities for every placement policy, FGD = brute-force argmin of the
 * cluster's ΔF(M), and determinism of the pod orders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ClusterSpec } from '../../src/cluster/spec';
import { PackingCluster } from '../../src/sim/packing/cluster';
import { FragmentationModel, taskFragmentation } from '../../src/sim/packing/fragmentation';
import { inflatedOrder } from '../../src/sim/packing/order';
import { runPacking, type PackingChoice } from '../../src/sim/packing/run';
import { ANY_TYPE, PodSpecs } from '../../src/sim/packing/specs';
import { fgdNodeStep, fgdPolicy, type FgdStep } from '../../src/schedulers/packing/fgd';
import { PACKING_POLICIES, PACKING_POLICY_KINDS } from '../../src/schedulers/packing/registry';
import { Rng } from '../../src/util/rng';

type Row = { cpu: number; mem: number; numGpu: number; milli: number; typeMask: number };
const spec = (cpu: number, numGpu: number, milli: number, typeMask = ANY_TYPE, mem = 0): Row => ({
  cpu,
  mem,
  numGpu,
  milli,
  typeMask,
});
const node = (name: string, gpus: number, cpus = 8, memMiB = 1000, gpuType = 'A'): ClusterSpec['nodes'][number] => ({
  name,
  gpus,
  gpuType,
  cpus,
  memMiB,
});

test('F_n(m): hand-computed cases of the paper’s definition', () => {
  const specs = new PodSpecs([
    spec(1000, 1, 300), // 0: share 0.3, fits → only GPUs with < 300 free are fragments
    spec(1000, 1, 1000), // 1: one whole GPU, fits (one idle GPU)
    spec(1000, 2, 1000), // 2: two whole GPUs, only one idle → cannot run → all free GPU
    spec(1000, 0, 0), // 3: CPU-only task → all free GPU
    spec(9000, 1, 300), // 4: lacks CPU → all free GPU
    spec(1000, 1, 300, 0b10), // 5: model B only, node is model A → all free GPU
    spec(1000, 1, 300, ANY_TYPE, 2000), // 6: lacks memory → all free GPU
  ]);
  const gpus = Int32Array.from([1000, 500, 200, 0]);
  const F = (m: number): number => taskFragmentation(0, 8000, 1000, gpus, 0, 4, specs, m);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map(F), [200, 700, 1700, 1700, 1700, 1700, 1700]);
  // F_n(M) = 0.5·200 + 0.25·700 + 0.25·1700 = 700
  const model = new FragmentationModel(specs, Float64Array.from([0.5, 0.25, 0.25, 0, 0, 0, 0]));
  assert.equal(model.ofState(0, 8000, 1000, gpus, 0, 4), 700);
  // A node without free GPU capacity has no fragmentation.
  assert.equal(taskFragmentation(0, 8000, 1000, Int32Array.from([0, 0]), 0, 2, specs, 3), 0);
});

test('FGD: hand-computed Δ and choice (share of 0.5 GPU, M = {0.5 GPU: ½, 1 GPU: ½})', () => {
  const c2 = new PackingCluster({ name: 't', nodes: [node('a', 2), node('b', 2)] });
  // Spec 2 (a 0.4 share, not in M) only prepares node b = [1000, 600].
  const specs2 = new PodSpecs([spec(1000, 1, 500), spec(1000, 1, 1000), spec(0, 1, 400)]);
  const frag2 = new FragmentationModel(specs2, Float64Array.from([0.5, 0.5, 0]));
  c2.place(1, specs2, 2, 1);
  assert.deepEqual(Array.from(c2.gpuFree), [1000, 1000, 1000, 600]);
  // F_a = 0; F_b = ½·0 + ½·600 = 300.
  assert.equal(frag2.ofNode(c2, 0), 0);
  assert.equal(frag2.ofNode(c2, 1), 300);
  const st: FgdStep = { delta: 0, level: 0 };
  const scratch = new Int32Array(2);
  // On a: [500, 1000] → ½·0 + ½·500 = 250, Δ = +250.
  fgdNodeStep(c2, specs2, 0, 0, frag2, scratch, st);
  assert.deepEqual(st, { delta: 250, level: 1000 });
  // On b, GPU with 600 → [1000, 100]: ½·100 + ½·100 = 100, Δ = −200 (GPU with 1000 → [500, 600]: ½·1100 = 550, Δ = +250).
  fgdNodeStep(c2, specs2, 0, 1, frag2, scratch, st);
  assert.deepEqual(st, { delta: -200, level: 600 });
  const out: PackingChoice = { node: -1, gpu: -1 };
  assert.equal(fgdPolicy(frag2).choose(c2, specs2, 0, out), true);
  assert.deepEqual(out, { node: 1, gpu: 1 });
  // First fit would take node a, GPU 0 instead.
  assert.equal(PACKING_POLICIES.firstfit.create({ rng: new Rng(1), frag: frag2 }).choose(c2, specs2, 0, out), true);
  assert.deepEqual(out, { node: 0, gpu: 0 });
});

test('sharing rules: a share takes one GPU, k whole GPUs take k idle GPUs; infeasible placements throw', () => {
  const specs = new PodSpecs([spec(1000, 1, 300), spec(1000, 2, 1000), spec(1000, 0, 0), spec(100_000, 0, 0)]);
  const c = new PackingCluster({ name: 't', nodes: [node('a', 4)] });
  c.place(0, specs, 0, 2);
  assert.deepEqual(Array.from(c.gpuFree), [1000, 1000, 700, 1000]);
  c.place(0, specs, 1);
  assert.deepEqual(Array.from(c.gpuFree), [0, 0, 700, 1000]);
  assert.equal(c.canHost(0, specs, 1), false); // one idle GPU left, a 700 share does not count
  assert.throws(() => c.place(0, specs, 1), /does not fit/);
  assert.throws(() => c.place(0, specs, 0, 0), /cannot take/); // GPU 0 is full
  assert.throws(() => c.place(0, specs, 3), /does not fit/); // CPU
  c.place(0, specs, 2);
  assert.equal(c.allocatedGpuMilli, 2300);
  assert.equal(c.cpuFree[0], 8000 - 3000);
});

const clusterArb = fc.array(
  fc.record({
    gpus: fc.integer({ min: 0, max: 4 }),
    cpus: fc.integer({ min: 1, max: 16 }),
    type: fc.integer({ min: 0, max: 1 }),
  }),
  { minLength: 1, maxLength: 5 },
);
const specArb = fc.oneof(
  fc.record({ cpu: fc.integer({ min: 0, max: 6000 }), numGpu: fc.constant(0), milli: fc.constant(0) }),
  fc.record({
    cpu: fc.integer({ min: 0, max: 6000 }),
    numGpu: fc.constant(1),
    milli: fc.integer({ min: 1, max: 1000 }),
  }),
  fc.record({
    cpu: fc.integer({ min: 0, max: 6000 }),
    numGpu: fc.integer({ min: 2, max: 4 }),
    milli: fc.constant(1000),
  }),
);
const caseArb = fc.record({
  nodes: clusterArb,
  specs: fc.array(fc.record({ r: specArb, typed: fc.boolean() }), { minLength: 1, maxLength: 5 }),
  order: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
  seed: fc.nat(),
});
type Case = fc.Arbitrary<typeof caseArb extends fc.Arbitrary<infer T> ? T : never>;
function build(k: Case extends fc.Arbitrary<infer T> ? T : never) {
  const spec0: ClusterSpec = {
    name: 'p',
    nodes: k.nodes.map((n, i) => node(`n${i}`, n.gpus, n.cpus, 64, n.type ? 'B' : 'A')),
  };
  const c = new PackingCluster(spec0);
  const rows = k.specs.map(({ r, typed }) => spec(r.cpu, r.numGpu, r.milli, typed ? 0b1 : ANY_TYPE, 1));
  const specs = new PodSpecs(rows);
  const pop = new Float64Array(rows.length).fill(1 / rows.length);
  const order = Int32Array.from(k.order, (x) => x % rows.length);
  return { spec0, c, specs, pop, frag: new FragmentationModel(specs, pop), order };
}

test('property: every policy keeps every node within capacity and follows the sharing rules', () => {
  fc.assert(
    fc.property(caseArb, (k) => {
      const { c, specs, frag, order } = build(k);
      for (const kind of PACKING_POLICY_KINDS) {
        c.reset();
        const p = PACKING_POLICIES[kind].create({ rng: new Rng(k.seed), frag });
        const out: PackingChoice = { node: -1, gpu: -1 };
        for (const s of order) {
          const feasible = Array.from({ length: c.numNodes }, (_, n) => c.canHost(n, specs, s)).some(Boolean);
          const before = Int32Array.from(c.gpuFree);
          const ok = p.choose(c, specs, s, out);
          assert.equal(ok, feasible, `${kind}: fails iff no node fits`);
          if (!ok) continue;
          assert.ok(c.canHost(out.node, specs, s), `${kind}: chose an infeasible node`);
          c.place(out.node, specs, s, out.gpu);
          const changed: number[] = [];
          for (let g = 0; g < before.length; g++)
            if (before[g] !== c.gpuFree[g]) changed.push(before[g] - c.gpuFree[g]);
          if (specs.numGpu[s] === 0) assert.deepEqual(changed, []);
          else if (specs.isShare(s)) assert.deepEqual(changed, [specs.milli[s]]);
          else assert.deepEqual(changed, new Array(specs.numGpu[s]).fill(1000));
          for (let n = 0; n < c.numNodes; n++) {
            assert.ok(c.cpuFree[n] >= 0 && c.memFree[n] >= 0, `${kind}: node ${n} over capacity`);
            for (let g = c.gpuOffset[n]; g < c.gpuOffset[n + 1]; g++)
              assert.ok(c.gpuFree[g] >= 0 && c.gpuFree[g] <= 1000);
          }
        }
        let used = 0;
        for (const f of c.gpuFree) used += 1000 - f;
        assert.equal(c.allocatedGpuMilli, used);
      }
    }),
    { numRuns: 150 },
  );
});

test('property: FGD picks the placement with the least growth of the whole cluster’s F(M) (brute force)', () => {
  fc.assert(
    fc.property(caseArb, (k) => {
      const { spec0, c, specs, pop, frag, order } = build(k);
      const p = fgdPolicy(frag);
      const out: PackingChoice = { node: -1, gpu: -1 };
      const history: [number, number, number][] = [];
      const replay = (extra?: [number, number, number]): number => {
        const r = new PackingCluster(spec0);
        for (const [n, s, g] of history) r.place(n, specs, s, g);
        if (extra) r.place(extra[0], specs, extra[1], extra[2]);
        return new FragmentationModel(specs, pop).ofCluster(r);
      };
      for (const s of order) {
        if (!p.choose(c, specs, s, out)) continue;
        const base = replay();
        const chosen = replay([out.node, s, out.gpu]) - base;
        for (let n = 0; n < c.numNodes; n++) {
          if (!c.canHost(n, specs, s)) continue;
          const gs = specs.isShare(s)
            ? [...Array(c.gpuCount[n]).keys()].filter((g) => c.gpuFree[c.gpuOffset[n] + g] >= specs.milli[s])
            : [-1];
          for (const g of gs) assert.ok(chosen <= replay([n, s, g]) - base + 1e-9, `node ${n} gpu ${g} beats FGD`);
        }
        history.push([out.node, s, out.gpu]);
        c.place(out.node, specs, s, out.gpu);
      }
    }),
    { numRuns: 60 },
  );
});

test('pod orders: the paper’s inflation to ratio × capacity, a permutation, identical for a seed', () => {
  const specs = new PodSpecs([spec(0, 1, 500), spec(0, 1, 1000), spec(0, 0, 0), spec(0, 2, 1000)]);
  const pods = Int32Array.from([0, 1, 2, 3, 0]);
  const a = inflatedOrder(pods, specs, 10_000, 1.3, 7);
  assert.deepEqual(a, inflatedOrder(pods, specs, 10_000, 1.3, 7));
  assert.notDeepEqual(a, inflatedOrder(pods, specs, 10_000, 1.3, 8));
  let total = 0;
  for (const s of a) total += specs.gpuMilliTotal(s);
  assert.ok(total <= 13_000, 'never above the target');
  // every pod of the file is in the order (inflating up never drops one)
  const counts = [0, 0, 0, 0];
  for (const s of a) counts[s]++;
  assert.ok(counts[0] >= 2 && counts[1] >= 1 && counts[2] >= 1 && counts[3] >= 1);
  // Above the target, pods are removed instead.
  let small = 0;
  for (const s of inflatedOrder(pods, specs, 1000, 1.5, 7)) small += specs.gpuMilliTotal(s);
  assert.ok(small <= 1500);
});

test('runPacking: curve points at every grid step, first failure before the failing pod, byte-identical reruns', () => {
  const specs = new PodSpecs([spec(1000, 1, 1000), spec(1000, 1, 600)]);
  const frag = new FragmentationModel(specs, Float64Array.from([0.5, 0.5]));
  const c = new PackingCluster({ name: 't', nodes: [node('a', 2)] });
  // 0.6, 0.6 → two GPUs at 400 free each; then a whole GPU fails.
  const order = Int32Array.from([1, 1, 0]);
  const r = runPacking(c, specs, order, fgdPolicy(frag), frag, 0.1);
  assert.equal(r.capacityGpu, 2);
  assert.deepEqual(r.firstFailure, {
    pods: 2,
    arrivedGpu: 1.2,
    allocatedGpu: 1.2,
    fragGpu: 0.8, // both 400-milli remnants are fragments for both tasks
    unallocatedGpu: 0.8,
    failedPods: 0,
    failedGpu: 0,
  });
  assert.equal(r.final.failedPods, 1);
  assert.equal(r.final.arrivedGpu, 2.2);
  assert.equal(r.curve.length, 11); // 2.2 GPUs arrived of 2 = 110 % → 11 points of 10 %
  assert.equal(r.curve[2].pods, 1); // 30 %: after the first pod (0.6 of 2)
  assert.equal(JSON.stringify(r), JSON.stringify(runPacking(c, specs, order, fgdPolicy(frag), frag, 0.1)));
});
