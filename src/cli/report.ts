/**
 * `lepton report deeprm`: the DeepRM reproduction's tables and figures from its run folders
 * (what scripts/reproduce-deeprm.sh used to do with inline JavaScript). Reads `--runs DIR`, writes
 * into `--out DIR` (default: a fresh folder under results/tmp/, so committed results change only
 * when --out points at them on purpose).
 */
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { UsageError } from '../util/errors';
import { writeFileAtomic } from '../util/atomic';

export const DEEPRM_OPTIONS: OptionSpecs = {
  runs: {
    type: 'string',
    arg: 'DIR',
    help: 'the reproduction folder (run folders, job-set files)',
    default: 'results/deeprm',
  },
  out: { type: 'string', arg: 'DIR', help: 'where the report goes', default: 'results/tmp/deeprm-report' },
  'sampled-seeds': {
    type: 'number',
    int: true,
    min: 0,
    max: 1000,
    arg: 'N',
    help: 'sampled evaluations per PG run and split for sampled-<N>seeds.csv (0: skip)',
    default: 10,
  },
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'lepton report deeprm [--runs results/deeprm] [--out DIR] [--sampled-seeds N]';
const DESCRIPTION =
  'Writes summary.csv, table.md, curves.html/png (held-out learning curves), validation-curves.html/png\n' +
  'and sampled-<N>seeds.csv for the run folders under --runs. With --out equal to --runs, the table block\n' +
  'of --runs/README.md is refreshed too (regenerating the committed results).';

async function reportDeeprm(argv: string[]): Promise<number> {
  const a = parseArgs(argv, DEEPRM_OPTIONS, 'report deeprm');
  if (a.help) {
    process.stdout.write(formatHelp(USAGE, DESCRIPTION, DEEPRM_OPTIONS));
    return 0;
  }
  const root = a.runs as string;
  const out = a.out as string;
  if (!existsSync(root)) throw new UsageError(`report deeprm: --runs folder not found: ${root}`);
  mkdirSync(out, { recursive: true });
  // Loaded here: tfjs (for the agents) is slow to import.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const report = require('../report/deeprm') as typeof import('../report/deeprm');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const rows = await report.writeDeeprmReport(root, out);
  process.stdout.write(`table: ${rows.length} rows → ${path.join(out, 'table.md')}, summary.csv, curves.html\n`);
  const curves = await report.writeValidationCurves(root, out);
  process.stdout.write(
    curves > 0
      ? `validation curves: ${curves} runs → ${path.join(out, 'validation-curves.html')}\n`
      : 'validation curves: no run has val_* columns; skipped\n',
  );
  const seeds = a['sampled-seeds'] as number;
  if (seeds > 0) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { sampledSeeds } = require('../experiment/deeprmSampled') as typeof import('../experiment/deeprmSampled');
    const { initBackend } = require('../tf/backend') as typeof import('../tf/backend');
    /* eslint-enable @typescript-eslint/no-require-imports */
    await initBackend();
    const res = await sampledSeeds(root, seeds);
    const file = path.join(out, `sampled-${seeds}seeds.csv`);
    writeFileAtomic(file, res.csv);
    for (const s of res.skipped) process.stdout.write(`  sampled seeds: skipped ${s}\n`);
    process.stdout.write(`sampled evaluations (${seeds} seeds per run and split) → ${file}\n`);
  }
  return 0;
}

export const FIG4_OPTIONS: OptionSpecs = {
  runs: {
    type: 'string',
    arg: 'DIR',
    help: 'the sweep folder (config/loadNN.json, run folders loadNN-seedS/)',
    default: 'results/deeprm/fig4',
  },
  out: { type: 'string', arg: 'DIR', help: 'where the table and figure go (default: --runs)' },
  iterations: {
    type: 'number',
    int: true,
    min: 1,
    max: 1_000_000,
    arg: 'N',
    help: 'training iterations a run must have reached to count (the sweep budget)',
    required: true,
  },
  extra: {
    type: 'string',
    arg: "'LOAD:SEED …'",
    help: 'runs expected beside seed 1 at every load, e.g. "130:2 130:3 70:2 70:3" (default: none)',
  },
  help: { type: 'boolean', help: 'show this help' },
};

async function reportFig4(argv: string[]): Promise<number> {
  const a = parseArgs(argv, FIG4_OPTIONS, 'report deeprm-fig4');
  if (a.help) {
    process.stdout.write(
      formatHelp(
        "lepton report deeprm-fig4 --iterations N [--runs results/deeprm/fig4] [--out DIR] [--extra 'LOAD:SEED …']",
        'DeepRM Figure 4: fig4.csv, fig4-runs.csv, fig4.md and fig4.html/png from the runs of\n' +
          'scripts/deeprm-fig4.sh (heuristics replayed on the held-out sets of every load; unfinished runs listed as pending).',
        FIG4_OPTIONS,
      ),
    );
    return 0;
  }
  const root = a.runs as string;
  const out = (a.out as string | undefined) ?? root;
  if (!existsSync(root)) throw new UsageError(`report deeprm-fig4: --runs folder not found: ${root}`);
  mkdirSync(out, { recursive: true });
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fig4 = require('../report/deeprmFig4') as typeof import('../report/deeprmFig4');
  /* eslint-enable @typescript-eslint/no-require-imports */
  let extra: Map<number, number[]>;
  try {
    extra = fig4.parseExtra((a.extra as string | undefined) ?? '');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { rows, png } = await fig4.writeFig4Report(root, out, { iterations: a.iterations as number, extra });
  for (const r of rows)
    process.stdout.write(
      `load ${String(r.load).padStart(3)} %: SJF ${r.sjf.toFixed(3)}  REINFORCE ${
        r.runs.length > 0 ? `${r.pg.toFixed(3)} (${r.ratio.toFixed(3)} × SJF, ${r.runs.length} seed(s))` : '-'
      }${r.pending.length > 0 ? `  pending: ${r.pending.join(' ')}` : ''}\n`,
    );
  process.stdout.write(
    `wrote ${path.join(out, 'fig4.md')}, fig4.csv, fig4-runs.csv, fig4.html` +
      (png ? ', fig4.png\n' : ' (no fig4.png: no Chromium; apt-get install chromium or set LEPTON_CHROMIUM)\n'),
  );
  return 0;
}

const REPORTS: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  deeprm: { summary: 'tables and figures of the DeepRM reproduction (results/deeprm)', run: reportDeeprm },
  'deeprm-fig4': {
    summary: 'DeepRM Figure 4: REINFORCE and the heuristics at every load (results/deeprm/fig4)',
    run: reportFig4,
  },
};

/** `lepton report <kind> …` */
export async function runReport(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  const entry = kind !== undefined && Object.hasOwn(REPORTS, kind) ? REPORTS[kind] : undefined;
  if (!entry) {
    const list = Object.entries(REPORTS)
      .map(([k, r]) => `  ${k.padEnd(8)}${r.summary}`)
      .join('\n');
    if (kind === undefined || kind === '--help' || kind === '-h') {
      process.stdout.write(`Usage: lepton report <kind> [options]\n\nKinds:\n${list}\n`);
      return kind === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown report '${kind}'. Kinds:\n${list}`);
  }
  return entry.run(rest);
}
