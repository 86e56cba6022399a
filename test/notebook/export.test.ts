import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportFigures } from '../../src/notebook/exportFigures';
import { styleFigure } from '../../src/notebook/figure';

const CHROMIUM = process.env.LEPTON_CHROMIUM ?? '/usr/bin/chromium';

test(
  'exportFigures writes an SVG (one path per trace) and a PNG per figure through headless Chromium',
  { skip: existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM} (apt-get install chromium)`, timeout: 90_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lepton-fig-'));
    try {
      const figure = styleFigure({
        data: [
          { type: 'scatter', mode: 'lines', name: 'fifo', x: [1, 2, 3], y: [1, 4, 9] },
          { type: 'scatter', mode: 'lines', name: 'sjf', x: [1, 2, 3], y: [1, 2, 3] },
        ],
        layout: { title: { text: 'test' }, xaxis: { title: { text: 'load (%)' } }, yaxis: { title: { text: 's' } } },
      });
      const written = await exportFigures('My Notebook', { dir, figures: [{ name: 'curves', figure }] });
      assert.deepEqual(written.sort(), [
        join(dir, 'my-notebook', 'curves.png'),
        join(dir, 'my-notebook', 'curves.svg'),
      ]);
      const svg = readFileSync(join(dir, 'my-notebook', 'curves.svg'), 'utf8');
      assert.match(svg, /^<svg/);
      assert.equal((svg.match(/class="trace scatter/g) ?? []).length, 2, 'two traces drawn');
      assert.ok(svg.includes('rgb(255, 127, 14)'), 'sjf in its policy colour (#ff7f0e)');
      const png = readFileSync(join(dir, 'my-notebook', 'curves.png'));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
      assert.equal(png.readUInt32BE(16), 760 * 2, 'width × scale');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
