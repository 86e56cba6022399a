#!/usr/bin/env python3
"""Check (or, with --fix, normalise) how Lepton's notebooks are stored, so that their diffs stay readable.

A stored notebook must have:
  * no outputs and no execution counts (CI and readers re-execute them; outputs are large and noisy);
  * no per-cell metadata except `tags`, unique cell ids;
  * notebook metadata = the project kernelspec (`tslab`, "TypeScript (Lepton)") and a fixed `language_info`,
    nothing else (no widget state, no execution timestamps);
  * no absolute paths in any cell (/work/…, /home/…, /root/…, /Users/…, C:\\…): notebooks run from any clone;
  * a first markdown cell that states the notebook's **Question.**, and a last markdown cell "What to try next";
  * no markdown cell whose every line is a heading (the trace of '# '-commented text pasted into markdown);
  * the canonical JSON layout JupyterLab writes (indent 1, UTF-8, trailing newline).

Usage: python3 scripts/check-notebooks.py [--fix] [notebooks/*.ipynb]   (default: every notebooks/*.ipynb)
Exit codes: 0 clean (or fixed), 1 a notebook is not clean (each problem is printed as FILE: problem),
2 bad arguments or unreadable JSON. --fix rewrites the mechanical problems (outputs, counts, metadata,
layout); absolute paths and the missing question / "what to try next" cells must be fixed by hand.
Standard library only: runs before the venv exists.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "TypeScript (Lepton)", "language": "typescript", "name": "tslab"}
LANGUAGE_INFO = {"file_extension": ".ts", "mimetype": "text/typescript", "name": "typescript"}
ABSOLUTE = re.compile(r"(?<![\w.])(/work/|/home/|/root/|/Users/|/tmp/|[A-Z]:\\\\)")
KEEP_CELL_METADATA = {"tags"}


def canonical(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def source(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def check(path: Path, fix: bool) -> list[str]:
    text = path.read_text(encoding="utf-8")
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as e:
        return [f"not valid JSON: {e}"]
    problems: list[str] = []
    if nb.get("nbformat") != 4:
        problems.append(f"nbformat {nb.get('nbformat')} (expected 4)")
    cells = nb.get("cells", [])
    ids = set()
    for i, cell in enumerate(cells):
        where = f"cell {i}"
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                problems.append(f"{where}: has outputs (strip them: --fix)")
                cell["outputs"] = []
            if cell.get("execution_count") is not None:
                problems.append(f"{where}: has an execution count (--fix)")
                cell["execution_count"] = None
        extra = set(cell.get("metadata", {})) - KEEP_CELL_METADATA
        if extra:
            problems.append(f"{where}: cell metadata {sorted(extra)} (--fix)")
            cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k in KEEP_CELL_METADATA}
        cid = cell.get("id")
        if not cid or cid in ids:
            problems.append(f"{where}: missing or duplicate cell id {cid!r} (--fix)")
            n = 1
            while f"c{n:02d}" in ids:
                n += 1
            cell["id"] = f"c{n:02d}"
        ids.add(cell["id"])
        if cell.get("cell_type") == "markdown":
            lines = [l for l in source(cell).split("\n") if l.strip()]
            if len(lines) >= 3 and all(l.startswith("#") for l in lines):
                problems.append(f"{where}: every line is a heading (a markdown cell pasted with '# ' comment prefixes?)")
        for m in ABSOLUTE.finditer(source(cell)):
            line = source(cell)[: m.start()].count("\n") + 1
            problems.append(f"{where}, line {line}: absolute path '{m.group(0)}…' (use paths relative to the repository)")
    meta = nb.get("metadata", {})
    want = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    if meta != want:
        problems.append(f"notebook metadata {json.dumps(meta, sort_keys=True)[:120]} (expected the tslab kernelspec only; --fix)")
        nb["metadata"] = want
    md = [c for c in cells if c.get("cell_type") == "markdown"]
    if not md or cells[0].get("cell_type") != "markdown" or "**Question.**" not in source(cells[0]):
        problems.append("the first cell must be markdown stating the notebook's **Question.**")
    if not md or "What to try next" not in source(md[-1]):
        problems.append('the last markdown cell must be "What to try next"')
    if canonical(nb) != text:
        if not problems:
            problems.append("JSON layout is not canonical (indent 1, UTF-8, trailing newline; --fix)")
        if fix:
            path.write_text(canonical(nb), encoding="utf-8")
    return problems


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    args = [a for a in argv if a != "--fix"]
    if any(a.startswith("-") for a in args):
        print(__doc__, file=sys.stderr)
        return 2
    paths = [Path(a).resolve() for a in args] or sorted((REPO / "notebooks").glob("*.ipynb"))
    if not paths:
        print("check-notebooks: no notebooks found", file=sys.stderr)
        return 2
    dirty = 0
    for p in paths:
        problems = check(p, fix)
        manual = [x for x in problems if "--fix" not in x]
        remaining = manual if fix else problems
        for x in problems:
            print(f"{p.relative_to(REPO) if p.is_relative_to(REPO) else p}: {x}{' (fixed)' if fix and x not in manual else ''}")
        if remaining:
            dirty += 1
    print(f"notebooks: {len(paths) - dirty} clean, {dirty} not clean{' after --fix' if fix else ''}")
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
