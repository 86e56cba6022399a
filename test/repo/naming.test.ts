/**
 * One name per concept: no exported name means two different things in src/ (issue 6 found two
 * `StepResult`s and two `DEEPRM_DEFAULTS`), and DeepRM is spelled one way per identifier kind:
 * types `DeepRM…`, functions and variables `deeprm…` / `…Deeprm…`, constants `DEEPRM_…`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Same name, same concept, on purpose: each entry says why. */
const SHARED_NAMES: Record<string, string> = {
  MinTree:
    'a min segment tree, twice: agents/sumTree.ts over float priorities (prioritised replay), schedulers/minTree.ts over job keys',
};

test('no exported name is declared in two files of src/', () => {
  const where = new Map<string, string[]>();
  for (const f of files(SRC)) {
    for (const m of readFileSync(f, 'utf8').matchAll(
      /^export (?:interface|type|class|const|let|enum|(?:async )?function\*?) ([A-Za-z0-9_]+)/gm,
    )) {
      where.set(m[1], [...(where.get(m[1]) ?? []), path.relative(SRC, f)]);
    }
  }
  const dup = [...where].filter(([name, fs]) => fs.length > 1 && !(name in SHARED_NAMES));
  assert.deepEqual(dup, [], 'rename one of them (or list the name in SHARED_NAMES with the reason)');
});

test('DeepRM is spelled DeepRM in types, deeprm/Deeprm in camelCase, DEEPRM in constants', () => {
  const bad: string[] = [];
  for (const f of files(SRC)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(
      /\b(Deep(?:Rm|rm)[A-Za-z0-9_]*|deep(?:RM|Rm)[A-Za-z0-9_]*|[a-z][A-Za-z0-9]*DeepR[Mm][A-Za-z0-9_]*)\b/g,
    ))
      bad.push(`${path.relative(SRC, f)}: ${m[1]}`);
  }
  assert.deepEqual(bad, []);
});
