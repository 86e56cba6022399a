/**
 * Inside a DeepRM decision: for a trained policy-network agent (PG / A2C / PPO checkpoint), what
 * it picked at a decision, with what probability, what SJF / Tetris* / Packer would have picked,
 * which parts of the observation image drove the pick (integrated gradients per pixel, summed per
 * job slot / cluster image / backlog, and occlusion of the same groups), how often it agrees with
 * the heuristics over all held-out job sets, and the schedules (for a Gantt chart) of the agent
 * and the heuristics on one job set. Backs notebook 07 and `lepton explain`.
 */
import { readFileSync } from 'node:fs';
import { loadPolicyAgent, type PolicyAgent } from '../agents/fastpath';
import {
  actionProbabilities,
  groupSums,
  integratedGradients,
  logProb,
  occlusion,
  type InputGroup,
  type MlpWeights,
} from '../agents/attribution';
import { type DeepRMEnv, JOB_ALLOCATED } from '../deeprm/env';
import { packerAction, sjfAction, tetrisAction, type DeepRMPolicy } from '../deeprm/heuristics';
import { derived, parseJobsFile, type JobsFile } from '../deeprm/params';
import { runEpisode } from '../deeprm/replay';
import { UsageError } from '../util/errors';
import { Rng } from '../util/rng';
import { resolveCheckpoint } from './agentPolicy';
import { DEEPRM_SETTING, deeprmEnv, deeprmJobSets, resolveDeeprmSetting } from './deeprmTask';

/** The heuristics an agent's picks are compared with. */
export const EXPLAIN_HEURISTICS: Readonly<Record<'sjf' | 'tetris' | 'packer', DeepRMPolicy>> = Object.freeze({
  sjf: sjfAction,
  tetris: (env: DeepRMEnv) => tetrisAction(env),
  packer: packerAction,
});
type HeuristicName = keyof typeof EXPLAIN_HEURISTICS;
const HEURISTICS = Object.keys(EXPLAIN_HEURISTICS) as HeuristicName[];

export interface SlotJob {
  slot: number;
  /** Job id in the job file. */
  id: number;
  len: number;
  res: number[];
  /** Time steps it has waited so far. */
  waited: number;
}

export interface DecisionExplanation {
  example: number;
  /** Decision index within the episode (0 = first decision). */
  step: number;
  /** Environment time t at the decision. */
  time: number;
  action: number;
  /** "slot 3" or "void" (= move time on). */
  label: string;
  /** Per action (slots 0…M-1, then void): probability under the policy (0 when illegal). */
  probabilities: number[];
  legal: boolean[];
  /** What each heuristic would pick in the same state. */
  heuristics: Record<HeuristicName, number>;
  /** The jobs in the visible slots (null = empty slot). */
  slots: (SlotJob | null)[];
  /** Occlusion per group: drop of log p(action) when the group is blanked (> 0 = it supported the pick). */
  occlusion: { group: string; delta: number }[];
  integratedGradients: {
    /** Per group: sum of the pixel attributions. */
    groups: { group: string; value: number }[];
    /** Per pixel, T rows × image-width columns. */
    image: number[][];
    /** Σ attributions and log p(a|x) − log p(a|empty image): equal up to the Riemann sum's error. */
    total: number;
    logProbGap: number;
  };
}

export interface ScheduledJob {
  id: number;
  enter: number;
  start: number;
  finish: number;
  len: number;
  res: number[];
}

export interface EpisodeSchedule {
  policy: string;
  jobs: ScheduledJob[];
  /** Jobs that never started (greedy agents can stall, see docs/training.md). */
  unscheduled: number;
  meanSlowdown: number;
}

export interface Agreement {
  /** Decisions with at least two legal actions, over every job set. */
  decisions: number;
  /** Fraction of those where the agent's greedy pick equals the heuristic's. */
  sameAs: Record<HeuristicName, number>;
  /** Fraction where the agent moves time on (void) although SJF would start a job. */
  voidWhenSjfStarts: number;
  /** Mean probability of the agent's own pick. */
  meanPickProbability: number;
}

export interface DeepRMExplanation {
  checkpoint: string;
  algo: string;
  example: number;
  greedy: boolean;
  groups: string[];
  decisions: DecisionExplanation[];
  agreement: Agreement;
  schedules: EpisodeSchedule[];
  observation: { rows: number; columns: number; layout: string };
}

export interface ExplainOptions {
  /** A `lepton train` folder (or its checkpoint/). */
  checkpoint: string;
  /** Job sets; default the held-out sets of the training setting (or of DeepRM's paper setting). */
  jobs?: JobsFile;
  /** Job set whose decisions and schedules are explained (default 0). */
  example?: number;
  /** Which decisions to explain: indices among the decisions with ≥ 2 legal actions (default the first 3). */
  decisions?: readonly number[];
  /** Greedy agent (default) or sampled with `sampleSeed`. */
  greedy?: boolean;
  sampleSeed?: number;
  /** Integrated-gradient steps (default 32). */
  igSteps?: number;
  /** Job sets used for the agreement statistics (default all). */
  agreementSets?: number;
}

/** The observation image split into DeepRM's parts: cluster image per resource, each job slot, backlog, time since arrival. */
export function deeprmInputGroups(env: DeepRMEnv): InputGroup[] {
  const p = env.params;
  const d = derived(p);
  const W = d.imageWidth;
  const resBlock = p.resSlot + p.maxJobSize * p.numNw;
  const cols = (list: number[]) => {
    const idx: number[] = [];
    for (let k = 0; k < p.timeHorizon; k++) for (const c of list) idx.push(k * W + c);
    return Int32Array.from(idx);
  };
  const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);
  const groups: InputGroup[] = [];
  for (let r = 0; r < p.numRes; r++)
    groups.push({ name: `cluster r${r}`, indices: cols(range(r * resBlock, p.resSlot)) });
  for (let j = 0; j < p.numNw; j++) {
    const c: number[] = [];
    for (let r = 0; r < p.numRes; r++) c.push(...range(r * resBlock + p.resSlot + j * p.maxJobSize, p.maxJobSize));
    groups.push({ name: `slot ${j}`, indices: cols(c) });
  }
  groups.push({ name: 'backlog', indices: cols(range(resBlock * p.numRes, d.backlogWidth)) });
  groups.push({ name: 'since arrival', indices: cols([resBlock * p.numRes + d.backlogWidth]) });
  return groups;
}

function netOf(agent: PolicyAgent): MlpWeights {
  return { sizes: agent.policy.sizes, weights: agent.policy.getWeights(), activation: agent.policy.spec.activation };
}

function slotJobs(env: DeepRMEnv): (SlotJob | null)[] {
  const out: (SlotJob | null)[] = [];
  for (let j = 0; j < env.M; j++) {
    const h = env.slots[j];
    if (h < 0) {
      out.push(null);
      continue;
    }
    const res: number[] = [];
    for (let r = 0; r < env.R; r++) res.push(env.jobRes[h * env.R + r]);
    out.push({ slot: j, id: env.jobId(h), len: env.jobLen[h], res, waited: env.t - env.enter[h] });
  }
  return out;
}

function legalCount(mask: Uint8Array): number {
  let n = 0;
  for (const m of mask) n += m;
  return n;
}

function schedule(env: DeepRMEnv, policy: string): EpisodeSchedule {
  const jobs: ScheduledJob[] = [];
  let unscheduled = 0;
  let sum = 0;
  for (let h = 0; h < env.handles; h++) {
    if (env.jobLen[h] === 0 || env.enter[h] < 0) continue;
    const res: number[] = [];
    for (let r = 0; r < env.R; r++) res.push(env.jobRes[h * env.R + r]);
    if (env.status[h] === JOB_ALLOCATED) {
      jobs.push({
        id: env.jobId(h),
        enter: env.enter[h],
        start: env.start[h],
        finish: env.finish[h],
        len: env.jobLen[h],
        res,
      });
      sum += (env.finish[h] - env.enter[h]) / env.jobLen[h];
    } else unscheduled++;
  }
  return { policy, jobs, unscheduled, meanSlowdown: jobs.length ? sum / jobs.length : NaN };
}

/**
 * Plays one episode with the agent; calls `visit` before every decision. A greedy agent that
 * voids forever at the end (nothing can arrive, the image no longer changes) is stopped, as in
 * `evaluateDeeprmAgent`.
 */
function playAgent(
  env: DeepRMEnv,
  agent: PolicyAgent,
  ex: number,
  greedy: boolean,
  visit: (obs: Float32Array, mask: Uint8Array, action: number) => void,
): void {
  let { observation, info } = env.reset(ex);
  const before = new Float32Array(env.observationSize);
  while (!env.terminated && !env.truncated) {
    const a = agent.act(observation, info.actionMask, greedy);
    visit(observation, info.actionMask, a);
    const watch = greedy && a === env.M && env.s >= env.handles - 1;
    if (watch) before.set(observation);
    const r = env.step(a);
    observation = r.observation;
    info = r.info;
    if (watch && !env.terminated && !env.truncated) {
      let same = true;
      for (let i = 0; i < before.length && same; i++) same = before[i] === observation[i];
      if (same) break;
    }
  }
}

/** The held-out job sets of the checkpoint's training setting (manifest), else of DeepRM's paper setting. */
export function heldOutJobsFor(checkpointDir: string): JobsFile {
  const { trainManifest } = resolveCheckpoint(checkpointDir);
  const cfg = (trainManifest?.config ?? {}) as { setting?: Record<string, unknown> };
  const known = Object.fromEntries(Object.entries(cfg.setting ?? {}).filter(([k]) => k in DEEPRM_SETTING));
  return deeprmJobSets(resolveDeeprmSetting(known), 'heldout');
}

/** Reads a job file of `lepton deeprm generate`. */
export function readJobsFile(file: string): JobsFile {
  return parseJobsFile(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** Explains a trained DeepRM policy agent (see the module comment). */
export async function explainDeeprm(opts: ExplainOptions): Promise<DeepRMExplanation> {
  const { ckDir } = resolveCheckpoint(opts.checkpoint);
  const agent = await loadPolicyAgent(ckDir, opts.sampleSeed ?? 1);
  const file = opts.jobs ?? heldOutJobsFor(opts.checkpoint);
  const greedy = opts.greedy ?? true;
  const example = opts.example ?? 0;
  const numEx = file.params.numEx;
  if (!Number.isInteger(example) || example < 0 || example >= numEx)
    throw new UsageError(`explain: example ${example} out of range (the job file has ${numEx} job sets)`);
  const env = deeprmEnv(file);
  if (agent.policy.spec.inputSize !== env.observationSize || agent.numActions !== env.numActions)
    throw new UsageError(
      `explain: the checkpoint's network takes ${agent.policy.spec.inputSize} inputs / ${agent.numActions} actions, ` +
        `the job file's environment has ${env.observationSize} / ${env.numActions} (other numNw or image size?)`,
    );
  const net = netOf(agent);
  const groups = deeprmInputGroups(env);
  const wanted = new Set(opts.decisions ?? [0, 1, 2]);
  const steps = opts.igSteps ?? 32;
  const W = derived(env.params).imageWidth;

  // 1. Agreement with the heuristics over the job sets (every decision with a real choice), and
  // the detailed explanations on the way through the explained job set.
  let decisions = 0;
  let pickP = 0;
  let voidVsSjf = 0;
  const same: Record<HeuristicName, number> = { sjf: 0, tetris: 0, packer: 0 };
  const sets = Math.min(numEx, opts.agreementSets ?? numEx);
  const explained: DecisionExplanation[] = [];
  const sampleSeed = opts.sampleSeed ?? 1;
  // A sampled agent gets its own stream per job set, so replaying the set (for the schedule) repeats it.
  const reseed = (ex: number) => (agent.rng = new Rng(sampleSeed * 1_000_003 + ex));
  for (let ex = 0; ex < Math.max(sets, example + 1); ex++) {
    const counted = ex < sets;
    if (!counted && ex !== example) continue;
    let k = 0;
    reseed(ex);
    playAgent(env, agent, ex, greedy, (obs, mask, a) => {
      if (legalCount(mask) < 2) return;
      const picks = {} as Record<HeuristicName, number>;
      for (const h of HEURISTICS) picks[h] = EXPLAIN_HEURISTICS[h](env);
      if (counted) {
        decisions++;
        pickP += actionProbabilities(net, obs, mask)[a];
        for (const h of HEURISTICS) if (picks[h] === a) same[h]++;
        if (a === env.M && picks.sjf !== env.M) voidVsSjf++;
      }
      if (ex === example && wanted.has(k))
        explained.push(explainOne(net, env, obs, mask, a, k, picks, groups, steps, W));
      k++;
    });
  }

  // 2. Schedules of the explained job set: the agent and each heuristic.
  const schedules: EpisodeSchedule[] = [];
  reseed(example);
  playAgent(env, agent, example, greedy, () => {});
  schedules.push(schedule(env, greedy ? `${agent.name} (greedy)` : `${agent.name} (sampled)`));
  for (const h of HEURISTICS) {
    runEpisode(env, EXPLAIN_HEURISTICS[h], example);
    schedules.push(schedule(env, h));
  }
  const p = env.params;
  return {
    checkpoint: opts.checkpoint,
    algo: agent.name,
    example,
    greedy,
    groups: groups.map((g) => g.name),
    decisions: explained.sort((a, b) => a.step - b.step),
    agreement: {
      decisions,
      sameAs: Object.fromEntries(HEURISTICS.map((h) => [h, decisions ? same[h] / decisions : NaN])) as Record<
        HeuristicName,
        number
      >,
      voidWhenSjfStarts: decisions ? voidVsSjf / decisions : NaN,
      meanPickProbability: decisions ? pickP / decisions : NaN,
    },
    schedules,
    observation: {
      rows: p.timeHorizon,
      columns: W,
      layout:
        `per resource: cluster image (${p.resSlot} columns) then ${p.numNw} job slots × ${p.maxJobSize} columns; ` +
        `then backlog (${derived(p).backlogWidth} columns) and time since the last arrival (1 column)`,
    },
  };
}

function explainOne(
  net: MlpWeights,
  env: DeepRMEnv,
  obs: Float32Array,
  mask: Uint8Array,
  action: number,
  step: number,
  heuristics: Record<HeuristicName, number>,
  groups: InputGroup[],
  igSteps: number,
  W: number,
): DecisionExplanation {
  const x = Float32Array.from(obs);
  const m = Uint8Array.from(mask);
  const probs = actionProbabilities(net, x, m);
  const ig = integratedGradients(net, x, m, action, igSteps);
  const image: number[][] = [];
  for (let k = 0; k < x.length / W; k++) image.push(Array.from(ig.subarray(k * W, (k + 1) * W)));
  let total = 0;
  for (const v of ig) total += v;
  return {
    example: env.example,
    step,
    time: env.t,
    action,
    label: action === env.M ? 'void' : `slot ${action}`,
    probabilities: Array.from(probs),
    legal: Array.from(m, (v) => v === 1),
    heuristics,
    slots: slotJobs(env),
    occlusion: occlusion(net, x, m, action, groups),
    integratedGradients: {
      groups: groupSums(ig, groups),
      image,
      total,
      logProbGap: logProb(net, x, m, action) - logProb(net, new Float32Array(x.length), m, action),
    },
  };
}
