/**
 * One colour per policy, everywhere: HTML reports, notebooks, exported figures. A policy keeps
 * its colour whatever else is on the chart (the colour is a function of the name, not of the
 * trace's position), so the same policy looks the same in every figure of a paper.
 *
 * Known names get hand-picked colours (Tableau 10 / 20, colour-blind friendly first); any other
 * name gets a deterministic colour from a hash into the extended palette.
 */

/** Colours for the known policies and agents (lower-case names; DeepRM's labels included). */
export const POLICY_COLORS: Readonly<Record<string, string>> = Object.freeze({
  fifo: '#1f77b4',
  'fifo-skip': '#aec7e8',
  sjf: '#ff7f0e',
  'sjf-estimate': '#ffbb78',
  'srtf-estimate': '#e7969c',
  qssf: '#843c39',
  srtf: '#d62728',
  las: '#ff9896',
  tiresias: '#2ca02c',
  gittins: '#98df8a',
  tetris: '#9467bd',
  'tetris*': '#9467bd',
  packer: '#8c564b',
  drf: '#c5b0d5',
  easy: '#17becf',
  conservative: '#9edae5',
  bestfit: '#bcbd22',
  random: '#7f7f7f',
  // RLScheduler's HPC heuristics (FCFS = FIFO).
  fcfs: '#1f77b4',
  wfp3: '#e7ba52',
  unicep: '#ad494a',
  f1: '#5254a3',
  smallest: '#cedb9c',
  // Learned agents (DeepRM's PG = REINFORCE).
  pg: '#e377c2',
  reinforce: '#e377c2',
  deeprm: '#e377c2',
  ppo: '#000000',
  a2c: '#393b79',
  a3c: '#6b6ecf',
  dqn: '#637939',
  qlearning: '#8c6d31',
  agent: '#e377c2',
});

/**
 * Colours for everything that is not a known policy: unknown policy names (picked by hash) and the
 * colour cycle of charts whose traces are not policies (traces, clusters, metrics). None of them is
 * a known policy's colour, so a non-policy trace is never mistaken for a policy.
 */
export const EXTRA_COLORS: readonly string[] = Object.freeze([
  '#003f5c',
  '#ffa600',
  '#bc5090',
  '#2f4b7c',
  '#ff7c43',
  '#665191',
  '#00a6a6',
  '#a05195',
  '#7a5c00',
  '#f95d6a',
]);

/** FNV-1a, 32 bit: a stable hash of the name (no Math.random, no insertion order). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Lower-case name without variant suffixes: "tetris:0.5" → "tetris", "PG [pg-sets200]" → "pg", "ppo seed 3" → "ppo". */
function baseName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\s*\[.*\]$/, '')
    .replace(/\s+seed\s*\d+$/, '')
    .replace(/:.*$/, '')
    .replace(/\s*\(.*\)$/, '')
    .trim();
}

/**
 * The colour of a known policy or agent (case-insensitive; a suffix in brackets or after a colon,
 * or a " seed N", is ignored so variants keep the family colour); undefined for other names.
 */
export function knownPolicyColor(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  if (POLICY_COLORS[key]) return POLICY_COLORS[key];
  const base = baseName(name);
  if (POLICY_COLORS[base]) return POLICY_COLORS[base];
  return POLICY_COLORS[base.split(/[\s-]/)[0]];
}

/** The colour of a policy: `knownPolicyColor`, else a stable colour hashed from the name. */
export function policyColor(name: string): string {
  return knownPolicyColor(name) ?? EXTRA_COLORS[hash(baseName(name)) % EXTRA_COLORS.length];
}
