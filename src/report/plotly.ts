import { readFileSync } from 'node:fs';

/**
 * Plotly bundles to inline, best first: the minified build if a package that
 * ships one is installed, else the full build from plotly.js-dist (which ships
 * only plotly.js; about 11 MB instead of 4.6 MB).
 */
const PLOTLY_CANDIDATES = [
  'plotly.js-dist-min/plotly.min.js',
  'plotly.js-dist/plotly.min.js',
  'plotly.js-dist/plotly.js',
];

let cached: { path: string; source: string } | undefined;

/** Source text of the plotly bundle and where it came from (read once per process). */
export function loadPlotly(): { path: string; source: string } {
  if (cached) return cached;
  for (const spec of PLOTLY_CANDIDATES) {
    let path: string;
    try {
      path = require.resolve(spec);
    } catch {
      continue;
    }
    cached = { path, source: readFileSync(path, 'utf8') };
    return cached;
  }
  throw new Error(`no plotly bundle found (tried ${PLOTLY_CANDIDATES.join(', ')}); run npm install`);
}
