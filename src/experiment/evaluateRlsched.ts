/**
 * A trained agent on RLScheduler's Table V protocol beside the heuristics: identical sequences
 * (gym-seeded starts), greedy agent, each mode (no backfilling / backfilling) from an empty
 * machine. Heuristics run on the exact loop; the agent on the learning environment over the same
 * loop (its window rule and list re-sorting are the original's RL path, spec rule 9).
 */
import type { Agent } from '../agents/types';
import { confidenceInterval } from '../metrics/ci';
import { RlschedEnv } from '../rlsched/env';
import type { RlschedHeuristic } from '../rlsched/heuristics';
import { modesOf, type BackfillMode, type ModeName } from '../rlsched/replay';
import { sampleStarts, type SequenceProtocol } from '../rlsched/sequences';
import type { RlschedTrace } from '../rlsched/trace';
import { agentSequenceBsld, heuristicSequenceBsld } from './rlschedTask';

export interface RlschedEvalRow {
  policy: string;
  mode: ModeName;
  mean_bsld: number;
  ci95_lo: number;
  ci95_hi: number;
  per_sequence: number[];
}

export interface RlschedEvalResult {
  starts: number[];
  rows: RlschedEvalRow[];
  agentSeconds: number;
}

export function evaluateOnProtocol(
  trace: RlschedTrace,
  protocol: SequenceProtocol,
  backfill: BackfillMode,
  heuristics: readonly RlschedHeuristic[],
  agent?: { name: string; agent: Agent },
): RlschedEvalResult {
  const starts = sampleStarts(trace.size, protocol);
  const rows: RlschedEvalRow[] = [];
  const row = (policy: string, mode: ModeName, xs: number[]): RlschedEvalRow => {
    const ci = confidenceInterval(xs);
    return { policy, mode, mean_bsld: ci.estimate, ci95_lo: ci.lo, ci95_hi: ci.hi, per_sequence: xs };
  };
  let agentSeconds = 0;
  const env = agent ? new RlschedEnv({ trace, seqLen: protocol.seqLen, backfill: false }) : undefined;
  for (const mode of modesOf(backfill)) {
    const on = mode === 'backfill';
    for (const h of heuristics) rows.push(row(h, mode, heuristicSequenceBsld(trace, starts, protocol.seqLen, on, h)));
    if (agent && env) {
      const t0 = performance.now();
      rows.push(row(agent.name, mode, agentSequenceBsld(agent.agent, env, starts, protocol.seqLen, on)));
      agentSeconds += (performance.now() - t0) / 1000;
    }
  }
  return { starts, rows, agentSeconds };
}
