/**
 * The README test: every shell command in README.md's ```bash blocks runs verbatim, in README order,
 * from the repository root, and must exit 0. CI runs it on its fresh clone (.ci/run, step "README
 * commands"); it fails as soon as a documented command breaks.
 *
 * Small settings (documented in README.md, "The command line"): this script sets
 * LEPTON_TRAIN_ITERATIONS (default 2; `lepton train` reads it as the default of --iterations), so the
 * two training commands take seconds instead of the ~20 minutes of a real run. Nothing else is changed.
 *
 * Commands that cannot run as written in CI are in SPECIAL, each with the reason and the check that
 * replaces it; a SPECIAL entry that no longer matches a README command is an error (the list cannot
 * rot), and a README command that is neither run nor listed cannot exist: every command is one or the other.
 *
 * Files the commands write (results/start/, jobs.json, …) are removed at the end unless --keep: only
 * paths that `git status --ignored` did not list before the run. A command that modifies a committed
 * file fails the test.
 *
 * Usage: npx tsx scripts/readme-test.ts [--list] [--keep] [--only SUBSTRING] [--timeout SECONDS] [--readme FILE]
 * (--readme: another markdown file, for the test of this script; SPECIAL is checked against README.md only)
 * Exit 0 = every command passed, 1 = a command failed (its log tail is printed; full logs in
 * test-artefacts/readme/), 2 = bad usage or README.md unreadable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitForHttp } from './lab-server';

const ROOT = path.resolve(__dirname, '..');
const ARTEFACTS = path.join(ROOT, 'test-artefacts', 'readme');

/** Settings of the run (CLI flags override). */
const README_TEST_DEFAULTS = {
  /** Per-command limit: the slowest README command (npm install && npm start) takes ~3 min here. */
  timeoutSeconds: 1200,
  /** `lepton train` iterations in CI (LEPTON_TRAIN_ITERATIONS). */
  trainIterations: 2,
  /** How long `npm run lab` may take to answer HTTP. */
  labStartSeconds: 180,
};

interface Special {
  /** Why the command cannot run verbatim here. */
  reason: string;
  /** What runs instead; resolves to an error message, or null when the check passed. */
  check: (log: (s: string) => void) => Promise<string | null>;
}

/** Keys: the command as README.md writes it (after joining `\` continuations, comments included). */
export const SPECIAL: Record<string, Special> = {
  'npm test                     # the test suite (node:test via tsx)': {
    reason: 'the whole suite: .ci/run runs it verbatim in its own step just before this one',
    check: async () =>
      /^npm test$/m.test(readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8'))
        ? null
        : '.ci/run no longer runs `npm test`',
  },
  'npm run lab                       # JupyterLab (as root too); add -- --no-browser --ip=127.0.0.1 on a server': {
    reason: 'a server that runs until stopped',
    check: checkLab,
  },
};

/** Commands of README.md's ```bash blocks: continuation lines joined, blank and comment-only lines dropped. */
export function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  const blocks = markdown.matchAll(/^```bash\n([\s\S]*?)^```$/gm);
  for (const b of blocks) {
    let pending = '';
    for (const raw of b[1].split('\n')) {
      const line = pending ? pending + ' ' + raw.trim() : raw.trimEnd();
      if (line.endsWith('\\')) {
        pending = line.slice(0, -1).trimEnd();
        continue;
      }
      pending = '';
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      commands.push(line.trim());
    }
    if (pending) commands.push(pending.trim());
  }
  return commands;
}

/** `npm run lab` with the README's server flags: JupyterLab must answer HTTP, then it is stopped. */
async function checkLab(log: (s: string) => void): Promise<string | null> {
  const port = await freePort();
  const cmd = `npm run lab -- --no-browser --ip=127.0.0.1 --port=${port} --ServerApp.token=''`;
  log(`$ ${cmd}\n`);
  // The watcher is not what this checks, and it would compile dist/ once more (LEPTON_LAB_WATCH: scripts/lab.sh).
  const child = spawn('bash', ['-c', cmd], {
    cwd: ROOT,
    env: { ...process.env, LEPTON_LAB_WATCH: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (d: Buffer) => log(d.toString()));
  child.stderr.on('data', (d: Buffer) => log(d.toString()));
  try {
    await waitForHttp(
      `http://127.0.0.1:${port}/lab`,
      child,
      README_TEST_DEFAULTS.labStartSeconds * 1000,
      'npm run lab',
    );
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

/** Runs one command in bash from the repository root; resolves to its exit code (null: killed at the timeout). */
function runCommand(
  cmd: string,
  env: NodeJS.ProcessEnv,
  timeoutS: number,
  log: (s: string) => void,
): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', cmd], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout.on('data', (d: Buffer) => log(d.toString()));
    child.stderr.on('data', (d: Buffer) => log(d.toString()));
    const timer = setTimeout(() => {
      log(`\n[readme-test] timeout after ${timeoutS} s: killing the command\n`);
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutS * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Paths `git status` lists (untracked and ignored ones, and modified tracked files with their status). */
function gitStatus(): Map<string, string> {
  const r = spawnSync('git', ['status', '--porcelain=v1', '--ignored', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git status failed: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const entry of r.stdout.split('\0')) if (entry.length > 3) out.set(entry.slice(3), entry.slice(0, 2));
  return out;
}

function usage(msg: string): never {
  process.stderr.write(
    `readme-test: ${msg}\nusage: npx tsx scripts/readme-test.ts [--list] [--keep] [--only SUBSTRING] [--timeout SECONDS] [--readme FILE]\n`,
  );
  process.exit(2);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let list = false;
  let keep = false;
  let only: string | undefined;
  let readmeFile = path.join(ROOT, 'README.md');
  let timeoutS = README_TEST_DEFAULTS.timeoutSeconds;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--list') list = true;
    else if (a === '--keep') keep = true;
    else if (a === '--only') only = args[++i] ?? usage('--only needs a substring');
    else if (a === '--readme') readmeFile = path.resolve(args[++i] ?? usage('--readme needs a file'));
    else if (a === '--timeout') {
      timeoutS = Number(args[++i]);
      if (!(timeoutS > 0)) usage('--timeout needs a positive number of seconds');
    } else usage(`unknown argument '${a}'`);
  }
  let readme: string;
  try {
    readme = readFileSync(readmeFile, 'utf8');
  } catch (e) {
    return usage(`cannot read ${readmeFile}: ${(e as Error).message}`);
  }
  const commands = readmeCommands(readme);
  const isReadme = readmeFile === path.join(ROOT, 'README.md');
  const stale = isReadme ? Object.keys(SPECIAL).filter((k) => !commands.includes(k)) : [];
  if (stale.length > 0) {
    process.stderr.write(
      `readme-test: SPECIAL entries that match no README command (update scripts/readme-test.ts):\n${stale.map((s) => `  ${s}\n`).join('')}`,
    );
    return 1;
  }
  const selected = commands.filter((c) => only === undefined || c.includes(only));
  if (list) {
    for (const c of selected) process.stdout.write(`${SPECIAL[c] ? '[special] ' : ''}${c}\n`);
    return 0;
  }
  mkdirSync(ARTEFACTS, { recursive: true });
  const before = gitStatus();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEPTON_TRAIN_ITERATIONS: process.env.LEPTON_TRAIN_ITERATIONS ?? String(README_TEST_DEFAULTS.trainIterations),
  };
  process.stdout.write(
    `README test: ${selected.length} commands from README.md (LEPTON_TRAIN_ITERATIONS=${env.LEPTON_TRAIN_ITERATIONS}); logs in ${path.relative(ROOT, ARTEFACTS)}/\n`,
  );
  const failures: string[] = [];
  let failed = 0;
  const t00 = Date.now();
  for (const [i, cmd] of selected.entries()) {
    const logFile = path.join(ARTEFACTS, `${String(i + 1).padStart(2, '0')}.log`);
    const stream = createWriteStream(logFile);
    let tail = '';
    const log = (s: string): void => {
      stream.write(s);
      tail = (tail + s).slice(-3000);
    };
    const t0 = Date.now();
    const special = SPECIAL[cmd];
    let problem: string | null;
    if (special) {
      log(`[readme-test] ${cmd}\n[readme-test] not run verbatim: ${special.reason}\n`);
      problem = await special.check(log);
    } else {
      log(`$ ${cmd}\n`);
      const code = await runCommand(cmd, env, timeoutS, log);
      problem = code === 0 ? null : code === null ? `killed after ${timeoutS} s` : `exit code ${code}`;
    }
    await new Promise((r) => stream.end(r));
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const shown = cmd.length > 110 ? cmd.slice(0, 107) + '...' : cmd;
    process.stdout.write(
      `${problem ? 'FAIL' : 'ok  '} ${secs.padStart(6)} s  ${special ? '[special] ' : ''}${shown}\n`,
    );
    if (problem) {
      failed++;
      failures.push(`${cmd}\n  -> ${problem} (log: ${path.relative(ROOT, logFile)})`);
      process.stdout.write(`---- last output ----\n${tail}\n---------------------\n`);
    }
  }
  const after = gitStatus();
  for (const [p, st] of after)
    if (!st.startsWith('?') && !st.startsWith('!') && before.get(p) !== st)
      failures.push(`a README command modified the committed file ${p} (git status '${st}')`);
  const created = [...after.keys()].filter((p) => !before.has(p) && (after.get(p) === '??' || after.get(p) === '!!'));
  if (keep) process.stdout.write(`kept ${created.length} new paths: ${created.join(' ')}\n`);
  else for (const p of created) rmSync(path.join(ROOT, p), { recursive: true, force: true });
  process.stdout.write(
    `\nREADME test: ${selected.length - failed}/${selected.length} commands passed in ${((Date.now() - t00) / 1000).toFixed(0)} s\n`,
  );
  if (failures.length > 0) {
    process.stdout.write(`failed:\n${failures.map((f) => `  ${f}\n`).join('')}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`readme-test: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(2);
    },
  );
}
