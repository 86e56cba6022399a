import type { Rng } from '../util/rng';
import type { Job, JobView } from '../workload/job';
import type { PlacementName } from './placement';

/**
 * What a scheduling policy sees and may do at a decision point. Jobs are
 * referred to by their index in the simulation's job array (sorted by submit).
 * The simulator owns all state; policies only call these methods.
 *
 * This is the view of a NON-ORACLE policy: jobs are JobViews (no true duration) and there is
 * no true remaining time; what a job has run (executed, attained) and which jobs have finished
 * (finishedAt: their run times are known then) is what a real cluster observes.
 * OracleSimContext adds the true durations for policies labelled oracle.
 */
export interface SimContext {
  /** Current simulated time (s). */
  readonly now: number;
  readonly jobs: readonly JobView[];
  /** Number of jobs waiting (arrived, not running, not finished). */
  readonly waitingCount: number;
  /**
   * i-th waiting job, in index (= arrival) order, 0 <= i < waitingCount. The list is a
   * snapshot for the whole decision point: a job started during this call stays listed
   * (tryStart/fits on it return false) and a job preempted during it appears at the next one.
   */
  waitingAt(i: number): number;
  /**
   * Jobs waiting right now: the snapshot minus the jobs started during this decision point, plus
   * those preempted during it (so that an observation can count the queue without walking it).
   */
  readonly waitingNow: number;
  readonly runningCount: number;
  /** i-th running job (order is stable but unspecified). */
  runningAt(i: number): number;

  /** Total / currently free whole GPUs in the cluster. */
  readonly totalGpus: number;
  readonly freeGpus: number;
  readonly totalCpus: number;
  readonly freeCpus: number;
  readonly totalMemMiB: number;
  readonly freeMemMiB: number;

  /** True while the job waits (false once started in this decision point, or finished/running). */
  isWaiting(job: number): boolean;
  /** Would the job be placed right now (given the placement strategy)? No side effects. */
  fits(job: number): boolean;
  /** Places and starts the job; false (and nothing changes) if it does not fit. */
  tryStart(job: number): boolean;
  /** Stops a running job; it returns to the waiting queue with its progress kept (plus restart overhead). */
  preempt(job: number): void;
  /**
   * What-if support for preemptive policies: frees a running job's resources while it keeps running,
   * so that `fits` / `freeGpus` see them free. Every held job must be given back with `unhold` (it
   * gets exactly its own GPUs back) or stopped with `preempt` before anything starts and before the
   * decision point ends (the simulator throws otherwise).
   */
  hold(job: number): void;
  unhold(job: number): void;
  /**
   * True when fitting is decided by totals for every job of the run ("one pool"): `fits(j)` iff
   * freeGpus, freeCpus and freeMemMiB cover the job's gpus, cpus and memMiB (up to 1e-6). Holds on
   * one node without fractional shares, and for whole-GPU jobs without CPU, memory or GPU-model
   * demands on a placement that may span nodes (not 'consolidate'). Policies may then plan on totals.
   */
  readonly pooled: boolean;

  /** Seconds this job has run so far (over all its runs). */
  executed(job: number): number;
  /** GPU-seconds of service received so far (LAS / Tiresias "attained service"). */
  attained(job: number): number;
  /** Times the job has been preempted. */
  preemptionCount(job: number): number;
  /** Number of jobs finished so far (by `now`). */
  readonly finishedCount: number;
  /**
   * i-th finished job in completion order, 0 <= i < finishedCount. The list only grows, so a
   * predictor can consume the new completions since its last look; `executed(j)` is then the
   * job's observed run time.
   */
  finishedAt(i: number): number;
}

/** The context of a policy labelled oracle: true durations and remaining times. */
export interface OracleSimContext extends SimContext {
  readonly jobs: readonly Job[];
  /** Work left (s of run time at full speed), including any pending restart overhead. ORACLE. */
  remaining(job: number): number;
  /** Expected finish time of a running job (now + remaining). ORACLE. */
  expectedFinish(job: number): number;
}

/** What every scheduling policy declares. */
interface SchedulerCommon {
  readonly name: string;
  /** True if the policy may call preempt(). */
  readonly preemptive: boolean;
  /** If > 0, the simulator adds a decision point every `tickInterval` s while jobs are active. */
  readonly tickInterval?: number;
  /** Placement the policy was designed for; the run's --placement overrides it if given. */
  readonly placement?: PlacementName;
}

/**
 * A policy that knows only what a real scheduler knows (the default). `reset` and `schedule` are
 * function-typed properties, not methods, so that TypeScript checks their parameters strictly:
 * a blind policy whose `schedule` wants an OracleSimContext does not compile.
 */
export interface BlindScheduler extends SchedulerCommon {
  readonly oracle?: false;
  /** Called once before a run with the full job list (views: no durations) and a seeded RNG. */
  readonly reset: (jobs: readonly JobView[], rng: Rng) => void;
  /** Called once per decision point, after all events at `ctx.now` are applied. */
  readonly schedule: (ctx: SimContext) => void;
}

/** A policy that reads true durations or remaining times; reports label it oracle. */
export interface OracleScheduler extends SchedulerCommon {
  readonly oracle: true;
  readonly reset: (jobs: readonly Job[], rng: Rng) => void;
  readonly schedule: (ctx: OracleSimContext) => void;
}

/**
 * A scheduling policy. One file per policy under src/schedulers/, implementing this.
 * Heuristics and learned agents alike.
 */
export type Scheduler = BlindScheduler | OracleScheduler;
