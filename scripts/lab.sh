#!/usr/bin/env bash
# `npm run lab`: JupyterLab from the project's .venv with the project's tslab kernelspec ("TypeScript (Lepton)"),
# rooted at the repository, opening notebooks/. Extra arguments go to `jupyter lab`, e.g.
#   npm run lab -- --no-browser --ip=127.0.0.1 --port=8888     (remote machine: ssh -L 8888:127.0.0.1:8888 …)
#
# Source changes: unless LEPTON_LAB_WATCH=0, a `tsc --watch` runs beside JupyterLab and keeps dist/ (what
# `import … from 'lepton'` loads in the kernel) compiled as you edit src/; its log is .jupyter/tsc-watch.log.
# A running kernel keeps the modules it already loaded: Kernel → Restart picks up the new build. No manual
# `npm run build` is needed. The watcher stops with JupyterLab.
#
# Works as root (adds --allow-root only when the uid is 0) and as a normal user. Sets up .venv/ and the
# kernelspec first if they are missing (scripts/setup-jupyter.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -d node_modules ]]; then
  echo "lab: node_modules/ missing: run 'npm ci' (or npm install) first" >&2
  exit 1
fi
if [[ ! -x .venv/bin/jupyter || ! -f .jupyter/kernels/tslab/kernel.json ]]; then
  echo "lab: setting up .venv and the kernelspec (scripts/setup-jupyter.sh)"
  bash scripts/setup-jupyter.sh
fi
# node_modules/lepton: the shim through which the kernel's TypeScript resolves 'lepton' (npm install writes it).
node scripts/link-self.js

export JUPYTER_PATH="$root/.jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_RUNTIME_DIR="${JUPYTER_RUNTIME_DIR:-$root/.jupyter/runtime}"

watch_pid=""
cleanup() {
  if [[ -n "$watch_pid" ]]; then kill "$watch_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT INT TERM

if [[ ! -f dist/src/index.js ]]; then
  echo "lab: compiling src/ → dist/ (npm run build)"
  npm run build --silent
fi
if [[ "${LEPTON_LAB_WATCH:-1}" != 0 ]]; then
  mkdir -p .jupyter
  node node_modules/typescript/bin/tsc -p tsconfig.build.json --watch --preserveWatchOutput >.jupyter/tsc-watch.log 2>&1 &
  watch_pid=$!
  echo "lab: tsc --watch keeps dist/ up to date (pid $watch_pid, log .jupyter/tsc-watch.log); restart the kernel after an edit"
fi

args=(--ServerApp.root_dir="$root" --LabApp.default_url=/lab/tree/notebooks --MappingKernelManager.default_kernel_name=tslab)
if [[ "$(id -u)" == 0 ]]; then args+=(--allow-root); fi

# Not exec: the EXIT trap must stop the watcher when JupyterLab ends.
.venv/bin/jupyter lab "${args[@]}" "$@"
