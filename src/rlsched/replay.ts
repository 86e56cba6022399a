/**
 * The Table V heuristic protocol (`lepton rlsched replay`): the same sequences for every policy and
 * mode, each scheduled from an empty machine; output exactly as the spec's last section.
 */
import { HEURISTICS, type RlschedHeuristic } from './heuristics';
import type { SortKey } from './lists';
import { sampleStarts, startIndexRange, type SequenceProtocol } from './sequences';
import { RlschedSim } from './sim';
import type { RlschedTrace } from './trace';

export type BackfillMode = 'off' | 'on' | 'both';
export type ModeName = 'no_backfill' | 'backfill';

export interface PolicyReplay {
  mean_bsld: number;
  per_sequence: number[];
  /** start_times[i][k]: start of job k of sequence i, in the trace's own time base. */
  start_times: number[][];
}

export interface ReplayOutput {
  protocol: { seq_len: number; iters: number; seed: number; slice: number; start_index_range: [number, number] };
  cluster: { max_nodes: number; max_procs: number };
  sequences: { start_index: number; job_ids: number[] }[];
  results: Partial<Record<ModeName, Partial<Record<RlschedHeuristic, PolicyReplay>>>>;
}

export function modesOf(b: BackfillMode): ModeName[] {
  return b === 'off' ? ['no_backfill'] : b === 'on' ? ['backfill'] : ['no_backfill', 'backfill'];
}

/** Per-heuristic sort keys sized for a sequence length (ids ≥ 16: the simulator reserves 0..15). */
export class HeuristicKeys {
  private readonly keys = new Map<RlschedHeuristic, SortKey>();
  constructor(readonly capacity: number) {}
  /** Fill the keys of heuristic h for the sequence currently loaded in sim. */
  forSim(h: RlschedHeuristic, sim: RlschedSim): SortKey {
    let k = this.keys.get(h);
    if (!k) {
      const def = HEURISTICS[h];
      k = {
        id: 16 + this.keys.size,
        k1: new Float64Array(this.capacity),
        k2: def.pair ? new Float64Array(this.capacity) : null,
      };
      this.keys.set(h, k);
    }
    HEURISTICS[h].fill(sim.submit, sim.reqTime, sim.procs, sim.len, k.k1, k.k2 ?? k.k1);
    return k;
  }
}

/** Schedule the loaded sequence with a heuristic; the keys must be filled for this sequence. */
export function runHeuristic(sim: RlschedSim, key: SortKey): void {
  sim.reset();
  let done = false;
  while (!done) {
    sim.sortQueue(key);
    done = sim.schedule(sim.queue.first());
  }
}

export interface RlschedReplayOptions extends SequenceProtocol {
  policies: readonly RlschedHeuristic[];
  backfill: BackfillMode;
  /** Include per-job start times (the CLI always does; benchmarks may skip the copy). */
  startTimes?: boolean;
}

export function rlschedReplay(trace: RlschedTrace, o: RlschedReplayOptions): ReplayOutput {
  const starts = sampleStarts(trace.size, o);
  const L = o.seqLen;
  const sim = new RlschedSim(L);
  const keys = new HeuristicKeys(L);
  const modes = modesOf(o.backfill);
  const results: ReplayOutput['results'] = {};
  for (const m of modes) {
    const byPolicy: Partial<Record<RlschedHeuristic, PolicyReplay>> = {};
    for (const h of o.policies) byPolicy[h] = { mean_bsld: 0, per_sequence: [], start_times: [] };
    results[m] = byPolicy;
  }
  // Sequence-major: each sequence is loaded once per mode and replayed by every policy.
  for (const s of starts) {
    for (const m of modes) {
      sim.load(trace, s, L, m === 'backfill');
      for (const h of o.policies) {
        const key = keys.forSim(h, sim);
        runHeuristic(sim, key);
        const r = results[m]![h]!;
        r.per_sequence.push(sim.meanBsld());
        if (o.startTimes !== false) r.start_times.push(Array.from(sim.startTime.subarray(0, L)));
      }
    }
  }
  for (const m of modes) {
    for (const h of o.policies) {
      const r = results[m]![h]!;
      let sum = 0;
      for (const x of r.per_sequence) sum += x;
      r.mean_bsld = sum / r.per_sequence.length;
    }
  }
  return {
    protocol: {
      seq_len: L,
      iters: o.iters,
      seed: o.seed,
      slice: o.slice,
      start_index_range: startIndexRange(trace.size, o),
    },
    cluster: { max_nodes: trace.maxNodes, max_procs: trace.maxProcs },
    sequences: starts.map((s) => ({ start_index: s, job_ids: Array.from(trace.jobId.subarray(s, s + L)) })),
    results,
  };
}
