"""Build the HTML report's :class:`~sellerdx.render.context.ReportContext` from an ``Analysis``.

This is the one place that asks the pipeline for what the page shows: metrics, daily series, findings
with their breakdowns and evidence orders (``queries/report_evidence.sql``), removable feedback and the
ODR what-if, the recovery calendar, Amazon's numbers beside the recomputed ones, data quality and the
Plan of Action. Which columns each table keeps is data (``data/definitions.toml`` ``[evidence_columns]``
and ``[table_columns]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from sellerdx import __version__, assets, store
from sellerdx.model import Finding, MetricResult
from sellerdx.render.context import ReportContext, WhatIf, build_context as assemble, vocabulary

if TYPE_CHECKING:
    from sellerdx.analysis import Analysis

REJECTED_ROWS_FILE = "rejected_rows.csv"   # written next to report.html by Analysis.write


def keep_columns(frame: pd.DataFrame, columns: Sequence[str], *, drop_empty: bool = False) -> pd.DataFrame:
    """``frame`` with only ``columns`` (those it has, in that order); optionally without all-empty ones."""
    kept = frame[[c for c in columns if c in frame.columns]]
    if drop_empty:
        kept = kept[[c for c in kept.columns if kept[c].notna().any()]]
    return kept.reset_index(drop=True)


def evidence_frame(con: duckdb.DuckDBPyConnection, finding: Finding) -> pd.DataFrame | None:
    """The finding's evidence orders with the columns listed for its metric family; None without orders."""
    if not finding.order_ids:
        return None
    rows = con.execute(assets.load_query("report_evidence"), {"order_ids": list(finding.order_ids)}).df()
    columns = vocabulary()["evidence_columns"]
    family = finding.metric.split("_")[0]
    return keep_columns(rows, columns.get(family, columns["default"]), drop_empty=True)


def what_if_rows(metrics: Mapping[str, MetricResult], after: Mapping[str, MetricResult]) -> list[WhatIf]:
    """One :class:`WhatIf` per metric whose numerator drops once the removable feedback is gone."""
    out = []
    for key, result in after.items():
        now = metrics.get(key)
        if now is None or now.rate is None or result.numerator >= now.numerator:
            continue
        out.append(WhatIf(now, now.numerator - result.numerator, result.rate))
    return out


def _window_text(start: Any, end: Any) -> str | None:
    if start is None or end is None:
        return None
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"


def reconciliation_frame(rows: Iterable[Any]) -> pd.DataFrame | None:
    """Amazon vs recomputed, one row per metric (and marketplace when there are several)."""
    records = []
    for r in rows:
        records.append({
            "marketplace": r.marketplace_id,
            "metric": r.label,
            "amazon_rate": r.amazon.rate,
            "amazon_window": _window_text(r.amazon.window_start, r.amazon.window_end),
            "recomputed_rate": r.ours.rate,
            "recomputed_window": _window_text(r.ours.window_start, r.ours.window_end),
            "recomputed_on_amazon_window": (r.ours_on_amazon_window.rate
                                            if r.ours_on_amazon_window is not None else None),
            "explanation": " ".join(r.explanations),
        })
    if not records:
        return None
    frame = pd.DataFrame.from_records(records)
    if frame["marketplace"].nunique(dropna=False) <= 1:
        frame = frame.drop(columns="marketplace")
    return frame


def build_context(analysis: Analysis, *, rejected_path: str | None = REJECTED_ROWS_FILE) -> ReportContext:
    """Everything the HTML report of ``analysis`` shows (runs the stages it needs)."""
    from sellerdx import metrics as m

    con, params = analysis.con, analysis.params
    m.prepare(con)
    results = analysis.metric_results
    findings = analysis.finding_list
    tables = vocabulary()["table_columns"]

    daily = {key: analysis.daily(key) for key, r in results.items() if r.rate is not None}
    breakdowns = {f.code: analysis.breakdown(f.chart["metric"], f.chart["by"])
                  for f in findings if f.chart and f.chart.get("by") and f.chart.get("metric")}
    evidence = {f.code: evidence_frame(con, f) for f in findings}

    removable = m.removable_feedback(con, params) if "feedback" in store.supplied_kinds(con) else None
    what_if = what_if_rows(results, m.what_if(con, params, removable)) if removable is not None else []

    inputs = analysis.inputs
    warnings = list(analysis.warnings) + [w for perf in analysis.performance for w in perf.warnings]
    return assemble(
        seller=Path(str(analysis.folder)).name or str(analysis.folder),
        metrics=results,
        as_of=analysis.as_of,
        daily=daily,
        findings=findings,
        breakdowns=breakdowns,
        evidence={k: v for k, v in evidence.items() if v is not None},
        removable=keep_columns(removable, tables["removable"]) if removable is not None else None,
        what_if=what_if,
        recovery=keep_columns(m.recovery_calendar(con, params), tables["recovery"]),
        reconciliation=reconciliation_frame(analysis.reconciliation),
        files=inputs.files,
        skipped=inputs.skipped,
        unmatched=keep_columns(m.unmatched_defects(con, params), tables["unmatched"]),
        warnings=warnings,
        rejected_count=inputs.rows_rejected,
        rejected_path=rejected_path if inputs.rows_rejected else None,
        rejected=inputs.rejected.rename(columns={"path": "file", "column_name": "column"}),
        performance_files=inputs.performance_files,
        poa=analysis.poa(),
        version=__version__,
    )


__all__ = ["build_context", "evidence_frame", "keep_columns", "reconciliation_frame", "what_if_rows",
           "REJECTED_ROWS_FILE"]
