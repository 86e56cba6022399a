/**
 * Atomic training checkpoints in a directory:
 *
 *   model.json + weights.bin   the networks, in tfjs's own artifact format, written
 *                              by a custom tfjs IOHandler (tfjs's `file://` handler
 *                              only exists with tfjs-node)
 *   arrays.bin                 optimizer slots (RMSProp accumulators, Adam moments)
 *                              and any other named typed arrays (e.g. a replay buffer)
 *   state.json                 RNG states, training counters, optimizer steps, config,
 *                              and the manifest of arrays.bin
 *
 * Everything is written to a fresh temporary directory which then replaces `dir`
 * by rename, so a crash never leaves a half-written checkpoint under `dir`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '../tf/tf';
import type { MlpSpec, OptimizerKind, OptimizerState } from './nn';
import { Mlp } from './nn';
import { Rng } from '../util/rng';
import { UsageError } from '../util/errors';
import { readInput } from '../util/fsErrors';
import { readJsonFile } from '../util/json';
import { int, validate, z } from '../util/schema';
import { cleanOrphans } from '../util/atomic';

/** A network as stored: its spec and its parameter arrays ([W0, b0, W1, b1, ...]). */
export interface StoredNetwork {
  spec: MlpSpec;
  weights: Float32Array[];
}

export type StoredArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export interface Checkpoint {
  /** Algorithm that wrote it ('reinforce', 'ppo', 'dqn', ...). */
  algo: string;
  networks: Record<string, StoredNetwork>;
  optimizers?: Record<string, OptimizerState>;
  /** Rng.getState() of each generator that drives training. */
  rngs?: Record<string, number[]>;
  /** Iterations, env steps, episodes... */
  counters?: Record<string, number>;
  /** The (JSON-able) hyperparameters the run used. */
  config?: unknown;
  /** Other named arrays (e.g. replay buffer contents). */
  arrays?: Record<string, StoredArray>;
  /** Other JSON-able state. */
  extra?: unknown;
}

// ---------------------------------------------------------------------------
// tfjs IOHandler for a directory (model.json + weights.bin)

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/**
 * An IOHandler that saves/loads tfjs model artifacts as `dir/model.json` and
 * `dir/weights.bin` (synchronous fs, one weights shard). Works with
 * tf.LayersModel.save/tf.loadLayersModel as well as with `saveCheckpoint`.
 */
export function dirHandler(dir: string): Required<Pick<tf.io.IOHandler, 'save' | 'load'>> {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      fs.mkdirSync(dir, { recursive: true });
      const data =
        artifacts.weightData == null
          ? new ArrayBuffer(0)
          : tf.io.concatenateArrayBuffers(
              Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData],
            );
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      fs.writeFileSync(path.join(dir, WEIGHTS_BIN), Buffer.from(data));
      fs.writeFileSync(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: data.byteLength,
        },
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelFile = path.join(dir, MODEL_JSON);
      const json = validate(MODEL_SCHEMA, readJsonFile(modelFile), modelFile);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
        for (const p of group.paths) {
          // Weight files live in the checkpoint folder itself: a path may not leave it.
          if (p !== path.basename(p) || p === '..' || p === '.')
            throw new UsageError(`${modelFile}: weights path ${JSON.stringify(p)} must name a file in ${dir}`);
          buffers.push(toArrayBuffer(readInput(path.join(dir, p))));
        }
      }
      const expected = specs.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
      const got = buffers.reduce((s, b) => s + b.byteLength, 0);
      if (got !== expected)
        throw new UsageError(
          `${path.join(dir, json.weightsManifest[0]?.paths[0] ?? WEIGHTS_BIN)}: ${got} bytes, but model.json declares ${expected} (truncated or mismatched checkpoint)`,
        );
      return {
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        trainingConfig: json.trainingConfig as tf.io.ModelArtifacts['trainingConfig'],
        userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
        weightSpecs: specs,
        weightData: tf.io.concatenateArrayBuffers(buffers),
      };
    },
  };
}

// ---------------------------------------------------------------------------
// Named typed arrays packed into one binary file

interface ArrayEntry {
  name: string;
  dtype: 'float32' | 'float64' | 'int32' | 'uint32' | 'uint8';
  length: number;
}

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
} as const;

function dtypeOf(a: StoredArray): ArrayEntry['dtype'] {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  return 'uint8';
}

/** Packs arrays at 8-byte aligned offsets so every view can be rebuilt in place. */
function packArrays(arrays: [string, StoredArray][]): { manifest: ArrayEntry[]; data: Buffer } {
  const align = (n: number): number => (n + 7) & ~7;
  let total = 0;
  for (const [, a] of arrays) total = align(total) + a.byteLength;
  const data = Buffer.alloc(align(total));
  let off = 0;
  const manifest: ArrayEntry[] = [];
  for (const [name, a] of arrays) {
    off = align(off);
    data.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += a.byteLength;
    manifest.push({ name, dtype: dtypeOf(a), length: a.length });
  }
  return { manifest, data };
}

function unpackArrays(manifest: ArrayEntry[], buf: Buffer): Map<string, StoredArray> {
  const bytes = new Uint8Array(buf.byteLength);
  bytes.set(buf); // own, aligned copy
  const out = new Map<string, StoredArray>();
  let off = 0;
  for (const e of manifest) {
    off = (off + 7) & ~7;
    const C = CTORS[e.dtype];
    out.set(e.name, new C(bytes.buffer, off, e.length));
    off += e.length * C.BYTES_PER_ELEMENT;
  }
  return out;
}

const STATE_JSON = 'state.json';
const ARRAYS_BIN = 'arrays.bin';
const FORMAT = 'lepton-checkpoint-1';

// ---------------------------------------------------------------------------
// Schemas of the stored files: a corrupt or hand-edited checkpoint is refused with the
// file and field named, never loaded into a run that then trains on garbage.

const MODEL_SCHEMA = z.strictObject({
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  modelTopology: z.unknown(),
  trainingConfig: z.unknown().optional(),
  userDefinedMetadata: z.unknown().optional(),
  weightsManifest: z
    .array(
      z.strictObject({
        paths: z.array(z.string().min(1).max(255)).max(16),
        weights: z
          .array(
            z.looseObject({
              name: z.string().min(1).max(200),
              shape: z.array(int(0, 1 << 28)).max(8),
              dtype: z.enum(['float32', 'int32']),
            }),
          )
          .max(10_000),
      }),
    )
    .min(1)
    .max(16),
});

/** Layer sizes of a stored MLP (nn.ts MlpSpec); other spec fields pass to the network unchanged. */
const LAYER = int(1, 1 << 24, 'units');
const MLP_SPEC = z.looseObject({
  inputSize: LAYER,
  hiddenSizes: z.array(LAYER).max(64),
  outputSize: LAYER,
  rows: LAYER.optional(),
});
const TOPOLOGY_SCHEMA = z.strictObject({ networks: z.record(z.string(), MLP_SPEC) });

/**
 * Values per weight array of an MLP with this spec, in Mlp's order (W0, b0, W1, b1, …),
 * or a reason it cannot be built. Checked at load, so a corrupt spec is a message naming
 * model.json rather than a failed allocation or a `setWeights` error later.
 */
function expectedWeightLengths(spec: z.infer<typeof MLP_SPEC>): number[] | string {
  const R = spec.rows ?? 1;
  if (spec.inputSize % R !== 0 || spec.outputSize % R !== 0)
    return `rows ${R} must divide inputSize ${spec.inputSize} and outputSize ${spec.outputSize}`;
  const sizes = [spec.inputSize / R, ...spec.hiddenSizes, spec.outputSize / R];
  const out: number[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) out.push(sizes[l] * sizes[l + 1], sizes[l + 1]);
  return out;
}

const COUNT = int(0, Number.MAX_SAFE_INTEGER);

const STATE_SCHEMA = z.strictObject({
  format: z.literal(FORMAT),
  algo: z.string().min(1).max(100),
  savedAt: z.string().max(100),
  counters: z.record(z.string(), COUNT),
  rngs: z.record(z.string(), z.array(int(-0x80000000, 0xffffffff, '(32-bit RNG state word)')).length(4)),
  optimizers: z.record(
    z.string(),
    z.strictObject({ kind: z.enum(['rmsprop', 'adam', 'sgd']), step: COUNT, slots: int(0, 10_000) }),
  ),
  config: z.unknown(),
  extra: z.unknown(),
  arrays: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(500),
        dtype: z.enum(['float32', 'float64', 'int32', 'uint32', 'uint8']),
        length: int(0, 2 ** 31 - 1),
      }),
    )
    .max(100_000),
});

/** Bytes `unpackArrays` reads for this manifest. */
function packedSize(manifest: readonly ArrayEntry[]): number {
  let off = 0;
  for (const e of manifest) off = ((off + 7) & ~7) + e.length * CTORS[e.dtype].BYTES_PER_ELEMENT;
  return off;
}

/** NaN or ±Infinity in stored parameters means a diverged or corrupt run: refuse it. */
function checkFinite(file: string, what: string, arrays: readonly Float32Array[]): void {
  arrays.forEach((a, i) => {
    for (let k = 0; k < a.length; k++)
      if (!Number.isFinite(a[k]))
        throw new UsageError(
          `${file}: ${what} array ${i} holds ${a[k]} at index ${k} (diverged or corrupt checkpoint)`,
        );
  });
}

// ---------------------------------------------------------------------------
// Save / load

let tmpCounter = 0;

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Fault injection for the kill-and-resume tests: with LEPTON_FAULT=<point>:<n> the
 * process kills itself (SIGKILL, as a crash or `kill -9` would) the n-th time it
 * reaches <point>. 'checkpoint-swap' is between moving the old checkpoint aside and
 * renaming the new one into place, the most fragile instant of a save.
 */
const faultCounts = new Map<string, number>();
function faultPoint(point: string): void {
  const spec = process.env.LEPTON_FAULT;
  if (!spec) return;
  const [p, n] = spec.split(':');
  if (p !== point) return;
  const count = (faultCounts.get(point) ?? 0) + 1;
  faultCounts.set(point, count);
  if (count === Number(n)) process.kill(process.pid, 'SIGKILL');
}

/** Writes `ck` atomically into `dir` (replacing any previous checkpoint there). */
export async function saveCheckpoint(dir: string, ck: Checkpoint): Promise<void> {
  const abs = path.resolve(dir);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  cleanOrphans(abs); // checkpoint.tmp-* of killed runs
  const tmp = `${abs}.tmp-${process.pid}-${tmpCounter++}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);

  // Networks → model.json + weights.bin through the IOHandler.
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const weightArrays: Float32Array[] = [];
  const topology: Record<string, MlpSpec> = {};
  for (const [name, net] of Object.entries(ck.networks)) {
    topology[name] = net.spec;
    net.weights.forEach((w, i) => {
      weightSpecs.push({ name: `${name}/${i}`, shape: [w.length], dtype: 'float32' });
      weightArrays.push(w);
    });
  }
  const weightData = tf.io.concatenateArrayBuffers(weightArrays.map((w) => w.slice().buffer as ArrayBuffer));
  await dirHandler(tmp).save({
    format: FORMAT,
    generatedBy: 'lepton',
    modelTopology: { networks: topology },
    weightSpecs,
    weightData,
  });

  // Optimizer slots and other arrays → arrays.bin.
  const named: [string, StoredArray][] = [];
  const optimizers: Record<string, { kind: OptimizerKind; step: number; slots: number }> = {};
  for (const [name, st] of Object.entries(ck.optimizers ?? {})) {
    optimizers[name] = { kind: st.kind, step: st.step, slots: st.slots.length };
    st.slots.forEach((s, i) => named.push([`optimizer/${name}/${i}`, s]));
  }
  for (const [name, a] of Object.entries(ck.arrays ?? {})) named.push([`array/${name}`, a]);
  const { manifest, data } = packArrays(named);
  fs.writeFileSync(path.join(tmp, ARRAYS_BIN), data);

  const state = {
    format: FORMAT,
    algo: ck.algo,
    savedAt: new Date().toISOString(),
    counters: ck.counters ?? {},
    rngs: ck.rngs ?? {},
    optimizers,
    config: ck.config ?? null,
    extra: ck.extra ?? null,
    arrays: manifest,
  };
  fs.writeFileSync(path.join(tmp, STATE_JSON), JSON.stringify(state, null, 2));

  // Swap in: rename cannot replace a non-empty directory, so move the old one
  // aside first; loadCheckpoint falls back to it if we die between the renames.
  for (const f of fs.readdirSync(tmp)) fsyncFile(path.join(tmp, f));
  const old = `${abs}.old`;
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(abs)) fs.renameSync(abs, old);
  faultPoint('checkpoint-swap');
  fs.renameSync(tmp, abs);
  fs.rmSync(old, { recursive: true, force: true });
}

/** True if `dir` (or its fallback left by an interrupted save) holds a checkpoint. */
export function checkpointExists(dir: string): boolean {
  const abs = path.resolve(dir);
  return fs.existsSync(path.join(abs, STATE_JSON)) || fs.existsSync(path.join(`${abs}.old`, STATE_JSON));
}

/** Reads a checkpoint written by `saveCheckpoint`. */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  let abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, STATE_JSON)) && fs.existsSync(path.join(`${abs}.old`, STATE_JSON)))
    abs = `${abs}.old`;
  const statePath = path.join(abs, STATE_JSON);
  if (!fs.existsSync(statePath)) throw new UsageError(`no checkpoint in ${dir} (missing ${STATE_JSON})`);
  const raw = readJsonFile(statePath) as { format?: unknown };
  if (raw?.format !== FORMAT)
    throw new UsageError(`${statePath}: unknown checkpoint format ${JSON.stringify(raw?.format)} (expected ${FORMAT})`);
  const state = validate(STATE_SCHEMA, raw, statePath);

  const artifacts = await dirHandler(abs).load();
  const topology = validate(TOPOLOGY_SCHEMA, artifacts.modelTopology, path.join(abs, MODEL_JSON) + ' modelTopology')
    .networks as unknown as Record<string, MlpSpec>;
  const data = artifacts.weightData as ArrayBuffer;
  const networks: Record<string, StoredNetwork> = {};
  for (const name of Object.keys(topology)) networks[name] = { spec: topology[name], weights: [] };
  let off = 0;
  for (const spec of artifacts.weightSpecs ?? []) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const slash = spec.name.lastIndexOf('/');
    const netName = spec.name.slice(0, slash);
    if (!Object.hasOwn(networks, netName))
      throw new UsageError(`${path.join(abs, MODEL_JSON)}: weight ${JSON.stringify(spec.name)} names no network`);
    networks[netName].weights.push(new Float32Array(data.slice(off, off + 4 * n)));
    off += 4 * n;
  }

  for (const [name, net] of Object.entries(networks)) {
    const want = expectedWeightLengths(topology[name] as unknown as z.infer<typeof MLP_SPEC>);
    const got = net.weights.map((w) => w.length);
    if (typeof want === 'string' || want.join() !== got.join())
      throw new UsageError(
        `${path.join(abs, MODEL_JSON)}: network '${name}' ` +
          (typeof want === 'string'
            ? want
            : `has weight arrays of [${got.join(', ')}] values, its spec needs [${want.join(', ')}]`),
      );
    checkFinite(path.join(abs, WEIGHTS_BIN), name, net.weights);
  }
  const arraysFile = path.join(abs, ARRAYS_BIN);
  const arraysData = readInput(arraysFile);
  const need = packedSize(state.arrays);
  if (arraysData.byteLength < need)
    throw new UsageError(
      `${arraysFile}: ${arraysData.byteLength} bytes, but ${STATE_JSON} lists ${need} (truncated checkpoint)`,
    );
  const arrays = unpackArrays(state.arrays, arraysData);
  const optimizers: Record<string, OptimizerState> = {};
  for (const [name, o] of Object.entries(
    state.optimizers as Record<string, { kind: OptimizerKind; step: number; slots: number }>,
  )) {
    const slots: Float32Array[] = [];
    for (let i = 0; i < o.slots; i++) {
      const slot = arrays.get(`optimizer/${name}/${i}`);
      if (!(slot instanceof Float32Array))
        throw new UsageError(`${statePath}: optimizer ${name} slot ${i} is missing from ${ARRAYS_BIN}`);
      slots.push(slot);
    }
    checkFinite(arraysFile, `optimizer ${name}`, slots);
    optimizers[name] = { kind: o.kind, step: o.step, slots };
  }
  const other: Record<string, StoredArray> = {};
  for (const [k, v] of arrays) if (k.startsWith('array/')) other[k.slice('array/'.length)] = v;

  return {
    algo: state.algo,
    networks,
    optimizers,
    rngs: state.rngs,
    counters: state.counters,
    config: state.config,
    arrays: other,
    extra: state.extra,
  };
}

// ---------------------------------------------------------------------------
// Conveniences for the common case

/**
 * The stored array `name` of a loaded checkpoint, checked for its type and (if given) length:
 * a missing or malformed one is refused naming the checkpoint, never used.
 */
export function storedArray<T extends StoredArray>(
  ck: Checkpoint,
  where: string,
  name: string,
  ctor: new (n: number) => T,
  length?: number,
): T {
  const a = ck.arrays?.[name];
  if (!a || !(a instanceof ctor))
    throw new UsageError(`${where}: array ${name} is missing or has the wrong type (corrupt or foreign checkpoint)`);
  if (length !== undefined && a.length !== length)
    throw new UsageError(`${where}: array ${name} holds ${a.length} values, expected ${length} (corrupt checkpoint)`);
  return a as T;
}

/** Training state of a component (replay buffer, n-step accumulator…) as checkpoint pieces. */
export interface ComponentState {
  /** Typed arrays (stored in arrays.bin under a prefix). */
  arrays: Record<string, StoredArray>;
  /** Scalars: integers and reals (stored in state.json `extra`). */
  scalars: Record<string, number>;
}

export function storeNetwork(net: Mlp): StoredNetwork {
  return { spec: net.spec, weights: net.getWeights() };
}

/** Rebuild a network from its stored form (the init RNG is irrelevant: weights are overwritten). */
export function restoreNetwork(stored: StoredNetwork, name = 'mlp'): Mlp {
  const net = new Mlp(stored.spec, new Rng(0), name);
  net.setWeights(stored.weights);
  return net;
}
