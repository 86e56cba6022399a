import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { exportPolicy, POLICY_DIR } from '../experiment/exportPolicy';
import { initBackend } from '../tf/backend';

export const EXPORT_OPTIONS: OptionSpecs = {
  checkpoint: {
    type: 'string',
    arg: 'DIR',
    help: 'a `lepton train` output folder (or its checkpoint/ folder with --out)',
    required: true,
  },
  out: { type: 'string', arg: 'DIR', help: `where the policy goes (default: DIR/${POLICY_DIR})` },
  help: { type: 'boolean', help: 'show this help' },
};

/**
 * `lepton export`: the trained policy of a run without its resumable training state, small enough
 * to commit (src/experiment/exportPolicy.ts says why); evaluate and simulate read it when the run
 * has no checkpoint/.
 */
export async function runExport(argv: string[]): Promise<number> {
  const a = parseArgs(argv, EXPORT_OPTIONS, 'export');
  if (a.help) {
    process.stdout.write(
      formatHelp(
        'lepton export --checkpoint DIR [--out DIR]',
        `Writes the trained policy of a run (networks or Q table, and what rebuilds the agent) into DIR/${POLICY_DIR}/,\n` +
          'without the training state of DIR/checkpoint/ (optimizer moments, replay buffer, env states), with\n' +
          `${POLICY_DIR}/export.json (provenance). \`lepton evaluate --checkpoint DIR\` reads it when DIR has no checkpoint/.`,
        EXPORT_OPTIONS,
      ),
    );
    return 0;
  }
  await initBackend();
  const r = await exportPolicy(
    a.checkpoint as string,
    a.out as string | undefined,
    ['lepton', 'export', ...argv].join(' '),
  );
  const bytes = Object.values(r.files).reduce((s, b) => s + b, 0);
  process.stdout.write(
    `${r.algo} policy of ${r.from} → ${r.out} (${Object.keys(r.files).length} files, ${bytes} bytes)\n`,
  );
  return 0;
}
