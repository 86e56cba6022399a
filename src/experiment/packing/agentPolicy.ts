/**
 * A trained packing agent as a PackingPolicy: the same observation as in training
 * (env/packingObserver.ts), the greedy (most likely) legal node, and inside it the GPU FGD's rule
 * picks for a share. The agent's network is a kernel network over the node rows, trained for a
 * fixed node count: evaluating it needs the cluster it was trained on (same --subsample).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPolicyAgent } from '../../agents/fastpath';
import { PackingObserver } from '../../env/packingObserver';
import type { PackingPolicy } from '../../sim/packing/run';
import { UsageError } from '../../util/errors';
import type { PackingSetup } from './setup';
import type { PolicyFactory } from './study';
import { PACKING_TRAIN_FILES, type PackingTrainRecord } from './train';

export async function learnedPackingFactory(
  dir: string,
  setup: PackingSetup,
): Promise<{ name: string; factory: PolicyFactory; record: PackingTrainRecord }> {
  const recFile = path.join(dir, PACKING_TRAIN_FILES.record);
  const agentDir = path.join(dir, PACKING_TRAIN_FILES.agent);
  if (!existsSync(recFile) || !existsSync(agentDir))
    throw new UsageError(
      `pack --agent ${dir}: no trained agent there (expected ${PACKING_TRAIN_FILES.record} and ${PACKING_TRAIN_FILES.agent}/; train one with 'lepton pack train')`,
    );
  const record = JSON.parse(readFileSync(recFile, 'utf8')) as PackingTrainRecord;
  if (record.nodes !== setup.cluster.numNodes || record.subsample !== setup.every)
    throw new UsageError(
      `pack --agent ${dir}: trained on ${record.nodes} nodes (--subsample ${record.subsample}), this run has ${setup.cluster.numNodes} (--subsample ${setup.every}); use the training's --subsample`,
    );
  const agent = await loadPolicyAgent(agentDir, record.seed);
  if (agent.numActions !== setup.cluster.numNodes)
    throw new UsageError(
      `pack --agent ${dir}: the network has ${agent.numActions} outputs for ${setup.cluster.numNodes} nodes`,
    );
  const name = `${record.algo} seed${record.seed}`;
  const factory: PolicyFactory = () => {
    let observer: PackingObserver | null = null;
    let obs = new Float32Array(0);
    let mask = new Uint8Array(0);
    const policy: PackingPolicy = {
      name,
      choose(c, specs, s, out) {
        if (!observer || observer.cluster !== c) {
          observer = new PackingObserver(c, specs, setup.frag);
          obs = new Float32Array(observer.observationSize);
          mask = new Uint8Array(c.numNodes);
        }
        if (observer.write(s, obs, mask) === 0) return false;
        out.node = agent.act(obs, mask, true);
        out.gpu = specs.isShare(s) ? observer.gpuFor(out.node) : -1;
        return true;
      },
    };
    return policy;
  };
  return { name, factory, record };
}
