"""The HTML report's structure: a :class:`~sellerdx.render.context.ReportContext` from an ``AnalysisResult``.

A pure function of the computed result (no query, no pipeline import): it chooses which columns each
table keeps (data: ``data/definitions.toml`` ``[evidence_columns]`` and ``[table_columns]``), turns
Amazon's reconciliation rows into a table and hands everything to :func:`~sellerdx.render.context.assemble`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from sellerdx.i18n import formats
from sellerdx.i18n.active import use
from sellerdx.i18n.message import localize
from sellerdx.render.amazon import amazon_banner
from sellerdx.render.context import FindingView, ReportContext, assemble, default_definitions, vocabulary
from sellerdx.render.marketplaces import marketplace_views
from sellerdx.render.poa import poa_text
from sellerdx.result import AnalysisResult, FindingResult

REJECTED_ROWS_FILE = "rejected_rows.csv"   # written next to report.html by Analysis.write
_BLANK = re.compile(r"\[\[(.+?)\]\]")


def keep_columns(frame: pd.DataFrame, columns: Sequence[str], *, drop_empty: bool = False) -> pd.DataFrame:
    """``frame`` with only ``columns`` (those it has, in that order); optionally without all-empty ones."""
    kept = frame[[c for c in columns if c in frame.columns]]
    if drop_empty:
        kept = kept[[c for c in kept.columns if kept[c].notna().any()]]
    return kept.reset_index(drop=True)


def evidence_table(item: FindingResult) -> pd.DataFrame | None:
    """The finding's evidence orders with the columns listed for its metric family; None without orders."""
    if item.evidence is None:
        return None
    columns = vocabulary()["evidence_columns"]
    family = item.finding.metric.split("_")[0]
    return keep_columns(item.evidence, columns.get(family, columns["default"]), drop_empty=True)


def _window_text(start: Any, end: Any) -> str | None:
    if start is None or end is None:
        return None
    return f"{formats.date(start)} – {formats.date(end)}"   # ISO in English, the locale's days elsewhere


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
            # the one-line gap, in the language being written (the rows' sentences are Messages)
            "explanation": str(localize(getattr(r, "explanation", "") or ""))
            or " ".join(str(localize(e)) for e in r.explanations),
        })
    if not records:
        return None
    frame = pd.DataFrame.from_records(records)
    if frame["marketplace"].nunique(dropna=False) <= 1:
        frame = frame.drop(columns="marketplace")
    return frame


def poa_pairs(original: str, translation: str) -> tuple[tuple[tuple[str, str | None], ...], tuple[tuple[str, str], ...]]:
    """The plan in the POA's language beside its translation, line by line (each line of poa.txt is one
    paragraph: a heading, a figure, a cause, an action; both come from the same template and messages), and its
    ``[[blanks]]`` as ``(blank in the POA's language, blank in the reader's)``, each once. A translation that
    reads the same (an order list) is ``None``. Should the two ever differ in lines, the whole text pairs with
    the whole translation."""
    left, right = original.splitlines(), translation.splitlines()
    if len(left) != len(right):
        left, right = [original], [translation]
    pairs = tuple((a, None if a == b else b) for a, b in zip(left, right, strict=True))
    blanks: dict[str, str] = {}
    for a, b in zip(left, right, strict=True):
        theirs, ours = _BLANK.findall(a), _BLANK.findall(b)
        if len(theirs) == len(ours):
            for blank, meaning in zip(theirs, ours, strict=True):
                blanks.setdefault(f"[[{blank}]]", f"[[{meaning}]]")
    return pairs, tuple(blanks.items())


def report_context(result: AnalysisResult, *, poa: str = "",
                   rejected_path: str | None = REJECTED_ROWS_FILE) -> ReportContext:
    """Everything the HTML report of ``result`` shows; ``poa`` is the Plan of Action text it embeds."""
    with use(result.options.lang):   # texts composed here (Amazon's banner) are in the report's language
        return _report_context(result, poa=poa, rejected_path=rejected_path)


def _report_context(result: AnalysisResult, *, poa: str, rejected_path: str | None) -> ReportContext:
    tables = vocabulary()["table_columns"]
    inputs = result.inputs
    lang, poa_lang = result.options.lang, result.options.poa_lang
    pairs: tuple[tuple[str, str | None], ...] = ()
    blanks: tuple[tuple[str, str], ...] = ()
    if poa and lang != poa_lang:   # the seller reads the plan Amazon will read, paragraph by paragraph
        pairs, blanks = poa_pairs(poa, poa_text(result, lang))
    views = [FindingView(item.finding, result.metrics.get(item.finding.metric), item.breakdown,
                         evidence_table(item)) for item in result.findings]
    context = assemble(
        seller=result.seller,
        metrics=result.metrics,
        as_of=result.as_of,
        daily=result.daily,
        findings=views,
        removable=keep_columns(result.removable, tables["removable"]) if result.removable is not None else None,
        what_if=result.what_if,
        recovery=keep_columns(result.recovery, tables["recovery"]) if result.recovery is not None else None,
        reconciliation=reconciliation_frame(result.reconciliation),
        files=inputs.files,
        skipped=inputs.skipped,
        unmatched=keep_columns(result.unmatched, tables["unmatched"]) if result.unmatched is not None else None,
        warnings=(result.data_warnings + result.warnings
                  + (tuple(result.amazon.warnings) if result.amazon is not None else ())),
        rejected_count=inputs.rows_rejected,
        rejected_path=rejected_path if inputs.rows_rejected else None,
        rejected=inputs.rejected.rename(columns={"path": "file", "column_name": "column"}),
        performance_files=inputs.performance_files,
        poa=poa,
        version=result.version,
        missing_exports=result.missing_exports,
        gaps=result.gaps,
        amazon=amazon_banner(result.amazon),
        lang=lang,
        poa_lang=poa_lang,
        poa_pairs=pairs,
        poa_blanks=blanks,
    )
    if not result.marketplaces:
        return context
    return replace(context, marketplaces=marketplace_views(result, reconciliation_frame),
                   definitions=default_definitions(include=("several_marketplaces",)))


__all__ = ["evidence_table", "keep_columns", "poa_pairs", "reconciliation_frame", "report_context",
           "REJECTED_ROWS_FILE"]
