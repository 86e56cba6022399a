import { readFileSync } from 'node:fs';

/**
 * The plotly bundle to inline: the minified build (4.6 MB) of plotly.js-dist-min. (The full
 * plotly.js-dist, 11 MB, was a second dependency only ever used as a fallback; knip found it unused.)
 */
const PLOTLY_CANDIDATES = ['plotly.js-dist-min/plotly.min.js'];

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
