/**
 * lepton/notebook: display helpers for JupyterLab on the tslab TypeScript kernel. They use only
 * tslab's public display API, so notebooks stay thin and nothing depends on tslab internals.
 *
 *   import { showFigure, showFrame, showResults, showReport, progress, exportFigures } from 'lepton/notebook';
 */
export { showFigure, styleFigure, shownFigures, clearFigures, untitledAxes, slug, PLOTLY_MIME } from './figure';
export type { Figure, Trace, ShowFigureOptions } from './figure';
export { showFrame, showMarkdown, showHtml, tableHtml, tableRows } from './frame';
export type { FrameLike, TableInput, TableOptions } from './frame';
export { showResults, showReport, resultsHtml, readCsvRecords } from './results';
export { progress, progressHtml } from './progress';
export type { Progress, ProgressOptions } from './progress';
export { exportFigures, renderFigures } from './exportFigures';
export type { ExportOptions, ImageFormat } from './exportFigures';
export { launchChromium, chromiumPath, CHROMIUM_FLAGS } from './browser';
export { formatNumber, formatCell } from './format';
export { setOutputSink } from './kernel';
export type { OutputSink } from './kernel';
export { policyColor, knownPolicyColor, POLICY_COLORS } from '../report/palette';
