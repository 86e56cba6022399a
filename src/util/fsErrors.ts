/**
 * File-system errors in words: every message names the file and what Lepton was
 * doing, instead of a bare `EISDIR` or `EACCES`.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './errors';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a parent of this path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  ENOTEMPTY: 'directory not empty',
};

export function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

/** "permission denied (EACCES)" for an errno error, else its message. */
export function fsReason(e: unknown): string {
  if (isErrno(e)) {
    const code = e.code as string;
    return `${REASONS[code] ?? e.message} (${code})`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** An error a user can act on: `cannot <action> <file>: <reason>`. */
export function fsUsageError(action: string, file: string, e: unknown): UsageError {
  return new UsageError(`cannot ${action} ${file}: ${fsReason(e)}`);
}

/** Reads an input file; a failure is a UsageError naming the file (exit 2). */
export function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw fsUsageError('read', file, e);
  }
}

/** Reads an input text file (UTF-8, a leading byte-order mark dropped). */
export function readInputText(file: string): string {
  const s = readInput(file).toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
