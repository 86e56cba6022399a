/** `train --config` validation (issue 7 §1.6): every bad file is exit 2 naming the field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cli } from '../helpers/cli';
import { readTrainConfig } from '../../src/cli/train';
import { AGENT_KINDS, agentDefaults } from '../../src/experiment/train';
import { HYPERPARAMETER_RANGES } from '../../src/experiment/trainConfigSchema';

const tmp = mkdtempSync(path.join(tmpdir(), 'lepton-config-'));
let k = 0;
function config(text: string): string {
  const f = path.join(tmp, `c${k++}.json`);
  writeFileSync(f, text);
  return f;
}

const BAD: [string, string, string, RegExp][] = [
  ['__proto__', 'pg', '{"__proto__": {"gamma": 0.5}}', /unknown key '__proto__'/],
  ['constructor', 'pg', '{"constructor": 1}', /unknown key 'constructor'/],
  [
    'nested unknown key',
    'pg',
    '{"optimizer": {"kind": "adam", "lr": 0.001, "lrr": 1}}',
    /unknown key 'lrr' in 'optimizer'/,
  ],
  ['nested __proto__ in env', 'pg', '{"env": {"__proto__": {}}}', /unknown key '__proto__' in 'env'/],
  ['string for a number', 'pg', '{"gamma": "0.9"}', /field 'gamma': must be a number in \[0, 1\]/],
  ['"Infinity" string', 'a2c', '{"gamma": "Infinity"}', /field 'gamma'/],
  ['negative learning rate', 'ppo', '{"lr": -0.001}', /field 'lr'/],
  ['numJobSets 1e9', 'pg', '{"numJobSets": 1e9}', /field 'numJobSets': must be an integer in \[1, 100000\] job sets/],
  ['fractional count', 'dqn', '{"batchSize": 12.5}', /field 'batchSize': must be an integer/],
  ['env string for a number', 'pg', '{"env": {"rate": "0.5"}}', /field 'env\.rate'/],
  ['env unknown key', 'pg', '{"env": {"rat": 0.5}}', /unknown key 'rat' in 'env'/],
  ['hyperparameter of another agent', 'pg', '{"numEnvs": 4}', /unknown key 'numEnvs'/],
  ['not an object', 'pg', '[1, 2]', /expected object/i],
  [
    'bad schedule',
    'dqn',
    '{"epsilon": {"kind": "linear", "start": 1, "end": 0, "steps": -5}}',
    /field 'epsilon\.steps'/,
  ],
  ['truncated file', 'pg', '{"gamma": 0.9', /c\d+\.json:1: invalid JSON/],
];

for (const [name, agent, text, re] of BAD)
  test(`train --config: ${name} is refused (exit 2)`, async () => {
    const r = await cli(['train', '--agent', agent, '--config', config(text), '--out', path.join(tmp, `o${k++}`)]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
  });

test('a valid config passes through with its values', () => {
  const c = readTrainConfig(
    config('\uFEFF{"gamma": 0.9, "optimizer": {"kind": "adam", "lr": 0.001}, "env": {"rate": 0.5}}'),
    'pg',
    'deeprm',
  );
  assert.deepEqual(c, { agent: { gamma: 0.9, optimizer: { kind: 'adam', lr: 0.001 } }, env: { rate: 0.5 } });
});

test('every default hyperparameter of every agent passes its own schema', () => {
  for (const agent of AGENT_KINDS) {
    const d = agentDefaults(agent);
    // JSON cannot hold Infinity (pg's maxGradNorm default = no clipping): leave it out.
    const json = JSON.parse(JSON.stringify(d, (_k, v) => (v === Infinity ? undefined : v)));
    assert.doesNotThrow(() => readTrainConfig(config(JSON.stringify(json)), agent, 'deeprm'), agent);
    for (const key of Object.keys(d)) assert.ok(key in HYPERPARAMETER_RANGES, `${agent}.${key} has no declared range`);
  }
});
