#!/usr/bin/env bash
# Reproduces results/deeprm/ (see results/deeprm/README.md):
#   DeepRM paper setting (simu_len 50, 10 slots, 70 % load = new_job_rate 0.379, all_done),
#   training job sets numpy seed 42, held-out job sets seed 314159 (100 of them);
#   DeepRM's policy gradient for 3 training seeds, then PPO, DQN and Q-learning, then the
#   PG runs continued with a lower learning rate (pg-decay);
#   each evaluated greedily and by sampling beside SJF / Packer / Random on the held-out sets;
#   then the comparison table, summary.csv and the learning-curve plot.
#
# Usage (from anywhere):   scripts/reproduce-deeprm.sh
# Knobs (environment):     OUT=results/deeprm SEEDS="1 2 3" PG_ITERS=200 PPO_ITERS=500
#                          DQN_ITERS=30 QL_ITERS=500 DECAY_ITERS=100 PARALLEL=3
#                          AGENTS="pg ppo dqn qlearning pg-decay"
# A quick smoke run:       OUT=/tmp/deeprm-smoke SEEDS=1 PG_ITERS=3 PPO_ITERS=2 DQN_ITERS=2 QL_ITERS=2 scripts/reproduce-deeprm.sh
# Re-running continues unfinished trainings from their checkpoints (--resume) and skips
# finished ones; delete a run folder to redo it.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-results/deeprm}
SEEDS=${SEEDS:-"1 2 3"}
PG_ITERS=${PG_ITERS:-200}
PPO_ITERS=${PPO_ITERS:-500}
DQN_ITERS=${DQN_ITERS:-30}
QL_ITERS=${QL_ITERS:-500}
PARALLEL=${PARALLEL:-3}
AGENTS=${AGENTS:-"pg ppo dqn qlearning pg-decay"}
DECAY_ITERS=${DECAY_ITERS:-100}
CONFIG=results/deeprm/config

# The CLI straight from the TypeScript sources (no build step needed).
lepton() { npx tsx -e "require('./src/cli/main').main(process.argv.slice(1)).then((c) => process.exit(c))" -- "$@"; }

mkdir -p "$OUT"
# The job sets, in the format of `lepton deeprm generate` (training itself regenerates the
# same sets from the setting recorded in each manifest; these files are for inspection and
# for `lepton evaluate`).
lepton deeprm generate --rate 0.379 --simu-len 50 --num-nw 10 --num-ex 100 --seed 314159 \
  --end all_done --episode-max-length 20000 --out "$OUT/heldout.json"
lepton deeprm generate --rate 0.379 --simu-len 50 --num-nw 10 --num-ex 50 --seed 42 \
  --end all_done --episode-max-length 2000 --out "$OUT/train.json"

# train_and_eval NAME AGENT SEED ITERATIONS EVAL_EVERY [CONFIG_NAME] [START_FROM_RUN]
# START_FROM_RUN: continue another run's training (its checkpoint and curve are copied
# first, then `--resume` with this config): used for pg-decay (lr step decay).
train_and_eval() {
  local name=$1 agent=$2 seed=$3 iters=$4 every=$5 cfg=${6:-$2} from=${7:-} dir="$OUT/$1" resume=()
  if [ -f "$dir/manifest.json" ] && grep -q "\"iterationsDone\": $iters," "$dir/manifest.json" && [ -f "$dir/eval/summary.csv" ]; then
    echo "[$name] done already"
    return 0
  fi
  if [ -n "$from" ] && [ ! -d "$dir/checkpoint" ]; then
    mkdir -p "$dir"
    cp -r "$OUT/$from/checkpoint" "$OUT/$from/curve.csv" "$dir/"
  fi
  if [ -d "$dir/checkpoint" ] && [ "$agent" != qlearning ]; then resume=(--resume); fi
  if [ "$agent" = qlearning ]; then rm -rf "$dir"; fi
  mkdir -p "$dir"
  echo "[$name] training ($agent, seed $seed, $iters iterations, config $cfg) → $dir/train.log"
  lepton train --env deeprm --agent "$agent" --seed "$seed" --iterations "$iters" --eval-every "$every" \
    --config "$CONFIG/$cfg.json" --out "$dir" "${resume[@]}" > "$dir/train.log" 2>&1
  echo "[$name] evaluating on the held-out job sets"
  lepton evaluate --checkpoint "$dir" --jobs "$OUT/heldout.json" --policy sjf,packer,random --out "$dir/eval" > "$dir/eval.log" 2>&1
  tail -n 8 "$dir/eval.log" | head -n 7
}

# A simple job queue: at most PARALLEL trainings at once.
run_queued() {
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n || true; done
  { train_and_eval "$@" || echo "[$1] FAILED: see $OUT/$1/train.log and eval.log" >&2; } &
}

for agent in $AGENTS; do
  case $agent in
    pg) for s in $SEEDS; do run_queued "pg-seed$s" pg "$s" "$PG_ITERS" 10; done ;;
    ppo) run_queued ppo-seed1 ppo 1 "$PPO_ITERS" 50 ;;
    dqn) run_queued dqn-seed1 dqn 1 "$DQN_ITERS" 0 ;;
    qlearning) run_queued qlearning-seed1 qlearning 1 "$QL_ITERS" 0 ;;
    pg-decay) ;; # second phase, below
    *) echo "unknown agent $agent" >&2; exit 2 ;;
  esac
done
wait

# Phase 2, pg-decay: each finished PG run continued for DECAY_ITERS more iterations with
# RMSProp lr 0.001 (DeepRM's own lr) instead of 0.003 — a step decay of the learning rate.
case " $AGENTS " in
  *" pg-decay "*)
    for s in $SEEDS; do run_queued "pg-decay-seed$s" pg "$s" "$((PG_ITERS + DECAY_ITERS))" 10 pg-decay "pg-seed$s"; done
    wait ;;
esac

npx tsx -e "require('./src/experiment/deeprmReport').writeDeeprmReport(process.argv[1]).then((rows) => console.log(rows.length + ' table rows'))" -- "$OUT"
echo "wrote $OUT/summary.csv, $OUT/table.md, $OUT/curves.html, $OUT/curves.png"
