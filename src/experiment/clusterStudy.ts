/**
 * The learned-vs-heuristic study on a GPU-cluster trace (`lepton cluster-study PLAN`), in phases
 * that each write their results atomically and skip what is already there, so a killed run
 * resumes:
 *
 *   calibrate   per VC: time split 60/10/30, the contended arrival scale found on the
 *               VALIDATION split (best non-oracle heuristic's GPU utilisation in [0.7, 0.9])
 *   heuristics  every registered policy on each VC's TEST split, at the recorded and the
 *               contended load: the five metrics with job-window (block-bootstrap) intervals
 *   train       every agent run of the plan on the TRAINING split at the contended load
 *   evaluate    every trained agent on the TEST split at both loads (all seeds of a family
 *               together: interval over seeds, job-window interval of the seed-mean, paired
 *               difference to the best non-oracle heuristic)
 *
 * The test split is read in `heuristics` and `evaluate` only; nothing tuned looks at it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { agentScheduler } from '../agents/agentScheduler';
import { clusterTotals, type ClusterSpec } from '../cluster/spec';
import { presetCluster, phillyVcNodes } from '../cluster/presets';
import { windowEncoder, type ObservationEncoder } from '../env/observation';
import { noDurationEncoder } from '../env/noDurationEncoder';
import { confidenceInterval } from '../metrics/ci';
import { DEFAULT_DURATION_SOURCE, type DurationSource } from '../predict/source';
import { makeScheduler, oracleInfo, SCHEDULER_NAMES } from '../schedulers/registry';
import { writeFileAtomic } from '../util/atomic';
import { UsageError } from '../util/errors';
import { readJsonFile } from '../util/json';
import type { Job } from '../workload/job';
import { defaultTraceFile, loadTrace } from '../workload/traces';
import { sha256File } from './manifest';
import {
  groupsByGpuHours,
  jobWindows,
  scaledSplitJobs,
  SPLIT_NAMES,
  splitOfferedLoad,
  timeSplits,
  type SplitName,
  type TimeSplit,
} from './studySplit';
import {
  jobWindowIntervals,
  meanPerJob,
  pairedDifference,
  runJobs,
  scoreRun,
  type CI,
  type IntervalMetric,
  type PerJob,
  type StudyMetrics,
} from './studyEval';
import { ORACLE_OBSERVATIONS, runFamily, type StudyAgentRun, type StudyObservation, type StudyPlan } from './studyPlan';
import { makeStudyTask } from './studyTask';
import { isSearchKind, runSearch, SEARCHES } from './searches';
import type { Scheduler } from '../sim/scheduler';
import { loadTrainedAgent, runTraining, CHECKPOINT_DIR } from './train';

export const STUDY_LOADS = ['recorded', 'contended'] as const;
export type StudyLoad = (typeof STUDY_LOADS)[number];

export const ENCODERS: Record<StudyObservation, ObservationEncoder> = {
  'no-duration': noDurationEncoder,
  window: windowEncoder,
};

/**
 * The durations an observation believes, in training and at evaluation alike: the TRUE durations
 * for the oracle-labelled observations (ORACLE_OBSERVATIONS), else the default predictions. The
 * env's and the deployed agent's default is predictions, so an oracle observation must ask.
 */
export function studyDurations(obs: StudyObservation): DurationSource {
  return ORACLE_OBSERVATIONS[obs] === false ? DEFAULT_DURATION_SOURCE : 'oracle';
}

/** Heuristics that read nothing a real scheduler lacks at submit time. */
export function nonOraclePolicies(): string[] {
  return SCHEDULER_NAMES.filter((p) => oracleInfo(p) === false);
}

export interface StudyVc {
  vc: string;
  cluster: ClusterSpec;
  gpus: number;
  gpuHours: number;
  splits: Record<SplitName, TimeSplit>;
}

export interface StudyData {
  plan: StudyPlan;
  traceFile: string;
  traceSha256: string;
  /** Every VC with a node quota, busiest (GPU-hours) first. */
  ranking: { group: string; jobs: number; gpuHours: number }[];
  vcs: StudyVc[];
  rowsSkipped: number;
  rowsRead: number;
}

/** Loads the trace and picks the study's VCs: the `topVcs` busiest by GPU-hours, then `extraVcs`. */
export function loadStudy(plan: StudyPlan): StudyData {
  const traceFile = plan.traceFile ?? defaultTraceFile('philly');
  const w = loadTrace('philly', traceFile, { skipInvalid: true });
  const quotas = phillyVcNodes();
  const ranking = groupsByGpuHours(w.jobs).filter((g) => quotas.has(g.group));
  const chosen = ranking.slice(0, plan.topVcs).map((g) => g.group);
  for (const v of plan.extraVcs) {
    if (!quotas.has(v)) throw new UsageError(`extraVcs: '${v}' is not a Philly VC with a node quota`);
    if (!chosen.includes(v)) chosen.push(v);
  }
  const byVc = new Map<string, Job[]>();
  for (const j of w.jobs) (byVc.get(j.group) ?? byVc.set(j.group, []).get(j.group)!).push(j);
  const vcs = chosen.map((vc): StudyVc => {
    const cluster = presetCluster(`philly:${vc}`);
    return {
      vc,
      cluster,
      gpus: clusterTotals(cluster).gpus,
      gpuHours: ranking.find((g) => g.group === vc)!.gpuHours,
      splits: timeSplits(byVc.get(vc) ?? [], plan.split),
    };
  });
  return {
    plan,
    traceFile,
    traceSha256: sha256File(traceFile),
    ranking,
    vcs,
    rowsSkipped: w.source.skipped.length,
    rowsRead: w.source.rowsRead,
  };
}

// ---------------------------------------------------------------- calibrate

export interface CalibrationStep {
  nodes: number;
  scale: number;
  offeredLoad: number;
  best: string;
  jctMean: number;
  utilWindow: number;
}

export interface VcCalibration {
  vc: string;
  gpus: number;
  gpuHours: number;
  splits: Record<SplitName, { from: number; to: number; jobs: number; offeredLoadRecorded: number }>;
  contendedScale: number;
  /** Nodes of the VC at contended load (its quota unless the band needed a smaller cluster). */
  contendedNodes: number;
  contendedGpus: number;
  /** Best non-oracle heuristic's GPU utilisation over the validation submit window at the contended setting. */
  validationUtil: number;
  validationBest: string;
  withinBand: boolean;
  steps: CalibrationStep[];
}

/** Best non-oracle heuristic (lowest mean JCT) on `jobs`, and its GPU utilisation. */
function bestNonOracle(
  jobs: readonly Job[],
  cluster: ClusterSpec,
  windowEnd: number,
  seed: number,
): { best: string; jct: number; util: number } {
  let best = '';
  let jct = Infinity;
  let util = NaN;
  for (const p of nonOraclePolicies()) {
    const m = scoreRun(runJobs(jobs, cluster, makeScheduler(p), seed), windowEnd).metrics;
    if (m.jctMean < jct) {
      best = p;
      jct = m.jctMean;
      util = m.utilWindow;
    }
  }
  return { best, jct, util };
}

/** The first `nodes` nodes of a VC's cluster (the contended setting when the quota cannot be loaded). */
export function shrunkCluster(c: ClusterSpec, nodes: number): ClusterSpec {
  if (nodes >= c.nodes.length) return c;
  return { name: `${c.name}/${nodes}nodes`, nodes: c.nodes.slice(0, nodes) };
}

/**
 * The contended setting of a VC, on its VALIDATION split only: bisection on log(arrival scale) in
 * [scaleMin, scaleMax] for the best non-oracle heuristic's GPU utilisation over the submit window
 * to reach the band's midpoint. When even scaleMax leaves it below the band (few, long jobs on a
 * large quota), the cluster is halved (never below the largest job of the VC) and the search
 * repeats. The evaluated setting closest to the midpoint is kept; `withinBand` says whether it is in.
 */
export function calibrateVc(v: StudyVc, plan: StudyPlan, log: (s: string) => void = () => {}): VcCalibration {
  const c = plan.contended;
  const target = (c.utilLo + c.utilHi) / 2;
  const val = v.splits.validation;
  const steps: CalibrationStep[] = [];
  const gpusPerNode = Math.max(...v.cluster.nodes.map((n) => n.gpus));
  const allJobs = [...v.splits.train.jobs, ...val.jobs, ...v.splits.test.jobs];
  const minNodes = Math.max(1, Math.ceil(Math.max(...allJobs.map((j) => j.gpus)) / gpusPerNode));
  const at = (nodes: number, scale: number): CalibrationStep => {
    const cl = shrunkCluster(v.cluster, nodes);
    const gpus = clusterTotals(cl).gpus;
    const b = bestNonOracle(scaledSplitJobs(val, scale), cl, splitLength(val, scale), plan.seed);
    const s = {
      nodes,
      scale,
      offeredLoad: splitOfferedLoad(val, gpus, scale),
      best: b.best,
      jctMean: b.jct,
      utilWindow: b.util,
    };
    steps.push(s);
    log(
      `  ${v.vc} ${nodes} nodes, scale ${scale}: offered ${s.offeredLoad.toFixed(3)}, best ${s.best} util ${s.utilWindow.toFixed(3)}`,
    );
    return s;
  };
  const inBand = (s: CalibrationStep): boolean => s.utilWindow >= c.utilLo && s.utilWindow <= c.utilHi;
  for (let nodes = v.cluster.nodes.length; ; nodes = Math.max(minNodes, Math.floor(nodes / 2))) {
    const low = at(nodes, c.scaleMin);
    if (low.utilWindow >= target) break; // the recorded load is contended already
    const high = at(nodes, c.scaleMax);
    if (high.utilWindow >= c.utilLo) {
      let lo = Math.log(c.scaleMin);
      let hi = Math.log(c.scaleMax);
      for (let i = 0; i < c.iterations; i++) {
        const mid = (lo + hi) / 2;
        const s = at(nodes, Number(Math.exp(mid).toPrecision(3)));
        if (s.utilWindow < target) lo = mid;
        else hi = mid;
        if (Math.abs(s.utilWindow - target) < 0.02) break;
      }
      if (steps.some((s) => s.nodes === nodes && inBand(s))) break;
    }
    if (nodes === minNodes) break;
  }
  // Closest to the target among the settings on the largest cluster that reached the band (else overall).
  const ok = steps.filter(inBand);
  const pool = ok.length > 0 ? ok.filter((s) => s.nodes === Math.max(...ok.map((x) => x.nodes))) : steps;
  const chosen = pool.reduce((a, b) => (Math.abs(b.utilWindow - target) < Math.abs(a.utilWindow - target) ? b : a));
  const splits = {} as VcCalibration['splits'];
  for (const n of SPLIT_NAMES) {
    const s = v.splits[n];
    splits[n] = { from: s.from, to: s.to, jobs: s.jobs.length, offeredLoadRecorded: splitOfferedLoad(s, v.gpus, 1) };
  }
  return {
    vc: v.vc,
    gpus: v.gpus,
    gpuHours: v.gpuHours,
    splits,
    contendedScale: chosen.scale,
    contendedNodes: chosen.nodes,
    contendedGpus: clusterTotals(shrunkCluster(v.cluster, chosen.nodes)).gpus,
    validationUtil: chosen.utilWindow,
    validationBest: chosen.best,
    withinBand: inBand(chosen),
    steps,
  };
}

// ---------------------------------------------------------------- cells

export interface PolicyRow {
  policy: string;
  kind: 'heuristic' | 'agent';
  /** Oracle information the row reads (false: none). */
  oracle: string | false;
  /** Training seeds (agents); empty for heuristics. */
  seeds: number[];
  metrics: StudyMetrics;
  /** Job-window (block-bootstrap) 95 % intervals; for agents of the seed-mean per-job series. */
  jobWindowCI: Record<IntervalMetric, CI>;
  /** Agents with ≥ 2 seeds: t interval over seeds of each metric's per-seed value. */
  seedCI?: Partial<Record<keyof StudyMetrics, CI & { n: number }>>;
  perSeed?: { seed: number; metrics: StudyMetrics }[];
  /** Agents: paired job-window interval of mean JCT(agent) − mean JCT(best non-oracle heuristic). */
  vsBestNonOracle?: CI & { estimate: number; heuristic: string };
}

export interface StudyCellResult {
  vc: string;
  load: StudyLoad;
  /** Nodes and GPUs of the cell's cluster. */
  nodes: number;
  gpus: number;
  arrivalScale: number;
  offeredLoad: number;
  jobs: number;
  rows: PolicyRow[];
}

export function cellJobs(v: StudyVc, scale: number): Job[] {
  return scaledSplitJobs(v.splits.test, scale);
}

/** Length of a split's submit window at an arrival scale (s). */
export function splitLength(s: TimeSplit, scale: number): number {
  return (s.to - s.from) / scale;
}

export function loadScale(cal: VcCalibration, load: StudyLoad): number {
  return load === 'recorded' ? 1 : cal.contendedScale;
}

/** The cluster of a cell: the VC's quota at recorded load, the calibrated one at contended load. */
export function loadCluster(v: StudyVc, cal: VcCalibration, load: StudyLoad): ClusterSpec {
  return load === 'recorded' ? v.cluster : shrunkCluster(v.cluster, cal.contendedNodes);
}

/** Every registered heuristic on the cell's test jobs. */
export function heuristicCell(v: StudyVc, cal: VcCalibration, load: StudyLoad, plan: StudyPlan): StudyCellResult {
  const scale = loadScale(cal, load);
  const jobs = cellJobs(v, scale);
  const cluster = loadCluster(v, cal, load);
  const gpus = clusterTotals(cluster).gpus;
  const rows: PolicyRow[] = SCHEDULER_NAMES.map((policy) => {
    const s = scoreRun(runJobs(jobs, cluster, makeScheduler(policy), plan.seed), splitLength(v.splits.test, scale));
    return {
      policy,
      kind: 'heuristic',
      oracle: oracleInfo(policy),
      seeds: [],
      metrics: s.metrics,
      jobWindowCI: jobWindowIntervals(s.perJob, plan.bootstrap.seed, plan.bootstrap),
    };
  });
  return {
    vc: v.vc,
    load,
    nodes: cluster.nodes.length,
    gpus,
    arrivalScale: scale,
    offeredLoad: splitOfferedLoad(v.splits.test, gpus, scale),
    jobs: jobs.length,
    rows,
  };
}

/** The best non-oracle heuristic row of a heuristic cell (lowest mean JCT). */
export function bestNonOracleRow(cell: StudyCellResult): PolicyRow {
  const rows = cell.rows.filter((r) => r.kind === 'heuristic' && r.oracle === false);
  return rows.reduce((a, b) => (b.metrics.jctMean < a.metrics.jctMean ? b : a));
}

// ---------------------------------------------------------------- training

export function runDir(out: string, vc: string, run: StudyAgentRun, seed: number): string {
  return path.join(out, 'runs', vc, `${runFamily(run)}-s${seed}`);
}

export function runVcs(run: StudyAgentRun, data: StudyData): StudyVc[] {
  return data.vcs.filter((v) => run.vcs === undefined || run.vcs.includes(v.vc));
}

/** Trains one run (resumes a checkpoint; a finished run, with its manifest, is skipped). */
export async function trainRun(
  data: StudyData,
  v: StudyVc,
  cal: VcCalibration,
  run: StudyAgentRun,
  seed: number,
  out: string,
  log: (s: string) => void,
): Promise<'trained' | 'done'> {
  const dir = runDir(out, v.vc, run, seed);
  if (existsSync(path.join(dir, 'manifest.json'))) return 'done';
  const plan = data.plan;
  const scale = cal.contendedScale;
  const describe = {
    study: plan.name,
    vc: v.vc,
    split: 'train',
    arrivalScale: scale,
    nodes: cal.contendedNodes,
    episodeJobs: plan.episodeJobs,
    episodeStride: plan.episodeStride,
    traceSha256: data.traceSha256,
  };
  const command = `lepton cluster-study (plan ${plan.name}) train ${v.vc} ${runFamily(run)} seed ${seed}`;
  const agent = run.agent;
  if (isSearchKind(agent)) {
    // A searched scheduler: the whole training split (it cuts its own windows) and the validation split.
    log(`search ${v.vc} ${runFamily(run)} seed ${seed}`);
    const problem = {
      cluster: loadCluster(v, cal, 'contended'),
      train: scaledSplitJobs(v.splits.train, scale),
      validation: scaledSplitJobs(v.splits.validation, scale),
      simSeed: plan.seed,
    };
    runSearch(agent, problem, run.config, seed, dir, command, describe, log);
    return 'trained';
  }
  const train = scaledSplitJobs(v.splits.train, scale);
  const episodes = jobWindows(train, plan.episodeJobs, plan.episodeStride);
  const task = makeStudyTask({
    cluster: loadCluster(v, cal, 'contended'),
    episodes,
    validation: scaledSplitJobs(v.splits.validation, scale),
    window: plan.window,
    reward: run.reward,
    rewardScale: run.rewardScale,
    maxSteps: plan.maxSteps,
    encoder: ENCODERS[run.observation],
    durations: studyDurations(run.observation),
    describe: { ...describe, episodes: episodes.length },
  });
  const resume = existsSync(path.join(dir, CHECKPOINT_DIR, 'state.json'));
  log(`train ${v.vc} ${runFamily(run)} seed ${seed}${resume ? ' (resume)' : ''}`);
  await runTraining({
    agent,
    task,
    overrides: run.config,
    seed,
    out: dir,
    evalEvery: plan.evalEvery,
    resume,
    evalStochastic: false,
    evalSplit: 'validation',
    finalHeldOut: false,
    command,
    log,
  });
  return 'trained';
}

// ---------------------------------------------------------------- evaluation

function seedIntervals(per: { metrics: StudyMetrics }[]): PolicyRow['seedCI'] {
  if (per.length < 2) return undefined;
  const out: NonNullable<PolicyRow['seedCI']> = {};
  for (const k of ['jctMean', 'queueP95', 'bsldMean', 'utilGpu', 'utilWindow', 'preemptTotal'] as const) {
    const ci = confidenceInterval(per.map((p) => p.metrics[k]));
    out[k] = { n: ci.n, lo: Number(ci.lo.toPrecision(6)), hi: Number(ci.hi.toPrecision(6)) };
  }
  return out;
}

function meanMetrics(per: { metrics: StudyMetrics }[]): StudyMetrics {
  const m = { ...per[0].metrics };
  for (const k of Object.keys(m) as (keyof StudyMetrics)[])
    m[k] = per.reduce((s, p) => s + p.metrics[k], 0) / per.length;
  return m;
}

/** The scheduler a finished run folder deploys: a trained agent wrapped, or a searched scheduler. */
async function deployedScheduler(
  dir: string,
  run: StudyAgentRun,
  plan: StudyPlan,
  maxNodeGpus: number,
): Promise<Scheduler> {
  if (isSearchKind(run.agent)) return SEARCHES[run.agent].scheduler(dir, runFamily(run));
  const agent = await loadTrainedAgent(path.join(dir, CHECKPOINT_DIR), plan.seed);
  return agentScheduler(
    agent,
    plan.window,
    maxNodeGpus,
    runFamily(run),
    ENCODERS[run.observation],
    studyDurations(run.observation),
  );
}

/** Every trained seed of `run` on one cell's test jobs, as one row. */
export async function agentRow(
  data: StudyData,
  v: StudyVc,
  cell: StudyCellResult,
  run: StudyAgentRun,
  out: string,
  best: { policy: string; perJob: PerJob },
): Promise<PolicyRow | undefined> {
  const plan = data.plan;
  const jobs = cellJobs(v, cell.arrivalScale);
  const cluster = shrunkCluster(v.cluster, cell.nodes);
  const maxNodeGpus = clusterTotals(cluster).maxNodeGpus;
  const per: { seed: number; metrics: StudyMetrics; perJob: PerJob }[] = [];
  for (const seed of run.seeds) {
    const dir = runDir(out, v.vc, run, seed);
    if (!existsSync(path.join(dir, 'manifest.json'))) continue;
    const sched = await deployedScheduler(dir, run, plan, maxNodeGpus);
    const s = scoreRun(runJobs(jobs, cluster, sched, plan.seed), splitLength(v.splits.test, cell.arrivalScale));
    per.push({ seed, ...s });
  }
  if (per.length === 0) return undefined;
  const avg = meanPerJob(per.map((p) => p.perJob));
  return {
    policy: runFamily(run),
    kind: 'agent',
    oracle: ORACLE_OBSERVATIONS[run.observation],
    seeds: per.map((p) => p.seed),
    metrics: meanMetrics(per),
    jobWindowCI: jobWindowIntervals(avg, plan.bootstrap.seed, plan.bootstrap),
    seedCI: seedIntervals(per),
    perSeed: per.map((p) => ({ seed: p.seed, metrics: p.metrics })),
    vsBestNonOracle: {
      heuristic: best.policy,
      ...pairedDifference(avg, best.perJob, 'jctMean', plan.bootstrap.seed, plan.bootstrap),
    },
  };
}

/** Re-runs the cell's best non-oracle heuristic for its per-job series (deterministic). */
export function bestHeuristicPerJob(
  v: StudyVc,
  cell: StudyCellResult,
  seed: number,
): { policy: string; perJob: PerJob } {
  const policy = bestNonOracleRow(cell).policy;
  const s = scoreRun(
    runJobs(cellJobs(v, cell.arrivalScale), shrunkCluster(v.cluster, cell.nodes), makeScheduler(policy), seed),
    splitLength(v.splits.test, cell.arrivalScale),
  );
  return { policy, perJob: s.perJob };
}

// ---------------------------------------------------------------- files

export function writeJson(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(data, null, 1) + '\n');
}

export function readJsonIf<T>(file: string): T | undefined {
  return existsSync(file) ? (readJsonFile(file) as T) : undefined;
}

export function cellFile(out: string, vc: string, load: StudyLoad, what: string): string {
  return path.join(out, 'cells', `${vc}-${load}`, `${what}.json`);
}
