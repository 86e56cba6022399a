/**
 * One colour per policy everywhere: every registered scheduler and agent has a colour of its own in
 * POLICY_COLORS (not a hashed fallback, which two names could share), no two of them share one, and
 * the reports actually use the palette (test/report/html.test.ts checks the drawn lines).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POLICY_COLORS, EXTRA_COLORS, knownPolicyColor, policyColor } from '../../src/report/palette';
import { SCHEDULERS } from '../../src/schedulers/registry';
import { AGENT_KINDS } from '../../src/experiment/agents';

const REGISTERED = [...Object.keys(SCHEDULERS), ...AGENT_KINDS];

test('every registered policy and agent has its own palette entry', () => {
  const missing = REGISTERED.filter((n) => POLICY_COLORS[n] === undefined);
  assert.deepEqual(missing, [], 'add a colour of its own to POLICY_COLORS in src/report/palette.ts');
});

test('no two registered policies or agents share a colour; at least 16 distinct colours', () => {
  const owner = new Map<string, string>();
  for (const n of REGISTERED) {
    const c = policyColor(n).toLowerCase();
    assert.ok(!owner.has(c), `${n} and ${owner.get(c)} share ${c}`);
    owner.set(c, n);
  }
  assert.ok(owner.size >= 16, `${owner.size} distinct colours`);
});

test('colours are valid hex, and the non-policy cycle never reuses a policy colour', () => {
  for (const [n, c] of Object.entries(POLICY_COLORS)) assert.match(c, /^#[0-9a-f]{6}$/i, n);
  const used = new Set(REGISTERED.map((n) => policyColor(n)));
  for (const c of EXTRA_COLORS) assert.ok(!used.has(c), c);
});

test('aliases keep the family colour (seed and variant suffixes, DeepRM and RLScheduler labels)', () => {
  assert.equal(knownPolicyColor('fcfs'), POLICY_COLORS.fifo);
  assert.equal(knownPolicyColor('Tetris*'), POLICY_COLORS.tetris);
  assert.equal(knownPolicyColor('tiresias seed 3'), POLICY_COLORS.tiresias);
  assert.equal(knownPolicyColor('reinforce'), POLICY_COLORS.pg);
});
