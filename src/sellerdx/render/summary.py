"""``summary.json``: the machine-readable result of an analysis (a public contract, see README).

schema_version 1:
``{"schema_version", "sellerdx_version", "as_of", "folder", "options", "inputs": [...], "skipped": [...],
"rows": {read, loaded, rejected}, "metrics": {"odr": {"mfn", "afn", "all"}, "pfcr", "lsr_10d", "lsr_30d",
"vtr", "otdr", "otdr_units"}, "findings": [...], "reconciliation": [...], "unmatched_defects": n,
"warnings": [...]}``; every metric carries ``coverage`` (share of its window's days the orders cover).
Keys may be added in later versions; existing keys keep their meaning.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import _jsonable

if TYPE_CHECKING:
    from ..analysis import Analysis

SCHEMA_VERSION = 1


def build_summary(analysis: Analysis) -> dict[str, Any]:
    """The summary document of an analysis, as plain JSON-ready data."""
    from .. import __version__
    from ..metrics import summary_metrics, unmatched_defects

    inputs = analysis.inputs
    files = [{"path": f.path, "kind": f.kind, "encoding": f.encoding, "delimiter": f.delimiter,
              "rows_read": f.rows_read, "rows_loaded": f.rows_loaded, "rows_rejected": f.rows_rejected,
              "rows_duplicate": f.rows_duplicate, "date_min": f.date_min, "date_max": f.date_max,
              "warnings": list(f.warnings)} for f in inputs.files]
    files += [{"path": p, "kind": "performance", "encoding": "utf-8", "delimiter": "json", "rows_read": 0,
               "rows_loaded": 0, "rows_rejected": 0, "rows_duplicate": 0, "date_min": None, "date_max": None,
               "warnings": []} for p in inputs.performance_files]
    options = dataclasses.asdict(analysis.options)
    options["as_of"] = analysis.options.as_of
    doc = {
        "schema_version": SCHEMA_VERSION,
        "sellerdx_version": __version__,
        "as_of": analysis.as_of,
        "folder": str(analysis.folder),
        "options": options,
        "inputs": files,
        "skipped": [s.to_dict() for s in inputs.skipped],
        "rows": {"read": inputs.rows_read, "loaded": inputs.rows_loaded, "rejected": inputs.rows_rejected},
        "metrics": summary_metrics(analysis.metric_results),
        "findings": [f.to_dict() for f in analysis.finding_list],
        "reconciliation": [_jsonable(r) for r in analysis.reconciliation],
        "unmatched_defects": int(len(unmatched_defects(analysis.con, analysis.params))),
        "warnings": list(analysis.warnings),
    }
    return _jsonable(doc)


def write_summary(analysis: Analysis, path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(build_summary(analysis), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
