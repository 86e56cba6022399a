import { UsageError } from '../util/errors';
import { readJsonFile } from '../util/json';
import { real, validate, z } from '../util/schema';
import { MAX_SECONDS } from '../util/limits';
import type { OptionSpecs } from './args';
import { EXPERIMENT_DEFAULTS } from '../experiment/pipeline';
import { makeScheduler, SCHEDULERS } from '../schedulers/registry';
import { parsePolicyOptionArgs, validatePolicyOptions, type PolicyOptions } from '../schedulers/options';

/**
 * `--policy-opt` and `--config` for the commands that run heuristic policies: they only
 * forward `{ policy: { option: value } }` to the registry, whose per-policy schemas
 * (src/schedulers/registry.ts) check names and types.
 */
export const POLICY_OPTION_ARGS: OptionSpecs = {
  'policy-opt': {
    type: 'list',
    arg: 'P.OPT=V,…',
    help: 'policy options, e.g. tiresias.thresholds=3600:36000,las.tickInterval=30 (lepton policies lists them)',
  },
  config: {
    type: 'string',
    arg: 'FILE.json',
    help: '{"policyOptions": {"tiresias": {"thresholds": [3600, 36000]}}, "restartOverhead": S}; --policy-opt and --restart-overhead win',
  },
};

const ConfigFile = z
  .object({
    policyOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    restartOverhead: real(0, MAX_SECONDS, 's').optional().describe('seconds of work added at each preemption'),
  })
  .strict();

export interface PolicyRunConfig {
  policyOptions: PolicyOptions;
  restartOverhead: number;
}

/** Options from `--config FILE` overlaid with `--policy-opt` and `--restart-overhead`, all validated. */
export function policyConfigFromArgs(a: Record<string, unknown>): PolicyRunConfig {
  const file = a.config as string | undefined;
  const cfg = file ? validate(ConfigFile, readJsonFile(file), file) : {};
  const policyOptions: PolicyOptions = {};
  for (const [policy, opts] of Object.entries(cfg.policyOptions ?? {})) {
    const entry = Object.prototype.hasOwnProperty.call(SCHEDULERS, policy) ? SCHEDULERS[policy] : undefined;
    if (!entry) throw new UsageError(`${file}: policyOptions: unknown policy '${policy}'`);
    try {
      policyOptions[policy] = validatePolicyOptions(policy, entry.options, { ...opts })!;
      // Building the policy runs its own cross-field checks (e.g. ascending thresholds), so
      // their message names this file rather than appearing later without it.
      makeScheduler(policy, policyOptions[policy]);
    } catch (e) {
      throw new UsageError(`${file}: policyOptions.${policy}: ${(e as Error).message}`);
    }
  }
  parsePolicyOptionArgs(
    (a['policy-opt'] as string[] | undefined) ?? [],
    (p) => (Object.prototype.hasOwnProperty.call(SCHEDULERS, p) ? SCHEDULERS[p].options : undefined),
    policyOptions,
  );
  const overhead =
    (a['restart-overhead'] as number | undefined) ?? cfg.restartOverhead ?? EXPERIMENT_DEFAULTS.restartOverhead;
  if (!(overhead >= 0)) throw new UsageError('--restart-overhead must be >= 0');
  return { policyOptions, restartOverhead: overhead };
}
