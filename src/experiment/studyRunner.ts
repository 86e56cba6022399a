/**
 * Runs the phases of a cluster study (experiment/clusterStudy.ts) over a plan into an output
 * folder. Every phase skips what a previous run already wrote, so re-running the same command
 * after a kill continues where it stopped; a changed plan is refused (the folder would mix two
 * studies) unless the folder is removed first.
 */
import * as path from 'node:path';
import { UsageError } from '../util/errors';
import {
  agentRow,
  bestHeuristicPerJob,
  calibrateVc,
  cellFile,
  heuristicCell,
  loadStudy,
  readJsonIf,
  runVcs,
  STUDY_LOADS,
  trainRun,
  writeJson,
  type StudyCellResult,
  type StudyData,
  type VcCalibration,
} from './clusterStudy';
import { runFamily, type StudyPlan } from './studyPlan';

export const STUDY_PHASES = ['calibrate', 'heuristics', 'train', 'evaluate'] as const;
export type StudyPhase = (typeof STUDY_PHASES)[number];

export interface StudyRunOptions {
  plan: StudyPlan;
  out: string;
  phases: readonly StudyPhase[];
  log?: (line: string) => void;
}

export interface StudyState {
  data: StudyData;
  calibration: VcCalibration[];
  /** Wall seconds of each phase run now. */
  wall: Partial<Record<StudyPhase, number>>;
}

const PLAN_FILE = 'plan.resolved.json';

function checkPlan(out: string, plan: StudyPlan): void {
  const file = path.join(out, PLAN_FILE);
  const prev = readJsonIf<StudyPlan>(file);
  // Agents may be added to a study; everything else defines the cells already written.
  const core = (p: StudyPlan): string => JSON.stringify({ ...p, agents: undefined });
  if (prev && core(prev) !== core(plan))
    throw new UsageError(
      `${file}: ${out} holds a study with another plan (split, VCs, loads or bootstrap differ): use another --out or remove it`,
    );
  writeJson(file, plan);
}

export async function runStudy(o: StudyRunOptions): Promise<StudyState> {
  const log = o.log ?? (() => {});
  const { plan, out } = o;
  checkPlan(out, plan);
  const data = loadStudy(plan);
  const wall: StudyState['wall'] = {};
  const timed = async <T>(phase: StudyPhase, f: () => Promise<T> | T): Promise<T> => {
    const t0 = Date.now();
    const r = await f();
    wall[phase] = (wall[phase] ?? 0) + (Date.now() - t0) / 1000;
    return r;
  };
  log(`VCs by GPU-hours: ${data.ranking.map((g) => `${g.group} ${g.gpuHours.toFixed(0)}`).join(', ')}`);
  log(`study VCs: ${data.vcs.map((v) => v.vc).join(', ')}`);

  // calibrate: always needed by later phases; computed once and kept.
  const calFile = path.join(out, 'calibration.json');
  let calibration = readJsonIf<VcCalibration[]>(calFile);
  const have = (c: VcCalibration[] | undefined): boolean =>
    c !== undefined && data.vcs.every((v) => c.some((x) => x.vc === v.vc));
  if (!have(calibration)) {
    if (!o.phases.includes('calibrate'))
      throw new UsageError(`${calFile} is missing: run the calibrate phase first (--phase calibrate)`);
    calibration = await timed('calibrate', () =>
      data.vcs.map((v) => {
        log(`calibrate ${v.vc} (${v.splits.validation.jobs.length} validation jobs, ${v.gpus} GPUs)`);
        return calibrateVc(v, plan, log);
      }),
    );
    writeJson(calFile, calibration);
  }
  const cal = (vc: string): VcCalibration => calibration!.find((c) => c.vc === vc)!;

  if (o.phases.includes('heuristics'))
    await timed('heuristics', () => {
      for (const v of data.vcs)
        for (const load of STUDY_LOADS) {
          const f = cellFile(out, v.vc, load, 'heuristics');
          if (readJsonIf(f)) continue;
          log(`heuristics ${v.vc} ${load}`);
          writeJson(f, heuristicCell(v, cal(v.vc), load, plan));
        }
    });

  if (o.phases.includes('train'))
    await timed('train', async () => {
      for (const run of plan.agents)
        for (const seed of run.seeds)
          for (const v of runVcs(run, data)) await trainRun(data, v, cal(v.vc), run, seed, out, log);
    });

  if (o.phases.includes('evaluate'))
    await timed('evaluate', async () => {
      for (const v of data.vcs)
        for (const load of STUDY_LOADS) {
          const cell = readJsonIf<StudyCellResult>(cellFile(out, v.vc, load, 'heuristics'));
          if (!cell) throw new UsageError(`${v.vc} ${load}: no heuristic cell yet: run --phase heuristics first`);
          let best: ReturnType<typeof bestHeuristicPerJob> | undefined;
          for (const run of plan.agents) {
            if (!runVcs(run, data).includes(v)) continue;
            const f = cellFile(out, v.vc, load, `agent-${runFamily(run)}`);
            const prev = readJsonIf<{ seeds: number[] }>(f);
            const trained = run.seeds.filter((s) =>
              readJsonIf(path.join(out, 'runs', v.vc, `${runFamily(run)}-s${s}`, 'manifest.json')),
            );
            if (trained.length === 0 || (prev && JSON.stringify(prev.seeds) === JSON.stringify(trained))) continue;
            log(`evaluate ${v.vc} ${load} ${runFamily(run)} seeds ${trained.join(',')}`);
            best ??= bestHeuristicPerJob(v, cell, plan.seed);
            const row = await agentRow(data, v, cell, run, out, best);
            if (row) writeJson(f, row);
          }
        }
    });

  return { data, calibration: calibration!, wall };
}
