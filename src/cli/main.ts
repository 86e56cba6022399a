import { UsageError } from '../util/errors';

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
    load: async () => (require('../deeprm/commands') as typeof import('../deeprm/commands')).runDeeprmCommand,
  },
  train: {
    summary: 'Train a learning scheduler (pg, a2c, ppo, dqn, qlearning) on the DeepRM or cluster environment',
    load: async () => (require('./train') as typeof import('./train')).runTrain,
  },
  evaluate: {
    summary: 'Compare a trained agent with the heuristics on held-out job sets',
    load: async () => (require('./evaluate') as typeof import('./evaluate')).runEvaluate,
  },
  explain: {
    summary: 'Why a trained DeepRM agent picks what it picks: attributions, agreement with SJF/Tetris*, schedules',
    load: async () => (require('./explain') as typeof import('./explain')).runExplain,
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
    if (e instanceof UsageError || (e instanceof Error && e.name === 'TraceError')) {
      process.stderr.write(`lepton ${cmd}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
