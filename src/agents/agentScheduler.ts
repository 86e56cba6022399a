import type { Agent } from './types';
import { windowEncoder, type ObservationEncoder } from '../env/observation';
import type { Scheduler, SimContext } from '../sim/scheduler';

/**
 * Wraps a trained agent as a cluster Scheduler, so `lepton simulate` and `evaluate`
 * run it beside the heuristics. At each decision point it encodes the same observation
 * as ClusterEnv and keeps starting the chosen job until the agent picks "wait" or
 * nothing fits; decisions are greedy (no exploration).
 */
export function agentScheduler(
  agent: Agent,
  window: number,
  maxNodeGpus: number,
  name = `agent:${agent.name}`,
  encoder: ObservationEncoder = windowEncoder,
): Scheduler {
  const obs = new Float32Array(encoder.size(window));
  const mask = new Uint8Array(window + 1);
  const slots = new Int32Array(window);
  return {
    name,
    preemptive: false,
    reset() {},
    schedule(ctx: SimContext) {
      for (;;) {
        const filled = encoder.encode(ctx, window, maxNodeGpus, obs, mask, slots);
        if (filled === 0) return;
        let anyFits = 0;
        for (let k = 0; k < window; k++) anyFits |= mask[k];
        if (!anyFits) return;
        // Never idle the whole cluster with work waiting: that could stall the run forever.
        if (ctx.runningCount === 0) mask[window] = 0;
        const a = agent.act(obs, mask, true);
        if (a === window || !ctx.tryStart(slots[a])) return;
      }
    },
  };
}
