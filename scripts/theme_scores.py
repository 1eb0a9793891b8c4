#!/usr/bin/env python
"""Recall and precision of the feedback themes on the hand-labelled comments (tests/data/themes_labelled/).

Prints one Markdown row per language (and per theme with --by-theme) for the tuning set (`comments`)
and the held-out set (`heldout`), counted over (comment, theme) pairs: recall = found / labelled,
precision = correct / found. docs/themes.md records the figures; tests/test_themes.py asserts floors.

    PYTHONPATH=src .venv/bin/python scripts/theme_scores.py [--by-theme]
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from sellerdx.themes import THEMES, classify

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "data" / "themes_labelled"


def score(items: list[dict]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) over (comment, theme) pairs."""
    tp = fp = fn = 0
    for item in items:
        expected, found = set(item["themes"]), set(classify(item["text"])) & set(THEMES)
        tp += len(expected & found)
        fp += len(found - expected)
        fn += len(expected - found)
    return tp, fp, fn


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


def main() -> None:
    sets = {f.stem: tomllib.loads(f.read_text(encoding="utf-8")) for f in sorted(FOLDER.glob("*.toml"))}
    print("| language | comments | recall | precision | held out | recall | precision |")
    print("|---|---|---|---|---|---|---|")
    for lang, data in sets.items():
        tp, fp, fn = score(data["comments"])
        htp, hfp, hfn = score(data.get("heldout", []))
        print(f"| {lang} | {len(data['comments'])} | {ratio(tp, tp + fn)} | {ratio(tp, tp + fp)} "
              f"| {len(data.get('heldout', []))} | {ratio(htp, htp + hfn)} | {ratio(htp, htp + hfp)} |")
    if "--by-theme" in sys.argv:
        print("\n| theme | recall | precision |\n|---|---|---|")
        for theme in THEMES:
            items = [dict(text=i["text"], themes=[t for t in i["themes"] if t == theme])
                     for data in sets.values() for i in data["comments"]]
            tp = fp = fn = 0
            for item in items:
                found = theme in classify(item["text"])
                want = bool(item["themes"])
                tp += found and want
                fp += found and not want
                fn += want and not found
            print(f"| {theme} | {ratio(tp, tp + fn)} | {ratio(tp, tp + fp)} |")


if __name__ == "__main__":
    main()
