import type { Agent } from './types';
import { windowEncoder, type ObservationEncoder } from '../env/observation';
import type { Scheduler, SimContext } from '../sim/scheduler';
import { DEFAULT_DURATION_SOURCE, DurationBelief, type DurationSource } from '../predict/source';

/**
 * Wraps a trained agent as a cluster Scheduler, so `lepton simulate` and `evaluate`
 * run it beside the heuristics. At each decision point it encodes the same observation
 * as ClusterEnv and keeps starting the chosen job until the agent picks "wait" or
 * nothing fits; decisions are greedy (no exploration). Its believed durations come from the
 * same source as the env it was trained in (`durations`, default `history` predictions); only
 * with `oracle` does it read true durations, and it is then an OracleScheduler.
 */
export function agentScheduler(
  agent: Agent,
  window: number,
  maxNodeGpus: number,
  name = `agent:${agent.name}`,
  encoder: ObservationEncoder = windowEncoder,
  durations: DurationSource = DEFAULT_DURATION_SOURCE,
): Scheduler {
  const obs = new Float32Array(encoder.size(window));
  const mask = new Uint8Array(window + 1);
  const slots = new Int32Array(window);
  const belief = new DurationBelief(durations);
  const schedule = (ctx: SimContext): void => {
    belief.update(ctx);
    for (;;) {
      const filled = encoder.encode(ctx, window, maxNodeGpus, obs, mask, slots, belief.values);
      if (filled === 0) return;
      let anyFits = 0;
      for (let k = 0; k < window; k++) anyFits |= mask[k];
      if (!anyFits) return;
      // Never idle the whole cluster with work waiting: that could stall the run forever.
      if (ctx.runningCount === 0) mask[window] = 0;
      const a = agent.act(obs, mask, true);
      if (a === window || !ctx.tryStart(slots[a])) return;
    }
  };
  // Only an oracle-trained agent gets (and declares) the true durations.
  if (belief.oracle)
    return { name, oracle: true, preemptive: false, reset: (jobs) => belief.resetOracle(jobs), schedule };
  return {
    name,
    preemptive: false,
    reset: (jobs) => belief.reset(jobs),
    schedule,
  };
}
