#!/usr/bin/env bash
# DeepRM Figure 4, complete (issue 11 §2): REINFORCE (DeepRM's pg_re) trained at each of the 10
# nominal loads of the paper's Figure 4 (10 % … 190 %, new_job_rate = load / 1.845 rounded to 3
# decimals, capped at 1.0), evaluated by SAMPLING (every job counted) on the held-out job sets
# of that load, beside SJF / Packer / Random on the same sets. Writes results/deeprm/fig4/.
#
# Per load the three splits are DeepRM's generator at that rate with disjoint numpy seeds:
# training 42 (50 sets), validation 271828 (100 sets; learning curve only, nothing is chosen
# on it here), held-out 314159 (100 sets; the spec table's sets, evaluated once at the end).
# Hyperparameters: those of results/deeprm/config/pg.json (RMSProp lr 0.003, 10 rollouts per
# job set, 4480→20 network, fused backend), ITERS iterations per run — the same budget at
# every load (see results/deeprm/fig4/README.md for why ITERS and what it costs).
#
# Usage (from anywhere):   scripts/deeprm-fig4.sh
# Knobs (environment):     OUT=results/deeprm/fig4 ITERS=100 PARALLEL=2 EVAL_EVERY=20
#                          LOADS="130 70 10 30 50 90 110 150 170 190"   (seed 1 at each, in this order)
#                          EXTRA="130:2 130:3 70:2 70:3"                 (load:seed, after the seed-1 runs)
#                          REPORT_ONLY=1 (only the table and figure from the finished runs)
# A quick smoke run:       OUT=/tmp/fig4-smoke ITERS=2 EVAL_EVERY=1 LOADS="10 190" EXTRA="10:2" scripts/deeprm-fig4.sh
#
# Resumable: a finished run (manifest at ITERS iterations and eval/summary.csv) is skipped, an
# unfinished one continues from its checkpoint (`lepton train --resume`, exact for REINFORCE),
# so killing this script at any moment and starting it again loses at most the iteration in
# flight. Parallel: at most PARALLEL trainings at once (independent processes; the sweep
# tooling of docs/sweeps.md runs simulation cells, not trainings). Runs not finished are
# listed as "pending" in the table (the report never invents a point).
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'echo "deeprm-fig4: FAILED at line $LINENO (exit $?)" >&2' ERR

OUT=${OUT:-results/deeprm/fig4}
ITERS=${ITERS:-100}
PARALLEL=${PARALLEL:-2}
EVAL_EVERY=${EVAL_EVERY:-20}
LOADS=${LOADS:-"130 70 10 30 50 90 110 150 170 190"}
EXTRA=${EXTRA:-"130:2 130:3 70:2 70:3"}
REPORT_ONLY=${REPORT_ONLY:-0}
CONFIG=$OUT/config # the committed configs (results/deeprm/fig4/config), copied when OUT is elsewhere
WORK=results/tmp/deeprm-fig4

echo "deeprm-fig4: building dist/ (npm run build)"
npm run build --silent
lepton() { node bin/lepton.js "$@"; }
mkdir -p "$OUT" "$WORK"
[ -d "$CONFIG" ] || cp -r results/deeprm/fig4/config "$CONFIG"

rate_of() { node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(String(c.env.rate))' "$CONFIG/load$1.json"; }

# The held-out job sets of one load (what `lepton evaluate` reads; regenerated, not committed).
heldout() { # LOAD
  local f="$WORK/heldout-load$1-rate$(rate_of "$1").json"
  [ -f "$f" ] || lepton deeprm generate --rate "$(rate_of "$1")" --simu-len 50 --num-nw 10 --num-ex 100 \
    --seed 314159 --end all_done --episode-max-length 20000 --out "$f" > /dev/null
  echo "$f"
}

run() { # LOAD SEED
  local dir="$OUT/load$1-seed$2" resume=()
  if [ -f "$dir/manifest.json" ] && grep -q "\"iterationsDone\": $ITERS," "$dir/manifest.json" && [ -f "$dir/eval/summary.csv" ]; then
    echo "[load$1-seed$2] done already"
    return 0
  fi
  if [ -d "$dir/checkpoint" ]; then resume=(--resume); fi
  mkdir -p "$dir"
  echo "[load$1-seed$2] training (rate $(rate_of "$1"), $ITERS iterations) → $dir/train.log"
  lepton train --env deeprm --agent pg --seed "$2" --iterations "$ITERS" --eval-every "$EVAL_EVERY" \
    --config "$CONFIG/load$1.json" --out "$dir" "${resume[@]}" > "$dir/train.log" 2>&1
  echo "[load$1-seed$2] evaluating on the held-out job sets of load $1 %"
  lepton evaluate --checkpoint "$dir" --jobs "$(heldout "$1")" --policy sjf,packer,random --out "$dir/eval" > "$dir/eval.log" 2>&1
  rm -f "$dir/eval/jobs.csv" # per-job rows (MBs at high load); summary.csv is what the figure reads
  grep -E '^(agent:reinforce:sample|sjf),' "$dir/eval/summary.csv" | cut -d, -f1-2 | tr '\n' ' ' | sed "s/^/[load$1-seed$2] /; s/\$/\n/"
}

# A simple job queue: at most PARALLEL trainings at once.
queued() {
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n || true; done
  { run "$@" || echo "[load$1-seed$2] FAILED: see $OUT/load$1-seed$2/train.log and eval.log" >&2; } &
}

if [ "$REPORT_ONLY" != 1 ]; then
  for l in $LOADS; do heldout "$l" > /dev/null; done
  for e in $EXTRA; do heldout "${e%%:*}" > /dev/null; done
  for l in $LOADS; do queued "$l" 1; done
  for e in $EXTRA; do queued "${e%%:*}" "${e##*:}"; done
  wait
fi

echo "deeprm-fig4: lepton report deeprm-fig4 --runs $OUT --iterations $ITERS --extra '$EXTRA'"
extra=(); [ -z "${EXTRA// /}" ] || extra=(--extra "$EXTRA")
lepton report deeprm-fig4 --runs "$OUT" --iterations "$ITERS" "${extra[@]}"
