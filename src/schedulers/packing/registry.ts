/**
 * The placement policies of the packing mode (`lepton pack --policy …`): the FGD paper's
 * comparators and FGD itself. This table is the only extension point: a new policy = its file +
 * one entry. None is an oracle: packing has no durations, and every policy sees only the current
 * cluster state, the arriving pod and (FGD) the trace's pod-spec popularity.
 */
import type { FragmentationModel } from '../../sim/packing/fragmentation';
import type { PackingPolicy } from '../../sim/packing/run';
import type { Rng } from '../../util/rng';
import { bestFitPolicy } from './bestFit';
import { dotProductPolicy } from './dotProduct';
import { fgdPolicy } from './fgd';
import { firstFitPolicy } from './firstFit';
import { gpuPackingPolicy } from './gpuPacking';
import { randomPolicy } from './random';

export interface PackingPolicyContext {
  /** The run's generator (only Random draws from it). */
  rng: Rng;
  /** The target workload's fragmentation measure (only FGD reads it). */
  frag: FragmentationModel;
}

export interface PackingPolicyEntry {
  description: string;
  create: (ctx: PackingPolicyContext) => PackingPolicy;
}

export type PackingPolicyKind = 'random' | 'firstfit' | 'bestfit' | 'dotprod' | 'gpupacking' | 'fgd';

export const PACKING_POLICIES: Readonly<Record<PackingPolicyKind, PackingPolicyEntry>> = {
  random: { description: 'uniformly random feasible node and GPU (paper: Random)', create: (x) => randomPolicy(x.rng) },
  firstfit: { description: 'lowest-index feasible node, first GPU that fits', create: () => firstFitPolicy() },
  bestfit: { description: 'least CPU+GPU left after placement (paper: BestFit)', create: () => bestFitPolicy() },
  dotprod: {
    description: 'min ⟨free, request⟩ over CPU, GPU (paper: DotProd, Tetris)',
    create: () => dotProductPolicy(),
  },
  gpupacking: {
    description: 'used GPUs, then idle GPUs of used nodes, then idle nodes (paper: GpuPacking)',
    create: () => gpuPackingPolicy(),
  },
  fgd: {
    description: "fragmentation gradient descent, min ΔF(M) (Weng et al. ATC'23)",
    create: (x) => fgdPolicy(x.frag),
  },
};
export const PACKING_POLICY_KINDS = Object.keys(PACKING_POLICIES) as readonly PackingPolicyKind[];

export function isPackingPolicyKind(s: string): s is PackingPolicyKind {
  return Object.hasOwn(PACKING_POLICIES, s);
}
