/**
 * A `lepton sweep --workers N` child process: loads the plan once, then runs the cells
 * the parent sends (by index) one at a time and reports each back. Started by runner.ts
 * with `fork`; not a command of its own.
 */
import { loadPlan, expandPlan } from './plan';
import { runAndStoreCell } from './cell';

function main(): void {
  const [planFile, out, command] = process.argv.slice(2);
  const { plan } = loadPlan(planFile);
  const cells = expandPlan(plan);
  process.on('message', (m: { type: string; index: number }) => {
    if (m.type === 'exit') {
      process.disconnect();
      return;
    }
    const cell = cells[m.index];
    runAndStoreCell(plan, cell, out, command).then(
      () => process.send!({ type: 'done', index: m.index, ok: true }),
      (e: unknown) => process.send!({ type: 'done', index: m.index, ok: false, error: (e as Error).message }),
    );
  });
  process.send!({ type: 'ready' });
}

if (require.main === module) main();
