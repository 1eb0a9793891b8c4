#!/usr/bin/env python
"""Regenerate tests/golden/poa_us-seller.md and .txt: the Plan of Action (Markdown draft and the plain text
for Amazon's form) for sample_reports/us-seller.

The golden file's first line holds a SHA-256 of the input folder's files; tests/test_poa.py recomputes it
and asks you to run this script when the sample folder changed. When the POA text changed on purpose
(templates, rules), run it too and review the diff before committing.

    PYTHONPATH=src .venv/bin/python scripts/regen_golden.py
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "sample_reports" / "us-seller"
GOLDEN = ROOT / "tests" / "golden" / "poa_us-seller.md"
GOLDEN_TEXT = ROOT / "tests" / "golden" / "poa_us-seller.txt"
HEADER = "<!-- golden: sellerdx POA of sample_reports/us-seller; inputs sha256={digest}; regenerate: scripts/regen_golden.py -->"


def input_hash(folder: Path = FOLDER) -> str:
    """SHA-256 over the relative path and bytes of every file in the folder (sorted)."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def render(folder: Path = FOLDER, *, plain: bool = False) -> str:
    """The POA of the folder, as ``sellerdx.analyze(folder, marketplace='US').poa()`` (or ``.poa_text()``)
    gives it."""
    from sellerdx.analysis import Analysis, Options
    analysis = Analysis(folder, Options(marketplace="US"))
    return analysis.poa_text() if plain else analysis.poa()


def golden_text(folder: Path = FOLDER, *, plain: bool = False) -> str:
    """A golden file's content: the hash header line, then the POA."""
    return HEADER.format(digest=input_hash(folder)) + "\n" + render(folder, plain=plain)


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(golden_text(), encoding="utf-8")
    GOLDEN_TEXT.write_text(golden_text(plain=True), encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)} and {GOLDEN_TEXT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
