import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtmlReport } from '../../src/report/html';
import { summarize } from '../../src/metrics/summary';
import type { SimResult } from '../../src/sim/result';
import { fifoRun, randomJobs } from './fake-runs';

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
