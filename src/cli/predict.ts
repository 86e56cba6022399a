import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { resolveTraceFile } from '../experiment/pipeline';
import { makeManifest } from '../experiment/manifest';
import { PREDICTOR_NAMES, isPredictorName } from '../predict/registry';
import { scorePredictors, type PredictorScore } from '../predict/evaluate';
import { UsageError } from '../util/errors';
import { writeFileAtomic } from '../util/atomic';
import { writeCsv } from '../util/csv';
import { loadTrace, TRACE_KINDS } from '../workload/traces';

export const PREDICT_OPTIONS: OptionSpecs = {
  trace: {
    type: 'list',
    arg: 'KIND|FILE,…',
    help: `traces to evaluate: kinds (${TRACE_KINDS.join(', ')}) or files`,
    default: ['philly'],
  },
  predictor: {
    type: 'list',
    arg: 'NAME,…',
    help: `predictors (${PREDICTOR_NAMES.join(', ')})`,
    default: [...PREDICTOR_NAMES],
  },
  'per-group': { type: 'boolean', help: 'also score each group (VC / user / QoS) with at least 100 jobs on its own' },
  out: { type: 'string', arg: 'DIR', help: 'write accuracy.csv and manifest.json there' },
  help: { type: 'boolean', help: 'show this help' },
};

const COLUMNS = [
  'trace',
  'scope',
  'predictor',
  'jobs',
  'coldStart',
  { key: 'mae', header: 'mae_s' },
  { key: 'medianAbsLogError', header: 'median_abs_log_error' },
  { key: 'withinFactor2', header: 'within_factor_2' },
  'spearman',
  { key: 'kendallTauB', header: 'kendall_tau_b' },
];

interface Row extends PredictorScore {
  trace: string;
  scope: string;
}

const MIN_GROUP_JOBS = 100;

/**
 * `lepton predict`: how well each duration predictor guesses job durations at submit time on
 * each trace (MAE, median absolute log error, share within a factor 2, Spearman, Kendall tau-b).
 * Protocol: a job's run time is learned at submit + duration (no queueing; src/predict/evaluate.ts).
 */
export async function runPredict(argv: string[]): Promise<number> {
  const a = parseArgs(argv, PREDICT_OPTIONS, 'predict');
  if (a.help) {
    process.stdout.write(
      formatHelp(
        'lepton predict [--trace KIND|FILE,…] [--predictor NAME,…] [--per-group] [--out DIR]',
        'Scores the duration predictors (src/predict/) on traces: each job is predicted at its submit time from the jobs finished by then (a job is learned at submit + duration).',
        PREDICT_OPTIONS,
      ),
    );
    return 0;
  }
  const predictors = a.predictor as string[];
  for (const p of predictors)
    if (!isPredictorName(p))
      throw new UsageError(`predict: unknown predictor '${p}'; valid predictors: ${PREDICTOR_NAMES.join(', ')}`);
  const started = Date.now();
  const rows: Row[] = [];
  const inputs: Record<string, string> = {};
  for (const t of a.trace as string[]) {
    const { kind, file } = resolveTraceFile({ trace: t });
    const w = loadTrace(kind, file);
    inputs[kind === t ? kind : `${kind}:${path.basename(file)}`] = w.source.sha256 ?? file;
    const label = kind === t ? kind : `${kind}:${path.basename(file)}`;
    for (const s of scorePredictors(w.jobs, predictors)) rows.push({ trace: label, scope: 'all', ...s });
    if (a['per-group']) {
      const groups = new Map<string, typeof w.jobs>();
      for (const j of w.jobs) {
        const g = groups.get(j.group);
        if (g) g.push(j);
        else groups.set(j.group, [j]);
      }
      for (const [g, jobs] of [...groups].sort((x, y) => y[1].length - x[1].length)) {
        if (jobs.length < MIN_GROUP_JOBS) continue;
        for (const s of scorePredictors(jobs, predictors)) rows.push({ trace: label, scope: `group ${g}`, ...s });
      }
    }
  }
  const fmt = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  process.stdout.write(
    'trace                 scope            predictor       jobs    MAE(s)  med|logerr|  <=2x   rho    tau\n',
  );
  for (const r of rows)
    process.stdout.write(
      `${r.trace.padEnd(22)}${r.scope.slice(0, 16).padEnd(17)}${r.predictor.padEnd(14)}${String(r.jobs).padStart(7)}` +
        `${fmt(r.mae, 0).padStart(10)}${fmt(r.medianAbsLogError, 2).padStart(13)}${fmt(r.withinFactor2, 2).padStart(7)}` +
        `${fmt(r.spearman, 3).padStart(7)}${fmt(r.kendallTauB, 3).padStart(7)}\n`,
    );
  if (a.out !== undefined) {
    const out = a.out as string;
    mkdirSync(out, { recursive: true });
    writeFileAtomic(
      path.join(out, 'accuracy.csv'),
      writeCsv(
        rows.map((r) => ({ ...r })),
        COLUMNS,
      ),
    );
    const manifest = makeManifest({
      command: ['lepton', 'predict', ...argv].join(' '),
      config: {
        traces: a.trace,
        predictors,
        perGroup: Boolean(a['per-group']),
        protocol: 'learned at submit + duration',
      },
      seeds: [],
      startedAt: new Date(started).toISOString(),
      wallTimeSeconds: (Date.now() - started) / 1000,
      extra: { inputSha256: inputs },
    });
    writeFileAtomic(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    process.stdout.write(`\nwrote ${path.join(out, 'accuracy.csv')}, ${path.join(out, 'manifest.json')}\n`);
  }
  return 0;
}
