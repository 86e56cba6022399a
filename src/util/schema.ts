/**
 * Validation at the input boundaries with zod: every JSON input (cluster files,
 * JOBS.json, `train --config`, checkpoints) has a schema with a type, a range and a
 * unit per number, and unknown keys are errors at any depth (strict objects), so a
 * typo or a `__proto__` never passes silently.
 */
import { z } from 'zod';
import { UsageError } from './errors';

export { z };

/** `nodes[2].gpus` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(root)';
}

/** One line per issue (at most `max`), each `field 'path': message`. */
export function formatIssues(error: z.ZodError, max = 3): string {
  const lines = error.issues.slice(0, max).map((iss) => {
    if (iss.code === 'unrecognized_keys') {
      const keys = (iss as { keys: string[] }).keys;
      const at = iss.path.length ? ` in '${formatPath(iss.path)}'` : '';
      return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}${at}`;
    }
    return `field '${formatPath(iss.path)}': ${iss.message}`;
  });
  const more = error.issues.length - max;
  return lines.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

/**
 * The path of the first own `__proto__` key in parsed data (JSON.parse and js-yaml make
 * it an ordinary key), or null. A strict object refuses it as unknown, but a record
 * (`z.record`) would assign it and so change the prototype of its output, silently
 * dropping the entry; so it is refused before any schema runs.
 */
export function findProtoKey(data: unknown, at: PropertyKey[] = [], depth = 0): PropertyKey[] | null {
  if (typeof data !== 'object' || data === null || depth > 64) return null;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      const p = findProtoKey(data[i], [...at, i], depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (Object.prototype.hasOwnProperty.call(data, '__proto__')) return [...at, '__proto__'];
  for (const [k, v] of Object.entries(data)) {
    const p = findProtoKey(v, [...at, k], depth + 1);
    if (p) return p;
  }
  return null;
}

/** Throws a UsageError naming the first `__proto__` key in `data`. */
export function refuseProtoKeys(data: unknown, where: string): void {
  const p = findProtoKey(data);
  if (p) {
    const parent = p.slice(0, -1);
    throw new UsageError(`${where}: unknown key '__proto__'${parent.length ? ` in '${formatPath(parent)}'` : ''}`);
  }
}

/** Validates `data`; a failure is a UsageError `<where>: <issues>`. */
export function validate<S extends z.ZodType>(schema: S, data: unknown, where: string): z.output<S> {
  refuseProtoKeys(data, where);
  const r = schema.safeParse(data);
  if (!r.success) throw new UsageError(`${where}: ${formatIssues(r.error)}`);
  return r.data;
}

/** A received value for a message: JSON, capped. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 60 ? s.slice(0, 60) + '…' : s;
}

function ranged(base: z.ZodNumber, min: number, max: number, desc: string): z.ZodNumber {
  const msg = (i: { input: unknown }): string => `must be ${desc} (${show(i.input)})`;
  return base.min(min, { error: msg }).max(max, { error: msg });
}

/** An integer in [min, max], with its unit named in messages. */
export function int(min: number, max: number, unit = ''): z.ZodNumber {
  const desc = `an integer in [${min}, ${max}]${unit ? ' ' + unit : ''}`;
  const msg = (i: { input: unknown }): string => `must be ${desc} (${show(i.input)})`;
  return ranged(z.number({ error: msg }).int({ error: msg }), min, max, desc);
}

/** A finite real in [min, max] (a JSON number; zod refuses NaN and ±Infinity). */
export function real(min: number, max: number, unit = ''): z.ZodNumber {
  const desc = `a number in [${min}, ${max}]${unit ? ' ' + unit : ''}`;
  const msg = (i: { input: unknown }): string => `must be ${desc} (${show(i.input)})`;
  return ranged(z.number({ error: msg }), min, max, desc);
}
