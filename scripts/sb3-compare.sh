#!/usr/bin/env bash
# Side-by-side training throughput, Lepton PPO vs stable-baselines3 + sb3-contrib MaskablePPO
# (issue 11 §3), on Lepton's DeepRM env at identical settings: scripts/sb3/compare.py.
# The library lives in a THROWAWAY venv under /tmp (never a project dependency).
#
#   bash scripts/sb3-compare.sh [--setting tuned|default]... [--rollouts N] [--reps N] [--out FILE]
#
# Env: SB3_VENV (default /tmp/lepton-sb3-venv), TORCH_WHEEL (default: the wheel in /opt/wheels
# if present, else torch from PyPI). Run it under `nice` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${SB3_VENV:-/tmp/lepton-sb3-venv}"
WHEEL="${TORCH_WHEEL:-$(ls /opt/wheels/torch-*cpu*.whl 2>/dev/null | head -1 || true)}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sb3_contrib, torch' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q ${WHEEL:-torch} stable-baselines3 sb3-contrib gymnasium
fi
[ -f dist/src/index.js ] || npm run build --silent
exec "$VENV/bin/python" scripts/sb3/compare.py "$@"
