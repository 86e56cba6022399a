#!/usr/bin/env bash
# Regenerates results/cluster/openb/ (Alibaba GPU 2023 "openb" in the FGD paper's packing mode):
#  1. three PPO placement agents (training seeds 1-3) on a stratified 1/16 of the openb nodes
#     (95 nodes, 387 GPUs), on training pod orders only (seeds ≥ 1,000,000); resumable: a run
#     killed midway continues from its checkpoint when the script is started again;
#  2. every heuristic on the whole cluster (1,523 nodes, 6,212 GPUs), test orders 42..51;
#  3. every heuristic and the three agents on the 1/16 cluster, the same test orders.
# Wall time: see results/cluster/openb/README.md. Runs niced (shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=results/cluster/openb
STEPS=${STEPS:-20000}
npm run build --silent
L="nice -n 10 node bin/lepton.js"
for s in 1 2 3; do
  $L pack train --algo ppo --seed "$s" --steps "$STEPS" --subsample 16 --out "$OUT/agents/ppo-seed$s"
done
$L pack --trace openb --seeds 42..51 --out "$OUT/full"
$L pack --trace openb --seeds 42..51 --subsample 16 \
  --agent "$OUT/agents/ppo-seed1,$OUT/agents/ppo-seed2,$OUT/agents/ppo-seed3" --out "$OUT/sub16"
