/**
 * docs/api.md promises that each of its TypeScript examples is a complete program: run them all
 * (from the repository root, so 'lepton' resolves to src/index.ts), each must exit 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const doc = readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

test('docs/api.md has one example per entry point', () => {
  assert.ok(blocks.length >= 6, `${blocks.length} examples`);
});

blocks.forEach((code, i) => {
  const first = code.split('\n').find((l) => l.startsWith('import {')) ?? '';
  test(`docs/api.md example ${i + 1}: ${first.slice(0, 70)}`, () => {
    const dir = path.join(ROOT, 'results', 'tmp', 'api-docs');
    mkdirSync(dir, { recursive: true });
    // .mts: ES module, so examples may use top-level await.
    const file = path.join(dir, `example-${i + 1}.mts`);
    writeFileSync(file, code);
    const out = execFileSync(process.execPath, [TSX, file], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    assert.ok(out.trim().length > 0, 'the example prints its result');
  });
});
