import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { SCHEDULERS } from '../schedulers/registry';

export const POLICIES_OPTIONS: OptionSpecs = {
  help: { type: 'boolean', help: 'show this help' },
};

/** `lepton policies`: every policy, whether it preempts, and its options with defaults. */
export async function runPolicies(argv: string[] = []): Promise<number> {
  const a = parseArgs(argv, POLICIES_OPTIONS, 'policies');
  if (a.help) {
    process.stdout.write(
      formatHelp(
        'lepton policies',
        'Lists every scheduling policy: [preemptive], [oracle] (reads what no scheduler knows at submit time),\n' +
          'and its options with their defaults (set them with --policy-opt or --config).',
        POLICIES_OPTIONS,
      ),
    );
    return 0;
  }
  const w = Math.max(...Object.keys(SCHEDULERS).map((k) => k.length)) + 2;
  for (const [name, s] of Object.entries(SCHEDULERS)) {
    const oracle = s.oracle();
    process.stdout.write(
      `${name.padEnd(w)}${s.preemptive ? '[preemptive] ' : ''}${oracle ? '[oracle] ' : ''}${s.description}\n`,
    );
    if (oracle) process.stdout.write(`${''.padEnd(w)}  oracle: reads ${oracle}\n`);
    for (const [opt, spec] of Object.entries(s.options)) {
      const def = Array.isArray(spec.default) ? (spec.default as number[]).join(':') : String(spec.default);
      process.stdout.write(`${''.padEnd(w)}  --policy-opt ${name}.${opt}=${def}  ${spec.help}\n`);
    }
  }
  return 0;
}
