/**
 * Lepton's public API: what notebooks, scripts, benchmarks and outside users import, as
 * `import { … } from 'lepton'` (package.json `exports` maps it to dist/src/index.js; inside the
 * repository, tsconfig `paths` maps it to this file for tsc and tsx).
 *
 * Everything here is stable: renaming or removing an export is a breaking change. Modules not
 * re-exported here are internals (tests may still import them by path). Grouped by layer, in
 * import order: workload → cluster → sim → schedulers → metrics → env → agents → experiment → report.
 * Importing this module loads tfjs (about 0.5 s); the CLI does not, it loads commands lazily.
 */

// ── workload: jobs, trace loaders, generators ───────────────────────────────────────────────
export type { Job, JobView, JobFields, Workload, SkippedRow } from './workload/job';
export { makeJob, sortBySubmit } from './workload/job';
export type { TraceKind, TraceFormat, LoadOptions } from './workload/traces';
export {
  TRACE_KINDS,
  TRACE_FORMATS,
  loadTrace,
  detectTraceKind,
  defaultTraceFile,
  sharedDir,
  sharedDataset,
} from './workload/traces';
export type { GeneratedWorkload, JobDemand, PoissonOptions, ResampleOptions } from './workload/generators';
export {
  offeredLoad,
  poissonWorkload,
  poissonFromWorkload,
  samplePhillyShape,
  embeddedDefaultWorkload,
  EMBEDDED_DEFAULTS,
  EMBEDDED_DEFAULT_CLUSTER,
} from './workload/generators';

// ── cluster: machine descriptions and presets ───────────────────────────────────────────────
export type { NodeSpec, ClusterSpec, ClusterTotals } from './cluster/spec';
export { clusterTotals, uniformCluster } from './cluster/spec';
export type { PhillyClusterOptions } from './cluster/presets';
export { phillyCluster, alibabaCluster, presetCluster, clusterFromJson, clusterFromObject } from './cluster/presets';

// ── sim: the event-driven simulator ─────────────────────────────────────────────────────────
export type { SimOptions } from './sim/simulator';
export { simulate, Simulator } from './sim/simulator';
export { EventQueue } from './sim/eventQueue';
export type { SimResult } from './sim/result';
export type { SimContext, OracleSimContext, Scheduler, BlindScheduler, OracleScheduler } from './sim/scheduler';
export type { PlacementName } from './sim/placement';
export { PLACEMENTS } from './sim/placement';

// ── predict: job-duration predictors from submit-time features and finished jobs ───────────
export type { DurationPredictor } from './predict/predictor';
export type { PredictorName, PredictorEntry } from './predict/registry';
export { PREDICTORS, PREDICTOR_NAMES, makePredictor } from './predict/registry';
export { HistoryPredictor, UserEstimatePredictor, HISTORY_DEFAULTS } from './predict/history';
export { PredictionTracker } from './predict/tracker';
export { replayPredictions, unqueuedFinish } from './predict/replay';
export type { DurationSource } from './predict/source';
export { DurationBelief, DURATION_SOURCES, DEFAULT_DURATION_SOURCE } from './predict/source';

// ── schedulers: the heuristic policies, by name ─────────────────────────────────────────────
export type { SchedulerEntry } from './schedulers/registry';
export { SCHEDULERS, SCHEDULER_NAMES, makeScheduler } from './schedulers/registry';

// ── metrics ─────────────────────────────────────────────────────────────────────────────────
export type { Summary, SummaryKey, SummaryColumn, SummaryOptions } from './metrics/summary';
export type { JobWindow } from './metrics/window';
export type { Interval, BootstrapOptions } from './metrics/ci';
export type { BlockBootstrapOptions, SampleStatistic } from './metrics/blockBootstrap';
export { blockBootstrapCI, pairedBlockBootstrapCI, meanStat, quantileStat } from './metrics/blockBootstrap';
export {
  summarize,
  SUMMARY_COLUMNS,
  resolveWindow,
  trimmedWindow,
  DEFAULT_TAU,
  isFinished,
  jobCompletionTimes,
  queueingDelays,
  slowdowns,
  boundedSlowdowns,
  makespan,
  utilisation,
  jainIndex,
  finishTimeFairness,
  preemptionStats,
  quantileSorted,
  mean,
  confidenceInterval,
  bootstrapCI,
  seedInterval,
  SEED_INTERVAL_DEFAULTS,
  SEED_INTERVAL_METHOD,
} from './metrics';

// ── env: Gymnasium-style environments ───────────────────────────────────────────────────────
export type { Env, VecEnv, StepInfo, ResetResult, StepResult } from './env/types';
export { SyncVecEnv } from './env/types';
export type { ClusterEnvConfig } from './env/clusterEnv';
export { ClusterEnv } from './env/clusterEnv';
export type { ObservationEncoder } from './env/observation';
export { observationSize, JOB_FEATURES, CLUSTER_FEATURES, windowEncoder } from './env/observation';
export { noDurationEncoder } from './env/noDurationEncoder';
export type { RewardName } from './env/rewards';
export { REWARDS } from './env/rewards';
export type { DeepRMEnvOptions } from './deeprm/env';
export { DeepRMEnv } from './deeprm/env';
export type { DeepRMParams, JobsFile } from './deeprm/params';
export { makeParams, PAPER_SETTING, UNSEEN_SEED, parseJobsFile } from './deeprm/params';
export type { JobSequences } from './deeprm/generate';
export { generateSequences } from './deeprm/generate';
export type { DeepRMPolicy } from './deeprm/heuristics';
export { sjfAction, packerAction, tetrisAction, randomAction } from './deeprm/heuristics';
export { NumpyRandomState } from './deeprm/numpyRandom';
export type { DeepRMReplayOptions } from './deeprm/replay';
export { deeprmReplay } from './deeprm/replay';
export type { RlschedTrace } from './rlsched/trace';
export { loadRlschedTrace, parseRlschedSwf } from './rlsched/trace';
export { gymSeedKey, gymNpRandom } from './rlsched/seeding';
export type { SequenceProtocol } from './rlsched/sequences';
export { sampleStarts, startIndexRange } from './rlsched/sequences';
export type { RlschedHeuristic } from './rlsched/heuristics';
export { RLSCHED_HEURISTICS, HEURISTICS as RLSCHED_HEURISTIC_KEYS } from './rlsched/heuristics';
export { RlschedSim } from './rlsched/sim';
export type { RlschedEnvOptions } from './rlsched/env';
export { RlschedEnv, RLSCHED_WINDOW, RLSCHED_FEATURES } from './rlsched/env';
export type { ReplayOutput as RlschedReplayOutput, BackfillMode } from './rlsched/replay';
export {
  rlschedReplay,
  runHeuristic as runRlschedHeuristic,
  HeuristicKeys as RlschedHeuristicKeys,
} from './rlsched/replay';

// ── agents: learning schedulers on tfjs, and their fused inference path ─────────────────────
export type { Agent, TrainMetrics, TrainLogger, TrainOptions } from './agents/types';
export { FastMlp, PolicyAgent, loadPolicyAgent } from './agents/fastpath';
export { agentScheduler } from './agents/agentScheduler';
export type { MlpWeights, InputGroup } from './agents/attribution';
export { integratedGradients, occlusion, gradLogProb, actionProbabilities } from './agents/attribution';
export { Mlp, Optimizer, trainStep, maskTensor, maskedLogSoftmax, pickColumns, DEEPRM_RMSPROP } from './agents/nn';
export type { ReinforceConfig } from './agents/reinforce';
export { trainReinforce, reinforceTrainBackend, REINFORCE_DEFAULTS } from './agents/reinforce';
export type { PpoConfig } from './agents/ppo';
export { trainPpo, PPO_DEFAULTS } from './agents/ppo';
export { trainA2c, A2C_DEFAULTS } from './agents/a2c';
export { trainA3c, A3C_DEFAULTS, type A3cConfig } from './agents/a3c';
export type { EnvRecipe } from './env/recipe';
export { trainDqn } from './agents/dqn';
export { trainQLearning } from './agents/qlearning';
// ── nn: fused Float32Array training kernels (no tfjs) ───────────────────────────────────────
export type { FusedActivation, LayerSlices } from './nn/mlp';
export { FusedMlp, layerSlices } from './nn/mlp';
export { SparseRows } from './nn/sparseRows';
export type { PpoPolicyStats } from './nn/heads';
export { HeadScratch, maskedSoftmaxRow, policyGradientLoss, ppoPolicyLoss, valueLoss } from './nn/heads';
export type { FusedOptimizerConfig, FusedOptimizerKind, FusedOptimizerState } from './nn/optim';
export { FusedOptimizer, clipGradNorm } from './nn/optim';
export type { TrainBackend, TrainBackendChoice, NetworkShape } from './nn/backend';
export { chooseTrainBackend, fusedSupports, FUSED_MAX_HIDDEN, TRAIN_BACKEND_CHOICES } from './nn/backend';
export { tf } from './tf/tf';
export type { Tensor, Tensor1D, Tensor2D, Scalar, Variable } from './tf/tf';
export type { BackendName } from './tf/backend';
export { initBackend, currentBackend, backendInfo } from './tf/backend';

// ── experiment: train, evaluate, compare, manifests ─────────────────────────────────────────
export type {
  ExperimentOptions,
  WorkloadOptions,
  SimulationOptions,
  PreparedExperiment,
  Experiment,
  ExperimentHooks,
} from './experiment/pipeline';
export {
  EXPERIMENT_DEFAULTS,
  SIMULATION_DEFAULTS,
  checkSimulationOptions,
  prepareTraceExperiment,
  prepareGeneratedExperiment,
  loadAgents,
  runExperiment,
} from './experiment/pipeline';
export type { CompareOptions, PolicyRun } from './experiment/comparePolicies';
export { comparePolicies } from './experiment/comparePolicies';
export type { AgentKind, EnvKind, TrainTask, TrainRunOptions, TrainRunResult } from './experiment/train';
export { AGENT_KINDS, ENV_KINDS, runTraining, loadTrainedAgent } from './experiment/train';
export type { RunProgress } from './experiment/runProgress';
export { runProgress } from './experiment/runProgress';
export type { DeepRMSetting, DeepRMSplit, DeepRMPolicyEval, DeepRMJobOutcome } from './experiment/deeprmTask';
export {
  makeDeeprmTask,
  DEEPRM_SETTING,
  resolveDeeprmSetting,
  deeprmJobSets,
  deeprmEnv,
  evaluateDeeprmAgent,
  evaluateDeeprmHeuristics,
  pooledMean,
  pooledMeanCI,
} from './experiment/deeprmTask';
export type { DeepRMComparison, DeepRMComparisonRow } from './experiment/evaluateDeeprm';
export { compareOnDeeprm } from './experiment/evaluateDeeprm';
export type {
  DeepRMExplanation,
  DecisionExplanation,
  EpisodeSchedule,
  ScheduledJob,
  ExplainOptions,
} from './experiment/explainDeeprm';
export { explainDeeprm, deeprmInputGroups, heldOutJobsFor, readJobsFile } from './experiment/explainDeeprm';
export { makeClusterTask } from './experiment/trainCluster';
export type { StudyPlan, StudyAgentRun, StudyObservation } from './experiment/studyPlan';
export { readStudyPlan, parseStudyPlan, STUDY_PLAN_SCHEMA } from './experiment/studyPlan';
export type { TimeSplit, SplitName } from './experiment/studySplit';
export { timeSplits, scaledSplitJobs, splitOfferedLoad, groupsByGpuHours, jobWindows } from './experiment/studySplit';
export type { StudyCellResult, PolicyRow, VcCalibration, StudyLoad } from './experiment/clusterStudy';
export { loadStudy, calibrateVc, heuristicCell, nonOraclePolicies, STUDY_LOADS } from './experiment/clusterStudy';
export { runStudy, STUDY_PHASES } from './experiment/studyRunner';
export type { RlschedSetting } from './experiment/rlschedTask';
export {
  makeRlschedTask,
  trainingStarts as rlschedTrainingStarts,
  agentSequenceBsld as rlschedAgentBsld,
  heuristicSequenceBsld as rlschedHeuristicBsld,
} from './experiment/rlschedTask';
export type { RlschedEvalResult, RlschedEvalRow } from './experiment/evaluateRlsched';
export { evaluateOnProtocol as evaluateRlschedProtocol } from './experiment/evaluateRlsched';
export type { AgentPolicy } from './experiment/agentPolicy';
export { loadAgentPolicy } from './experiment/agentPolicy';
export type { Manifest } from './experiment/manifest';
export { makeManifest, sha256File } from './experiment/manifest';

// ── report: CSV tables and self-contained HTML reports ──────────────────────────────────────
export type { ReportInput } from './report/html';
export type { PolicySummary } from './report/tables';
export { renderHtmlReport, REPORT_DEFAULTS, summaryCsv, jobsCsv, jobRows, cdfPoints } from './report';
export { writeRun, writeExperiment, openRunOutput } from './report/writeRun';
export { policyColor, knownPolicyColor, POLICY_COLORS } from './report/palette';
export { writeStudyTables, readStudyRows, studyMarkdown, studyCsv } from './report/clusterStudy';

// ── util ────────────────────────────────────────────────────────────────────────────────────
export { Rng } from './util/rng';
export { TraceError, UsageError } from './util/errors';
export { repoRoot } from './util/repoRoot';
export { writeCsv } from './util/csv';
export { writeFileAtomic } from './util/atomic';

// ── packing mode: openb as in the FGD paper (docs/packing.md) ───────────────────────────────
export { PackingCluster } from './sim/packing/cluster';
export { FragmentationModel, taskFragmentation } from './sim/packing/fragmentation';
export { inflatedOrder } from './sim/packing/order';
export { runPacking } from './sim/packing/run';
export type { PackingPolicy, PackingChoice, PackingSnapshot, PackingRunResult } from './sim/packing/run';
export { PodSpecs, internPods } from './sim/packing/specs';
export { loadOpenbPods } from './workload/openbPods';
export { PACKING_POLICIES, PACKING_POLICY_KINDS } from './schedulers/packing/registry';
export type { PackingPolicyKind } from './schedulers/packing/registry';
export { PackingEnv, PACKING_ENV_DEFAULTS } from './env/packingEnv';
export { packingSetup } from './experiment/packing/setup';
export { runPackingStudy, summariseStudy, heuristicFactory } from './experiment/packing/study';
