/**
 * The contract every learned (or tabular) scheduler policy fulfils, and the
 * callback training loops report progress through.
 */

/** A trained policy. Observations and masks follow src/env/types.ts. */
export interface Agent {
  /** Short algorithm name, e.g. 'reinforce', 'ppo', 'dqn'. */
  readonly name: string;
  /**
   * One decision. `mask[a] = 1` when action a is legal; a masked action is never
   * returned. `greedy` (default false) picks the most likely / best action
   * instead of sampling / exploring.
   */
  act(obs: Float32Array, mask: Uint8Array, greedy?: boolean): number;
  /**
   * `n` decisions at once: `obs` is n × observationSize, `masks` n × numActions,
   * results go to `out[0..n)`. Optional; callers fall back to `act`.
   */
  actBatch?(obs: Float32Array, masks: Uint8Array, n: number, out: Int32Array, greedy?: boolean): void;
  /** Write the agent (weights + what is needed to rebuild it) into directory `dir`. */
  save(dir: string): Promise<void>;
}

/** Per-iteration training metrics: flat name → number (NaN when not applicable). */
export type TrainMetrics = Record<string, number>;

/**
 * Called once per training iteration (one update of the parameters, or one
 * logging period for value-based methods). Return `false` to stop training early.
 */
export type TrainLogger = (iteration: number, metrics: TrainMetrics) => void | boolean;

/** Run options shared by the training entry points (trainReinforce, trainPpo, ...). */
export interface TrainOptions {
  /** Seeds network init, action sampling and shuffles (never Math.random). */
  seed: number;
  onIteration?: TrainLogger;
  /**
   * If set: resume from the checkpoint there when one exists, and write one
   * every `checkpointEvery` iterations (a config field) and at the end.
   */
  checkpointDir?: string;
}
