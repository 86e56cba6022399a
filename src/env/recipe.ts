/**
 * An env described by data instead of a closure, so another thread can build it: `module` is the
 * absolute path of a module (the running file's own extension: .ts under tsx, .js in dist/) whose
 * export `factory(args)` returns a fresh Env. A3C's worker threads (src/agents/a3cWorker.ts) build
 * their training envs this way; a closure such as TrainTask.makeTrainEnv cannot cross a thread.
 */
import type { Env } from './types';

export interface EnvRecipe {
  /** Absolute path of the module that exports the factory. */
  module: string;
  /** Name of the exported function (args) => Env. */
  factory: string;
  /** Structured-cloneable arguments (e.g. a resolved setting). */
  args: unknown;
}

/** Builds the env a recipe describes (in whichever thread calls it). */
export function envFromRecipe(recipe: EnvRecipe): Env {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(recipe.module) as Record<string, unknown>;
  const factory = mod[recipe.factory];
  if (typeof factory !== 'function')
    throw new Error(`env recipe: ${recipe.module} exports no function '${recipe.factory}'`);
  return (factory as (args: unknown) => Env)(recipe.args);
}
