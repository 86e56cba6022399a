/**
 * The running tslab kernel's public display API, reached without importing tslab at
 * module load: `lepton/notebook` stays importable (and testable) outside a kernel, and
 * tslab stays a development dependency.
 *
 * Only tslab's *public* API is used (`display.raw`, `newDisplay`): one output per call,
 * one MIME type per output. Inside the kernel `require('tslab')` returns the very module
 * instance the kernel runs (node_modules/.bin/tslab of this project), so its display
 * writer is the live one.
 */

/** What Lepton needs of tslab's `Display` (a subset of its public interface). */
export interface KernelDisplay {
  /** One output with one MIME type. JSON MIME types take an object (sent as JSON, not as a string). */
  raw(contentType: string, data: string | Uint8Array | object): void;
}

interface TslabPublic {
  display: KernelDisplay;
  newDisplay(): KernelDisplay;
}

let cached: TslabPublic | null | undefined;

function tslab(): TslabPublic | null {
  if (cached !== undefined) return cached;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = require('tslab') as TslabPublic;
  } catch {
    cached = null;
  }
  return cached;
}

/** Sink for tests and non-kernel use: receives every output instead of the kernel. */
export type OutputSink = (contentType: string, data: unknown, displayId: number | null) => void;
let sink: OutputSink | null = null;
let nextId = 1;

/** Route every output of lepton/notebook to `s` (null restores the kernel). For tests and scripts. */
export function setOutputSink(s: OutputSink | null): void {
  sink = s;
}

/**
 * Emits one output. Outside a kernel (tslab missing, or tslab not executing a cell: it throws
 * "Not ready"), text/plain goes to stdout and rich outputs are dropped with a one-line note, so a
 * script that calls the helpers still runs.
 */
export function emit(contentType: string, data: string | object): void {
  if (sink) return sink(contentType, data, null);
  const t = tslab();
  if (t) {
    try {
      t.display.raw(contentType, data);
      return;
    } catch (e) {
      if (!(e instanceof Error) || e.message !== 'Not ready') throw e;
    }
  }
  fallback(contentType, data);
}

function fallback(contentType: string, data: unknown): void {
  if (contentType === 'text/plain') console.log(String(data));
  else console.log(`[lepton/notebook] ${contentType} output (not in a notebook kernel)`);
}

/** An output that can be overwritten in place (a progress bar, a live table). */
export interface UpdatableOutput {
  update(contentType: string, data: string | object): void;
}

/** A new updatable output; each `update` replaces what it showed (tslab's public `newDisplay`). */
export function updatableOutput(): UpdatableOutput {
  const id = nextId++;
  if (sink) {
    const s = sink;
    return { update: (type, data) => s(type, data, id) };
  }
  const t = tslab();
  let d: KernelDisplay | null = null;
  return {
    update(type, data) {
      if (t) {
        try {
          d ??= t.newDisplay();
          d.raw(type, data);
          return;
        } catch (e) {
          if (!(e instanceof Error) || e.message !== 'Not ready') throw e;
        }
      }
      fallback(type, data);
    },
  };
}
