/**
 * An SWF trace loaded exactly as RLScheduler's `Workloads.parse_swf` + `Job.__init__` load it
 * (spec ../shared/specs/rlscheduler.md, rule 1). Deliberately separate from Lepton's general SWF
 * loader (src/workload/loaders/swf.ts), which maps processors to GPUs and rejects rows the
 * original keeps: here every rule, quirk included, is the original's.
 *
 * - `;` lines are header; `; MaxNodes:` and `; MaxProcs:` are read (MaxProcs defaults to MaxNodes).
 * - procs = max(field 5 allocated, field 8 requested).
 * - requested time = field 9, or the raw run time when field 9 is -1.
 * - run time = field 4; negative → 10 s (after the requested-time fallback); run time 0 → dropped.
 * - jobs are stably sorted by job id; submit times are kept as in the file.
 * - `.swf.gz` is gunzipped in memory (node:zlib).
 *
 * Storage is one typed array per field: the replay and the learning environment read whole
 * sequences as subarray views without copying.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { TraceError } from '../util/errors';

export interface RlschedTrace {
  /** Path as given. */
  file: string;
  /** SHA-256 of the file bytes as stored (compressed for .gz). */
  sha256: string;
  /** Number of jobs kept. */
  size: number;
  jobId: Float64Array;
  submit: Float64Array;
  /** Actual run time after patching (> 0). */
  run: Float64Array;
  /** Requested time (field 9, or the raw run time when field 9 is -1). */
  reqTime: Float64Array;
  /** Requested processors = max(allocated, requested). */
  procs: Float64Array;
  /** Field 10 (requested memory), -1 = unknown. */
  reqMem: Float64Array;
  userId: Float64Array;
  groupId: Float64Array;
  executable: Float64Array;
  maxNodes: number;
  maxProcs: number;
  /** Maxima over every parsed row (before dropping / patching, as the original): feature normalisers. */
  maxExecTime: number;
  maxRequestedMemory: number;
  maxUserId: number;
  maxGroupId: number;
  maxExecutable: number;
  /** Rows with run time 0 (dropped) and negative run time (patched to 10 s). */
  dropped: number;
  patched: number;
}

/** Fields the original parses with `int()` (0-based); 5 and 6 are floats, 15 falls back to 0. */
const FLOAT_FIELDS = new Set([5, 6]);
const FIELD_NAMES = [
  'job_id',
  'submit_time',
  'wait_time',
  'run_time',
  'allocated_procs',
  'avg_cpu_time',
  'used_memory',
  'requested_procs',
  'requested_time',
  'requested_memory',
  'status',
  'user_id',
  'group_id',
  'executable_id',
  'queue_id',
  'partition_id',
  'preceding_job_id',
  'think_time',
];

class Column {
  data: Float64Array;
  constructor(cap: number) {
    this.data = new Float64Array(cap);
  }
  grow(n: number): void {
    const d = new Float64Array(n);
    d.set(this.data);
    this.data = d;
  }
}

/** Load an RLScheduler trace (.swf or .swf.gz). Errors name the file, line and field. */
export function loadRlschedTrace(file: string): RlschedTrace {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    throw new TraceError(file, 0, 'file', `cannot read: ${(e as Error).message}`);
  }
  const sha256 = createHash('sha256').update(raw).digest('hex');
  let bytes: Buffer = raw;
  if (file.endsWith('.gz')) {
    try {
      bytes = gunzipSync(raw);
    } catch (e) {
      throw new TraceError(file, 0, 'file', `not a valid gzip file: ${(e as Error).message}`);
    }
  }
  return parseRlschedSwf(bytes, file, sha256);
}

/** Parse SWF text (bytes) with RLScheduler's rules; exported for tests on small strings. */
export function parseRlschedSwf(bytes: Uint8Array, file = '<memory>', sha256 = ''): RlschedTrace {
  const cols = ['jobId', 'submit', 'run', 'reqTime', 'procs', 'reqMem', 'userId', 'groupId', 'executable'] as const;
  let cap = 1024;
  const c: Record<(typeof cols)[number], Column> = {} as never;
  for (const k of cols) c[k] = new Column(cap);
  let n = 0;
  let maxNodes = 0;
  let maxProcs = 0;
  let maxExecTime = 0;
  let maxRequestedMemory = 0;
  let maxUserId = 0;
  let maxGroupId = 0;
  let maxExecutable = 0;
  let dropped = 0;
  let patched = 0;
  const f = new Float64Array(18);
  const len = bytes.length;
  let pos = 0;
  let line = 0;
  const decoder = new TextDecoder('latin1');
  while (pos < len) {
    line++;
    let end = pos;
    while (end < len && bytes[end] !== 10) end++;
    const next = end + 1;
    let stop = end;
    if (stop > pos && bytes[stop - 1] === 13) stop--;
    if (bytes[pos] === 59 /* ';' */) {
      const text = decoder.decode(bytes.subarray(pos, stop));
      const hdr = /^; (MaxNodes|MaxProcs):(.*)$/.exec(text);
      if (hdr) {
        const v = Number(hdr[2].trim());
        if (!Number.isInteger(v) || v <= 0)
          throw new TraceError(file, line, hdr[1], `expected a positive integer, got '${hdr[2].trim()}'`);
        if (hdr[1] === 'MaxNodes') maxNodes = v;
        else maxProcs = v;
      }
      pos = next;
      continue;
    }
    // Split on whitespace; the original strips the line first. Blank lines are skipped (the
    // original would crash on one; they carry no job).
    let field = 0;
    let p = pos;
    for (;;) {
      while (p < stop && (bytes[p] === 32 || bytes[p] === 9)) p++;
      if (p >= stop) break;
      const s = p;
      while (p < stop && bytes[p] !== 32 && bytes[p] !== 9) p++;
      if (field < 18) f[field] = parseToken(bytes, s, p, field, file, line, decoder);
      field++;
    }
    pos = next;
    if (field === 0) continue;
    if (field < 18)
      throw new TraceError(file, line, FIELD_NAMES[field], `missing: an SWF job line has 18 fields, got ${field}`);
    const runRaw = f[3];
    let reqTime = f[8];
    if (reqTime === -1) reqTime = runRaw;
    const procs = Math.max(f[4], f[7]);
    // The original updates these maxima for every parsed row, before dropping or patching.
    if (runRaw > maxExecTime) maxExecTime = runRaw;
    if (f[9] > maxRequestedMemory) maxRequestedMemory = f[9];
    if (f[11] > maxUserId) maxUserId = f[11];
    if (f[12] > maxGroupId) maxGroupId = f[12];
    if (f[13] > maxExecutable) maxExecutable = f[13];
    let run = runRaw;
    if (run < 0) {
      run = 10;
      patched++;
    }
    if (!(run > 0)) {
      dropped++;
      continue;
    }
    if (n === cap) {
      cap *= 2;
      for (const k of cols) c[k].grow(cap);
    }
    c.jobId.data[n] = f[0];
    c.submit.data[n] = f[1];
    c.run.data[n] = run;
    c.reqTime.data[n] = reqTime;
    c.procs.data[n] = procs;
    c.reqMem.data[n] = f[9];
    c.userId.data[n] = f[11];
    c.groupId.data[n] = f[12];
    c.executable.data[n] = f[13];
    n++;
  }
  if (maxNodes <= 0) {
    throw new TraceError(file, 0, 'MaxNodes', "no '; MaxNodes: N' header line: the machine size is unknown (add it)");
  }
  if (maxProcs === 0) maxProcs = maxNodes;
  if (n === 0) throw new TraceError(file, line, 'run_time', 'no job with a positive run time');
  // Stable sort by job id (a no-op for files already in id order, the usual case).
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (c.jobId.data[i] < c.jobId.data[i - 1]) sorted = false;
  const out = {} as Record<(typeof cols)[number], Float64Array>;
  if (sorted) {
    for (const k of cols) out[k] = c[k].data.slice(0, n);
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => c.jobId.data[a] - c.jobId.data[b]);
    for (const k of cols) {
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = c[k].data[order[i]];
      out[k] = d;
    }
  }
  return {
    file,
    sha256,
    size: n,
    ...out,
    maxNodes,
    maxProcs,
    maxExecTime,
    maxRequestedMemory,
    maxUserId,
    maxGroupId,
    maxExecutable,
    dropped,
    patched,
  };
}

/** One numeric field: integers fast-path, floats for fields 5/6, partition falls back to 0. */
function parseToken(
  b: Uint8Array,
  s: number,
  e: number,
  field: number,
  file: string,
  line: number,
  decoder: TextDecoder,
): number {
  let i = s;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  } else if (b[i] === 43) i++;
  let v = 0;
  let digits = 0;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    digits++;
  }
  if (i === e && digits > 0) return neg ? -v : v;
  const text = decoder.decode(b.subarray(s, e));
  if (FLOAT_FIELDS.has(field)) {
    const x = Number(text);
    if (Number.isFinite(x)) return x;
  }
  if (field === 15) return 0; // the original: `except ValueError: partition_number = 0`
  throw new TraceError(
    file,
    line,
    FIELD_NAMES[field],
    `expected ${FLOAT_FIELDS.has(field) ? 'a number' : 'an integer'}, got '${text}'`,
  );
}
