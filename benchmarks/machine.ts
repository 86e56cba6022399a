/** What the numbers were measured on: CPU, Node/V8, OS, git revision. */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { repoRoot } from 'lepton';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  v8: string;
  platform: string;
  arch: string;
  totalMemGiB: number;
  /** 1-minute load average when the run started (other work on the machine skews results). */
  loadAvg1: number;
}

export interface GitInfo {
  revision: string;
  /** Uncommitted changes in the working tree (numbers may not match `revision` exactly). */
  dirty: boolean;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    v8: process.versions.v8,
    platform: os.platform(),
    arch: os.arch(),
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvg1: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

export function gitInfo(): GitInfo {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: repoRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { revision: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { revision: 'unknown', dirty: false };
  }
}
