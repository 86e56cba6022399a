import { SCHEDULERS } from '../schedulers/registry';

/** `lepton policies`: every policy, whether it preempts, and its options with defaults. */
export async function runPolicies(): Promise<number> {
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
