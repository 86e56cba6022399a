/**
 * Wall time of a full Philly replay (philly_jobs_pollux.csv, ~82k jobs, on the whole
 * 3,205-GPU cluster of phillyCluster()) under each heuristic scheduler.
 * Loading the trace is timed separately; each simulation is timed alone.
 *   npx tsx scripts/replay-philly.ts [policy,policy,...] [nodes]
 * policies default to all registered; `nodes` replaces the cluster by that many 8-GPU
 * nodes (a loaded cluster, to stress the policies' queue handling; oversize jobs rejected).
 */
import { loadTrace } from '../src/workload/traces';
import { phillyCluster } from '../src/sim/presets';
import { simulate } from '../src/sim/simulator';
import { uniformCluster } from '../src/sim/cluster';
import { SCHEDULER_NAMES, makeScheduler } from '../src/schedulers/registry';

const names = process.argv[2] && process.argv[2] !== 'all' ? process.argv[2].split(',') : [...SCHEDULER_NAMES];
const nodes = process.argv[3] ? Number(process.argv[3]) : 0;
let t0 = performance.now();
const wl = loadTrace('philly');
const cluster =
  nodes > 0 ? uniformCluster('philly-small', nodes, { gpus: 8, cpus: 96, memMiB: 512 * 1024 }) : phillyCluster();
console.log(
  `loaded ${wl.jobs.length} jobs in ${((performance.now() - t0) / 1000).toFixed(2)} s; cluster ${cluster.nodes.length} nodes`,
);
console.log('policy        wall_s  events   finished  rejected  mean_jct_h  mean_wait_h');
for (const name of names) {
  const s = makeScheduler(name);
  t0 = performance.now();
  const r = simulate(wl.jobs, cluster, s, { oversize: 'reject' });
  const wall = (performance.now() - t0) / 1000;
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
    `${name.padEnd(13)} ${wall.toFixed(2).padStart(6)}  ${String(r.events).padStart(7)}  ${String(r.counts.finished).padStart(8)}  ${String(r.counts.rejected).padStart(8)}  ${(jct / k / 3600).toFixed(2).padStart(10)}  ${(wait / k / 3600).toFixed(2).padStart(11)}`,
  );
}
