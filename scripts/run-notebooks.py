#!/usr/bin/env python3
"""Execute Lepton's notebooks headless on the project's tslab (TypeScript) kernel and fail loudly.

Why not `jupyter nbconvert --execute`: tslab reports compile/runtime errors in a shape nbconvert prints
as an empty error, so a failing notebook says nothing useful. This script runs each notebook with
nbclient, and on the first failing cell prints that cell's source and every error it produced
(ename / evalue / traceback, plus stderr streams mentioning "Error"), then exits non-zero.

Each notebook runs with its own folder as the working directory, exactly as JupyterLab starts the
kernel, so relative imports in a notebook (`../dist/src/...`) behave the same here and in the UI.

Usage (from anywhere; paths default to notebooks/*.ipynb of this repo):
    JUPYTER_PATH=$PWD/.jupyter .venv/bin/python scripts/run-notebooks.py [--timeout 600] [nb.ipynb ...]
Options:
    --timeout S      seconds allowed per cell (default 600)
    --kernel NAME    kernelspec name (default: tslab, written by scripts/setup-jupyter.sh)
    --write          save the executed notebooks (outputs included) back in place
Exit codes: 0 all notebooks ran clean, 1 a cell failed, 2 setup problem (kernel missing, bad args).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

REPO = Path(__file__).resolve().parent.parent
DEFAULT_KERNEL = "tslab"


def cell_errors(cell, all_stderr: bool = False) -> list[str]:
    """Human-readable error outputs of one executed code cell (empty if it ran clean).

    all_stderr: include every stderr stream, not only those mentioning "Error" (used once the
    kernel has said the cell failed; tslab's compile errors read like "1:7 - Type 'string' ...").
    """
    found = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            tb = "\n".join(out.get("traceback") or [])
            found.append(f"{out.get('ename', '?')}: {out.get('evalue', '')}\n{tb}".rstrip())
        elif kind == "stream" and out.get("name") == "stderr" and (all_stderr or "Error" in out.get("text", "")):
            found.append("stderr: " + out["text"].rstrip())
    return found


def report_failure(nb_path: Path, index: int, cell, errors: list[str]) -> None:
    bar = "=" * 78
    print(bar, file=sys.stderr)
    print(f"FAILED {nb_path.relative_to(REPO) if nb_path.is_relative_to(REPO) else nb_path}: cell #{index}", file=sys.stderr)
    print("-" * 30 + " source " + "-" * 40, file=sys.stderr)
    print(cell.get("source", ""), file=sys.stderr)
    print("-" * 30 + " error " + "-" * 41, file=sys.stderr)
    for e in errors or ["(the kernel reported a failure without an error output)"]:
        print(e, file=sys.stderr)
    print(bar, file=sys.stderr)


def run_notebook(nb_path: Path, kernel: str, timeout: int, write: bool) -> bool:
    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        # We inspect outputs ourselves: keep going only to collect the failing cell, then stop.
        allow_errors=False,
        resources={"metadata": {"path": str(nb_path.parent)}},
    )
    t0 = time.perf_counter()
    failed = False
    # Cell by cell (not client.execute()) so we know exactly which cell the kernel rejected.
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.get("cell_type") != "code":
                continue
            try:
                client.execute_cell(cell, i)
                # A cell can "succeed" yet print an error (e.g. a rejected promise logged to stderr).
                errs = cell_errors(cell)
            except CellExecutionError as exc:
                # tslab puts compile errors on stderr and leaves ename/evalue empty: show everything.
                errs = cell_errors(cell, all_stderr=True) or [str(exc)]
            except (CellTimeoutError, DeadKernelError) as exc:
                errs = cell_errors(cell, all_stderr=True) + [f"{type(exc).__name__}: {exc}"]
            if errs:
                report_failure(nb_path, i, cell, errs)
                failed = True
                break
    if write:
        nbformat.write(nb, nb_path)
    dt = time.perf_counter() - t0
    print(f"{'FAIL' if failed else 'ok  '} {nb_path.name} ({len(nb.cells)} cells, {dt:.1f} s)")
    return not failed


def main(argv: list[str]) -> int:
    sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the stderr reports
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--kernel", default=DEFAULT_KERNEL)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)

    # Find the project kernelspec even when JUPYTER_PATH was not exported.
    local = str(REPO / ".jupyter")
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if local not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([local] + [p for p in paths if p])
    try:
        KernelSpecManager().get_kernel_spec(args.kernel)
    except NoSuchKernel:
        print(f"run-notebooks: no kernelspec '{args.kernel}'; run scripts/setup-jupyter.sh", file=sys.stderr)
        return 2

    notebooks = [p.resolve() for p in args.notebooks] or sorted((REPO / "notebooks").glob("*.ipynb"))
    if not notebooks:
        print("run-notebooks: no notebooks found", file=sys.stderr)
        return 2
    ok = 0
    for nb_path in notebooks:
        if run_notebook(nb_path, args.kernel, args.timeout, args.write):
            ok += 1
    print(f"notebooks: {ok} ok, {len(notebooks) - ok} failed")
    return 0 if ok == len(notebooks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
