/**
 * A sweep plan: a grid of simulation cells (traces × clusters × loads × job prefixes ×
 * schedulers (heuristic policies and trained agents) × seeds), read from JSON or YAML and
 * validated (zod; unknown keys are errors at any depth). Expanding a plan gives its cells
 * in one fixed order, and each cell a content hash of everything its result depends on
 * (the cell's parameters, the options, the SHA-256 of the trace file and of the agent's
 * checkpoint): the hash names the cell's folder, so an edited plan reuses the cells it
 * still contains and never mistakes an old result for a new one. docs/sweeps.md.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { z, formatIssues, refuseProtoKeys } from '../util/schema';
import { UsageError } from '../util/errors';
import { fsReason } from '../util/fsErrors';
import { parseJsonText } from '../util/json';
import { defaultTraceFile, TRACE_KINDS, type TraceKind } from '../workload/traces';
import { SCHEDULER_NAMES } from '../schedulers/registry';
import { PLACEMENTS } from '../sim/placement';

/** Trace entries: 'embedded' (seeded Philly-shape generator), a trace kind (its default file) or 'kind=FILE'. */
const traceEntry = z
  .string()
  .min(1)
  .refine((t) => t === 'embedded' || parseTrace(t) !== null, {
    message: `expected 'embedded', a trace kind (${TRACE_KINDS.join(', ')}) or 'kind=FILE'`,
  });

const nonEmpty = <T extends z.ZodType>(t: T) => z.array(t).min(1);

export const PLAN_SCHEMA = z.strictObject({
  /** Names the default output folder results/sweeps/<name>. */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'letters, digits, . _ - (at most 80)'),
  description: z.string().max(2000).optional(),
  grid: z.strictObject({
    trace: nonEmpty(traceEntry),
    /** 'philly', 'philly:<vc>', 'openb', 'uniform:<nodes>x<gpus>' or a cluster JSON file. */
    cluster: nonEmpty(z.string().min(1)),
    /** Submit times divided by this (offered load × F). */
    arrivalScale: nonEmpty(z.number().positive().max(1e6)).default([1]),
    /** Replay only the first N jobs (0 = all). */
    jobs: nonEmpty(z.number().int().min(0).max(100_000_000)).default([0]),
    policy: z.array(z.enum(SCHEDULER_NAMES as unknown as [string, ...string[]])).default([]),
    /** Trained cluster agents (`lepton train --env cluster` folders). */
    agent: z.array(z.string().min(1)).default([]),
    seed: nonEmpty(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    ),
  }),
  options: z
    .strictObject({
      oversize: z.enum(['error', 'reject']).default('reject'),
      placement: z.enum(PLACEMENTS as unknown as [string, ...string[]]).optional(),
      /** Jobs of the 'embedded' generator (its seed is the cell's seed). */
      embeddedJobs: z.number().int().min(1).max(1_000_000).default(3000),
    })
    .default({ oversize: 'reject', embeddedJobs: 3000 }),
  /** `lepton sweep emit --slurm` defaults. */
  slurm: z
    .strictObject({
      partition: z.string().min(1).optional(),
      time: z
        .string()
        .regex(/^[0-9:-]+$/, 'Slurm time, e.g. 1:00:00')
        .optional(),
      tasks: z.number().int().min(1).max(100_000).optional(),
      cpusPerTask: z.number().int().min(1).max(1024).default(1),
      memMiB: z.number().int().min(64).optional(),
    })
    .optional(),
  /** `lepton sweep emit --k8s` defaults. */
  k8s: z
    .strictObject({
      image: z.string().min(1).optional(),
      namespace: z.string().min(1).optional(),
      completions: z.number().int().min(1).max(100_000).optional(),
      parallelism: z.number().int().min(1).max(100_000).optional(),
      cpu: z.string().min(1).default('1'),
      memory: z.string().min(1).default('2Gi'),
      pvc: z.string().min(1).optional(),
    })
    .optional(),
});

export type Plan = z.output<typeof PLAN_SCHEMA>;

export function parseTrace(t: string): { kind: TraceKind; file: string } | null {
  const eq = t.indexOf('=');
  const kind = eq < 0 ? t : t.slice(0, eq);
  if (!(TRACE_KINDS as readonly string[]).includes(kind)) return null;
  return { kind: kind as TraceKind, file: eq < 0 ? defaultTraceFile(kind as TraceKind) : t.slice(eq + 1) };
}

/** Reads and validates a plan file (.json, .yaml, .yml); errors name the file and the field. */
export function loadPlan(file: string): { plan: Plan; file: string; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read the plan (${fsReason(e)})`);
  }
  // A byte-order mark is accepted here as in every other input (CSV, JSON).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data: unknown;
  if (/\.ya?ml$/i.test(file)) {
    try {
      data = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
    } catch (e) {
      // `file:line:` like every other input (js-yaml's mark is 0-based).
      const y = e as { reason?: string; mark?: { line?: number }; message: string };
      const line = typeof y.mark?.line === 'number' ? `:${y.mark.line + 1}` : '';
      throw new UsageError(`${file}${line}: not valid YAML: ${y.reason ?? y.message.split('\n')[0]}`);
    }
  } else if (/\.json$/i.test(file)) {
    data = parseJsonText(text, file);
  } else throw new UsageError(`${file}: a plan is a .json, .yaml or .yml file`);
  refuseProtoKeys(data, file);
  const r = PLAN_SCHEMA.safeParse(data);
  if (!r.success) throw new UsageError(`${file}: ${formatIssues(r.error, 5)}`);
  const plan = r.data;
  if (plan.grid.policy.length + plan.grid.agent.length === 0)
    throw new UsageError(`${file}: field 'grid': list at least one 'policy' or 'agent'`);
  // Relative files in a plan are relative to the plan's folder, so a plan works from any cwd.
  const base = path.dirname(path.resolve(file));
  const abs = (p: string): string => (path.isAbsolute(p) ? p : path.resolve(base, p));
  plan.grid.trace = plan.grid.trace.map((t) => {
    const eq = t.indexOf('=');
    return eq < 0 ? t : `${t.slice(0, eq)}=${abs(t.slice(eq + 1))}`;
  });
  plan.grid.cluster = plan.grid.cluster.map((c) => (c.toLowerCase().endsWith('.json') ? abs(c) : c));
  plan.grid.agent = plan.grid.agent.map(abs);
  return { plan, file, text };
}

/** What a cell runs. Field order is fixed: the content hash is over this object's JSON. */
export interface CellSpec {
  trace: string;
  cluster: string;
  arrivalScale: number;
  jobs: number;
  /** 'policy:<name>' or 'agent:<folder>'. */
  scheduler: string;
  seed: number;
}

export interface Cell {
  /** Position in the plan's order (shards take index mod N). */
  index: number;
  spec: CellSpec;
  /** Hex content hash: names the cell folder. */
  hash: string;
  /** The spec without the seed: cells that differ only by seed are merged into one row. */
  group: string;
}

/** Version of what a cell computes: bump when a cell's result would change for the same inputs. */
export const CELL_VERSION = 1;

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of every file under `dir` (relative names and contents, sorted). */
function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(path.relative(dir, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** Content hashes of the inputs the cells read: trace files, cluster files, agent checkpoints. */
export function inputHashes(plan: Plan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of plan.grid.trace) {
    if (t === 'embedded') continue;
    const { file } = parseTrace(t)!;
    if (!existsSync(file)) throw new UsageError(`trace '${t}': file not found: ${file}`);
    out[`trace:${t}`] = sha256(readFileSync(file));
  }
  for (const c of plan.grid.cluster)
    if (c.toLowerCase().endsWith('.json')) {
      if (!existsSync(c)) throw new UsageError(`cluster file not found: ${c}`);
      out[`cluster:${c}`] = sha256(readFileSync(c));
    }
  for (const a of plan.grid.agent) {
    if (!existsSync(a) || !statSync(a).isDirectory()) throw new UsageError(`agent folder not found: ${a}`);
    out[`agent:${a}`] = hashTree(a);
  }
  return out;
}

/**
 * The plan's cells in a fixed order: trace, cluster, arrivalScale, jobs, scheduler
 * (policies then agents), seed, each in the order the plan lists them.
 */
export function expandPlan(plan: Plan, inputs: Record<string, string> = inputHashes(plan)): Cell[] {
  const g = plan.grid;
  const schedulers = [...g.policy.map((p) => `policy:${p}`), ...g.agent.map((a) => `agent:${a}`)];
  const cells: Cell[] = [];
  for (const trace of g.trace)
    for (const cluster of g.cluster)
      for (const arrivalScale of g.arrivalScale)
        for (const jobs of g.jobs)
          for (const scheduler of schedulers)
            for (const seed of g.seed) {
              const spec: CellSpec = { trace, cluster, arrivalScale, jobs, scheduler, seed };
              const content = {
                v: CELL_VERSION,
                spec,
                options: plan.options,
                trace: trace === 'embedded' ? `embedded:${plan.options.embeddedJobs}` : inputs[`trace:${trace}`],
                cluster: inputs[`cluster:${cluster}`] ?? null,
                agent: scheduler.startsWith('agent:') ? inputs[scheduler] : null,
              };
              const { seed: _seed, ...rest } = spec;
              cells.push({
                index: cells.length,
                spec,
                hash: sha256(JSON.stringify(content)).slice(0, 20),
                group: JSON.stringify(rest),
              });
            }
  const seen = new Set<string>();
  for (const c of cells) {
    if (seen.has(c.hash))
      throw new UsageError(
        `the plan lists the same cell twice (${JSON.stringify(c.spec)}): remove the duplicate value`,
      );
    seen.add(c.hash);
  }
  return cells;
}
