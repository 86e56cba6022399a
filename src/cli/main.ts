import { UsageError } from '../util/errors';
import { fsReason, isErrno } from '../util/fsErrors';

/* Each command lives in its own module and is required only when used (tfjs is slow to import). */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, { summary: string; load: () => Promise<(argv: string[]) => Promise<number>> }> = {
  start: {
    summary: 'Run the main job: all heuristics on the embedded default workload (no downloads), with a report',
    load: async () => (require('./start') as typeof import('./start')).runStart,
  },
  simulate: {
    summary:
      'Replay a trace under several policies on one cluster; write summary.csv, jobs.csv, manifest.json, report.html',
    load: async () => (require('./simulate') as typeof import('./simulate')).runSimulate,
  },
  deeprm: {
    summary: 'DeepRM (HotNets 2016) exact environment: `deeprm generate` job sets, `deeprm replay` heuristics',
    load: async () => (require('./deeprm') as typeof import('./deeprm')).runDeeprmCommand,
  },
  rlsched: {
    summary:
      "RLScheduler (SC'20) exact environment: `rlsched replay` runs the Table V heuristic protocol on an SWF trace",
    load: async () => (require('./rlsched') as typeof import('./rlsched')).runRlsched,
  },
  train: {
    summary: 'Train a learning scheduler (lepton train --help lists the agents) on the DeepRM or cluster environment',
    load: async () => (require('./train') as typeof import('./train')).runTrain,
  },
  evaluate: {
    summary: 'Compare a trained agent with the heuristics on held-out job sets',
    load: async () => (require('./evaluate') as typeof import('./evaluate')).runEvaluate,
  },
  sweep: {
    summary: 'Run a plan (grid of simulation cells) with local workers or as Slurm / Kubernetes shards; merge, emit',
    load: async () => (require('./sweep') as typeof import('./sweep')).runSweep,
  },
  'cluster-study': {
    summary: 'Learned schedulers vs every heuristic on Philly virtual clusters (time split, two loads, intervals)',
    load: async () => (require('./clusterStudy') as typeof import('./clusterStudy')).runClusterStudy,
  },
  export: {
    summary: 'Write the trained policy of a run without its training state (small enough to commit; evaluate reads it)',
    load: async () => (require('./export') as typeof import('./export')).runExport,
  },
  explain: {
    summary: 'Why a trained DeepRM agent picks what it picks: attributions, agreement with SJF/Tetris*, schedules',
    load: async () => (require('./explain') as typeof import('./explain')).runExplain,
  },
  report: {
    summary: 'Tables and figures from result folders: `report deeprm` (the DeepRM reproduction)',
    load: async () => (require('./report') as typeof import('./report')).runReport,
  },
  predict: {
    summary: 'Score the job-duration predictors (MAE, log error, Spearman / Kendall) on traces, at submit time',
    load: async () => (require('./predict') as typeof import('./predict')).runPredict,
  },
  pack: {
    summary: 'openb packing (FGD paper): placement policies, fragmentation, learned placement',
    load: async () => (require('./pack') as typeof import('./pack')).runPack,
  },
  policies: {
    summary: 'List the available scheduling policies',
    load: async () => (require('./policies') as typeof import('./policies')).runPolicies,
  },
};

/* eslint-enable @typescript-eslint/no-require-imports */

export function mainHelp(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((k) => k.length)) + 2;
  return (
    'lepton — learned resource scheduling of AI clusters\n\n' +
    'Usage: lepton <command> [options]   (lepton <command> --help for its options)\n\nCommands:\n' +
    Object.entries(COMMANDS)
      .map(([k, c]) => `  ${k.padEnd(w)}${c.summary}`)
      .join('\n') +
    '\n'
  );
}

/** Entry point used by bin/lepton.js; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(mainHelp());
    return cmd ? 0 : 1;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    process.stderr.write(`lepton: unknown command '${cmd}'.\n\n${mainHelp()}`);
    return 2;
  }
  try {
    return await (
      await c.load()
    )(rest);
  } catch (e) {
    const code = exitCodeOf(e);
    // Messages that already name the command ('evaluate: --checkpoint …', 'deeprm replay: …',
    // 'lepton sweep run: …') are not prefixed twice.
    const text = errorText(e);
    const msg = text.startsWith(`lepton ${cmd}`)
      ? text
      : text.startsWith(`${cmd}: `) || text.startsWith(`${cmd} `)
        ? `lepton ${text}`
        : `lepton ${cmd}: ${text}`;
    process.stderr.write(`${safeMessage(msg)}\n`);
    if (code === EXIT_RUNTIME && process.env.LEPTON_DEBUG) console.error(e);
    return code;
  }
}

/** Exit codes (docs: README "Exit codes"): 0 success, 1 runtime failure, 2 bad input or usage. */
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

export function exitCodeOf(e: unknown): number {
  return e instanceof UsageError || (e instanceof Error && e.name === 'TraceError') ? EXIT_USAGE : EXIT_RUNTIME;
}

function errorText(e: unknown): string {
  if (e instanceof UsageError || (e instanceof Error && e.name === 'TraceError')) return e.message;
  // File-system errors name the file and the operation (a bare EACCES helps nobody).
  if (isErrno(e)) {
    const p = (e as NodeJS.ErrnoException).path;
    const op = (e as NodeJS.ErrnoException).syscall;
    return `${op ? `${op} ` : ''}${p ?? ''}: ${fsReason(e)}`.trim();
  }
  return e instanceof Error ? `${e.message} (set LEPTON_DEBUG=1 for a stack trace)` : String(e);
}

/**
 * A message fit for a terminal: control characters (escape sequences from the input
 * included) shown as \xNN, at most MAX_MESSAGE characters. Line breaks are kept, but
 * only the first few lines.
 */
export const MAX_MESSAGE = 1000;
export function safeMessage(s: string): string {
  const lines = s.split('\n');
  let t = lines.slice(0, 5).join('\n') + (lines.length > 5 ? '\n…' : '');
  if (t.length > MAX_MESSAGE) t = t.slice(0, MAX_MESSAGE) + '… (message cut)';
  // eslint-disable-next-line no-control-regex
  return t.replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
