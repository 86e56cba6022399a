/**
 * Entry point of an A3C worker thread: builds one A3cActor from the posted config and env
 * recipe, then answers every parameter vector it receives with one rollout's gradient. It
 * computes nothing on its own initiative, so what it sends depends only on what it was sent
 * (the determinism of a3c.ts rests on this).
 *
 * Messages in: { params } (a rollout with these parameters) or { stop }. Out: A3cGradient, or
 * { error } when the actor throws (the learner rethrows it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { envFromRecipe, type EnvRecipe } from '../env/recipe';
import { Rng } from '../util/rng';
import { A3cActor, type A3cActorConfig, type A3cActorStart, type A3cActorState } from './a3cActor';

/** What the learner passes as workerData. */
export interface A3cWorkerData {
  cfg: A3cActorConfig;
  recipe: EnvRecipe;
  start: A3cActorStart | A3cActorState;
  /**
   * Test hook: sleep a random 0…jitterMs ms before each rollout (thread timing must not matter),
   * drawn from a stream of its own seeded with jitterSeed (never the actor's).
   */
  jitterMs: number;
  jitterSeed: number;
}

/** A learner → worker message. */
export type A3cWorkerRequest = { params: Float32Array } | { stop: true };

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('a3cWorker: not started as a worker thread');
  const data = workerData as A3cWorkerData;
  let actor: A3cActor;
  try {
    actor = new A3cActor(data.cfg, () => envFromRecipe(data.recipe));
    actor.start(data.start);
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return;
  }
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  const jitter = new Rng(data.jitterSeed);
  port.on('message', (msg: A3cWorkerRequest) => {
    if ('stop' in msg) {
      port.close();
      return;
    }
    try {
      if (data.jitterMs > 0) Atomics.wait(sleep, 0, 0, jitter.random() * data.jitterMs);
      const g = actor.rollout(msg.params);
      port.postMessage(g, [g.grad.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}

main();
