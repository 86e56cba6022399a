/**
 * Command-line options, validated by a zod schema per command. Each command declares its
 * options once, as an `OptionSpecs` table (type, range, unit, choices, help line);
 * `optionsSchema` turns that table into one strict zod object, and `formatHelp` turns the
 * same table into the help text, so the two cannot drift apart (test/cli/options.test.ts
 * checks every command's --help against its schema, both ways).
 */
import { UsageError } from '../util/errors';
import { z } from '../util/schema';

/** Declares one command-line option: its type, default and help line. */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean' | 'list';
  help: string;
  default?: string | number | boolean | string[] | number[];
  /** Placeholder shown in help, e.g. "N" or "FILE". */
  arg?: string;
  /** Numbers and number lists (a list with `int`, `min` or `max` holds numbers): must be an integer. */
  int?: boolean;
  /** Numbers: inclusive range. Every number option declares both (test/cli/options.test.ts). */
  min?: number;
  max?: number;
  /** Numbers: exclusive lower bound (e.g. a scale factor > 0). */
  gt?: number;
  /** Unit named in messages ("s", "GPUs"). */
  unit?: string;
  /** Strings and list items: the only accepted values. */
  choices?: readonly string[];
  /** Must be given (except with --help). */
  required?: boolean;
  /** Options that may be repeated (the last one wins); by default a repeat is an error. */
  repeatable?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type ParsedArgs = Record<string, string | number | boolean | string[] | number[] | undefined>;

/** "an integer in [0, 4294967295] s": the accepted range of a number option, for messages. */
export function rangeText(spec: OptionSpec): string {
  const u = spec.unit ? ` ${spec.unit}` : '';
  const bounds =
    spec.min !== undefined && spec.max !== undefined
      ? ` in [${spec.min}, ${spec.max}]`
      : spec.min !== undefined
        ? ` >= ${spec.min}`
        : spec.max !== undefined
          ? ` <= ${spec.max}`
          : '';
  return (spec.int ? 'an integer' : 'a number') + (spec.gt !== undefined ? ` > ${spec.gt}` : '') + bounds + u;
}

/** Plain decimal numbers only (Number() would also take '0x10', '' and ' '). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function numberSchema(spec: OptionSpec, error = `expects ${rangeText(spec)}`): z.ZodNumber {
  // zod's number refuses NaN and ±Infinity (e.g. '1e999').
  let n = z.number({ error });
  if (spec.int) n = n.int({ error });
  if (spec.min !== undefined) n = n.gte(spec.min, { error });
  if (spec.max !== undefined) n = n.lte(spec.max, { error });
  if (spec.gt !== undefined) n = n.gt(spec.gt, { error });
  return n;
}

/** Text that must be a plain decimal number, converted. */
function decimal(error: string) {
  return z.string().trim().regex(DECIMAL, { error }).transform(Number);
}

function choiceSchema(choices: readonly string[], what: string): z.ZodType<string, string> {
  return z.string().refine((s) => choices.includes(s), { error: `${what} one of ${choices.join(', ')}` });
}

/**
 * The zod schema of one option: the raw command-line text in ('true'/'false' for a
 * flag), the typed value out. Issue messages are completed by `parseArgs` with the
 * option's name and the raw text.
 */
export function optionValueSchema(name: string, spec: OptionSpec): z.ZodType {
  switch (spec.type) {
    case 'boolean':
      return z
        .string()
        .refine((v) => v === 'true' || v === 'false', { error: `is a flag: use --${name} or --${name}=false` })
        .transform((v) => v === 'true');
    case 'number':
      return decimal('expects a number').pipe(numberSchema(spec));
    case 'list': {
      const numeric = spec.int || spec.min !== undefined || spec.max !== undefined;
      const each = `expects a comma list, each item ${rangeText(spec)}`;
      const item: z.ZodType<unknown, string> = numeric
        ? decimal(each).pipe(numberSchema(spec, each))
        : spec.choices
          ? choiceSchema(spec.choices, 'has an item that is not')
          : z.string().min(1, { error: 'has an empty item (a comma list, e.g. a,b)' });
      return z
        .string()
        .transform((s) => s.split(',').map((x) => x.trim()))
        .pipe(z.array(item));
    }
    case 'string':
      return spec.choices
        ? choiceSchema(spec.choices, 'must be')
        : z.string().min(1, { error: 'needs a non-empty value' });
  }
}

type CommandSchema = z.ZodObject<Record<string, z.ZodType>, z.core.$strict>;
const SCHEMAS = new WeakMap<OptionSpecs, { run: CommandSchema; help: CommandSchema }>();

/**
 * One strict zod object per command: every key an option, typed and ranged; unknown
 * keys are errors; `required` options must be present unless `forHelp` (so `--help`
 * works without them).
 */
export function optionsSchema(specs: OptionSpecs, forHelp = false): CommandSchema {
  let s = SCHEMAS.get(specs);
  if (!s) {
    const build = (help: boolean): CommandSchema =>
      z.strictObject(
        Object.fromEntries(
          Object.entries(specs).map(([name, spec]) => {
            const v = optionValueSchema(name, spec);
            if (spec.default !== undefined) return [name, v.default(spec.default as never)];
            return [name, spec.required && !help ? v : v.optional()];
          }),
        ),
      );
    s = { run: build(false), help: build(true) };
    SCHEMAS.set(specs, s);
  }
  return forHelp ? s.help : s.run;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

export function unknownOption(command: string, name: string, specs: OptionSpecs): UsageError {
  const known = Object.keys(specs)
    .map((k) => '--' + k)
    .join(', ');
  return new UsageError(`${command}: unknown option '--${name}'. Known options: ${known}`);
}

/**
 * Parses `--name value`, `--name=value` and `--flag` (`--flag=true|false`), then validates
 * the whole set with the command's zod schema. Unknown options (`--__proto__` included),
 * repeated options, empty lists, missing required options and missing or malformed
 * values are UsageErrors that name the option and what is expected, so typos never pass
 * silently.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs, command: string): ParsedArgs {
  // The tokenizer needs the spec only to know whether an option takes a value.
  const raw: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new UsageError(`${command}: unexpected argument '${a}' (see --help)`);
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!hasOwn(specs, name)) throw unknownOption(command, name, specs);
    const spec = specs[name];
    if (name in raw && !spec.repeatable)
      throw new UsageError(`${command}: option '--${name}' given twice (give it once)`);
    if (spec.type === 'boolean') {
      raw[name] = eq >= 0 ? a.slice(eq + 1) : 'true';
      continue;
    }
    const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined || (eq < 0 && v.startsWith('--')))
      throw new UsageError(`${command}: option '--${name}' needs a value (${spec.arg ?? spec.type})`);
    raw[name] = v;
  }
  const r = optionsSchema(specs, raw.help === 'true').safeParse(raw);
  if (r.success) return r.data as ParsedArgs;
  // A malformed value is reported before a missing option: it is what the user just typed.
  const iss = r.error.issues.find((i) => raw[String(i.path[0])] !== undefined) ?? r.error.issues[0];
  if (iss.code === 'unrecognized_keys') throw unknownOption(command, iss.keys[0], specs);
  const name = String(iss.path[0]);
  const spec = specs[name];
  if (raw[name] === undefined)
    throw new UsageError(`${command}: option '--${name} ${spec.arg ?? spec.type.toUpperCase()}' is required`);
  const given = spec.type === 'boolean' ? `--${name}=${raw[name]}` : raw[name];
  throw new UsageError(`${command}: option '--${name}' ${iss.message}, got '${given}'`);
}

/** Help text: usage line, description, and one aligned line per option. */
export function formatHelp(usage: string, description: string, specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([k, s]) => {
    const left = `  --${k}${s.type === 'boolean' ? '' : ' ' + (s.arg ?? s.type.toUpperCase())}`;
    const def = s.default !== undefined && s.default !== false ? ` (default: ${String(s.default)})` : '';
    const choices = s.choices && !s.arg?.includes('|') ? ` (one of: ${s.choices.join(', ')})` : '';
    const req = s.required ? ' (required)' : '';
    return [left, s.help + choices + def + req] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length), 10) + 2;
  return `Usage: ${usage}\n\n${description}\n\nOptions:\n${rows.map(([l, r]) => l.padEnd(w) + r).join('\n')}\n`;
}
