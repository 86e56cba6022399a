#!/usr/bin/env bash
# Sets up the notebook tooling, all inside the repository:
#   1. .venv/ : a Python venv with JupyterLab, nbclient and plotly (requirements.txt, pinned);
#   2. .jupyter/kernels/tslab/kernel.json : a kernelspec for tslab (TypeScript), from node_modules.
# Safe to re-run. Set LEPTON_SKIP_VENV=1 to only (re)write the kernelspec.
#
# Why not `tslab install`: it needs IPython and writes to the user's/system Jupyter dirs. The kernelspec
# holds an absolute path to node_modules/.bin/tslab, so it is generated per clone (and gitignored).
# Use it with:  JUPYTER_PATH="$PWD/.jupyter" .venv/bin/jupyter lab
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tslab="$root/node_modules/.bin/tslab"
if [[ ! -x "$tslab" ]]; then
  echo "setup-jupyter: $tslab not found; run 'npm ci' first" >&2
  exit 1
fi

if [[ "${LEPTON_SKIP_VENV:-0}" != 1 ]]; then
  if [[ ! -x "$root/.venv/bin/python" ]]; then
    echo "setup-jupyter: creating $root/.venv"
    python3 -m venv "$root/.venv"
  fi
  # (The filter drops pip's noise about index folders this machine's pip.conf names but lacks.)
  "$root/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/requirements.txt" 2>&1 |
    { grep -v "^WARNING: Location 'file:" || true; }
fi

# Notebooks `import … from 'lepton'`; tslab resolves it only through node_modules/ (see the script).
node "$root/scripts/link-self.js"

spec_dir="$root/.jupyter/kernels/tslab"
mkdir -p "$spec_dir"
# {connection_file} is filled in by jupyter_client; tslab wants it as a separate argv element.
# node (already required for the project) writes the JSON so any path is escaped correctly.
TSLAB="$tslab" SPEC="$spec_dir/kernel.json" node -e '
  const spec = {
    argv: [process.env.TSLAB, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (Lepton)",
    language: "typescript",
  };
  require("fs").writeFileSync(process.env.SPEC, JSON.stringify(spec, null, 2) + "\n");
'
echo "setup-jupyter: wrote $spec_dir/kernel.json"

if [[ -x "$root/.venv/bin/jupyter" ]]; then
  JUPYTER_PATH="$root/.jupyter" "$root/.venv/bin/jupyter" kernelspec list
fi
