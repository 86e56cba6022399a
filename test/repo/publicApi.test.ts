/**
 * The public API: `import { … } from 'lepton'` works from tests (tsx, through tsconfig `paths`),
 * from compiled code and notebooks (package.json `exports`, self-reference), and from the tslab
 * kernel's own TypeScript (moduleResolution Node10, through the node_modules/lepton shim that
 * scripts/link-self.js writes); and nothing outside src/ and test/ imports src/ or dist/ by path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import * as lepton from 'lepton';

const ROOT = path.join(__dirname, '..', '..');

test("tests import the sources through 'lepton' (tsconfig paths)", () => {
  assert.equal(require.resolve('lepton'), path.join(ROOT, 'src', 'index.ts'));
  // A hand-checked micro run through the public surface only: two 1-GPU jobs of 10 s and 20 s
  // on one 1-GPU node under FIFO finish at 10 and 30.
  const jobs = [
    lepton.makeJob({ id: 'a', submit: 0, duration: 10, gpus: 1 }),
    lepton.makeJob({ id: 'b', submit: 0, duration: 20, gpus: 1 }),
  ];
  const r = lepton.simulate(
    jobs,
    lepton.uniformCluster('one', 1, { gpus: 1, cpus: 4, memMiB: 1024 }),
    lepton.makeScheduler('fifo'),
  );
  assert.deepEqual([...r.finish], [10, 30]);
  assert.equal(lepton.summarize(r).jctMean, 20);
});

test('package.json exports the compiled index, and the build emits it there', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.exports['.'], { types: './dist/src/index.d.ts', default: './dist/src/index.js' });
  assert.equal(pkg.main, 'dist/src/index.js');
  assert.equal(pkg.types, 'dist/src/index.d.ts');
  const build = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8'));
  assert.ok(build.include.includes('src'), 'tsconfig.build.json compiles src/ (→ dist/src/)');
});

const DIST_INDEX = path.join(ROOT, 'dist', 'src', 'index.js');

test("compiled code and notebooks resolve 'lepton' to dist/ (Node self-reference)", (t) => {
  if (!existsSync(DIST_INDEX)) return t.skip('dist/ not built (npm run build)');
  for (const dir of ['notebooks', 'benchmarks', 'scripts']) {
    const out = execFileSync(
      process.execPath,
      ['-e', "const l = require('lepton'); console.log(require.resolve('lepton'), typeof l.simulate)"],
      { cwd: path.join(ROOT, dir), encoding: 'utf8' },
    ).trim();
    assert.equal(out, `${DIST_INDEX} function`, `from ${dir}/`);
  }
});

test("the notebook kernel's TypeScript (Node10 resolution) finds 'lepton' types", () => {
  const from = path.join(ROOT, 'notebooks', 'cell.ts');
  const r = ts.resolveModuleName('lepton', from, { moduleResolution: ts.ModuleResolutionKind.Node10 }, ts.sys);
  assert.ok(
    r.resolvedModule,
    'node_modules/lepton is missing: run `npm run build` (or scripts/link-self.js); tslab cannot see package exports',
  );
  assert.equal(r.resolvedModule.resolvedFileName, path.join(ROOT, 'node_modules', 'lepton', 'index.d.ts'));
  assert.match(readFileSync(r.resolvedModule.resolvedFileName, 'utf8'), /dist\/src\/index/);
});

function files(dir: string, keep: (f: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p, keep) : keep(p) ? [p] : [];
  });
}

// scripts/link-self.js is the shim that points node_modules/lepton at dist/ (its whole purpose).
const ALLOWED = new Set(['scripts/link-self.js']);

test('no notebook, script or benchmark imports src/ or dist/ by path', () => {
  // import/require/export-from with a specifier that walks into src/ or dist/.
  const deep = /(?:from\s+|require\(\s*|import\(\s*)\\?["'](?:\.{1,2}\/)+(?:src|dist)\//;
  const offenders: string[] = [];
  const code = (f: string) => /\.(ts|js|mjs|cjs|sh|ipynb)$/.test(f);
  for (const f of [
    ...files(path.join(ROOT, 'notebooks'), code),
    ...files(path.join(ROOT, 'scripts'), code),
    ...files(path.join(ROOT, 'benchmarks'), code),
  ].filter((f) => !ALLOWED.has(path.relative(ROOT, f))))
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (deep.test(line)) offenders.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
      });
  assert.deepEqual(offenders, []);
});
