import { UsageError } from '../util/errors';

/** Declares one command-line option: its type, default and help line. */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean' | 'list';
  help: string;
  default?: string | number | boolean | string[];
  /** Placeholder shown in help, e.g. "N" or "FILE". */
  arg?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type ParsedArgs = Record<string, string | number | boolean | string[] | undefined>;

/**
 * Parses `--name value`, `--name=value` and `--flag`. Unknown options and missing or
 * malformed values are UsageErrors that name the option, so typos never pass silently.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs, command: string): ParsedArgs {
  const out: ParsedArgs = {};
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
    if (spec.type === 'boolean') {
      out[name] = eq >= 0 ? a.slice(eq + 1) !== 'false' : true;
      continue;
    }
    const raw = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--')))
      throw new UsageError(`${command}: option '--${name}' needs a value (${spec.arg ?? spec.type})`);
    if (spec.type === 'number') {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v))
        throw new UsageError(`${command}: option '--${name}' expects a number, got '${raw}'`);
      out[name] = v;
    } else if (spec.type === 'list') {
      out[name] = raw
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0);
    } else out[name] = raw;
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
