/**
 * The option schemas of every command (issue 7 §2: "validation at every boundary with a
 * schema library", here the CLI). Each command has one table in src/cli/*.ts; args.ts
 * turns it into a strict zod object and into the --help text. These tests check the two
 * agree both ways for every command, that every number has a type and a range, and that
 * the parser's contract holds for arbitrary argv (fast-check).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cli } from '../helpers/cli';
import { mainHelp } from '../../src/cli/main';
import { optionsSchema, parseArgs, type OptionSpecs } from '../../src/cli/args';
import { UsageError } from '../../src/util/errors';
import { START_OPTIONS } from '../../src/cli/start';
import { SIMULATE_OPTIONS } from '../../src/cli/simulate';
import { EVALUATE_OPTIONS } from '../../src/cli/evaluate';
import { TRAIN_OPTIONS } from '../../src/cli/train';
import { EXPLAIN_OPTIONS } from '../../src/cli/explain';
import { POLICIES_OPTIONS } from '../../src/cli/policies';
import { PREDICT_OPTIONS } from '../../src/cli/predict';
import { DEEPRM_OPTIONS, FIG4_OPTIONS } from '../../src/cli/report';
import { GENERATE_SPECS, DEEPRM_REPLAY_SPECS } from '../../src/cli/deeprm';
import { RLSCHED_REPLAY_SPECS, RLSCHED_EVALUATE_SPECS } from '../../src/cli/rlsched';
import { EMIT_SPECS, MERGE_SPECS, RUN_SPECS, STATUS_SPECS } from '../../src/cli/sweep';
import { PACK_OPTIONS, PACK_TRAIN_OPTIONS } from '../../src/cli/pack';
import { EXPORT_OPTIONS } from '../../src/cli/export';

/** Every command line that has options, with its table. */
const TABLES: [argv: string[], specs: OptionSpecs][] = [
  [['start'], START_OPTIONS],
  [['simulate'], SIMULATE_OPTIONS],
  [['evaluate'], EVALUATE_OPTIONS],
  [['train'], TRAIN_OPTIONS],
  [['explain'], EXPLAIN_OPTIONS],
  [['policies'], POLICIES_OPTIONS],
  [['predict'], PREDICT_OPTIONS],
  [['report', 'deeprm'], DEEPRM_OPTIONS],
  [['report', 'deeprm-fig4'], FIG4_OPTIONS],
  [['deeprm', 'generate'], GENERATE_SPECS],
  [['deeprm', 'replay'], DEEPRM_REPLAY_SPECS],
  [['rlsched', 'replay'], RLSCHED_REPLAY_SPECS],
  [['rlsched', 'evaluate'], RLSCHED_EVALUATE_SPECS],
  [['sweep', 'run', 'plan.json'], RUN_SPECS],
  [['sweep', 'merge', 'plan.json'], MERGE_SPECS],
  [['sweep', 'status', 'plan.json'], STATUS_SPECS],
  [['sweep', 'emit', 'plan.json'], EMIT_SPECS],
  [['pack'], PACK_OPTIONS],
  [['pack', 'train'], PACK_TRAIN_OPTIONS],
  [['export'], EXPORT_OPTIONS],
];

test('every command of `lepton --help` has an option table here', () => {
  const commands = [...mainHelp().matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]);
  assert.ok(commands.length >= 10, mainHelp());
  for (const c of commands)
    assert.ok(
      TABLES.some(([argv]) => argv[0] === c),
      `command '${c}' has no option table in this test`,
    );
});

describe('--help lists exactly the options of the schema', () => {
  for (const [argv, specs] of TABLES) {
    test(`lepton ${argv.join(' ')} --help`, async () => {
      const r = await cli([...argv, '--help']);
      assert.equal(r.code, 0, r.err);
      const listed = [...r.out.matchAll(/^ {2}--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]);
      const keys = Object.keys(optionsSchema(specs).shape);
      assert.deepEqual([...listed].sort(), [...keys].sort());
      assert.equal(new Set(listed).size, listed.length, 'an option listed twice');
      // Required options and choices are shown where they are declared.
      for (const [k, s] of Object.entries(specs)) {
        const line = r.out
          .split('\n')
          .find((l) => l.startsWith(`  --${k} `) || l === `  --${k}` || l.startsWith(`  --${k}  `))!;
        if (s.required) assert.match(line, /\(required\)/, `--${k}`);
        for (const c of s.choices ?? []) assert.ok(line.includes(c), `--${k}: choice ${c} not shown in '${line}'`);
      }
    });
  }
});

describe('every option is typed and ranged', () => {
  for (const [argv, specs] of TABLES) {
    test(`lepton ${argv.join(' ')}`, () => {
      for (const [k, s] of Object.entries(specs)) {
        const numeric = s.type === 'number' || (s.type === 'list' && (s.int || s.min !== undefined));
        if (numeric) {
          assert.ok(s.min !== undefined && s.max !== undefined, `--${k}: a number needs min and max`);
          assert.ok(Number.isFinite(s.min) && Number.isFinite(s.max) && s.min! <= s.max!, `--${k}: range`);
          // Integers beyond 2^53 are not exact in a double.
          if (s.int) assert.ok(s.max! <= Number.MAX_SAFE_INTEGER, `--${k}: max beyond 2^53`);
        }
        // Every default passes its own schema (given as text, as a user would).
        if (s.default !== undefined && s.type !== 'boolean') {
          const text = Array.isArray(s.default) ? s.default.join(',') : String(s.default);
          const r = optionsSchema(specs).shape[k].safeParse(text);
          assert.ok(r.success, `--${k}: default '${text}' fails its schema`);
          assert.deepEqual(r.data, s.default, `--${k}: default does not round-trip`);
        }
        if (s.required) assert.equal(s.default, undefined, `--${k}: required with a default`);
      }
    });
  }
});

describe('refused with exit 2 and the option named, for every command', () => {
  for (const [argv, specs] of TABLES) {
    test(`lepton ${argv.join(' ')}`, async () => {
      for (const bad of ['--__proto__', '--constructor', '--toString', '--hasOwnProperty', '--no-such-option']) {
        const r = await cli([...argv, bad, 'x']);
        assert.equal(r.code, 2, `${bad}: ${r.err}`);
        assert.match(r.err, new RegExp(`unknown option '${bad}'`));
      }
      const r = await cli([...argv, '--help', '--help']);
      assert.equal(r.code, 2);
      assert.match(r.err, /option '--help' given twice/);
      for (const [k, s] of Object.entries(specs)) {
        if (s.type === 'number') {
          const r2 = await cli([...argv, `--${k}`, String(s.max! + 1)]);
          assert.equal(r2.code, 2, `--${k} ${s.max! + 1}: ${r2.err}`);
          assert.match(r2.err, new RegExp(`option '--${k}' expects an? (integer|number)`));
        }
        if (s.choices) {
          const r3 = await cli([...argv, `--${k}`, 'not-a-choice']);
          assert.equal(r3.code, 2);
          assert.match(r3.err, new RegExp(`option '--${k}' (must be|has an item that is not) one of`));
        }
      }
    });
  }
});

describe('parseArgs on a hand-written table', () => {
  const specs: OptionSpecs = {
    n: { type: 'number', int: true, min: 1, max: 10, unit: 'jobs', help: 'n', default: 3 },
    x: { type: 'number', gt: 0, min: 0, max: 2, help: 'x' },
    mode: { type: 'string', choices: ['a', 'b'], help: 'mode', default: 'a' },
    ids: { type: 'list', int: true, min: 0, max: 9, help: 'ids' },
    names: { type: 'list', help: 'names' },
    out: { type: 'string', arg: 'DIR', help: 'out', required: true },
    flag: { type: 'boolean', help: 'flag' },
    help: { type: 'boolean', help: 'help' },
  };
  const err = (argv: string[]): string => {
    try {
      parseArgs(argv, specs, 'cmd');
    } catch (e) {
      assert.ok(e instanceof UsageError, String(e));
      return e.message;
    }
    assert.fail(`accepted: ${argv.join(' ')}`);
  };

  test('values are typed, defaults applied, = and space forms agree', () => {
    assert.deepEqual(parseArgs(['--out', 'd'], specs, 'cmd'), { n: 3, mode: 'a', out: 'd' });
    assert.deepEqual(
      parseArgs(['--out=d', '--n=10', '--x', '0.5', '--ids', '0, 9', '--names=p,q', '--flag'], specs, 'cmd'),
      {
        n: 10,
        x: 0.5,
        mode: 'a',
        ids: [0, 9],
        names: ['p', 'q'],
        out: 'd',
        flag: true,
      },
    );
    assert.equal(parseArgs(['--out', 'd', '--flag=false'], specs, 'cmd').flag, false);
    // --help needs no required option.
    assert.equal(parseArgs(['--help'], specs, 'cmd').help, true);
  });

  test('exact messages', () => {
    assert.equal(err(['--n', '11', '--out', 'd']), "cmd: option '--n' expects an integer in [1, 10] jobs, got '11'");
    assert.equal(err(['--n', '2.5', '--out', 'd']), "cmd: option '--n' expects an integer in [1, 10] jobs, got '2.5'");
    assert.equal(err(['--n', '0x3', '--out', 'd']), "cmd: option '--n' expects a number, got '0x3'");
    assert.equal(err(['--n', '', '--out', 'd']), "cmd: option '--n' expects a number, got ''");
    assert.equal(err(['--x', '0', '--out', 'd']), "cmd: option '--x' expects a number > 0 in [0, 2], got '0'");
    assert.equal(err(['--mode', 'c', '--out', 'd']), "cmd: option '--mode' must be one of a, b, got 'c'");
    assert.equal(
      err(['--ids', '1,x', '--out', 'd']),
      "cmd: option '--ids' expects a comma list, each item an integer in [0, 9], got '1,x'",
    );
    assert.equal(
      err(['--names', 'p,', '--out', 'd']),
      "cmd: option '--names' has an empty item (a comma list, e.g. a,b), got 'p,'",
    );
    assert.equal(err([]), "cmd: option '--out DIR' is required");
    assert.equal(
      err(['--out', 'd', '--flag=yes']),
      "cmd: option '--flag' is a flag: use --flag or --flag=false, got '--flag=yes'",
    );
    assert.equal(err(['--out', 'd', '--out', 'e']), "cmd: option '--out' given twice (give it once)");
    assert.equal(err(['--out']), "cmd: option '--out' needs a value (DIR)");
    assert.equal(err(['--out', '--flag']), "cmd: option '--out' needs a value (DIR)");
    assert.equal(err(['d']), "cmd: unexpected argument 'd' (see --help)");
    assert.match(err(['--outt', 'd']), /^cmd: unknown option '--outt'\. Known options: --n, --x, --mode/);
  });

  test('a number is accepted exactly when it is an integer in range (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -100, max: 100 }), fc.double({ noNaN: true })), (v) => {
        const ok = Number.isInteger(v) && v >= 1 && v <= 10;
        let got: number | undefined;
        try {
          got = parseArgs(['--out', 'd', '--n', String(v)], specs, 'cmd').n as number;
        } catch (e) {
          assert.ok(e instanceof UsageError);
        }
        assert.equal(got !== undefined, ok, `--n ${v}`);
        if (ok) assert.equal(got, v);
      }),
    );
  });

  test('arbitrary argv: a typed result or a UsageError, never anything else (property)', () => {
    const token = fc.oneof(
      fc.constantFrom('--n', '--x', '--mode', '--ids', '--names', '--out', '--flag', '--help', '--__proto__', '--'),
      fc.string({ maxLength: 8 }),
      fc.string({ maxLength: 8 }).map((s) => `--${s}`),
      fc
        .tuple(fc.constantFrom('--n=', '--x=', '--flag=', '--ids='), fc.string({ maxLength: 6 }))
        .map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
        try {
          const a = parseArgs(argv, specs, 'cmd');
          assert.ok(a.help === true || typeof a.out === 'string');
          if (a.n !== undefined) assert.ok(Number.isInteger(a.n) && (a.n as number) >= 1 && (a.n as number) <= 10);
          assert.ok(!Object.prototype.hasOwnProperty.call(a, '__proto__'));
          for (const k of Object.keys(a)) assert.ok(Object.prototype.hasOwnProperty.call(specs, k), k);
        } catch (e) {
          assert.ok(e instanceof UsageError, `${argv.join(' ')}: ${String(e)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
