/**
 * The tables of a cluster study (`lepton cluster-study`): table.csv (one row per VC, load and
 * policy or agent family) and table.md (the contended-load verdict first, then one table per VC
 * and load), from the cell files the study wrote. Hours for times; intervals are 95 %.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import {
  bestNonOracleRow,
  cellFile,
  readJsonIf,
  STUDY_LOADS,
  type StudyCellResult,
  type PolicyRow,
  type VcCalibration,
} from '../experiment/clusterStudy';
import { SCHEDULERS } from '../schedulers/registry';
import { writeCsv } from '../util/csv';
import { writeFileAtomic } from '../util/atomic';

export interface StudyTableRow {
  vc: string;
  load: string;
  gpus: number;
  arrivalScale: number;
  offeredLoad: number;
  jobs: number;
  row: PolicyRow;
}

/** Every row of every cell present in `out` (heuristics first, then agent families). */
export function readStudyRows(out: string, calibration: readonly VcCalibration[]): StudyTableRow[] {
  const rows: StudyTableRow[] = [];
  for (const c of calibration)
    for (const load of STUDY_LOADS) {
      const cell = readJsonIf<StudyCellResult>(cellFile(out, c.vc, load, 'heuristics'));
      if (!cell) continue;
      const base = {
        vc: c.vc,
        load,
        gpus: cell.gpus,
        arrivalScale: cell.arrivalScale,
        offeredLoad: cell.offeredLoad,
        jobs: cell.jobs,
      };
      for (const r of cell.rows) rows.push({ ...base, row: r });
      const dir = path.dirname(cellFile(out, c.vc, load, 'x'));
      const agents = existsSync(dir)
        ? readdirSync(dir).filter((f) => f.startsWith('agent-') && f.endsWith('.json'))
        : [];
      for (const f of agents.sort()) rows.push({ ...base, row: readJsonIf<PolicyRow>(path.join(dir, f))! });
    }
  return rows;
}

const H = 3600;
const h = (x: number | undefined): number => (x === undefined ? NaN : x / H);

export function studyCsv(rows: readonly StudyTableRow[]): string {
  const flat = rows.map(({ row: r, ...c }) => ({
    ...c,
    policy: r.policy,
    kind: r.kind,
    oracle: r.oracle === false ? '' : r.oracle,
    seeds: r.seeds.join(' '),
    jobsFinished: r.metrics.finished,
    jobsRejected: r.metrics.rejected,
    jctMeanH: h(r.metrics.jctMean),
    jctMeanH_lo: h(r.jobWindowCI.jctMean.lo),
    jctMeanH_hi: h(r.jobWindowCI.jctMean.hi),
    jctMeanH_seedLo: h(r.seedCI?.jctMean?.lo),
    jctMeanH_seedHi: h(r.seedCI?.jctMean?.hi),
    queueP95H: h(r.metrics.queueP95),
    queueP95H_lo: h(r.jobWindowCI.queueP95.lo),
    queueP95H_hi: h(r.jobWindowCI.queueP95.hi),
    bsldMean: r.metrics.bsldMean,
    bsldMean_lo: r.jobWindowCI.bsldMean.lo,
    bsldMean_hi: r.jobWindowCI.bsldMean.hi,
    utilWindow: r.metrics.utilWindow,
    utilWindow_seedLo: r.seedCI?.utilWindow?.lo,
    utilWindow_seedHi: r.seedCI?.utilWindow?.hi,
    utilMakespan: r.metrics.utilGpu,
    preemptions: r.metrics.preemptTotal,
    vsBestNonOracle: r.vsBestNonOracle?.heuristic ?? '',
    vsBestDiffH: h(r.vsBestNonOracle?.estimate),
    vsBestDiffH_lo: h(r.vsBestNonOracle?.lo),
    vsBestDiffH_hi: h(r.vsBestNonOracle?.hi),
  }));
  return writeCsv(flat, Object.keys(flat[0] ?? { vc: 0 }));
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');
const ci = (lo: number, hi: number, f = f2): string => (Number.isFinite(lo) ? `[${f(lo)}, ${f(hi)}]` : '');

function info(r: PolicyRow): string {
  if (r.kind === 'agent') return r.oracle === false ? 'agent' : `agent, **oracle** (${r.oracle})`;
  return r.oracle === false ? 'heuristic' : `heuristic, **oracle**`;
}

/** The verdict at contended load: best agent family vs the best non-oracle heuristic, per VC. */
function verdict(rows: readonly StudyTableRow[], calibration: readonly VcCalibration[]): string[] {
  const lines = [
    '| VC | best non-oracle heuristic | its mean JCT (h) | best non-oracle non-preemptive heuristic | its mean JCT (h) | best non-oracle agent | its mean JCT (h) | agent − best heuristic (h) [95 % paired job-window] | verdict |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  let wins = 0;
  let n = 0;
  for (const c of calibration) {
    const cellRows = rows.filter((r) => r.vc === c.vc && r.load === 'contended');
    if (cellRows.length === 0) continue;
    n++;
    const cell = { rows: cellRows.map((r) => r.row) } as StudyCellResult;
    const best = bestNonOracleRow(cell);
    // The agents start jobs but never preempt: the best heuristic of their own class, for context.
    const npRows = cell.rows.filter(
      (r) => r.kind === 'heuristic' && r.oracle === false && !SCHEDULERS[r.policy]?.preemptive,
    );
    const np = npRows.length > 0 ? bestNonOracleRow({ rows: npRows } as StudyCellResult) : undefined;
    const npCols = np ? `${np.policy} | ${f2(h(np.metrics.jctMean))}` : '– | –';
    const agents = cellRows.filter((r) => r.row.kind === 'agent' && r.row.oracle === false).map((r) => r.row);
    if (agents.length === 0) {
      lines.push(
        `| ${c.vc} | ${best.policy} | ${f2(h(best.metrics.jctMean))} | ${npCols} | – | – | – | no agent evaluated |`,
      );
      continue;
    }
    const a = agents.reduce((x, y) => (y.metrics.jctMean < x.metrics.jctMean ? y : x));
    const d = a.vsBestNonOracle!;
    const win = a.metrics.jctMean < best.metrics.jctMean;
    if (win) wins++;
    const sig =
      d.hi < 0
        ? 'beats it (interval < 0)'
        : d.lo > 0
          ? 'loses (interval > 0)'
          : win
            ? 'ahead, not significant'
            : 'behind, not significant';
    lines.push(
      `| ${c.vc} | ${best.policy} | ${f2(h(best.metrics.jctMean))} | ${npCols} | ${a.policy} (${a.seeds.length} seeds) | ${f2(h(a.metrics.jctMean))} | ${f2(h(d.estimate))} ${ci(h(d.lo), h(d.hi))} | ${sig} |`,
    );
  }
  lines.push(
    '',
    `Learned scheduler ahead of the best non-oracle heuristic on mean JCT at contended load: **${wins} of ${n} VCs**.`,
  );
  return lines;
}

export function studyMarkdown(rows: readonly StudyTableRow[], calibration: readonly VcCalibration[]): string {
  const out: string[] = ['## Verdict at contended load', '', ...verdict(rows, calibration), ''];
  out.push('## Loads', '');
  out.push(
    '| VC | quota GPUs | GPU-hours (whole trace) | test jobs | recorded offered load (test) | contended GPUs | contended arrival scale | contended offered load (test) | validation util of best non-oracle heuristic (contended) |',
  );
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const c of calibration) {
    const con = rows.find((r) => r.vc === c.vc && r.load === 'contended');
    const rec = rows.find((r) => r.vc === c.vc && r.load === 'recorded');
    out.push(
      `| ${c.vc} | ${c.gpus} | ${c.gpuHours.toFixed(0)} | ${c.splits.test.jobs} | ${f3(rec?.offeredLoad ?? NaN)} | ${c.contendedGpus} | ${c.contendedScale} | ${f3(con?.offeredLoad ?? NaN)} | ${f3(c.validationUtil)} (${c.validationBest})${c.withinBand ? '' : ' **outside band**'} |`,
    );
  }
  out.push('');
  for (const c of calibration)
    for (const load of STUDY_LOADS) {
      const cr = rows.filter((r) => r.vc === c.vc && r.load === load);
      if (cr.length === 0) continue;
      out.push(
        `## ${c.vc}, ${load} load (${cr[0].gpus} GPUs, arrival scale ${cr[0].arrivalScale}, offered load ${f3(cr[0].offeredLoad)}, ${cr[0].jobs} test jobs)`,
        '',
        '| policy | kind | seeds | mean JCT (h) | [job-window 95 %] | [seeds 95 %] | p95 queueing (h) [job-window] | mean bounded slowdown [job-window] | GPU util (submit window) | preemptions |',
        '|---|---|---|---|---|---|---|---|---|---|',
      );
      const sorted = [...cr].sort((a, b) => a.row.metrics.jctMean - b.row.metrics.jctMean);
      for (const { row: r } of sorted) {
        const w = r.jobWindowCI;
        out.push(
          `| ${r.policy} | ${info(r)} | ${r.seeds.join(' ') || '–'} | ${f2(h(r.metrics.jctMean))} | ${ci(h(w.jctMean.lo), h(w.jctMean.hi))} | ${ci(h(r.seedCI?.jctMean?.lo ?? NaN), h(r.seedCI?.jctMean?.hi ?? NaN))} | ${f2(h(r.metrics.queueP95))} ${ci(h(w.queueP95.lo), h(w.queueP95.hi))} | ${f2(r.metrics.bsldMean)} ${ci(w.bsldMean.lo, w.bsldMean.hi)} | ${f3(r.metrics.utilWindow)} | ${Math.round(r.metrics.preemptTotal)} |`,
        );
      }
      out.push('');
    }
  return out.join('\n');
}

/** Writes OUT/table.csv and OUT/table.md; returns the markdown. */
export function writeStudyTables(out: string, calibration: readonly VcCalibration[]): string {
  const rows = readStudyRows(out, calibration);
  const md = studyMarkdown(rows, calibration);
  writeFileAtomic(path.join(out, 'table.csv'), studyCsv(rows));
  writeFileAtomic(path.join(out, 'table.md'), md + '\n');
  return md;
}
