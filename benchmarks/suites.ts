/**
 * Every suite `npm run bench` runs, in run order. A suite is
 * `(opts: BenchOptions) => Promise<SuiteOutcome>`; adding one = one file + one entry here
 * (and a row in docs/benchmarks.md).
 */
import type { BenchOptions, SuiteOutcome } from './harness';
import { eventCoreSuite, EVENT_CORE_SUITE } from './eventCore';
import { phillySuite, PHILLY_SUITE } from './philly';
import { overloadSuite, OVERLOAD_SUITE } from './overload';
import { deeprmSuite, DEEPRM_SUITE } from './deeprm';
import { latencySuite, LATENCY_SUITE } from './latency';
import { rlschedSuite, RLSCHED_SUITE } from './rlsched';
import { trainingSuite, TRAINING_SUITE } from './training';
import { clusterEnvSuite, CLUSTER_ENV_SUITE } from './clusterEnv';

export type SuiteFn = (opts: BenchOptions) => Promise<SuiteOutcome>;

export const SUITES: Readonly<Record<string, SuiteFn>> = {
  [EVENT_CORE_SUITE]: eventCoreSuite,
  [PHILLY_SUITE]: phillySuite,
  [OVERLOAD_SUITE]: overloadSuite,
  [DEEPRM_SUITE]: deeprmSuite,
  [LATENCY_SUITE]: latencySuite,
  [RLSCHED_SUITE]: rlschedSuite,
  [TRAINING_SUITE]: trainingSuite,
  [CLUSTER_ENV_SUITE]: clusterEnvSuite,
};

export const SUITE_NAMES: readonly string[] = Object.keys(SUITES);
