"""``summary.json``: the machine-readable form of an ``AnalysisResult`` (a public contract, see README).

schema_version 1:
``{"schema_version", "sellerdx_version", "as_of", "folder", "options", "inputs": [...], "skipped": [...],
"rows": {read, loaded, rejected}, "metrics": {"odr": {"mfn", "afn", "all"}, "pfcr", "lsr_10d", "lsr_30d",
"vtr", "otdr", "otdr_units"}, "findings": [...], "reconciliation": [...], "unmatched_defects": n,
"warnings": [...], "amazon": {...} | null, "plan": {...} | null}``; every metric carries ``coverage`` (share of
its window's days the orders cover).
When the orders hold several marketplaces (sales channels), ``metrics`` and ``findings`` are those of the
top-level one, named by ``sales_channel``, and ``marketplaces`` lists every marketplace (most orders first):
``{"sales_channel", "orders", "top_level", "metrics", "findings", "reconciliation"}`` shaped as the top-level
keys of the same names (``reconciliation``: Amazon's figures for that marketplace). Both keys are absent with one marketplace.
``amazon`` (added in 0.x, null without Amazon's performance JSON) is Amazon's own verdict: ``at_risk``,
``headline``, ``account_statuses``, ``account_health_rating``, ``invoice_defect_rate``, ``policy``,
``marked_bad``, ``unknown_metrics``, ``metrics``, ``warning_states``, ``problems`` (impossible counts and
windows), ``period_notes`` and ``history`` (the stored snapshots).
Keys may be added in later versions; existing keys keep their meaning.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sellerdx.assets import load_toml
from sellerdx.model import MetricResult, jsonable
from sellerdx.result import AnalysisResult, PlanOfAction

SCHEMA_VERSION = 1


def summary_metrics(results: Mapping[str, MetricResult]) -> dict[str, Any]:
    """The ``metrics`` object of summary.json: ``{"odr": {"mfn": M, "afn": M, "all": M}, "pfcr": M,
    "lsr_10d": M or None, ...}`` with M = ``MetricResult.to_dict()``; a not-computed metric is None.
    Where each metric goes is data: ``summary_path`` in ``data/metrics.toml``."""
    configs = load_toml("metrics.toml")["metrics"]
    out: dict[str, Any] = {}
    for key, result in results.items():
        path = configs[key]["summary_path"]
        value = None if result.status == "not_computed" and len(path) == 1 else result.to_dict()
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return out


def plan_summary(plan: PlanOfAction | None) -> dict[str, Any] | None:
    """The Plan of Action in summary.json: its scope and, per section, the metrics and defects it answers."""
    if plan is None:
        return None
    return {
        "families": list(plan.families), "scope_source": plan.scope_source,
        "sections": [{"code": s.code, "title": s.title, "findings": list(s.findings), "metrics": list(s.metrics),
                      "defects": dict(s.defect_counts), "orders": len(s.orders)} for s in plan.sections],
        "answered": len(plan.answered),
    }


def summary_document(result: AnalysisResult) -> dict[str, Any]:
    """The summary document of an analysis result, as plain JSON-ready data."""
    inputs = result.inputs
    files = [{"path": f.path, "kind": f.kind, "encoding": f.encoding, "delimiter": f.delimiter,
              "rows_read": f.rows_read, "rows_loaded": f.rows_loaded, "rows_rejected": f.rows_rejected,
              "rows_duplicate": f.rows_duplicate, "date_min": f.date_min, "date_max": f.date_max,
              "warnings": list(f.warnings)} for f in inputs.files]
    files += [{"path": p, "kind": "performance", "encoding": "utf-8", "delimiter": "json", "rows_read": 0,
               "rows_loaded": 0, "rows_rejected": 0, "rows_duplicate": 0, "date_min": None, "date_max": None,
               "warnings": []} for p in inputs.performance_files]
    doc = {
        "schema_version": SCHEMA_VERSION,
        "sellerdx_version": result.version,
        "as_of": result.as_of,
        "folder": result.folder,
        "options": _options(result),
        "inputs": files,
        "skipped": [s.to_dict() for s in inputs.skipped],
        "rows": {"read": inputs.rows_read, "loaded": inputs.rows_loaded, "rejected": inputs.rows_rejected},
        "metrics": summary_metrics(result.metrics),
        "findings": [f.to_dict() for f in result.finding_list],
        "reconciliation": [jsonable(r) for r in result.reconciliation],
        "unmatched_defects": 0 if result.unmatched is None else int(len(result.unmatched)),
        "warnings": list(result.data_warnings),
        "amazon": result.amazon.to_summary() if result.amazon is not None else None,
        "plan": plan_summary(result.plan),
    }
    if result.marketplaces:   # several marketplaces: which one the figures above are, and every one
        doc["sales_channel"] = result.sales_channel
        doc["marketplaces"] = [{"sales_channel": mp.sales_channel, "orders": mp.orders, "top_level": mp.top_level,
                                "metrics": summary_metrics(mp.result.metrics),
                                "findings": [f.to_dict() for f in mp.result.finding_list],
                                "reconciliation": [jsonable(r) for r in mp.result.reconciliation]}
                               for mp in result.marketplaces]
    return jsonable(doc)


def _options(result: AnalysisResult) -> dict[str, Any]:
    """The options in force; ``sales_channel`` only when given (older summaries stay as they were)."""
    options = dataclasses.asdict(result.options)
    if options.get("sales_channel") is None:
        options.pop("sales_channel", None)
    return options


def write_summary(result: AnalysisResult, path: str | os.PathLike[str]) -> Path:
    """Write ``summary.json`` (UTF-8, indented) and return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(summary_document(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


__all__ = ["SCHEMA_VERSION", "summary_document", "summary_metrics", "write_summary"]
