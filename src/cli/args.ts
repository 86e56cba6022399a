import { UsageError } from '../util/errors';

/** Declares one command-line option: its type, default and help line. */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean' | 'list';
  help: string;
  default?: string | number | boolean | string[];
  /** Placeholder shown in help, e.g. "N" or "FILE". */
  arg?: string;
  /** Numbers: must be an integer. */
  int?: boolean;
  /** Numbers: inclusive range (default: any finite number). */
  min?: number;
  max?: number;
  /** Numbers: exclusive lower bound (e.g. a scale factor > 0). */
  gt?: number;
  /** Unit named in messages ("s", "GPUs"). */
  unit?: string;
  /** Options that may be repeated (the last one wins); by default a repeat is an error. */
  repeatable?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type ParsedArgs = Record<string, string | number | boolean | string[] | undefined>;

/** Checks a number against its spec; a UsageError names the option, range and unit. */
export function checkNumber(command: string, name: string, spec: OptionSpec, v: number, raw: string): number {
  const u = spec.unit ? ` ${spec.unit}` : '';
  const range =
    (spec.int ? 'an integer' : 'a number') +
    (spec.gt !== undefined ? ` > ${spec.gt}` : '') +
    (spec.min !== undefined && spec.max !== undefined
      ? ` in [${spec.min}, ${spec.max}]`
      : spec.min !== undefined
        ? ` >= ${spec.min}`
        : spec.max !== undefined
          ? ` <= ${spec.max}`
          : '') +
    u;
  const ok =
    Number.isFinite(v) &&
    (!spec.int || Number.isInteger(v)) &&
    (spec.min === undefined || v >= spec.min) &&
    (spec.max === undefined || v <= spec.max) &&
    (spec.gt === undefined || v > spec.gt);
  if (!ok) throw new UsageError(`${command}: option '--${name}' expects ${range}, got '${raw}'`);
  return v;
}

/** Plain decimal numbers only (Number() would also take '0x10', '' and ' '). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses `--name value`, `--name=value` and `--flag` (`--flag=true|false`). Unknown
 * options, repeated options, empty lists and missing or malformed values are
 * UsageErrors that name the option, so typos never pass silently.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs, command: string): ParsedArgs {
  const out: ParsedArgs = {};
  const given = new Set<string>();
  for (const [k, s] of Object.entries(specs)) if (s.default !== undefined) out[k] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new UsageError(`${command}: unexpected argument '${a}' (see --help)`);
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs)
        .map((k) => '--' + k)
        .join(', ');
      throw new UsageError(`${command}: unknown option '--${name}'. Known options: ${known}`);
    }
    if (given.has(name) && !spec.repeatable)
      throw new UsageError(`${command}: option '--${name}' given twice (give it once)`);
    given.add(name);
    if (spec.type === 'boolean') {
      const v = eq >= 0 ? a.slice(eq + 1) : 'true';
      if (v !== 'true' && v !== 'false')
        throw new UsageError(`${command}: option '--${name}' is a flag: use --${name} or --${name}=false, not '${a}'`);
      out[name] = v === 'true';
      continue;
    }
    const raw = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--')))
      throw new UsageError(`${command}: option '--${name}' needs a value (${spec.arg ?? spec.type})`);
    if (spec.type === 'number') {
      const t = raw.trim();
      const v = Number(t);
      if (!DECIMAL.test(t) || !Number.isFinite(v))
        throw new UsageError(`${command}: option '--${name}' expects a number, got '${raw}'`);
      out[name] = checkNumber(command, name, spec, v, raw);
    } else if (spec.type === 'list') {
      const items = raw.split(',').map((x) => x.trim());
      if (items.some((x) => x.length === 0))
        throw new UsageError(`${command}: option '--${name}' has an empty item in '${raw}' (a comma list, e.g. a,b)`);
      out[name] = items;
    } else {
      if (raw.length === 0) throw new UsageError(`${command}: option '--${name}' needs a non-empty value`);
      out[name] = raw;
    }
  }
  return out;
}

/** Help text: usage line, description, and one aligned line per option. */
export function formatHelp(usage: string, description: string, specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([k, s]) => {
    const left = `  --${k}${s.type === 'boolean' ? '' : ' ' + (s.arg ?? s.type.toUpperCase())}`;
    const def = s.default !== undefined && s.default !== false ? ` (default: ${String(s.default)})` : '';
    return [left, s.help + def] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length), 10) + 2;
  return `Usage: ${usage}\n\n${description}\n\nOptions:\n${rows.map(([l, r]) => l.padEnd(w) + r).join('\n')}\n`;
}
