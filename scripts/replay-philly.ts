/**
 * Wall time of a full Philly replay (philly_jobs_pollux.csv, ~82k jobs, on the whole
 * 3,205-GPU cluster of phillyCluster()) under each heuristic scheduler.
 * Loading the trace is timed separately; each simulation is timed alone (wall and CPU seconds).
 *   npx tsx scripts/replay-philly.ts [policy,policy,...|all] [nodes] [arrivalScale]
 * policies default to all registered; `nodes` replaces the cluster by that many 8-GPU
 * nodes (a loaded cluster, to stress the policies' queue handling; oversize jobs rejected);
 * `arrivalScale` F divides every submit time by F (like `lepton simulate --arrival-scale`).
 * The checksum column hashes every job's start, finish and preemption count, so two
 * versions of a policy can be compared for identical schedules.
 */
import { createHash } from 'node:crypto';
import {
  loadTrace,
  phillyCluster,
  simulate,
  uniformCluster,
  SCHEDULER_NAMES,
  makeScheduler,
  type SimResult,
} from 'lepton';

/** First 12 hex digits of a SHA-256 over start, finish and preemptions (the schedule). */
function scheduleChecksum(r: SimResult): string {
  const h = createHash('sha256');
  for (const a of [r.start, r.finish, r.preemptions]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex').slice(0, 12);
}

const names = process.argv[2] && process.argv[2] !== 'all' ? process.argv[2].split(',') : [...SCHEDULER_NAMES];
const nodes = process.argv[3] ? Number(process.argv[3]) : 0;
const scale = process.argv[4] ? Number(process.argv[4]) : 1;
let t0 = performance.now();
const wl = loadTrace('philly');
const jobs = scale === 1 ? wl.jobs : wl.jobs.map((j) => ({ ...j, submit: j.submit / scale }));
const cluster =
  nodes > 0 ? uniformCluster('philly-small', nodes, { gpus: 8, cpus: 96, memMiB: 512 * 1024 }) : phillyCluster();
console.log(
  `loaded ${jobs.length} jobs in ${((performance.now() - t0) / 1000).toFixed(2)} s; cluster ${cluster.nodes.length} nodes` +
    (scale !== 1 ? `; arrivals compressed ${scale}x` : ''),
);
console.log('policy        wall_s   cpu_s  events   finished  rejected  mean_jct_h  mean_wait_h  checksum');
for (const name of names) {
  const s = makeScheduler(name);
  t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = simulate(jobs, cluster, s, { oversize: 'reject' });
  const wall = (performance.now() - t0) / 1000;
  // CPU seconds of this process: what an idle core would take (wall time grows on a busy machine).
  const c1 = process.cpuUsage(c0);
  const cpu = (c1.user + c1.system) / 1e6;
  let jct = 0;
  let wait = 0;
  let k = 0;
  for (let j = 0; j < r.jobs.length; j++) {
    if (Number.isNaN(r.finish[j])) continue;
    jct += r.finish[j] - r.jobs[j].submit;
    wait += r.start[j] - r.jobs[j].submit;
    k++;
  }
  console.log(
    `${name.padEnd(13)} ${wall.toFixed(2).padStart(6)}  ${cpu.toFixed(2).padStart(6)}  ${String(r.events).padStart(7)}  ${String(r.counts.finished).padStart(8)}  ${String(r.counts.rejected).padStart(8)}  ${(jct / k / 3600).toFixed(2).padStart(10)}  ${(wait / k / 3600).toFixed(2).padStart(11)}  ${scheduleChecksum(r)}`,
  );
}
