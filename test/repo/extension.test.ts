/**
 * "Adding a policy, an agent or a trace format = one file + one registry entry" (README, section
 * "Extending Lepton"), checked: every such file has exactly one registry entry and every entry has its
 * file, so a file without an entry (or an entry pointing at a shared file) fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SCHEDULERS } from '../../src/schedulers/registry';
import { AGENT_KINDS } from '../../src/experiment/agents';
import { SEARCH_KINDS } from '../../src/experiment/searches';
import { TRACE_KINDS } from '../../src/workload/traces';
import { REFERENCE } from '../schedulers/reference/registry';

const SRC = path.join(__dirname, '..', '..', 'src');
const tsFiles = (dir: string): string[] =>
  readdirSync(path.join(SRC, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3));
const importsOf = (file: string): string[] =>
  [...readFileSync(path.join(SRC, file), 'utf8').matchAll(/from '\.\.?\/(?:\w+\/)*(\w+)'/g)].map((m) => m[1]);

/** Files of src/schedulers/ that are not a policy, with what they are. */
const SCHEDULER_HELPERS: Record<string, string> = {
  registry: 'the registry itself',
  common: 'fit tests and option parsing shared by the policies',
  lists: 'waiting-queue data structures',
  minTree: 'a min segment tree',
  keyed: 'non-preemptive key-ordered engine (sjf, sjf-estimate, qssf)',
  predicted: 'the predictor option and tracker of the prediction-based policies',
  preemptive: 'priority-preemption engine (srtf, las, tiresias, gittins)',
  backfill: 'reservation bookkeeping (easy, conservative)',
  waitPriority: 'wait-time priority engine (wfp3, unicep)',
  options: 'typed option schemas of the registry entries',
};

/** Scheduler files deployed by a searched family (experiment/searches.ts): learned, not registry heuristics. */
const searchedSchedulers = (): string[] =>
  importsOf('experiment/searches.ts').filter((f) => tsFiles('schedulers').includes(f));

test('policies: one file + one registry entry each', () => {
  const searched = searchedSchedulers();
  const policyFiles = tsFiles('schedulers').filter((f) => !(f in SCHEDULER_HELPERS) && !searched.includes(f));
  const registered = importsOf('schedulers/registry.ts');
  assert.deepEqual(
    policyFiles.filter((f) => !registered.includes(f)),
    [],
    'policy files the registry does not import (register them, or list them as helpers here)',
  );
  assert.equal(Object.keys(SCHEDULERS).length, policyFiles.length, 'registry entries vs policy files');
});

test('agents: one training file in src/agents/ + one entry in experiment/agents.ts each', () => {
  // An agent file exports its training loop train<Name>() and its hyperparameters <NAME>_DEFAULTS.
  const trainers = tsFiles('agents').filter((f) => {
    const text = readFileSync(path.join(SRC, 'agents', `${f}.ts`), 'utf8');
    return /^export (async )?function train[A-Z]\w*\(/m.test(text) && /^export const [A-Z0-9]+_DEFAULTS\b/m.test(text);
  });
  assert.equal(AGENT_KINDS.length, trainers.length, `agent entries vs files with a train*() (${trainers.join(', ')})`);
  const registry = importsOf('experiment/agents.ts');
  for (const f of trainers) assert.ok(registry.includes(f), `experiment/agents.ts does not use agents/${f}.ts`);
});

test('searched scheduler families: one scheduler file + one search file in src/agents/ + one SEARCHES entry each', () => {
  const searched = searchedSchedulers();
  assert.equal(SEARCH_KINDS.length, searched.length, `SEARCHES entries vs scheduler files (${searched.join(', ')})`);
  const searches = importsOf('experiment/searches.ts').filter((f) => tsFiles('agents').includes(f));
  assert.equal(SEARCH_KINDS.length, searches.length, `SEARCHES entries vs search files (${searches.join(', ')})`);
  // A searched scheduler is not also a registry heuristic (it would appear twice in a study).
  const registered = importsOf('schedulers/registry.ts');
  for (const f of searched) assert.ok(!registered.includes(f), `${f} is both searched and registered`);
});

test('trace formats: one loader file + one TRACE_FORMATS entry each', () => {
  const loaders = tsFiles('workload/loaders').filter((f) => f !== 'common');
  const used = importsOf('workload/traces.ts').filter((f) => loaders.includes(f));
  assert.deepEqual(used.sort(), loaders.sort(), 'loaders not in TRACE_FORMATS');
  assert.equal(TRACE_KINDS.length, loaders.length, 'TRACE_FORMATS entries vs loader files');
});

test('policies: a reference copy (test/schedulers/reference/) only where src takes a shortcut', () => {
  const refDir = path.join(__dirname, '..', 'schedulers', 'reference');
  const code = (file: string): string =>
    readFileSync(file, 'utf8')
      .replace(/^import[\s\S]*?from '[^']*';\n/gm, '')
      .trim();
  const copies = readdirSync(refDir).filter((f) => f.endsWith('.ts') && f !== 'registry.ts');
  for (const f of copies) {
    const src = path.join(SRC, 'schedulers', f);
    assert.ok(existsSync(src), `reference/${f} has no src/schedulers/${f}`);
    assert.notEqual(
      code(path.join(refDir, f)),
      code(src),
      `reference/${f} equals src: delete it, src is the reference`,
    );
  }
  for (const name of Object.keys(REFERENCE)) assert.ok(name in SCHEDULERS, `reference for unknown policy ${name}`);
});

test('the README states the counts these tests check', () => {
  const readme = readFileSync(path.join(SRC, '..', 'README.md'), 'utf8');
  assert.match(readme, /\*\*Add a policy\*\* \(1 file \+ 1 registry entry/);
  assert.match(readme, /\*\*Add an agent\*\* \(1 file \+ 1 registry entry/);
  assert.match(readme, /\*\*Add a trace format\*\* \(1 file \+ 1 table entry/);
});
