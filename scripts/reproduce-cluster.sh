#!/usr/bin/env bash
# Reproduces results/cluster/philly/ (see its README.md): learned schedulers vs every heuristic on
# the four busiest Philly virtual clusters, split by time 60/10/30, at the recorded load and at a
# contended load calibrated on the validation split. One command, resumable: a killed run continues
# where it stopped (finished cells and trainings are skipped, trainings resume from checkpoints).
#
# Usage:  scripts/reproduce-cluster.sh            Knobs: PLAN=results/cluster/philly/plan.json
#         OUT=results/cluster/philly  PHASE=calibrate,heuristics,train,evaluate  NICE=10
#         LEPTON_BIN=path/to/bin/lepton.js (default: this checkout's, built first)
# To regenerate from scratch into a fresh folder: OUT=/tmp/philly-again scripts/reproduce-cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PLAN=${PLAN:-results/cluster/philly/plan.json}
OUT=${OUT:-results/cluster/philly}
PHASE=${PHASE:-calibrate,heuristics,train,evaluate}
NICE=${NICE:-10}
if [ -z "${LEPTON_BIN:-}" ]; then
  npm run build --silent
  LEPTON_BIN=bin/lepton.js
fi
mkdir -p "$OUT"
# A fresh OUT starts from the plan only; the committed folder keeps its results and continues.
start=$(date +%s)
nice -n "$NICE" node "$LEPTON_BIN" cluster-study "$PLAN" --out "$OUT" --phase "$PHASE"
echo "cluster study: $(($(date +%s) - start)) s wall" >&2
