/**
 * GPU-type constraints. A job's `gpuType` is kept exactly as the trace writes
 * it: one model ("V100M32") or alternatives separated by '|'
 * ("V100M16|V100M32", Alibaba `gpu_spec`). A node matches when its model is any
 * listed alternative (exact, case-sensitive string match); no constraint
 * (undefined or empty) matches every node, including nodes without a model.
 */
export const GPU_TYPE_SEPARATOR = '|';

export function gpuTypeAlternatives(constraint: string | undefined): string[] {
  if (!constraint) return [];
  return constraint
    .split(GPU_TYPE_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function gpuTypeAllows(constraint: string | undefined, nodeModel: string | undefined): boolean {
  if (!constraint) return true;
  if (!nodeModel) return false;
  if (constraint === nodeModel) return true;
  return gpuTypeAlternatives(constraint).includes(nodeModel);
}
