import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtmlReport, reportPage } from '../../src/report/html';
import { summarize } from '../../src/metrics/summary';
import type { SimResult } from '../../src/sim/result';
import { fifoRun, randomJobs } from './fake-runs';
import { renderCrossSeedReport } from '../../src/report/crossSeed';
import { policyColor } from '../../src/report/palette';
import { summarizeSeeds } from '../../src/experiment/seedSummary';
import { SCHEDULERS } from '../../src/schedulers/registry';
import { AGENT_KINDS } from '../../src/experiment/agents';

const CHROMIUM = process.env.LEPTON_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Where the browser test leaves a screenshot for a person to look at. */
const SCREENSHOT = join(tmpdir(), 'lepton-report.png');

function report(results: SimResult[], manifest: object = { seed: 1 }): string {
  return renderHtmlReport({
    title: 'FIFO <64> & <96> GPUs',
    summaries: results.map((r) => ({ policy: r.policy, summary: summarize(r) })),
    results,
    manifest,
  });
}

/** The chart data block, parsed back. */
function chartData(html: string): {
  jct: { name: string; x: number[]; y: number[] }[];
  util: { x: number[]; y: number[] }[];
} {
  const m = /<script type="application\/json" id="lepton-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'data block present');
  return JSON.parse(m[1]);
}

test('reportPage: the shell of every report, in order, with the title, manifest and data made inert', () => {
  const page = reportPage({
    title: 'a <b> & "c"',
    body: '<h2>BODY</h2>',
    manifest: { note: '</script><i>m</i>' },
    data: { s: '</script><!--\u2028' },
    script: 'window.SCRIPT = 1;',
  });
  assert.ok(page.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n'));
  assert.ok(page.endsWith('</body>\n</html>\n'));
  assert.ok(page.includes('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>'));
  assert.ok(
    page.includes('<h1>a &lt;b&gt; &amp; &quot;c&quot;</h1>\n<h2>BODY</h2>\n<details>\n<summary>Manifest</summary>'),
  );
  assert.ok(page.includes('&lt;/script&gt;&lt;i&gt;m&lt;/i&gt;') && !page.includes('<i>m</i>'));
  // Only the page's own <script> elements close: plotly's and the data's "</script" are escaped.
  assert.equal(page.match(/<\/script>/g)?.length, 3);
  const m =
    /<script type="application\/json" id="lepton-data">([\s\S]*?)<\/script>\n<script>window.SCRIPT = 1;<\/script>/.exec(
      page,
    );
  assert.ok(m, 'data block, then the page script');
  assert.deepEqual(JSON.parse(m[1]), { s: '</script><!--\u2028' });
});

describe('renderHtmlReport (no browser)', () => {
  const jobs = randomJobs(3000, 1);
  const runs = [fifoRun('fifo-64', jobs, 64), fifoRun('fifo-96', jobs, 96)];

  test('escapes the title and the manifest; one table column per policy', () => {
    const html = report(runs, { note: '</script><b>x</b>' });
    assert.ok(html.includes('<title>FIFO &lt;64&gt; &amp; &lt;96&gt; GPUs</title>'));
    assert.ok(html.includes('&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;'));
    assert.ok(!html.includes('<b>x</b>'));
    assert.ok(html.includes('<th>fifo-64</th><th>fifo-96</th>'));
    assert.match(html, /<th title="[^"]*">jctMean<\/th><td class="unit">s<\/td>/);
  });

  test('chart data: one CDF per policy ending at 1, utilisation within [0, 1], ≤ 2,000 points', () => {
    const data = chartData(report(runs));
    assert.deepEqual(
      data.jct.map((s) => s.name),
      ['fifo-64', 'fifo-96'],
    );
    for (const s of data.jct) {
      assert.ok(s.x.length <= 2000 && s.x.length > 100);
      assert.equal(s.y[s.y.length - 1], 1);
    }
    for (const s of data.util) {
      assert.ok(s.x.length <= 2000);
      assert.ok(s.y.every((v) => v >= 0 && v <= 1 + 1e-9));
    }
  });

  test('data besides plotly stays small for 20,000 jobs', () => {
    const big = randomJobs(20_000, 2, 20);
    const html = report([fifoRun('fifo-64', big, 64)]);
    const m = /<script type="application\/json" id="lepton-data">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(m && m[1].length < 250_000, `data block is ${m?.[1].length} chars`);
  });

  test('same input, same bytes', () => {
    assert.equal(report(runs), report(runs));
  });
});

describe('renderHtmlReport in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lepton-report-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test(
    'plotly draws all three charts without page errors',
    { skip: existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM} (apt-get install chromium)`, timeout: 60_000 },
    async () => {
      const { chromium } = await import('playwright-core');
      const jobs = randomJobs(3000, 1);
      const file = join(dir, 'report.html');
      writeFileSync(file, report([fifoRun('fifo-64', jobs, 64), fifoRun('fifo-96', jobs, 96)]));
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        await page.goto(`file://${file}`);
        await page.waitForSelector('body[data-plots-ready="true"]', { timeout: 30_000 });
        assert.deepEqual(errors, []);
        assert.equal(await page.locator('.js-plotly-plot').count(), 3);
        for (const id of ['chart-jct', 'chart-queue', 'chart-util']) {
          // one drawn line per policy, each with a non-empty path
          const paths = await page
            .locator(`#${id} .scatterlayer .trace path.js-line`)
            .evaluateAll((els) => els.map((e) => (e.getAttribute('d') ?? '').length));
          assert.equal(paths.length, 2, `${id} traces`);
          assert.ok(
            paths.every((len) => len > 100),
            `${id} path lengths ${paths}`,
          );
        }
        assert.equal(await page.locator('#chart-jct .xaxislayer-above .xtick').first().isVisible(), true);
        assert.equal(
          await page.evaluate(
            () =>
              (document.querySelector('#chart-jct') as unknown as { _fullLayout: { xaxis: { type: string } } })
                ._fullLayout.xaxis.type,
          ),
          'log',
        );
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      } finally {
        await browser.close();
      }
    },
  );
});

/**
 * Layout as a reader sees it, in a 1400 px window, with every registered policy on the page: no
 * legend box overlaps an axis title, no table widens the page (wide tables scroll inside their
 * wrapper), and every policy's line is drawn in its own palette colour.
 */
describe('report layout in headless Chromium (1400 px, every registered policy)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lepton-layout-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const skip = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM} (apt-get install chromium)`;

  /** Runs in the page: bounding boxes of legends and axis titles per chart, and widths. */
  function inspect(): {
    overlaps: string[];
    pageWidth: number;
    viewport: number;
    tableRight: number[];
    lineColours: Record<string, string[]>;
  } {
    const box = (e: Element): DOMRect => e.getBoundingClientRect();
    const hit = (a: DOMRect, b: DOMRect): boolean =>
      a.width > 0 && b.width > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const overlaps: string[] = [];
    const lineColours: Record<string, string[]> = {};
    for (const chart of Array.from(document.querySelectorAll('.js-plotly-plot'))) {
      const legend = chart.querySelector('.legend');
      const titles = Array.from(chart.querySelectorAll('.g-xtitle, .g-ytitle'));
      if (legend)
        for (const t of titles)
          if (hit(box(legend), box(t))) overlaps.push(`${chart.id}: legend over ${t.getAttribute('class')}`);
      lineColours[chart.id] = Array.from(chart.querySelectorAll('.scatterlayer .trace path.js-line')).map(
        (p) => (p as SVGPathElement).style.stroke,
      );
    }
    return {
      overlaps,
      pageWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      tableRight: Array.from(document.querySelectorAll('.table-wrap')).map((t) => box(t).right),
      lineColours,
    };
  }

  async function open(file: string): Promise<ReturnType<typeof inspect>> {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      // tsx compiles `inspect` with esbuild's keep-names helper __name, which the page does not have.
      await page.addInitScript('window.__name = (f) => f;');
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${file}`);
      await page.waitForSelector('body[data-plots-ready="true"]', { timeout: 60_000 });
      assert.deepEqual(errors, []);
      const r = await page.evaluate(inspect);
      await page.screenshot({ path: file.replace(/\.html$/, '.png'), fullPage: true });
      return r;
    } finally {
      await browser.close();
    }
  }

  /** "rgb(31, 119, 180)" → "#1f77b4". */
  const hex = (rgb: string): string =>
    '#' +
    (rgb.match(/\d+/g) ?? [])
      .slice(0, 3)
      .map((v) => Number(v).toString(16).padStart(2, '0'))
      .join('');

  test('per-run report', { skip, timeout: 120_000 }, async () => {
    const jobs = randomJobs(400, 3);
    const names = Object.keys(SCHEDULERS);
    assert.ok(names.length >= 16);
    const file = join(dir, 'run.html');
    writeFileSync(file, report(names.map((n, i) => fifoRun(n, jobs, 8 + i))));
    const r = await open(file);
    assert.deepEqual(r.overlaps, []);
    assert.ok(r.pageWidth <= r.viewport, `page ${r.pageWidth} px wide in a ${r.viewport} px window`);
    assert.ok(r.tableRight.length === 1 && r.tableRight.every((x) => x <= r.viewport), `tables end at ${r.tableRight}`);
    for (const id of ['chart-jct', 'chart-queue', 'chart-util'])
      assert.deepEqual(r.lineColours[id].map(hex), names.map(policyColor), id);
  });

  test('cross-seed report', { skip, timeout: 120_000 }, async () => {
    const names = [...Object.keys(SCHEDULERS), ...AGENT_KINDS];
    const seeds = [1, 2, 3];
    const perSeed = seeds.map((s) => {
      const jobs = randomJobs(300, s);
      return names.map((n, i) => summarize(fifoRun(n, jobs, 8 + (i % 5))));
    });
    const rows = summarizeSeeds(names, seeds, perSeed);
    const file = join(dir, 'seeds.html');
    writeFileSync(
      file,
      renderCrossSeedReport({ title: 'layout', rows, perSeed, oracle: { sjf: 'true durations' }, manifest: {} }),
    );
    const r = await open(file);
    assert.deepEqual(r.overlaps, []);
    assert.ok(r.pageWidth <= r.viewport, `page ${r.pageWidth} px wide in a ${r.viewport} px window`);
    assert.ok(r.tableRight.length === 2 && r.tableRight.every((x) => x <= r.viewport), `tables end at ${r.tableRight}`);
  });
});
