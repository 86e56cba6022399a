/**
 * Lepton's DeepRM environment served to Python over stdin/stdout (binary, little-endian), for
 * scripts/sb3/compare.py: the library (stable-baselines3 MaskablePPO) trains on exactly the
 * environment Lepton trains on, N training envs stepped together (one round trip per vector step).
 *
 *   npx tsx scripts/sb3/bridge.ts N
 *
 * Protocol: at start the bridge writes int32 D (observation size), int32 A (actions).
 *   'R'                 → reset every env: N×D float32 observations, N×A uint8 masks
 *   'S' + N int32       → step env i with action i (a finished episode is reset at once, as an
 *                          SB3 VecEnv does): N×D float32 obs, N×A uint8 masks, N float32
 *                          rewards, N uint8 dones
 *   'Q'                 → float64 CPU seconds this process used; then it exits
 * Env i's k-th episode replays training job set (i + N·k) mod numTrainSets.
 */
import { readSync, writeSync } from 'node:fs';
import { makeDeeprmTask, type Env } from 'lepton';

const N = Number(process.argv[2] ?? '8');
if (!Number.isInteger(N) || N < 1) {
  process.stderr.write(`bridge: N must be a positive integer, got ${process.argv[2]}\n`);
  process.exit(2);
}
const task = makeDeeprmTask();
const envs: Env[] = Array.from({ length: N }, () => task.makeTrainEnv());
const D = envs[0].observationSize;
const A = envs[0].numActions;
const episodes = new Int32Array(N);
const obsOut = new Float32Array(N * D);
const maskOut = new Uint8Array(N * A);
const rewOut = new Float32Array(N);
const doneOut = new Uint8Array(N);
const actIn = new Int32Array(N);
const cmd = Buffer.alloc(1);

// Node may hand this process non-blocking pipes: a read or write that would block throws EAGAIN,
// which only means "not yet" — wait a moment (without spinning a core) and retry.
const pause = new Int32Array(new SharedArrayBuffer(4));
function retrying(op: () => number): number {
  for (;;) {
    try {
      return op();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 0.2);
    }
  }
}
function readExactly(buf: Uint8Array): void {
  let got = 0;
  while (got < buf.length) {
    const n = retrying(() => readSync(0, buf, got, buf.length - got, null));
    if (n === 0) process.exit(0); // the Python side went away
    got += n;
  }
}
function write(a: ArrayBufferView): void {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let off = 0;
  while (off < b.length) off += retrying(() => writeSync(1, b, off, b.length - off));
}
function put(i: number, obs: Float32Array, mask: Uint8Array): void {
  obsOut.set(obs.subarray(0, D), i * D);
  maskOut.set(mask.subarray(0, A), i * A);
}

write(new Int32Array([D, A]));
for (;;) {
  readExactly(cmd);
  const c = String.fromCharCode(cmd[0]);
  if (c === 'R') {
    for (let i = 0; i < N; i++) {
      const r = envs[i].reset(i + N * episodes[i]);
      put(i, r.observation, r.info.actionMask);
    }
    write(obsOut);
    write(maskOut);
  } else if (c === 'S') {
    readExactly(new Uint8Array(actIn.buffer));
    for (let i = 0; i < N; i++) {
      const r = envs[i].step(actIn[i]);
      rewOut[i] = r.reward;
      const done = r.terminated || r.truncated;
      doneOut[i] = done ? 1 : 0;
      if (done) {
        episodes[i]++;
        const s = envs[i].reset(i + N * episodes[i]);
        put(i, s.observation, s.info.actionMask);
      } else put(i, r.observation, r.info.actionMask);
    }
    write(obsOut);
    write(maskOut);
    write(rewOut);
    write(doneOut);
  } else if (c === 'Q') {
    const u = process.cpuUsage();
    write(new Float64Array([(u.user + u.system) / 1e6]));
    process.exit(0);
  } else {
    process.stderr.write(`bridge: unknown command byte ${cmd[0]}\n`);
    process.exit(2);
  }
}
