import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  showFigure,
  shownFigures,
  clearFigures,
  styleFigure,
  untitledAxes,
  slug,
  PLOTLY_MIME,
} from '../../src/notebook/figure';
import { showFrame, tableHtml } from '../../src/notebook/frame';
import { progress } from '../../src/notebook/progress';
import { resultsHtml, showReport } from '../../src/notebook/results';
import { setOutputSink } from '../../src/notebook/kernel';
import { formatNumber } from '../../src/notebook/format';
import { policyColor, POLICY_COLORS, EXTRA_COLORS } from '../../src/report/palette';

type Out = { type: string; data: unknown; id: number | null };
let outputs: Out[] = [];
beforeEach(() => {
  outputs = [];
  clearFigures();
  setOutputSink((type, data, id) => outputs.push({ type, data, id }));
});
afterEach(() => setOutputSink(null));

describe('palette', () => {
  test('a policy keeps its colour whatever the order, case or variant suffix', () => {
    assert.equal(policyColor('sjf'), POLICY_COLORS.sjf);
    assert.equal(policyColor('SJF'), POLICY_COLORS.sjf);
    assert.equal(policyColor('tetris:0.5'), POLICY_COLORS.tetris);
    assert.equal(policyColor('DeepRM PG (REINFORCE) [pg-sets200]'), POLICY_COLORS.deeprm);
    assert.equal(policyColor('ppo seed 3'), POLICY_COLORS.ppo);
  });
  test('unknown names get a stable colour from the extra palette', () => {
    const c = policyColor('my-new-policy');
    assert.ok(EXTRA_COLORS.includes(c));
    assert.equal(policyColor('my-new-policy'), c);
  });
  test('the known policies have distinct colours (aliases of one policy excepted)', () => {
    const aliases = new Set(['tetris*', 'reinforce', 'deeprm', 'agent', 'fcfs']);
    const colours = Object.entries(POLICY_COLORS)
      .filter(([k]) => !aliases.has(k))
      .map(([, c]) => c);
    assert.equal(new Set(colours).size, colours.length);
  });
});

describe('figures', () => {
  const fig = () => ({
    data: [
      { type: 'scatter', name: 'sjf', x: [1, 2], y: [3, 4] },
      { type: 'bar', name: 'fifo', x: ['a'], y: [1], marker: { color: '#123456' } },
    ],
    layout: { title: { text: 'JCT vs load, Philly <b>VC</b>' }, xaxis: { title: { text: 'load (%)' } } },
  });
  test('showFigure emits one plotly MIME output with policy colours and records the figure', () => {
    showFigure(fig());
    const { name } = shownFigures()[0];
    assert.equal(outputs.length, 1);
    assert.equal(outputs[0].type, PLOTLY_MIME);
    const sent = outputs[0].data as { data: { line?: { color: string }; marker?: { color: string } }[] };
    assert.equal(sent.data[0].line?.color, POLICY_COLORS.sjf);
    assert.equal(sent.data[1].marker?.color, '#123456', 'an explicit colour wins');
    assert.equal(name, 'jct-vs-load-philly-vc');
    assert.equal(shownFigures().length, 1);
    showFigure(fig());
    assert.deepEqual(
      shownFigures().map((f) => f.name),
      ['jct-vs-load-philly-vc', 'jct-vs-load-philly-vc-2'],
      'names stay unique',
    );
  });
  test('house style: thousands separators, legend outside the plot, the caller wins on conflicts', () => {
    const s = styleFigure({ ...fig(), layout: { ...fig().layout, yaxis: { title: 'x', separatethousands: false } } });
    const l = s.layout as Record<string, Record<string, unknown>>;
    assert.equal(l.xaxis.separatethousands, true);
    assert.equal(l.yaxis.separatethousands, false);
    assert.ok((l.legend.x as number) > 1, 'legend right of the plot area');
  });
  test('axes without a title are reported', () => {
    assert.deepEqual(untitledAxes(fig()), ['yaxis']);
    assert.deepEqual(untitledAxes({ data: [{ type: 'pie' }] }), []);
  });
  test('slug', () => assert.equal(slug('  Slowdown / load (DeepRM, Fig. 4) '), 'slowdown-load-deeprm-fig-4'));
});

describe('tables', () => {
  test('a danfojs-like frame and records render the same, numbers right-aligned with separators', () => {
    const a = tableHtml({ columns: ['policy', 'jobs'], values: [['fifo', 82247]] });
    const b = tableHtml([{ policy: 'fifo', jobs: 82247 }]);
    assert.equal(a, b);
    assert.match(a, /<td style="text-align:right">82,247<\/td>/);
  });
  test('HTML in cells is escaped; long tables are cut with a note', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ name: `<b>${i}</b>` }));
    const h = tableHtml(rows, { maxRows: 10 });
    assert.ok(!h.includes('<b>0</b>'));
    assert.match(h, /first 10 of 60 rows/);
    showFrame(rows);
    assert.equal(outputs[0].type, 'text/html');
  });
  test('formatNumber', () => {
    assert.equal(formatNumber(1234567), '1,234,567');
    assert.equal(formatNumber(3.16821), '3.168');
    assert.equal(formatNumber(12345.6), '12,346');
    assert.equal(formatNumber(NaN), '–');
  });
});

describe('progress', () => {
  test('one updatable output, throttled, always drawn at the end', () => {
    let t = 0;
    const p = progress('training', 100, { intervalMs: 1000, now: () => t, unit: 'iterations' });
    for (let i = 0; i < 100; i++) {
      t += 15;
      p.tick(1, `iteration ${i}`);
    }
    p.finish('done');
    const ids = new Set(outputs.map((o) => o.id));
    assert.equal(ids.size, 1, 'every update overwrites the same output');
    assert.ok(outputs.length <= 4, `throttled (got ${outputs.length} draws for 100 ticks)`);
    const last = String(outputs[outputs.length - 1].data);
    assert.match(last, /data-done="100" data-total="100"/);
    assert.match(last, /done/);
    assert.ok(!last.includes(String.fromCharCode(27)), 'no terminal escape codes');
  });
});

describe('results folder', () => {
  test('files, summary.csv and manifest excerpt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lepton-nb-'));
    try {
      mkdirSync(join(dir, 'seed-1'));
      writeFileSync(join(dir, 'summary.csv'), 'policy,jct_mean\nfifo,12345.5\nsjf,99\n');
      writeFileSync(join(dir, 'seed-1', 'jobs.csv'), 'x\n');
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ command: 'lepton simulate', seeds: [1, 2] }));
      const h = resultsHtml(dir);
      assert.match(h, /seed-1\/jobs\.csv/);
      assert.match(h, /12,346/);
      assert.match(h, /lepton simulate/);
      assert.throws(() => resultsHtml(join(dir, 'missing')), /does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('traces that are not policies keep plotly colours (no hash collisions between datasets)', () => {
  setOutputSink(() => {});
  showFigure({
    data: [
      { type: 'bar', name: 'NASA iPSC', x: [1], y: [1] },
      { type: 'bar', name: 'fifo', x: [1], y: [1] },
    ],
    layout: { xaxis: { title: 'x' }, yaxis: { title: 'y' } },
  });
  const { figure } = shownFigures()[shownFigures().length - 1];
  assert.equal((figure.data[0].marker as { color?: string } | undefined)?.color, undefined);
  assert.equal((figure.data[1].marker as { color: string }).color, POLICY_COLORS.fifo);
  setOutputSink(null);
});

test('the colour cycle for non-policy traces shares no colour with a known policy', () => {
  const used = new Set(Object.values(POLICY_COLORS));
  for (const c of EXTRA_COLORS) assert.ok(!used.has(c), c);
});

test('showReport embeds a report in a sandboxed iframe, escaped; a missing file is an error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lepton-report-'));
  const got: Out[] = [];
  setOutputSink((type, data, id) => got.push({ type, data, id }));
  try {
    writeFileSync(join(dir, 'report.html'), '<html><body><p class="x">a & "b"</p><script>1</script></body></html>');
    showReport(dir, { height: 300 });
    assert.equal(got[0].type, 'text/html');
    const html = String(got[0].data);
    assert.match(html, /^<iframe class="lepton-report" sandbox="allow-scripts"/);
    assert.ok(html.includes('srcdoc="&lt;html&gt;') || html.includes('srcdoc="<html>'), 'the report is the srcdoc');
    assert.ok(html.includes('&amp;quot;b&amp;quot;') || html.includes('&quot;b&quot;'), 'quotes escaped');
    assert.ok(!/srcdoc="[^"]*"[^>]*"b"/.test(html), 'no unescaped quote ends the attribute early');
    assert.throws(() => showReport(join(dir, 'nope.html')), /does not exist/);
  } finally {
    setOutputSink(null);
    rmSync(dir, { recursive: true, force: true });
  }
});
