import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Repository root: the nearest folder above this module that holds package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}
