/** Public API of the report package. */
export { renderHtmlReport, escapeHtml, REPORT_DEFAULTS } from './html';
export type { ReportInput } from './html';
export { summaryCsv, jobsCsv, jobsCsvStream, jobRows, JOB_COLUMNS } from './tables';
export type { PolicySummary } from './tables';
export { downsampleStep, cdfPoints } from './downsample';
export { loadPlotly } from './plotly';
export { policyColor, knownPolicyColor, POLICY_COLORS, EXTRA_COLORS } from './palette';
