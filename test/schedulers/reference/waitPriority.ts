import type { OracleScheduler as Scheduler, OracleSimContext as SimContext } from '../../../src/sim/scheduler';

/** Naive textbook WFP3 / UNICEP: recompute every waiting job's priority, full sort, strict order. */
function strict(name: string, prio: (w: number, r: number, n: number) => [number, number]): Scheduler {
  return {
    name,
    oracle: true,
    preemptive: false,
    reset() {},
    schedule(ctx: SimContext) {
      const list: { j: number; p: [number, number] }[] = [];
      for (let i = 0; i < ctx.waitingCount; i++) {
        const j = ctx.waitingAt(i);
        const job = ctx.jobs[j];
        list.push({ j, p: prio(ctx.now - job.submit, job.estimate ?? job.duration, Math.max(1, job.gpus)) });
      }
      list.sort((a, b) => b.p[0] - a.p[0] || (b.p[1] > a.p[1] ? 1 : b.p[1] < a.p[1] ? -1 : 0) || a.j - b.j);
      for (const { j } of list) if (!ctx.tryStart(j)) return;
    },
  };
}

export const wfp3 = (): Scheduler => strict('wfp3', (w, r, n) => [0, Math.pow(w / Math.max(r, 1), 3) * n]);
export const unicep = (): Scheduler =>
  strict('unicep', (w, r, n) => (n <= 1 ? [1, w / Math.max(r, 1)] : [0, w / (Math.log2(n) * Math.max(r, 1))]));
