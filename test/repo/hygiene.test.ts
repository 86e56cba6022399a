import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Determinism: every random draw in src/ must come from a seeded generator.
test('no Math.random() call in src/', () => {
  const root = path.join(__dirname, '..', '..', 'src');
  const offenders: string[] = [];
  for (const f of tsFiles(root)) {
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
        if (/Math\.random\s*\(/.test(code)) offenders.push(`${path.relative(root, f)}:${i + 1}`);
      });
  }
  assert.deepEqual(offenders, []);
});
