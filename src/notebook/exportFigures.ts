/**
 * Static export of a notebook's figures for papers: every figure shown with `showFigure` since
 * the kernel started is rendered by plotly.js itself (`Plotly.toImage`) in headless Chromium and
 * written as `<dir>/<notebook>/<name>.svg` and `.png`, with the same styling as inline.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadPlotly } from '../report/plotly';
import { writeFileAtomic } from '../util/atomic';
import { repoRoot } from '../util/repoRoot';
import { launchChromium } from './browser';
import { shownFigures, slug, type Figure } from './figure';

export type ImageFormat = 'svg' | 'png';

export interface ExportOptions {
  /** Output root (default `results/figures` of the repository). */
  dir?: string;
  /** Formats (default both). */
  formats?: readonly ImageFormat[];
  /** PNG pixel ratio (default 2: sharp in print). */
  scale?: number;
  /** Figures to export (default: every figure shown in this kernel). */
  figures?: readonly { name: string; figure: Figure }[];
}

/** Renders figures to SVG/PNG bytes in one browser session. */
export async function renderFigures(
  figures: readonly { name: string; figure: Figure }[],
  formats: readonly ImageFormat[] = ['svg', 'png'],
  scale = 2,
): Promise<{ name: string; format: ImageFormat; bytes: Buffer }[]> {
  if (figures.length === 0) return [];
  const session = await launchChromium();
  try {
    const { page } = session;
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: loadPlotly().source });
    const out: { name: string; format: ImageFormat; bytes: Buffer }[] = [];
    for (const f of figures) {
      const layout = (f.figure.layout ?? {}) as { width?: number; height?: number };
      for (const format of formats) {
        const url: string = await page.evaluate(
          // Runs in the page: plotly draws the figure off-screen and returns a data URL.
          async ([fig, fmt, w, h, s]: [Figure, string, number, number, number]) =>
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            (globalThis as any).Plotly.toImage(fig, { format: fmt, width: w, height: h, scale: fmt === 'png' ? s : 1 }),
          [f.figure, format, layout.width ?? 760, layout.height ?? 440, scale],
        );
        const comma = url.indexOf(',');
        const meta = url.slice(0, comma);
        const payload = url.slice(comma + 1);
        const bytes = meta.endsWith(';base64')
          ? Buffer.from(payload, 'base64')
          : Buffer.from(decodeURIComponent(payload), 'utf8');
        out.push({ name: f.name, format, bytes });
      }
    }
    return out;
  } finally {
    await session.close();
  }
}

/**
 * Writes every figure of this notebook (all `showFigure` calls since the kernel started) to
 * `results/figures/<notebook>/<figure>.{svg,png}` through headless Chromium. Returns the paths
 * written, relative to the repository root when inside it.
 */
export async function exportFigures(notebook: string, opts: ExportOptions = {}): Promise<string[]> {
  const root = repoRoot();
  const dir = path.join(opts.dir ?? path.join(root, 'results', 'figures'), slug(notebook));
  const figures = opts.figures ?? shownFigures();
  const images = await renderFigures(figures, opts.formats ?? ['svg', 'png'], opts.scale ?? 2);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const img of images) {
    const file = path.join(dir, `${img.name}.${img.format}`);
    writeFileAtomic(file, img.bytes); // never a half-written figure
    written.push(path.relative(root, file).startsWith('..') ? file : path.relative(root, file));
  }
  return written;
}
