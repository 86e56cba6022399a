/**
 * Picks the fastest tfjs backend available at run time:
 *   tensorflow (native; optional packages @tensorflow/tfjs-node-gpu or -node)
 *   → wasm (@tensorflow/tfjs-backend-wasm, SIMD when the runtime supports it)
 *   → cpu (pure JS, always there).
 * Prints the choice once and remembers it for experiment manifests.
 */
import * as path from 'node:path';
import { tf } from './tf';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: string | null = null;
let initPromise: Promise<string> | null = null;
let wasmDetails: { simd: boolean; threads: number } | null = null;

/** The backend tfjs is running on now ('none' before `initBackend`). */
export function currentBackend(): string {
  return chosen ?? 'none';
}

/** Backend plus, for wasm, whether SIMD is used and the thread count (for manifests). */
export function backendInfo(): { backend: string; simd?: boolean; threads?: number } {
  return chosen === 'wasm' && wasmDetails ? { backend: chosen, ...wasmDetails } : { backend: currentBackend() };
}

function tryNative(): boolean {
  // The native bindings are optional. Beware: an npm override can alias
  // '@tensorflow/tfjs-node' to plain tfjs, so check a 'tensorflow' backend
  // really got registered instead of trusting that the require succeeded.
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(pkg);
      if (tf.findBackendFactory('tensorflow') != null) return true;
    } catch {
      // not installed or no native binary for this platform: try the next
    }
  }
  return false;
}

async function tryWasm(): Promise<boolean> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm binaries are read from disk; point at the package's dist/.
    // (Threads are disabled in Node by tfjs itself; SIMD is used when supported.)
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(dist + path.sep);
    if (!(await tf.setBackend('wasm'))) return false;
    // tfjs turns wasm threads off under Node (WASM_HAS_MULTITHREAD_SUPPORT is
    // false there), so this is 1; SIMD is detected and used when available.
    wasmDetails = { simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')), threads: wasm.getThreadsCount() };
    return true;
  } catch {
    return false;
  }
}

async function select(prefer?: BackendName): Promise<string> {
  const order: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
  if (prefer) order.sort((a, b) => Number(b === prefer) - Number(a === prefer));
  for (const name of order) {
    if (name === 'tensorflow' && tryNative() && (await tf.setBackend('tensorflow'))) break;
    if (name === 'wasm' && (await tryWasm())) break;
    if (name === 'cpu' && (await tf.setBackend('cpu'))) break;
  }
  await tf.ready();
  return tf.getBackend();
}

/**
 * Initialise tfjs once. `prefer` moves one backend to the front of the order
 * (falling back to the others if it is not available). Later calls with a
 * different preference switch backend; calls without one reuse the first choice.
 */
export async function initBackend(prefer?: BackendName): Promise<string> {
  if (initPromise && (!prefer || prefer === chosen)) return initPromise;
  const previous = chosen;
  initPromise = select(prefer).then((name) => {
    chosen = name;
    if (name !== previous) console.log(`[lepton] tfjs backend: ${name}`);
    return name;
  });
  return initPromise;
}
