/**
 * `lepton cluster-study PLAN [--phase …] [--out DIR]`: the learned-vs-heuristic study on Philly
 * virtual clusters (experiment/clusterStudy.ts, docs/cluster-study.md). Writes OUT/calibration.json,
 * OUT/cells/<vc>-<load>/*.json, OUT/runs/<vc>/<family>-s<seed>/ (training), OUT/table.csv,
 * OUT/table.md and OUT/manifest.json. Re-running continues where a killed run stopped.
 */
import * as path from 'node:path';
import { UsageError } from '../util/errors';
import { writeFileAtomic } from '../util/atomic';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { readStudyPlan } from '../experiment/studyPlan';
import { runStudy, STUDY_PHASES, type StudyPhase } from '../experiment/studyRunner';
import { makeManifest } from '../experiment/manifest';
import { writeStudyTables } from '../report/clusterStudy';

const SPECS: OptionSpecs = {
  out: { type: 'string', arg: 'DIR', help: 'output folder (default results/cluster/<plan name>)' },
  phase: {
    type: 'list',
    arg: `${STUDY_PHASES.join(',')}`,
    help: 'phases to run (calibration is computed whenever it is missing); the tables are always rewritten',
    default: [...STUDY_PHASES],
  },
  quiet: { type: 'boolean', help: 'no log lines' },
  help: { type: 'boolean', help: 'show this help' },
};

const USAGE = 'lepton cluster-study PLAN.json [--phase calibrate,heuristics,train,evaluate] [--out DIR]';

export async function runClusterStudy(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help')) {
    process.stdout.write(
      formatHelp(
        USAGE,
        'Learned schedulers vs every heuristic on Philly virtual clusters split by time 60/10/30 (train /\n' +
          'validation / test), at the recorded load and a contended load calibrated on the validation split.\n' +
          'Plan fields: docs/cluster-study.md; the committed study: results/cluster/philly/plan.json.',
        SPECS,
      ),
    );
    return argv.length === 0 ? 2 : 0;
  }
  const planFiles = argv.filter(
    (a, i) => !a.startsWith('--') && !(i > 0 && ['--out', '--phase'].includes(argv[i - 1])),
  );
  if (planFiles.length !== 1)
    throw new UsageError(
      `lepton cluster-study: expected one plan file, got ${planFiles.length ? planFiles.join(', ') : 'none'}`,
    );
  const a = parseArgs(
    argv.filter((x) => x !== planFiles[0]),
    SPECS,
    'lepton cluster-study',
  );
  const phases = a.phase as string[];
  for (const p of phases)
    if (!(STUDY_PHASES as readonly string[]).includes(p))
      throw new UsageError(`lepton cluster-study: --phase '${p}' is not one of ${STUDY_PHASES.join(', ')}`);
  const plan = readStudyPlan(planFiles[0]);
  const out = path.resolve((a.out as string | undefined) ?? path.join('results', 'cluster', plan.name));
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const log = a.quiet ? undefined : (line: string): void => void process.stderr.write(`${line}\n`);
  const st = await runStudy({ plan, out, phases: phases as StudyPhase[], log });
  const md = writeStudyTables(out, st.calibration);
  const manifest = makeManifest({
    command: ['lepton', 'cluster-study', ...argv].join(' '),
    config: {
      plan,
      phases,
      wallSecondsByPhase: st.wall,
      studyVcs: st.data.vcs.map((v) => v.vc),
      ranking: st.data.ranking,
    },
    seeds: [plan.seed],
    trace: {
      kind: 'philly',
      file: st.data.traceFile,
      sha256: st.data.traceSha256,
      rowsRead: st.data.rowsRead,
      filtered: 0,
      skipped: st.data.rowsSkipped,
      jobs: st.data.vcs.reduce(
        (s, v) => s + v.splits.train.jobs.length + v.splits.validation.jobs.length + v.splits.test.jobs.length,
        0,
      ),
    },
    startedAt,
    wallTimeSeconds: (Date.now() - t0) / 1000,
  });
  writeFileAtomic(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  process.stdout.write(
    md.split('\n## Loads')[0] +
      `\nwrote ${path.relative(process.cwd(), out) || out}/table.md, table.csv, manifest.json\n`,
  );
  return 0;
}
