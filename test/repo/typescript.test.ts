/**
 * The project compiles and type-checks with its pinned TypeScript (package.json: ~5.9), never with
 * tslab's bundled 5.0.4 — which npm links as node_modules/.bin/tsc, so a bare `tsc` in a script or
 * `npx tsc` in CI silently runs the old compiler (DEVELOPERS.md, "Known tslab limitations").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

test('require("typescript") is the pinned 5.9', () => {
  const pinned = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies.typescript;
  assert.equal(pinned, '~5.9.0');
  assert.match(ts.version, /^5\.9\./);
});

test("no script, CI step or documented command runs a bare tsc (it may be tslab's TypeScript 5.0)", () => {
  const scripts = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const bad: string[] = [];
  // `tsc` as a command word: at the start, or after a shell separator, `npx` or `.bin/`.
  const bare = /(^|[;&|(]\s*|\bnpx\s+|\.bin\/)tsc\b/;
  for (const [name, cmd] of Object.entries(scripts))
    if (bare.test(cmd)) bad.push(`package.json scripts.${name}: ${cmd}`);
  const files = [
    '.ci/run',
    'README.md',
    'DEVELOPERS.md',
    ...readdirSync(path.join(ROOT, 'scripts'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => `scripts/${f}`),
    ...readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`),
  ];
  for (const f of files) {
    const p = path.join(ROOT, f);
    if (!existsSync(p)) continue;
    readFileSync(p, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.replace(/^\s*#.*$/, '');
        if (/(^|[;&|(`]\s*|\bnpx\s+|\.bin\/)tsc\s+-/.test(code)) bad.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(bad, [], 'call node node_modules/typescript/bin/tsc (npm run build / npm run typecheck) instead');
});

test("the compiled declarations stay readable by tslab's TypeScript 5.0 (no generic typed arrays)", () => {
  // TS 5.7+ infers `Float64Array<ArrayBuffer>` for `x = new Float64Array(n)`; TS 5.0 (the notebook
  // kernel, which reads dist/src/*.d.ts through node_modules/lepton) has no such generic. Annotate
  // the field or variable as plain `Float64Array` / `Int32Array`.
  const dist = path.join(ROOT, 'dist', 'src');
  assert.ok(existsSync(dist), 'dist/src is missing: npm run build (npm ci runs it)');
  const bad: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.d.ts') && /Array<ArrayBuffer/.test(readFileSync(p, 'utf8')))
        bad.push(path.relative(ROOT, p));
    }
  };
  walk(dist);
  assert.deepEqual(bad, []);
});
