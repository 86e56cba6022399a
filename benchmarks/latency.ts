/**
 * Inference latency of a scheduling policy network: one forward pass + masked
 * argmax for a batch of B decisions (B = 1, 32, 256, 4096), on every tfjs backend
 * present (tensorflow native, wasm, cpu) and on the agents' fast path
 * (FastMlp: plain typed arrays; `forward` for one observation, `forwardBatch` for B); plus
 * one training step (policy-gradient loss, Adam) at batch 256 per backend.
 *
 * ms/op is the latency of one batched decision call; decisions/s = B / latency.
 */
import {
  Rng,
  observationSize,
  tf,
  initBackend,
  Mlp,
  Optimizer,
  trainStep,
  maskTensor,
  maskedLogSoftmax,
  pickColumns,
  FastMlp,
  type Scalar,
} from 'lepton';
import { anySelected, runCases, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';

export const LATENCY_SUITE = 'inference-latency';

/** The benchmarked network: Lepton's observation (window of 10 jobs) → [64, 64] ReLU MLP → 11 actions. */
export const LATENCY_WINDOW = 10;
export const LATENCY_HIDDEN = [64, 64] as const;
export const LATENCY_BATCHES = [1, 32, 256, 4096] as const;
export const TRAIN_BATCH = 256;
export const LATENCY_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;

export let latencySink = 0;

/** Masked argmax of each of `n` rows of `out`; row r uses mask[moff + r·actions ..]. */
function argmaxRows(out: ArrayLike<number>, n: number, actions: number, mask: Uint8Array, moff = 0): void {
  for (let r = 0; r < n; r++) {
    let best = -1;
    let bestV = -Infinity;
    for (let a = 0; a < actions; a++) {
      const v = out[r * actions + a];
      if (mask[moff + r * actions + a] && v > bestV) {
        bestV = v;
        best = a;
      }
    }
    latencySink += best;
  }
}

export async function latencySuite(opts: BenchOptions): Promise<SuiteOutcome> {
  const allNames = [
    ...LATENCY_BACKENDS.flatMap((k) => [
      ...LATENCY_BATCHES.map((b) => `${k} decide batch ${b}`),
      `${k} train step batch ${TRAIN_BATCH}`,
    ]),
    ...LATENCY_BATCHES.map((b) => `fast path decide batch ${b}`),
  ];
  if (!anySelected(opts, LATENCY_SUITE, allNames))
    return { suite: LATENCY_SUITE, skipped: 'no case matches --filter', results: [] };
  const notes: string[] = [];
  const inputSize = observationSize(LATENCY_WINDOW);
  const actions = LATENCY_WINDOW + 1;
  const maxB = LATENCY_BATCHES[LATENCY_BATCHES.length - 1];
  const rng = new Rng(3);
  const obs = new Float32Array(maxB * inputSize);
  for (let i = 0; i < obs.length; i++) obs[i] = rng.random();
  const mask = new Uint8Array(maxB * actions);
  for (let i = 0; i < mask.length; i++) mask[i] = i % actions === actions - 1 || rng.random() < 0.5 ? 1 : 0; // "wait" always legal
  const trainActions = new Int32Array(TRAIN_BATCH);
  const advantages = new Float32Array(TRAIN_BATCH);
  for (let r = 0; r < TRAIN_BATCH; r++) {
    trainActions[r] = actions - 1;
    advantages[r] = rng.normal();
  }
  const spec = { inputSize, hiddenSizes: [...LATENCY_HIDDEN], outputSize: actions };

  const results = [];
  let fastDone = false;
  for (const want of LATENCY_BACKENDS) {
    const names = [
      ...LATENCY_BATCHES.map((b) => `${want} decide batch ${b}`),
      `${want} train step batch ${TRAIN_BATCH}`,
    ];
    const fastNames = LATENCY_BATCHES.map((b) => `fast path decide batch ${b}`);
    if (!anySelected(opts, LATENCY_SUITE, [...names, ...(fastDone ? [] : fastNames)])) continue;
    const got = await initBackend(want);
    if (got !== want) {
      notes.push(`tfjs backend '${want}' not available (got '${got}')`);
      continue;
    }
    const net = new Mlp(spec, new Rng(11), `bench_${want}`);
    const opt = new Optimizer(net.variables, { kind: 'adam', lr: 1e-4 });
    const cases: BenchCase[] = LATENCY_BATCHES.map((b, i) => ({
      name: names[i],
      fn: () => argmaxRows(net.predict(obs, b), b, actions, mask),
      perOp: b,
      unit: 'decisions',
      info: { backend: got, batch: b, inputSize, hidden: LATENCY_HIDDEN.join('x'), actions },
    }));
    const xTrain = obs.subarray(0, TRAIN_BATCH * inputSize);
    cases.push({
      name: names[LATENCY_BATCHES.length],
      fn: () =>
        trainStep(opt, () => {
          const x = tf.tensor2d(xTrain, [TRAIN_BATCH, inputSize]);
          const logp = maskedLogSoftmax(net.forward(x), maskTensor(mask, TRAIN_BATCH, actions));
          const chosen = pickColumns(logp, trainActions);
          return tf.neg(tf.mean(tf.mul(chosen, tf.tensor1d(advantages)))) as Scalar;
        }),
      perOp: 1,
      unit: 'updates',
      info: { backend: got, batch: TRAIN_BATCH, optimizer: 'adam' },
    });
    // The fast path (plain typed arrays, one observation per call) is backend
    // independent: time it once, with the first network built.
    if (!fastDone) {
      fastDone = true;
      const fm = FastMlp.fromMlp(net);
      const logits = new Float32Array(maxB * actions);
      LATENCY_BATCHES.forEach((b, i) =>
        cases.push({
          name: fastNames[i],
          // One observation: forward(); a batch: forwardBatch() (rows in pairs, shared weight loads).
          fn:
            b === 1
              ? () => argmaxRows(fm.forward(obs, 0), 1, actions, mask)
              : () => argmaxRows(fm.forwardBatch(obs, b, logits), b, actions, mask),
          perOp: b,
          unit: 'decisions',
          info: { backend: 'fastpath', batch: b, inputSize, hidden: LATENCY_HIDDEN.join('x'), actions },
        }),
      );
    }
    results.push(...(await runCases(LATENCY_SUITE, cases, opts)));
    opt.dispose();
    net.dispose();
  }
  notes.push(
    `network ${inputSize}→${LATENCY_HIDDEN.join('→')}→${actions} (ReLU), tfjs backends timed: ${[...new Set(results.map((r) => r.info?.backend))].join(', ') || 'none'}`,
  );
  return { suite: LATENCY_SUITE, results, notes };
}
