/**
 * `lepton deeprm generate|replay`: DeepRM job sets and heuristic replays. The programmatic API is
 * `deeprmGenerate` (deeprm/generate.ts) and `deeprmReplay` (deeprm/replay.ts); this file only parses,
 * calls and prints.
 */
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { UsageError } from '../util/errors';
import { readJsonFile } from '../util/json';
import { writeFileAtomic } from '../util/atomic';
import { deeprmGenerate } from '../deeprm/generate';
import { DEEPRM_DEFAULTS, parseJobsFile } from '../deeprm/params';
import { deeprmReplay, type OutFile, type PolicyResult } from '../deeprm/replay';

export const GENERATE_SPECS: OptionSpecs = {
  rate: {
    type: 'number',
    min: 0,
    max: 1,
    arg: 'R',
    help: 'new_job_rate, probability of a job per time step',
    default: DEEPRM_DEFAULTS.newJobRate,
  },
  'simu-len': {
    type: 'number',
    int: true,
    min: 1,
    max: 10_000_000,
    unit: 'steps',
    arg: 'L',
    help: 'time steps (sequence indices) per job set',
    default: DEEPRM_DEFAULTS.simuLen,
  },
  'num-ex': {
    type: 'number',
    int: true,
    min: 1,
    max: 10_000_000,
    unit: 'job sets',
    arg: 'N',
    help: 'number of job sets (examples)',
    default: DEEPRM_DEFAULTS.numEx,
  },
  seed: {
    type: 'number',
    int: true,
    min: 0,
    max: 4294967295,
    arg: 'S',
    help: 'numpy seed (DeepRM: 42 training, 314159 unseen)',
    default: 42,
  },
  'num-res': {
    type: 'number',
    int: true,
    min: 1,
    max: 64,
    arg: 'N',
    help: 'resource types',
    default: DEEPRM_DEFAULTS.numRes,
  },
  'res-slot': {
    type: 'number',
    int: true,
    min: 1,
    max: 10_000,
    unit: 'units',
    arg: 'N',
    help: 'capacity per resource',
    default: DEEPRM_DEFAULTS.resSlot,
  },
  'max-job-len': {
    type: 'number',
    int: true,
    min: 1,
    max: 10_000,
    unit: 'steps',
    arg: 'N',
    help: 'longest job',
    default: DEEPRM_DEFAULTS.maxJobLen,
  },
  'max-job-size': {
    type: 'number',
    int: true,
    min: 1,
    max: 10_000,
    unit: 'units',
    arg: 'N',
    help: 'largest demand per resource',
    default: DEEPRM_DEFAULTS.maxJobSize,
  },
  'num-nw': {
    type: 'number',
    int: true,
    min: 1,
    max: 10_000,
    unit: 'slots',
    arg: 'M',
    help: 'visible job slots (paper: 10)',
    default: DEEPRM_DEFAULTS.numNw,
  },
  'time-horizon': {
    type: 'number',
    int: true,
    min: 2,
    max: 10_000,
    unit: 'steps',
    arg: 'T',
    help: 'window rows',
    default: DEEPRM_DEFAULTS.timeHorizon,
  },
  'backlog-size': {
    type: 'number',
    int: true,
    min: 0,
    max: 1_000_000,
    unit: 'jobs',
    arg: 'N',
    help: 'backlog capacity (multiple of T)',
    default: DEEPRM_DEFAULTS.backlogSize,
  },
  'episode-max-length': {
    type: 'number',
    int: true,
    min: 1,
    max: 100_000_000,
    unit: 'steps',
    arg: 'N',
    help: 'step cap per episode (decisions)',
    default: DEEPRM_DEFAULTS.episodeMaxLength,
  },
  end: {
    type: 'string',
    arg: 'all_done|no_new_job',
    choices: ['all_done', 'no_new_job'],
    help: 'episode end',
    default: DEEPRM_DEFAULTS.end,
  },
  'max-track-since-new': {
    type: 'number',
    int: true,
    min: 1,
    max: 1_000_000,
    unit: 'steps',
    arg: 'N',
    help: 'saturation of the time-since-last-job feature',
    default: DEEPRM_DEFAULTS.maxTrackSinceNew,
  },
  out: { type: 'string', arg: 'FILE', help: 'output JOBS.json', required: true },
  help: { type: 'boolean', help: 'show this help' },
};

export const DEEPRM_REPLAY_SPECS: OptionSpecs = {
  jobs: { type: 'string', arg: 'FILE', help: 'JOBS.json from `deeprm generate`', required: true },
  policy: {
    type: 'list',
    arg: 'LIST',
    help: 'comma list of sjf, packer, random, tetris[:KNOB] (tetris default knob 0.5)',
    default: ['sjf', 'packer'],
  },
  mode: {
    type: 'string',
    arg: 'compat|fixed',
    choices: ['compat', 'fixed'],
    help: 'compat: original code, quirks included; fixed: bugs removed',
    default: 'compat',
  },
  seed: {
    type: 'number',
    int: true,
    min: 0,
    max: 4294967295,
    arg: 'S',
    help: "numpy seed for Random (default: continue the job set's generator stream as DeepRM does, else 42)",
  },
  out: { type: 'string', arg: 'FILE', help: 'output OUT.json', required: true },
  help: { type: 'boolean', help: 'show this help' },
};

const GENERATE_HELP = formatHelp(
  'lepton deeprm generate --rate R --simu-len L --num-ex N --seed S [options] --out JOBS.json',
  'Writes the job sets DeepRM generates (numpy-exact bimodal small/large mix). Defaults are\n' +
    "parameters.py's; the paper setting (Figure 4) is --simu-len 50 --num-nw 10 --end all_done\n" +
    '--seed 314159 --num-ex 100 --episode-max-length 20000 and a rate of load/1.845.',
  GENERATE_SPECS,
);

const REPLAY_HELP = formatHelp(
  'lepton deeprm replay --jobs JOBS.json --policy sjf,packer[,random,tetris] [--mode compat|fixed] [--seed S] --out OUT.json',
  'Replays every job set with DeepRM baseline policies; writes per-job start/finish/slowdown and\n' +
    'the pooled mean slowdown (true division; mean_slowdown_floor = Python 2 floor division).',
  DEEPRM_REPLAY_SPECS,
);

const readJson = readJsonFile;

function fmt(x: number | null): string {
  return x === null ? '-' : x.toFixed(3);
}

function summaryLine(name: string, r: PolicyResult): string {
  return `${name.padEnd(12)} mean slowdown ${fmt(r.mean_slowdown)} (floored ${fmt(r.mean_slowdown_floor)}) over ${r.num_counted_jobs} jobs\n`;
}

/** `lepton deeprm <generate|replay> …`; returns the exit code. */
export async function runDeeprmCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'generate') {
    const a = parseArgs(rest, GENERATE_SPECS, 'deeprm generate');
    if (a.help) {
      process.stdout.write(GENERATE_HELP);
      return 0;
    }
    // Types, ranges and choices are checked by the option schema (GENERATE_SPECS).
    const out = a.out as string;
    const end = a.end as 'all_done' | 'no_new_job';
    const rate = a.rate as number;
    const file = deeprmGenerate({
      rate,
      simuLen: a['simu-len'] as number,
      numEx: a['num-ex'] as number,
      seed: a.seed as number,
      numRes: a['num-res'] as number,
      resSlot: a['res-slot'] as number,
      maxJobLen: a['max-job-len'] as number,
      maxJobSize: a['max-job-size'] as number,
      numNw: a['num-nw'] as number,
      timeHorizon: a['time-horizon'] as number,
      backlogSize: a['backlog-size'] as number,
      episodeMaxLength: a['episode-max-length'] as number,
      end,
      maxTrackSinceNew: a['max-track-since-new'] as number,
    });
    writeFileAtomic(out, JSON.stringify(file) + '\n');
    const load = file.generator?.measured_load_per_resource ?? [];
    process.stdout.write(
      `wrote ${file.jobs.length} jobs in ${file.params.num_ex} job sets to ${out}; measured load per resource ${load.map((x) => x.toFixed(3)).join(', ')}\n`,
    );
    return 0;
  }
  if (sub === 'replay') {
    const a = parseArgs(rest, DEEPRM_REPLAY_SPECS, 'deeprm replay');
    if (a.help) {
      process.stdout.write(REPLAY_HELP);
      return 0;
    }
    const jobsPath = a.jobs as string;
    const out = a.out as string;
    const mode = a.mode as 'compat' | 'fixed';
    const seed = a.seed as number | undefined;
    const file = parseJobsFile(readJson(jobsPath), jobsPath);
    const result: OutFile = deeprmReplay(file, { policies: a.policy as string[], mode, seed });
    writeFileAtomic(out, JSON.stringify(result) + '\n');
    for (const [k, r] of Object.entries(result)) process.stdout.write(summaryLine(k, r));
    process.stdout.write(`wrote ${out}\n`);
    return 0;
  }
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(
      'Usage: lepton deeprm <generate|replay> [options]\n\n' +
        '  generate   write DeepRM job sets (numpy-exact) to JOBS.json\n' +
        '  replay     run sjf/packer/random/tetris on JOBS.json, write OUT.json\n\n' +
        GENERATE_HELP +
        '\n' +
        REPLAY_HELP,
    );
    return sub === undefined ? 1 : 0;
  }
  throw new UsageError(`deeprm: unknown subcommand '${sub}' (generate | replay; see --help)`);
}
