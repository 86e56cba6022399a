import { renameSync, writeFileSync } from 'node:fs';

/** Writes atomically (temp file + rename) so a crash never leaves half a result file. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
