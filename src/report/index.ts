/** What other layers import from report/ (src/index.ts); knip (knip.jsonc) flags a name nobody imports. */
export { renderHtmlReport, REPORT_DEFAULTS } from './html';
export { summaryCsv, jobsCsv, jobRows } from './tables';
export { cdfPoints } from './downsample';
