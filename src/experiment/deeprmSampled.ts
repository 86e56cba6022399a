/**
 * One sampled evaluation of a policy-gradient agent moves by ±0.06–0.1 with the sampling seed alone,
 * so every PG run's final checkpoint is also evaluated with several sampling seeds (1..N; seed 1 is the
 * one of the main table) on the validation and held-out job sets: mean, sd, min and max per run and split.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseJobsFile, type JobsFile } from '../deeprm/params';
import { Rng } from '../util/rng';
import { readJsonFile } from '../util/json';
import { evaluateDeeprmAgent, evaluateDeeprmHeuristics, pooledMean } from './deeprmTask';
import { CHECKPOINT_DIR, loadTrainedAgent } from './train';
import { PolicyAgent } from '../agents/fastpath';

export const SAMPLED_SPLITS = { validation: 'validation.json', heldout: 'heldout.json' } as const;

export interface SampledSeedsResult {
  /** CSV text: run,split,iterations,sampled_mean_<N>seeds,sd,min,max,ratio_to_sjf,sjf */
  csv: string;
  /** Runs left out, with why (e.g. their checkpoint is not in the repository). */
  skipped: string[];
}

/** Runs named pg…-seedN under `root` with an eval/summary.csv, each with `seeds` sampling seeds. */
export async function sampledSeeds(root: string, seeds: number): Promise<SampledSeedsResult> {
  const sets: Record<string, JobsFile> = {};
  const sjf: Record<string, number> = {};
  for (const [split, f] of Object.entries(SAMPLED_SPLITS)) {
    const file = path.join(root, f);
    sets[split] = parseJobsFile(readJsonFile(file), file);
    sjf[split] = pooledMean(evaluateDeeprmHeuristics(sets[split], ['sjf'])[0]);
  }
  const rows = [`run,split,iterations,sampled_mean_${seeds}seeds,sd,min,max,ratio_to_sjf,sjf`];
  const skipped: string[] = [];
  for (const name of readdirSync(root).sort()) {
    if (!/^pg(-[a-z0-9.]+)*-seed\d+$/.test(name) || !existsSync(path.join(root, name, 'eval', 'summary.csv'))) continue;
    const ck = path.join(root, name, CHECKPOINT_DIR);
    if (!existsSync(ck)) {
      skipped.push(`${name}: no ${CHECKPOINT_DIR}/ (not committed, or not trained here)`);
      continue;
    }
    const m = JSON.parse(readFileSync(path.join(root, name, 'manifest.json'), 'utf8'));
    const agent = await loadTrainedAgent(ck);
    if (!(agent instanceof PolicyAgent)) {
      skipped.push(`${name}: not a policy-network agent`);
      continue;
    }
    for (const split of Object.keys(SAMPLED_SPLITS)) {
      const v: number[] = [];
      for (let ss = 1; ss <= seeds; ss++) {
        agent.rng = new Rng(ss);
        v.push(pooledMean(evaluateDeeprmAgent(agent, sets[split], false)));
      }
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : NaN;
      rows.push(
        [
          name,
          split,
          m.extra.iterationsDone,
          mean.toFixed(4),
          sd.toFixed(4),
          Math.min(...v).toFixed(4),
          Math.max(...v).toFixed(4),
          (mean / sjf[split]).toFixed(4),
          sjf[split].toFixed(4),
        ].join(','),
      );
    }
    agent.dispose();
  }
  return { csv: rows.join('\n') + '\n', skipped };
}
