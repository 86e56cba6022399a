/**
 * Fuzzing of every input format (issue 7 §2): valid fixtures are mutated (truncation,
 * bit flips, huge / negative / non-finite / hex numbers, inserted control bytes,
 * encodings, line endings, duplicated or dropped lines) and each case must obey the
 * contract:
 *
 *   - either a clear refusal: a TraceError or UsageError (exit 2) whose message names
 *     the file (`file:line` for line-based formats, `file:line` or `file: field` for
 *     JSON), is one line-ish, capped and free of control characters once printed;
 *   - or a success whose outputs pass the simulator invariants.
 *
 * Anything else — another exception (a stack trace), a hang, or a success with a
 * broken invariant — is a violation. Runs in-process (loaders and simulator, not
 * subprocesses) so thousands of cases take seconds. Used by test/rel/fuzz.test.ts
 * (fixed-seed slice) and scripts/fuzz.ts (long run).
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadTrace, type TraceKind } from '../../src/workload/traces';
import { clusterFromJson } from '../../src/cluster/presets';
import { uniformCluster, type ClusterSpec } from '../../src/cluster/spec';
import { simulate } from '../../src/sim/simulator';
import { makeScheduler } from '../../src/schedulers/registry';
import { JobStatus, type SimResult } from '../../src/sim/result';
import { parseJobsFile } from '../../src/deeprm/params';
import { deeprmReplay } from '../../src/deeprm/replay';
import { readJsonFile } from '../../src/util/json';
import { readTrainConfig } from '../../src/cli/train';
import { exitCodeOf, safeMessage } from '../../src/cli/main';
import { policyConfigFromArgs } from '../../src/cli/policyOptions';
import { loadRlschedTrace } from '../../src/rlsched/trace';
import { rlschedReplay } from '../../src/rlsched/replay';
import { expandPlan, loadPlan } from '../../src/sweep/plan';
import { loadCheckpoint, restoreNetwork, saveCheckpoint } from '../../src/agents/checkpoint';
import { UsageError } from '../../src/util/errors';
import { MAX_JOB_GPUS, MAX_SECONDS } from '../../src/util/limits';
import type { Workload } from '../../src/workload/job';

// ---------------------------------------------------------------------------
// Valid fixtures, one per format (small, so every case simulates in microseconds).

const SWF_ROW = (id: number, submit: number, run: number, procs: number): string =>
  `${id} ${submit} 0 ${run} ${procs} -1 -1 ${procs} ${run * 2} -1 1 1 1 1 1 1 -1 -1`;

export interface Fixture {
  name: string;
  /** File name (the extension selects the reader). */
  file: string;
  text: string;
  /**
   * 'latin1' for binary fixtures (a .gz file): the text holds one character per byte,
   * so truncations and bit flips hit the compressed bytes.
   */
  encoding?: 'utf8' | 'latin1';
  /** Applied to the mutated bytes before writing (e.g. gzip: mutate the content, then compress). */
  encode?: (bytes: Buffer) => Buffer;
  /** Multi-file inputs (a checkpoint folder): a message may name the folder instead of the file. */
  folder?: boolean;
  /** Runs the input through its consumer; returns an invariant violation, or null. */
  check(file: string): string | null | Promise<string | null>;
}

const CLUSTER: ClusterSpec = uniformCluster('fuzz', 4, { gpus: 8, cpus: 96, memMiB: 524288 });

/** Load a trace and simulate it under two policies; checks the loader's and the simulator's invariants. */
function traceCheck(kind: TraceKind, cluster: ClusterSpec = CLUSTER): (file: string) => string | null {
  return (file) => {
    const w = loadTrace(kind, file, {});
    return workloadInvariant(w) ?? simInvariants(w, cluster);
  };
}

export function workloadInvariant(w: Workload): string | null {
  const s = w.source;
  if (s.rowsRead !== w.jobs.length + s.filtered + s.skipped.length) return 'rowsRead != jobs + filtered + skipped';
  const ids = new Set<string>();
  for (let i = 0; i < w.jobs.length; i++) {
    const j = w.jobs[i];
    if (!(Number.isFinite(j.submit) && j.submit >= 0 && j.submit <= MAX_SECONDS)) return `job ${i}: submit ${j.submit}`;
    if (!(Number.isFinite(j.duration) && j.duration >= 0 && j.duration <= MAX_SECONDS))
      return `job ${i}: duration ${j.duration}`;
    if (!(Number.isInteger(j.gpus) && j.gpus >= 0 && j.gpus <= MAX_JOB_GPUS)) return `job ${i}: gpus ${j.gpus}`;
    if (!(j.gpuShare >= 0 && j.gpuShare < 1)) return `job ${i}: gpuShare ${j.gpuShare}`;
    if (i > 0 && j.submit < w.jobs[i - 1].submit) return 'jobs not sorted by submit';
    if (ids.has(j.id)) return `duplicate id ${j.id}`;
    ids.add(j.id);
  }
  return null;
}

function simInvariants(w: Workload, cluster: ClusterSpec): string | null {
  for (const policy of ['fifo', 'tiresias']) {
    let r: SimResult;
    try {
      r = simulate(w.jobs, cluster, makeScheduler(policy), { oversize: 'reject', debug: true });
    } catch (e) {
      return `${policy}: simulate threw ${(e as Error).message}`;
    }
    const v = resultInvariant(r, policy === 'fifo');
    if (v) return `${policy}: ${v}`;
  }
  return null;
}

export function resultInvariant(r: SimResult, nonPreemptive: boolean): string | null {
  const eps = 1e-6;
  let finished = 0;
  for (let i = 0; i < r.jobs.length; i++) {
    const j = r.jobs[i];
    const st = r.status[i];
    if (st === JobStatus.Finished) {
      finished++;
      if (!(r.start[i] >= j.submit - eps)) return `job ${i} started before its submit`;
      if (!(r.finish[i] >= r.start[i] + j.duration - eps * Math.max(1, j.duration)))
        return `job ${i} finished before start + duration`;
      if (nonPreemptive && Math.abs(r.finish[i] - r.start[i] - j.duration) > eps * Math.max(1, j.duration))
        return `job ${i}: finish - start != duration without preemption`;
    } else if (st !== JobStatus.Rejected) return `job ${i} neither finished nor rejected (status ${st})`;
  }
  if (finished !== r.counts.finished) return 'finished count mismatch';
  for (let k = 0; k < r.timeline.gpus.length; k++)
    if (r.timeline.gpus[k] > r.capacity.gpus + eps) return 'GPU usage above capacity';
  return null;
}

const PHILLY =
  'timestamp,duration,num_gpus,gpu_time,cluster\n' +
  '2017-10-09 07:01:55,66.0,1,66.0,11cb48\n' +
  '2017-10-09 06:13:03,2951.0,2,5902.0,6214e9\n' +
  '2017-09-29 07:58:32,860.0,8,6880.0,6c71a0\n' +
  '2017-10-09 06:13:36,2759.0,4,11036.0,6214e9\n' +
  '2017-10-09 06:16:03,0.0,1,0.0,6214e9\n';

const POLLUX =
  'name,time,application,num_replicas,batch_size\n' +
  'job-0,0,cifar10,1,128\n' +
  'job-1,10.5,bert,4,12\n' +
  'job-2,30,imagenet,8,200\n' +
  'job-3,30,deepspeech2,2,20\n';

const OPENB =
  'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n' +
  'p0,4000,1024,2,1000,,LS,Succeeded,10,100,20\n' +
  'p1,4000,1024,1,500,,BE,Failed,5,50,5\n' +
  'p2,1000,512,0,0,,BE,Succeeded,7,70,8\n' +
  'p3,8000,2048,4,1000,,LS,Running,12,200,13\n';

const HELIOS =
  'job_id,user,vc,jobname,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue\n' +
  'j1,u1,vc1,a,1,4,1,COMPLETED,2020-04-01 00:00:00,2020-04-01 00:00:10,2020-04-01 00:10:10,600,10\n' +
  'j2,u2,vc2,b,8,32,1,FAILED,2020-04-01 00:05:00,2020-04-01 00:05:00,2020-04-01 01:05:00,3600,0\n' +
  'j3,u1,vc1,c,2,8,1,CANCELLED,2020-04-01 00:06:00,,2020-04-01 00:07:00,,0\n';

const PHILLY_RAW = JSON.stringify(
  [
    {
      jobid: 'application_1',
      vc: 'vc1',
      status: 'Pass',
      submitted_time: '2017-10-01 00:00:00',
      attempts: [
        {
          start_time: '2017-10-01 00:01:00',
          end_time: '2017-10-01 00:11:00',
          detail: [{ ip: 'm1', gpus: ['gpu0', 'gpu1'] }],
        },
      ],
    },
    {
      jobid: 'application_2',
      vc: 'vc2',
      status: 'Killed',
      submitted_time: '2017-10-01 00:05:00',
      attempts: [
        {
          start_time: '2017-10-01 00:05:00',
          end_time: '2017-10-01 01:05:00',
          detail: [{ ip: 'm2', gpus: ['gpu0'] }],
        },
      ],
    },
  ],
  null,
  1,
);

const CLUSTER_JSON = JSON.stringify(
  {
    name: 'c',
    nodes: [
      { name: 'a100', gpus: 8, gpuType: 'A100', cpus: 64, memMiB: 512000, count: 2 },
      { name: 'cpu', gpus: 0, cpus: 32, memMiB: 1000 },
    ],
  },
  null,
  1,
);

const JOBS_JSON = JSON.stringify(
  {
    params: {
      num_res: 2,
      res_slot: 10,
      max_job_size: 10,
      max_job_len: 15,
      time_horizon: 20,
      num_nw: 5,
      simu_len: 10,
      num_ex: 2,
    },
    jobs: [
      { id: 1, ex: 0, arrival: 1, len: 3, res: [2, 5] },
      { id: 2, ex: 0, arrival: 2, len: 15, res: [10, 1] },
      { id: 13, ex: 1, arrival: 3, len: 1, res: [1, 1] },
    ],
  },
  null,
  1,
);

const CONFIG_JSON = JSON.stringify(
  { gamma: 0.9, rolloutsPerJobSet: 2, optimizer: { kind: 'adam', lr: 0.001 }, env: { rate: 0.5, numTrainSets: 3 } },
  null,
  1,
);

const PHILLY_TRACE_FOR_CLUSTER =
  'timestamp,duration,num_gpus,gpu_time,cluster\n' +
  '2017-10-09 07:01:55,66.0,1,66.0,v\n2017-10-09 07:02:55,100.0,8,800.0,v\n2017-10-09 07:03:55,0,4,0,v\n';

const SWF_TEXT =
  '; comment\n' +
  [SWF_ROW(1, 0, 100, 2), SWF_ROW(2, 5, 10, 1), SWF_ROW(3, 5, 0, 4), SWF_ROW(4, 60, 30, 8)].join('\n') +
  '\n';

/** RLScheduler needs the machine size (header) and room for two sequences of two jobs. */
const RL_SWF_TEXT =
  '; MaxNodes: 8\n; MaxProcs: 8\n' +
  [0, 1, 2, 3, 4, 5, 6, 7].map((i) => SWF_ROW(i + 1, i * 10, 30 + 7 * i, 1 + (i % 8))).join('\n') +
  '\n';

/** RLScheduler's loader (.swf and .swf.gz) and its Table V replay on two short sequences. */
function rlschedCheck(file: string): string | null {
  const trace = loadRlschedTrace(file);
  let out;
  try {
    out = rlschedReplay(trace, { seqLen: 2, iters: 2, seed: 1, slice: 0, policies: ['fcfs', 'sjf'], backfill: 'both' });
  } catch (e) {
    // The CLI turns a protocol that does not fit the trace into a usage error naming it.
    if (e instanceof RangeError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  for (const [mode, byPolicy] of Object.entries(out.results))
    for (const [p, r] of Object.entries(byPolicy ?? {})) {
      const b = (r as { mean_bsld: number }).mean_bsld;
      if (!(Number.isFinite(b) && b >= 1 - 1e-9)) return `${mode} ${p}: mean bsld ${b}`;
    }
  return null;
}

const PLAN_YAML =
  'name: fuzz\n' +
  'grid:\n' +
  '  trace: [embedded]\n' +
  '  cluster: ["uniform:4x8"]\n' +
  '  arrivalScale: [1, 2]\n' +
  '  policy: [fifo, sjf]\n' +
  '  seed: [1, 2]\n' +
  'options:\n' +
  '  embeddedJobs: 50\n';

/** A plan loads and expands to distinct cells, one per point of the grid. */
function planCheck(file: string): string | null {
  const { plan } = loadPlan(file);
  let cells;
  try {
    cells = expandPlan(plan);
  } catch (e) {
    // The CLI names the plan file for expansion errors too.
    if (e instanceof UsageError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  const g = plan.grid as unknown as Record<string, unknown[]>;
  const schedulers = (g.policy?.length ?? 0) + (g.agent?.length ?? 0);
  const want = Object.entries(g)
    .filter(([k]) => k !== 'policy' && k !== 'agent')
    .reduce((n, [, v]) => n * (Array.isArray(v) ? v.length : 1), schedulers);
  if (cells.length !== want) return `${cells.length} cells for a grid of ${want}`;
  if (new Set(cells.map((c) => c.hash)).size !== cells.length) return 'two cells share a hash';
  return null;
}

const POLICY_CONFIG = JSON.stringify(
  { policyOptions: { tiresias: { thresholds: [3600, 36000] }, las: { tickInterval: 30 } }, restartOverhead: 10 },
  null,
  1,
);

/** A policy config reaches the schedulers, which then simulate `trace` within the invariants. */
const policyConfigCheck =
  (trace: string) =>
  (file: string): string | null => {
    const cfg = policyConfigFromArgs({ config: file });
    const w = loadTrace('philly', trace, {});
    for (const policy of ['tiresias', 'las']) {
      let r: SimResult;
      try {
        r = simulate(w.jobs, CLUSTER, makeScheduler(policy, cfg.policyOptions[policy]), {
          oversize: 'reject',
          debug: true,
          restartOverhead: cfg.restartOverhead,
        });
      } catch (e) {
        return `${policy}: simulate threw ${(e as Error).message}`;
      }
      const v = resultInvariant(r, false);
      if (v) return `${policy}: ${v}`;
    }
    return null;
  };

/** A checkpoint loads, and every stored network rebuilds with finite weights. */
async function checkpointCheck(file: string): Promise<string | null> {
  const ck = await loadCheckpoint(path.dirname(file));
  for (const [name, net] of Object.entries(ck.networks)) {
    const mlp = restoreNetwork(net, name);
    for (const w of mlp.getWeights()) for (const x of w) if (!Number.isFinite(x)) return `${name}: weight ${x}`;
  }
  for (const [k, v] of Object.entries(ck.counters ?? {}))
    if (!(Number.isSafeInteger(v) && v >= 0)) return `counter ${k} = ${v}`;
  return null;
}

/** A small valid checkpoint (one network, an Adam optimizer, an RNG, counters, an array). */
async function writeCheckpoint(dir: string): Promise<void> {
  const spec = { inputSize: 3, hiddenSizes: [4], outputSize: 2 };
  const sizes = [3 * 4, 4, 4 * 2, 2];
  const weights = sizes.map((n, i) => Float32Array.from({ length: n }, (_, k) => ((k * 7 + i) % 11) / 10 - 0.5));
  await saveCheckpoint(dir, {
    algo: 'pg',
    networks: { policy: { spec, weights } },
    optimizers: { policy: { kind: 'adam', step: 3, slots: [...weights, ...weights].map((w) => w.map((x) => x / 10)) } },
    rngs: { train: [1, 2, 3, 4] },
    counters: { iteration: 3 },
    config: { gamma: 0.99 },
    arrays: { baseline: Float64Array.from([1, 2, 3]) },
    extra: null,
  });
}

/** Fixtures that need files beside them (a checkpoint folder, a trace); call once per folder. */
export async function prepare(dir: string): Promise<void> {
  await writeCheckpoint(path.join(dir, 'ck-state'));
  await writeCheckpoint(path.join(dir, 'ck-model'));
}

export function fixtures(dir: string): Fixture[] {
  const phillyForCluster = path.join(dir, 'cluster-trace.csv');
  fs.writeFileSync(phillyForCluster, PHILLY_TRACE_FOR_CLUSTER);
  const ck = (name: string): string => fs.readFileSync(path.join(dir, name.split('/')[0], name.split('/')[1]), 'utf8');
  return [
    { name: 'philly', file: 'philly.csv', text: PHILLY, check: traceCheck('philly') },
    { name: 'swf', file: 'trace.swf', text: SWF_TEXT, check: traceCheck('swf') },
    { name: 'rlsched-swf', file: 'rl.swf', text: RL_SWF_TEXT, check: rlschedCheck },
    { name: 'swf-gz', file: 'rl.swf.gz', text: RL_SWF_TEXT, encode: (b) => gzipSync(b), check: rlschedCheck },
    {
      name: 'swf-gz-bytes',
      file: 'rlb.swf.gz',
      text: gzipSync(RL_SWF_TEXT).toString('latin1'),
      encoding: 'latin1',
      check: rlschedCheck,
    },
    { name: 'pollux', file: 'pollux.csv', text: POLLUX, check: traceCheck('pollux') },
    { name: 'openb', file: 'openb.csv', text: OPENB, check: traceCheck('openb') },
    { name: 'helios', file: 'helios.csv', text: HELIOS, check: traceCheck('helios') },
    { name: 'philly-raw', file: 'raw.json', text: PHILLY_RAW, check: traceCheck('philly-raw') },
    {
      name: 'cluster',
      file: 'cluster.json',
      text: CLUSTER_JSON,
      check: (file) => {
        const c = clusterFromJson(file);
        return traceCheck('philly', c)(phillyForCluster);
      },
    },
    {
      name: 'jobs',
      file: 'jobs.json',
      text: JOBS_JSON,
      check: (file) => {
        const jf = parseJobsFile(readJsonFile(file), file);
        const out = deeprmReplay(jf, { policies: ['sjf', 'packer'], mode: 'compat' });
        for (const [p, r] of Object.entries(out)) {
          const ms = (r as { mean_slowdown: number | null }).mean_slowdown;
          if (ms !== null && !(Number.isFinite(ms) && ms >= 1 - 1e-9)) return `${p}: mean slowdown ${ms}`;
        }
        return null;
      },
    },
    {
      name: 'config',
      file: 'config.json',
      text: CONFIG_JSON,
      check: (file) => {
        const c = readTrainConfig(file, 'pg', 'deeprm');
        const bad = JSON.stringify(c, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? 'NONFINITE' : v));
        return bad.includes('NONFINITE') ? 'non-finite value accepted' : null;
      },
    },
    { name: 'plan-yaml', file: 'plan.yaml', text: PLAN_YAML, check: planCheck },
    {
      name: 'plan-json',
      file: 'plan.json',
      text: JSON.stringify(loadPlanText(dir, PLAN_YAML), null, 1),
      check: planCheck,
    },
    { name: 'policy-config', file: 'policy.json', text: POLICY_CONFIG, check: policyConfigCheck(phillyForCluster) },
    {
      name: 'ck-state',
      file: 'ck-state/state.json',
      text: ck('ck-state/state.json'),
      folder: true,
      check: checkpointCheck,
    },
    {
      name: 'ck-model',
      file: 'ck-model/model.json',
      text: ck('ck-model/model.json'),
      folder: true,
      check: checkpointCheck,
    },
  ];
}

/** The YAML plan as plain data (its JSON twin). */
function loadPlanText(dir: string, yamlText: string): unknown {
  const f = path.join(dir, 'plan-src.yaml');
  fs.writeFileSync(f, yamlText);
  const { plan } = loadPlan(f);
  return { name: plan.name, grid: { ...plan.grid, agent: undefined }, options: { embeddedJobs: 50 } };
}

// ---------------------------------------------------------------------------
// Mutations

const NUMBERS = [
  '2147483648',
  '4294967296',
  '1e15',
  '1e300',
  '-1e300',
  '-1',
  '-0',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '1e-300',
  '',
  '9007199254740993',
  '0.1e1',
  '1_000',
  '  7 ',
  '"3"',
  'null',
  'true',
];
const INSERTS = [
  '\0',
  '\u001b[31m',
  '\r',
  '\n',
  ',',
  '"',
  '\uFEFF',
  '\u2028',
  '\u00e9',
  '\ud800',
  '{',
  ']',
  '0000-00-00 00:00:00',
];

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'number'; which: number; value: number }
  | { kind: 'insert'; at: number; what: number }
  | { kind: 'dupLine'; which: number }
  | { kind: 'dropLine'; which: number }
  | { kind: 'crlf' }
  | { kind: 'cr' }
  | { kind: 'utf16' }
  | { kind: 'latin1' }
  | { kind: 'bom' };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('number' as const), which: fc.nat(), value: fc.nat(NUMBERS.length - 1) }),
  fc.record({ kind: fc.constant('number' as const), which: fc.nat(), value: fc.nat(NUMBERS.length - 1) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), what: fc.nat(INSERTS.length - 1) }),
  fc.record({ kind: fc.constant('dupLine' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('dropLine' as const), which: fc.nat() }),
  fc.constant({ kind: 'crlf' as const }),
  fc.constant({ kind: 'cr' as const }),
  fc.constant({ kind: 'utf16' as const }),
  fc.constant({ kind: 'latin1' as const }),
  fc.constant({ kind: 'bom' as const }),
);

/** Applies mutations to the fixture's text; returns the bytes to write. */
export function mutate(text: string, ms: readonly Mutation[], encoding: 'utf8' | 'latin1' = 'utf8'): Buffer {
  let s = text;
  let bytes: Buffer | undefined;
  for (const m of ms) {
    if (bytes && m.kind !== 'truncate' && m.kind !== 'flip') s = bytes.toString(encoding);
    if (m.kind !== 'truncate' && m.kind !== 'flip') bytes = undefined;
    switch (m.kind) {
      case 'truncate': {
        const b = bytes ?? Buffer.from(s, encoding);
        bytes = b.subarray(0, b.length === 0 ? 0 : m.at % b.length);
        break;
      }
      case 'flip': {
        const b = Buffer.from(bytes ?? Buffer.from(s, encoding));
        if (b.length > 0) b[m.at % b.length] ^= 1 << m.bit;
        bytes = b;
        break;
      }
      case 'number': {
        const spots = [...s.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)];
        if (spots.length === 0) break;
        const hit = spots[m.which % spots.length];
        s = s.slice(0, hit.index) + NUMBERS[m.value] + s.slice(hit.index! + hit[0].length);
        break;
      }
      case 'insert': {
        const at = s.length === 0 ? 0 : m.at % (s.length + 1);
        s = s.slice(0, at) + INSERTS[m.what] + s.slice(at);
        break;
      }
      case 'dupLine':
      case 'dropLine': {
        const lines = s.split('\n');
        const i = m.which % lines.length;
        if (m.kind === 'dupLine') lines.splice(i, 0, lines[i]);
        else lines.splice(i, 1);
        s = lines.join('\n');
        break;
      }
      case 'crlf':
        s = s.replace(/\n/g, '\r\n');
        break;
      case 'cr':
        s = s.replace(/\n/g, '\r');
        break;
      case 'utf16':
        bytes = Buffer.from('\uFEFF' + s, 'utf16le');
        break;
      case 'latin1':
        bytes = Buffer.from(s.replace(/a/g, 'é'), 'latin1');
        break;
      case 'bom':
        s = '\uFEFF' + s;
        break;
    }
  }
  return bytes ?? Buffer.from(s, encoding);
}

/** The bytes of one case: the fixture's text mutated, then encoded (gzip) if the format says so. */
export function caseBytes(fx: Fixture, ms: readonly Mutation[]): Buffer {
  const b = mutate(fx.text, ms, fx.encoding);
  return fx.encode ? fx.encode(b) : b;
}

// ---------------------------------------------------------------------------
// The contract

export interface Outcome {
  ok: boolean;
  /** 'success' | 'refused' | 'violation' */
  result: 'success' | 'refused' | 'violation';
  detail: string;
}

/** Runs one mutated case and checks the contract. */
export async function runCase(fx: Fixture, bytes: Buffer, dir: string): Promise<Outcome> {
  const file = path.join(dir, fx.file);
  fs.writeFileSync(file, bytes);
  let v: string | null;
  try {
    v = await fx.check(file);
  } catch (e) {
    if (exitCodeOf(e) !== 2)
      return { ok: false, result: 'violation', detail: `unexpected ${(e as Error)?.name}: ${(e as Error)?.message}` };
    const msg = safeMessage((e as Error).message);
    // The message must name the file, and a line or a field (JSON) when it is about the content.
    if (!msg.includes(file) && !(fx.folder && msg.includes(path.dirname(file))))
      return { ok: false, result: 'violation', detail: `message does not name the file: ${msg}` };
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0b-\x1f\x7f]/.test(msg))
      return { ok: false, result: 'violation', detail: 'control character in message' };
    if (msg.length > 1100) return { ok: false, result: 'violation', detail: `message of ${msg.length} characters` };
    const located =
      new RegExp(`${escapeRe(file)}:\\d+`).test(msg) ||
      /field '|unknown key|cannot read|beyond the simulator|empty file|missing key|is empty|must be <=|must all differ|overlap|cannot tell the trace kind|expected a JSON|reward must|unknown Philly|trace file not found|the same cell twice|job \d+ of |: policyOptions[.:]/.test(
        msg,
      );
    // A checkpoint is a set of files: naming the one at fault (model.json, weights.bin, …) locates it.
    const inFolder = fx.folder && new RegExp(`${escapeRe(path.dirname(file))}/[\\w.]+`).test(msg);
    if (!located && !inFolder) return { ok: false, result: 'violation', detail: `message locates nothing: ${msg}` };
    return { ok: true, result: 'refused', detail: msg };
  }
  if (v !== null) return { ok: false, result: 'violation', detail: `exit 0 with a broken invariant: ${v}` };
  return { ok: true, result: 'success', detail: '' };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function fuzzDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-fuzz-'));
}

/** Arbitrary of one case: a fixture index and 1-3 mutations. */
export function caseArb(n: number): fc.Arbitrary<{ fx: number; ms: Mutation[] }> {
  return fc.record({ fx: fc.nat(n - 1), ms: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) });
}
