/**
 * `lepton explain`: why a trained DeepRM agent picked what it picked (attributions, agreement
 * with SJF / Tetris* / Packer, schedules). The computation is `explainDeeprm` (the library
 * function notebook 07 uses); this file only parses options and prints.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { explainDeeprm, readJobsFile, type DeepRMExplanation } from '../experiment/explainDeeprm';
import { writeFileAtomic } from '../util/atomic';
import { initBackend } from '../tf/backend';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { fmt, formatTable } from './table';

export const EXPLAIN_OPTIONS: OptionSpecs = {
  checkpoint: {
    type: 'string',
    arg: 'DIR',
    help: 'a `lepton train --env deeprm` folder with a policy network (e.g. results/deeprm/pg-sets200-seed1)',
    required: true,
  },
  jobs: {
    type: 'string',
    arg: 'JOBS.json',
    help: 'DeepRM job sets (default: the held-out sets of the training setting in the manifest)',
  },
  example: {
    type: 'number',
    arg: 'N',
    int: true,
    min: 0,
    max: 10_000_000,
    help: 'job set whose decisions and schedules are explained',
    default: 0,
  },
  decision: {
    type: 'list',
    arg: 'K1,K2,…',
    int: true,
    min: 0,
    max: 100_000_000,
    help: 'decisions to explain, counted among those with ≥ 2 legal actions',
    default: [0, 1, 2],
  },
  sampled: { type: 'boolean', help: 'sample actions from the policy (default: greedy)' },
  'sample-seed': {
    type: 'number',
    arg: 'N',
    int: true,
    min: 0,
    max: 4294967295,
    help: 'seed of the sampling (with --sampled)',
    default: 1,
  },
  'ig-steps': {
    type: 'number',
    arg: 'N',
    int: true,
    min: 1,
    max: 10_000,
    help: 'integrated-gradient steps',
    default: 32,
  },
  'agreement-sets': {
    type: 'number',
    arg: 'N',
    int: true,
    min: 1,
    max: 10_000_000,
    help: 'job sets for the agreement statistics (default: all)',
  },
  top: { type: 'number', arg: 'N', int: true, min: 1, max: 1000, help: 'groups listed per decision', default: 5 },
  out: { type: 'string', arg: 'DIR', help: 'also write DIR/explain.json (everything, pixel attributions included)' },
  help: { type: 'boolean', help: 'show this help' },
};

export function explainHelp(): string {
  return formatHelp(
    'lepton explain --checkpoint DIR [--example N] [--decision 0,1,2] [--out DIR]',
    'Inside a decision of a trained DeepRM policy: the action distribution, what SJF / Tetris* / Packer would\n' +
      'pick, integrated-gradient and occlusion attributions per part of the observation image (job slots,\n' +
      'cluster image, backlog), agreement with the heuristics over all job sets, and the schedules.',
    EXPLAIN_OPTIONS,
  );
}

/** The text report printed by the command. */
export function explainText(e: DeepRMExplanation, top = 5): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const lines: string[] = [];
  lines.push(`checkpoint ${e.checkpoint} (${e.algo}, ${e.greedy ? 'greedy' : 'sampled'}), job set ${e.example}`);
  lines.push(
    `\nAgreement over ${e.agreement.decisions.toLocaleString('en-US')} decisions with a choice: ` +
      Object.entries(e.agreement.sameAs)
        .map(([h, v]) => `same as ${h} ${pct(v)}`)
        .join(', ') +
      `; void while SJF would start a job ${pct(e.agreement.voidWhenSjfStarts)}; ` +
      `mean probability of its pick ${e.agreement.meanPickProbability.toFixed(3)}`,
  );
  for (const d of e.decisions) {
    const h = Object.entries(d.heuristics)
      .map(([k, a]) => `${k} → ${a === d.legal.length - 1 ? 'void' : 'slot ' + a}`)
      .join(', ');
    lines.push(
      `\nDecision ${d.step} (t = ${d.time}): picks ${d.label} with p = ${d.probabilities[d.action].toFixed(3)}; ${h}`,
    );
    const slotRows = d.slots
      .filter((s) => s !== null)
      .map((s) => [
        `slot ${s!.slot}`,
        String(s!.len),
        s!.res.join('/'),
        String(s!.waited),
        d.probabilities[s!.slot].toFixed(3),
      ]);
    slotRows.push(['void', '', '', '', d.probabilities[d.legal.length - 1].toFixed(3)]);
    lines.push(formatTable(['action', 'len', 'demand', 'waited', 'p'], slotRows).trimEnd());
    const ig = [...d.integratedGradients.groups].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, top);
    const occ = new Map(d.occlusion.map((o) => [o.group, o.delta]));
    lines.push(
      formatTable(
        ['group', 'integrated gradients', 'occlusion Δ log p'],
        ig.map((g) => [g.group, fmt(g.value), fmt(occ.get(g.group) ?? NaN)]),
      ).trimEnd(),
    );
    lines.push(
      `(Σ attributions ${fmt(d.integratedGradients.total)} vs log p(x) − log p(empty) ${fmt(d.integratedGradients.logProbGap)})`,
    );
  }
  lines.push('\nSchedules of this job set:');
  lines.push(
    formatTable(
      ['policy', 'jobs', 'unscheduled', 'mean slowdown'],
      e.schedules.map((s) => [s.policy, String(s.jobs.length), String(s.unscheduled), fmt(s.meanSlowdown, 4)]),
    ).trimEnd(),
  );
  return lines.join('\n') + '\n';
}

export async function runExplain(argv: string[]): Promise<number> {
  const a = parseArgs(argv, EXPLAIN_OPTIONS, 'explain');
  if (a.help) {
    process.stdout.write(explainHelp());
    return 0;
  }
  // Types and ranges are checked by the option schema (EXPLAIN_OPTIONS).
  const checkpoint = a.checkpoint as string;
  const decisions = a.decision as number[];
  await initBackend();
  const e = await explainDeeprm({
    checkpoint,
    jobs: a.jobs ? readJobsFile(a.jobs as string) : undefined,
    example: a.example as number,
    decisions,
    greedy: !a.sampled,
    sampleSeed: a['sample-seed'] as number,
    igSteps: a['ig-steps'] as number,
    agreementSets: a['agreement-sets'] as number | undefined,
  });
  process.stdout.write(explainText(e, a.top as number));
  if (a.out) {
    const out = a.out as string;
    mkdirSync(out, { recursive: true });
    const file = path.join(out, 'explain.json');
    writeFileAtomic(file, JSON.stringify(e) + '\n');
    process.stdout.write(`wrote ${file}\n`);
  }
  return 0;
}
