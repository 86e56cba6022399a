import { SCHEDULERS } from '../schedulers/registry';

export async function runPolicies(): Promise<number> {
  const w = Math.max(...Object.keys(SCHEDULERS).map((k) => k.length)) + 2;
  for (const [name, s] of Object.entries(SCHEDULERS))
    process.stdout.write(`${name.padEnd(w)}${s.preemptive ? '[preemptive] ' : ''}${s.description}\n`);
  return 0;
}
