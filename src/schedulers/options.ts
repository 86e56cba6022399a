import { UsageError } from '../util/errors';

/**
 * Typed option schemas of the policies. Each registry entry declares the options its
 * factory reads (kind, default, bounds, one help line), so the command line and
 * `--config` files only forward `{ policy: { option: value } }`: this module checks the
 * names and types against the schema (an unknown option is an error that lists the valid
 * ones, never silently ignored) and parses command-line strings by the declared kind.
 */
export type PolicyOptionSpec =
  | { kind: 'number'; default: number; min?: number; exclusiveMin?: boolean; help: string }
  | { kind: 'numbers'; default: readonly number[]; help: string }
  | { kind: 'boolean'; default: boolean; help: string }
  | { kind: 'choice'; default: string; choices: readonly string[]; help: string };

export type PolicyOptionSchema = Readonly<Record<string, PolicyOptionSpec>>;

/** Options per policy name, as forwarded by the CLI / config. */
export type PolicyOptions = Record<string, Record<string, unknown>>;

function describe(spec: PolicyOptionSpec): string {
  switch (spec.kind) {
    case 'number':
      return `a number${spec.min !== undefined ? (spec.exclusiveMin ? ` > ${spec.min}` : ` >= ${spec.min}`) : ''}`;
    case 'numbers':
      return 'a list of numbers (JSON array, or a:b:c on the command line)';
    case 'boolean':
      return 'true or false';
    case 'choice':
      return `one of ${spec.choices.join(', ')}`;
  }
}

/** Checks `opts` against the policy's schema; returns them unchanged. UsageError names policy, option and expected type. */
export function validatePolicyOptions(
  policy: string,
  schema: PolicyOptionSchema,
  opts: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts))
    throw new UsageError(`options of policy '${policy}' must be an object of option: value`);
  for (const [k, v] of Object.entries(opts)) {
    const spec = Object.prototype.hasOwnProperty.call(schema, k) ? schema[k] : undefined;
    if (!spec) {
      const valid = Object.keys(schema);
      throw new UsageError(
        `policy '${policy}' has no option '${k}'` +
          (valid.length ? `; its options: ${valid.join(', ')}` : '; it takes no options'),
      );
    }
    const bad = (): never => {
      throw new UsageError(`policy '${policy}' option '${k}' must be ${describe(spec)} (got ${JSON.stringify(v)})`);
    };
    switch (spec.kind) {
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) bad();
        if (spec.min !== undefined && (spec.exclusiveMin ? !((v as number) > spec.min) : !((v as number) >= spec.min)))
          bad();
        break;
      case 'numbers':
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) bad();
        break;
      case 'boolean':
        if (typeof v !== 'boolean') bad();
        break;
      case 'choice':
        if (typeof v !== 'string' || !spec.choices.includes(v)) bad();
        break;
    }
  }
  return opts;
}

/** A command-line string parsed by the option's declared kind. */
export function parseOptionValue(policy: string, name: string, spec: PolicyOptionSpec, raw: string): unknown {
  const fail = (): never => {
    throw new UsageError(`--policy-opt ${policy}.${name}=${raw}: expected ${describe(spec)}`);
  };
  const num = (s: string): number => {
    const x = Number(s);
    if (s.trim() === '' || !Number.isFinite(x)) fail();
    return x;
  };
  switch (spec.kind) {
    case 'number':
      return num(raw);
    case 'numbers':
      return raw.trim() === '' ? [] : raw.split(':').map(num);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') fail();
      return raw === 'true';
    case 'choice':
      return raw;
  }
}

/**
 * Parses `policy.option=value` items (from `--policy-opt`) into per-policy options, using
 * each policy's schema for the value's kind. `schemaOf` returns undefined for an unknown policy.
 */
export function parsePolicyOptionArgs(
  items: readonly string[],
  schemaOf: (policy: string) => PolicyOptionSchema | undefined,
  into: PolicyOptions = {},
): PolicyOptions {
  // Values from a --config file may be overridden, but one command line sets an option once.
  const given = new Set<string>();
  for (const item of items) {
    const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)=(.*)$/.exec(item);
    if (!m)
      throw new UsageError(
        `--policy-opt '${item}': expected POLICY.OPTION=VALUE (e.g. tiresias.thresholds=3600:36000)`,
      );
    const [, policy, name, raw] = m;
    if (given.has(`${policy}.${name}`))
      throw new UsageError(`--policy-opt sets ${policy}.${name} twice (give it once)`);
    given.add(`${policy}.${name}`);
    const schema = schemaOf(policy);
    if (!schema) throw new UsageError(`--policy-opt '${item}': unknown policy '${policy}'`);
    const spec = Object.prototype.hasOwnProperty.call(schema, name) ? schema[name] : undefined;
    if (!spec) validatePolicyOptions(policy, schema, { [name]: raw }); // throws: lists the valid options
    const value = parseOptionValue(policy, name, spec!, raw);
    (into[policy] ??= {})[name] = value;
    validatePolicyOptions(policy, schema, into[policy]);
  }
  return into;
}
