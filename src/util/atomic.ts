/**
 * Atomic outputs. A reader (or a killed run) must never see half a result:
 *
 * - single files: `writeFileAtomic` writes `FILE.tmp-<pid>-<n>` beside the target,
 *   fsyncs it and renames it over FILE (rename is atomic within a folder);
 * - output sets (summary.csv + jobs.csv + manifest.json + report.html, which only
 *   make sense together): `OutputSet` writes every file into a fresh folder
 *   `OUT.tmp-<pid>-<n>` beside OUT, then moves the previous OUT aside to `OUT.prev`,
 *   renames the new folder to OUT and deletes OUT.prev. A reader sees the old set or
 *   the new set, never a mix; if the run dies between the two renames, the next run
 *   (or `recoverOutput`) puts OUT.prev back.
 *
 * Temporaries whose process is gone (a killed run) are deleted by the next writer of
 * the same target; a live process's temporaries are never touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';
import { fsReason, fsUsageError } from './fsErrors';

let counter = 0;

/** `<base>.tmp-<pid>-<n>`: the pid lets a later run tell an orphan from a live writer. */
function tmpName(target: string): string {
  return `${target}.tmp-${process.pid}-${counter++}`;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes `<target>.tmp-<pid>-*` left by processes that no longer run. Returns how many. */
export function cleanOrphans(target: string): number {
  const dir = path.dirname(target);
  const base = path.basename(target) + '.tmp-';
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    if (!name.startsWith(base)) continue;
    const pid = Number(name.slice(base.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    n++;
  }
  return n;
}

function fsyncPath(p: string, flags: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, flags);
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; durability is best effort there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `data` to `fd` completely. */
function writeAll(fd: number, data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/** A sink for streamed output: `write` appends text, buffered in ~1 MiB chunks. */
export type Emit = (chunk: string) => void;

/** Writes a file by streaming chunks into it, then fsyncs it (no temp/rename: see callers). */
function writeStreamed(file: string, produce: (emit: Emit) => void): void {
  const fd = fs.openSync(file, 'wx');
  try {
    let buf: string[] = [];
    let size = 0;
    const flush = (): void => {
      if (size === 0) return;
      writeAll(fd, buf.join(''));
      buf = [];
      size = 0;
    };
    produce((chunk) => {
      buf.push(chunk);
      size += chunk.length;
      if (size >= 1 << 20) flush();
    });
    flush();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes text, bytes or a stream to a new file and fsyncs it. */
function writeNew(file: string, data: string | Uint8Array | ((emit: Emit) => void)): void {
  if (typeof data === 'function') {
    writeStreamed(file, data);
    return;
  }
  const fd = fs.openSync(file, 'wx');
  try {
    writeAll(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Atomically replaces `file` with `data` (or with what `data(emit)` streams):
 * temp file beside it, fsync, rename, fsync of the folder.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array | ((emit: Emit) => void)): void {
  const dir = path.dirname(path.resolve(file));
  cleanOrphans(file);
  const tmp = tmpName(file);
  try {
    writeNew(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing was created (e.g. a parent of `file` is a file): the error below says why.
    }
    throw fsUsageError('write', file, e);
  }
  fsyncPath(dir, 'r');
}

/**
 * Makes OUT consistent after an interrupted commit: OUT.prev without OUT means the
 * run died between its two renames, so the previous set goes back; OUT.prev beside
 * OUT is a finished commit's leftover and is deleted.
 */
export function recoverOutput(out: string): void {
  const prev = `${out}.prev`;
  if (!fs.existsSync(prev)) return;
  if (fs.existsSync(out)) fs.rmSync(prev, { recursive: true, force: true });
  else fs.renameSync(prev, out);
}

export interface OutputSetOptions {
  /**
   * Names (files or folders) a previous run of this command leaves in OUT. An existing
   * OUT holding anything else is refused: replacing it would delete the user's files.
   */
  known: readonly (string | RegExp)[];
  /** What the folder is, for messages ("simulate output"). */
  what: string;
}

/**
 * An output folder written as a whole. `open` checks OUT early (before any long
 * computation): it must be a folder we may replace, and its parent writable; the
 * files are then written into `dir` (a temporary folder) and `commit` swaps it in.
 */
export class OutputSet {
  private committed = false;

  private constructor(
    readonly out: string,
    /** The temporary folder the files go to until `commit`. */
    readonly dir: string,
  ) {}

  static open(out: string, opts: OutputSetOptions): OutputSet {
    const abs = path.resolve(out);
    const parent = path.dirname(abs);
    try {
      fs.mkdirSync(parent, { recursive: true });
    } catch (e) {
      throw fsUsageError(`create the folder for ${opts.what}`, parent, e);
    }
    try {
      recoverOutput(abs);
    } catch (e) {
      throw fsUsageError('recover the interrupted output', abs, e);
    }
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsUsageError('use', abs, e);
    }
    if (st && !st.isDirectory())
      throw new UsageError(`--out ${out} is a file, not a folder: choose a folder for the ${opts.what}`);
    if (st) {
      const foreign = fs
        .readdirSync(abs)
        .filter((n) => !opts.known.some((k) => (typeof k === 'string' ? k === n : k.test(n))));
      if (foreign.length > 0)
        throw new UsageError(
          `--out ${out} holds files that are not a Lepton ${opts.what} (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); ` +
            'it would be replaced as a whole: choose a new or empty folder',
        );
    }
    cleanOrphans(abs);
    const tmp = tmpName(abs);
    try {
      fs.mkdirSync(tmp);
    } catch (e) {
      throw fsUsageError(`write the ${opts.what} into`, parent, e);
    }
    return new OutputSet(abs, tmp);
  }

  /** Path of `name` inside the (temporary) set folder. */
  path(...name: string[]): string {
    return path.join(this.dir, ...name);
  }

  /** Writes one file of the set (text, bytes, or streamed) and fsyncs it. */
  write(name: string, data: string | Uint8Array | ((emit: Emit) => void)): string {
    const file = this.path(name);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeNew(file, data);
    } catch (e) {
      throw new Error(`cannot write ${file}: ${fsReason(e)}`);
    }
    return path.join(this.out, name);
  }

  /** Swaps the new set in: OUT → OUT.prev, temp → OUT, OUT.prev deleted. */
  commit(): void {
    if (this.committed) return;
    const prev = `${this.out}.prev`;
    fsyncPath(this.dir, 'r');
    fs.rmSync(prev, { recursive: true, force: true });
    if (fs.existsSync(this.out)) fs.renameSync(this.out, prev);
    fs.renameSync(this.dir, this.out);
    fsyncPath(path.dirname(this.out), 'r');
    fs.rmSync(prev, { recursive: true, force: true });
    this.committed = true;
  }

  /** Deletes the temporary folder (a failed run leaves OUT as it was). */
  abort(): void {
    if (!this.committed) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
