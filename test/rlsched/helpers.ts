import { parseRlschedSwf, type RlschedTrace } from '../../src/rlsched/trace';
import type { RefJob } from './reference';

/** An SWF text for jobs (submit, run, requested time, procs) on a machine of `nodes` nodes. */
export function swfText(jobs: RefJob[], nodes: number): string {
  const lines = [`; MaxNodes: ${nodes}`];
  jobs.forEach((j, i) => {
    lines.push(`${i + 1} ${j.submit} -1 ${j.run} ${j.procs} -1 -1 ${j.procs} ${j.req} -1 1 -1 -1 -1 0 -1 -1 -1`);
  });
  return lines.join('\n') + '\n';
}

export function traceOf(jobs: RefJob[], nodes: number): RlschedTrace {
  return parseRlschedSwf(Buffer.from(swfText(jobs, nodes)), 'test.swf');
}
