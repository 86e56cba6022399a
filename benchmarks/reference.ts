/**
 * The reference build of the benchmark gate: the baseline's git revision, extracted and
 * compiled beside the working tree, so that `npm run bench` measures the reference and the
 * code under test in the same run, process after process (docs/benchmarks.md, "Side by side").
 *
 * Why: a ratio to a calibration loop does not cancel every difference between two moments
 * of a shared virtual machine. Between a loaded and a quiet spell the calibration loop's own
 * speed moved 3× and memory-bound cases moved differently from it (the quiet-machine figure
 * of `philly-overload/fifo` was +57 % over a loaded baseline, a CI run's −40 %). Measured
 * side by side, both builds see the same machine, and only the code differs.
 *
 * The build is `git archive REV` into `<tmpdir>/lepton-bench-ref-<rev>/`, the working tree's
 * node_modules symlinked in, compiled with the working tree's TypeScript (tsconfig.build.json
 * of the revision). It is cached: later runs with the same revision reuse it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ReferenceBuild {
  /** Full commit hash. */
  revision: string;
  /** Folder of the extracted, compiled revision. */
  dir: string;
  /** Its compiled benchmark worker. */
  worker: string;
  /** Seconds spent extracting and compiling (0 when the cached build was reused). */
  buildSeconds: number;
}

/** Marker written last: a folder without it is an interrupted build and is rebuilt. */
const BUILT_MARK = '.lepton-bench-reference';

/**
 * Environment variables that change the code under test (src/sim/simulator.ts's
 * deliberate slow-down): they reach the working tree's processes, never the reference's.
 */
export const TEST_ONLY_ENV = ['LEPTON_SLOW_EVENT_LOOP'] as const;

function run(cmd: string, args: readonly string[], cwd: string, okStatus: readonly number[] = [0]): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status === null || !okStatus.includes(r.status))
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  return r.stdout;
}

/** Resolves REV to a full commit hash of the repository at `root`; throws when the clone lacks it. */
export function resolveRevision(root: string, rev: string): string {
  try {
    return run('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], root).trim();
  } catch {
    throw new Error(
      `reference revision '${rev}' is not a commit of this clone (a shallow clone? fetch it, or pass --reference none to compare with the stored figures)`,
    );
  }
}

/** Extracts and compiles `revision` (a full hash), or reuses an earlier build of it. */
export function prepareReference(root: string, revision: string, log: (line: string) => void): ReferenceBuild {
  const dir = path.join(os.tmpdir(), `lepton-bench-ref-${revision.slice(0, 16)}`);
  const worker = path.join(dir, 'dist', 'benchmarks', 'worker.js');
  const done = (buildSeconds: number): ReferenceBuild => ({ revision, dir, worker, buildSeconds });
  if (fs.existsSync(path.join(dir, BUILT_MARK)) && fs.existsSync(worker)) return done(0);
  const t0 = Date.now();
  log(`  building the reference ${revision.slice(0, 10)} in ${dir} (git archive + tsc)`);
  // Built in a private folder and renamed into place: a concurrent or interrupted build never
  // leaves a half-built reference that a later run would trust.
  const tmp = fs.mkdtempSync(`${dir}.tmp-`);
  try {
    const tar = path.join(tmp, 'src.tar');
    run('git', ['archive', '--format=tar', '-o', tar, revision], root);
    run('tar', ['-xf', tar, '-C', tmp], root);
    fs.rmSync(tar);
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    // Exit 2 = type errors with files emitted: an old revision may not type-check against today's
    // node_modules (e.g. newer typed-array typings), yet its JavaScript is what was measured.
    run(process.execPath, [tsc, '-p', path.join(tmp, 'tsconfig.build.json')], tmp, [0, 2]);
    if (!fs.existsSync(path.join(tmp, 'dist', 'benchmarks', 'worker.js')))
      throw new Error(`revision ${revision.slice(0, 10)} has no benchmarks/worker.ts: too old to be a reference`);
    fs.writeFileSync(path.join(tmp, BUILT_MARK), `${revision}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return done(Math.round((Date.now() - t0) / 100) / 10);
}

/** The reference processes' environment: the caller's, without the test-only slow-downs. */
export function referenceEnv(env: NodeJS.ProcessEnv, sharedDir: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, LEPTON_SHARED: sharedDir };
  for (const k of TEST_ONLY_ENV) delete out[k];
  return out;
}
