"""The computed result of one analysis: everything any output shows, computed once.

``sellerdx.describe.describe`` runs the pipeline (metrics, diagnosis, evidence, recovery, Amazon's report)
and returns one :class:`AnalysisResult`. The renderers in :mod:`sellerdx.render` (HTML report,
summary.json, Plan of Action, evidence.csv, notebook cards) are pure functions of it: they hold no DuckDB
connection, run no SQL and import no pipeline module (an import-linter contract in pyproject.toml checks
this). Like ydata-profiling's description step: compute → a description → report structure → render.

The values are frozen dataclasses; tables are pandas DataFrames that nobody mutates after ``describe``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .model import FileReport, Finding, MetricResult, SkippedFile
from .options import Options


@dataclass(frozen=True)
class Inputs:
    """What was read: a report per file, the files skipped and why, and the quarantined rows."""
    folder: str
    files: tuple[FileReport, ...]
    skipped: tuple[SkippedFile, ...]
    rejected: pd.DataFrame                  # path, line, column_name, value, reason
    performance_files: tuple[str, ...] = ()

    @property
    def rows_read(self) -> int:
        """Data rows read from every file (blank lines are not rows)."""
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        """Rows that passed every check and were loaded (rows_read = rows_loaded + rows_rejected)."""
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        """Rows quarantined, each with its reason in ``rejected``."""
        return sum(f.rows_rejected for f in self.files)

    def to_frame(self) -> pd.DataFrame:
        """One row per file (read or skipped)."""
        rows = [{"path": f.path, "kind": f.kind, "encoding": f.encoding, "delimiter": f.delimiter,
                 "rows_read": f.rows_read, "rows_loaded": f.rows_loaded, "rows_rejected": f.rows_rejected,
                 "rows_duplicate": f.rows_duplicate, "date_min": f.date_min, "date_max": f.date_max,
                 "warnings": "; ".join(f.warnings)} for f in self.files]
        rows += [{"path": p, "kind": "performance"} for p in self.performance_files]
        rows += [{"path": s.path, "kind": "skipped", "warnings": s.reason} for s in self.skipped]
        frame = pd.DataFrame(rows)
        for col in ("rows_read", "rows_loaded", "rows_rejected", "rows_duplicate"):
            if col in frame:
                frame[col] = frame[col].astype("Int64")
        return frame

    def _repr_html_(self) -> str:
        """The per-file table, for Jupyter."""
        return self.to_frame().to_html(index=False, na_rep="")


@dataclass(frozen=True)
class WhatIf:
    """A metric's rate if its removable defects (negative feedback Amazon would remove) were removed.

    Attributes:
        metric: the metric as computed.
        removable: how many of its counted defects are removable.
        rate_after: the rate without them (``None`` when the metric has no rate).
        status_after: the metric's status at ``rate_after`` (decided by the metrics stage).
    """
    metric: MetricResult
    removable: int
    rate_after: float | None
    status_after: str


@dataclass(frozen=True, eq=False)
class FindingResult:
    """A root cause with everything shown beside it.

    Attributes:
        finding: the :class:`~sellerdx.model.Finding` (statement, share, entities, actions, chart).
        breakdown: the breakdown named by ``finding.chart`` (columns ``group``/``value``, ``orders``,
            ``defects``, ``rate``, ``share``...), or ``None``.
        evidence: its evidence orders, one row per order, from the one evidence query
            (``queries/report/evidence_orders.sql``): every output names the same item for an order.
    """
    finding: Finding
    breakdown: pd.DataFrame | None = None
    evidence: pd.DataFrame | None = None

    @property
    def code(self) -> str:
        return self.finding.code


@dataclass(frozen=True)
class MetricFigure:
    """One metric as the Plan of Action quotes it: Amazon's figure first when Amazon's report has it,
    sellerdx's recomputation beside it only where they differ, with the one-line reason.

    Attributes:
        metric: sellerdx's recomputation.
        amazon_rate, amazon_numerator, amazon_denominator, amazon_window_start, amazon_window_end:
            Amazon's figure (``None`` without Amazon's report).
        differs: whether the two figures differ (rate, or counts when Amazon gives them).
        reason: why they differ, in one line (empty when they agree or Amazon's figure is missing).
    """
    metric: MetricResult
    amazon_rate: float | None = None
    amazon_numerator: int | None = None
    amazon_denominator: int | None = None
    amazon_window_start: dt.date | None = None
    amazon_window_end: dt.date | None = None
    differs: bool = False
    reason: str = ""


@dataclass(frozen=True)
class PreventiveStep:
    """A preventive measure the seller commits to: what, owner (a role), how often, measurable target."""
    action: str
    owner: str
    frequency: str
    target: str


@dataclass(frozen=True)
class CauseSection:
    """One root cause of the Plan of Action, answering every defect it explains, whatever the metric.

    Attributes:
        code: the section's id: the code of its (first) finding, ``account.<theme>`` for an account-wide
            cause of the seller's process, or ``other`` for the defects no cause explains.
        title: the cause in a few words, as a heading.
        findings: the finding codes merged into this cause (several when one carrier explains claims and
            late deliveries).
        metrics: the metric keys whose defects it answers, in display order.
        defect_counts: defect label -> orders answered (e.g. ``{"negative_feedback": 19}``).
        root_cause: the seller's own account of the process that failed ("Our packing ..."), with the
            mechanism and numbers from the data and ``[[…]]`` only for what only the seller knows.
        facts: the numbers behind it, one line each.
        quotes: up to two short buyer comments (untrusted text: renderers neutralise it).
        corrective: actions the seller may have taken, each to keep (with its date) or delete.
        preventive: preventive measures with owner role, frequency and target.
        attachments: documents to attach for this cause.
        orders: the orders it answers, sorted.
        confidence: the finding's confidence (``None`` for account-wide and other sections).
        reasons: for the ``other`` section, (stated reason, orders) pairs.
    """
    code: str
    title: str
    findings: tuple[str, ...]
    metrics: tuple[str, ...]
    defect_counts: Mapping[str, int]
    root_cause: str
    facts: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    corrective: tuple[str, ...] = ()
    preventive: tuple[PreventiveStep, ...] = ()
    attachments: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    confidence: str | None = None
    reasons: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class AnsweredDefect:
    """A counted defect order of a metric window and the one section that answers it."""
    metric: str
    order_id: str
    defect: str
    reason: str
    section: str


@dataclass(frozen=True)
class PlanOfAction:
    """What the Plan of Action says, decided once (render/poa.py writes it as Markdown and plain text).

    Attributes:
        families: the metric families the plan answers (``odr``, ``lsr``, ...), in display order.
        scope_source: why these: ``notice`` (``--notice``), ``amazon`` (Amazon's report marks them at
            risk), ``at_risk`` (sellerdx's recomputation), or ``none``.
        figures: the metrics quoted, Amazon's figure first.
        sections: one per root cause, then ``other`` when some defects have no cause.
        answered: every counted defect order of the plan's metric windows, each answered by one section.
        also_improving: at-risk metrics outside the notice (an appendix).
        as_of: the day the windows end.
    """
    families: tuple[str, ...]
    scope_source: str
    figures: tuple[MetricFigure, ...]
    sections: tuple[CauseSection, ...]
    answered: tuple[AnsweredDefect, ...]
    also_improving: tuple[MetricFigure, ...] = ()
    as_of: dt.date | None = None

    def section_of(self, metric: str, order_id: str) -> str | None:
        """The section answering ``order_id`` for ``metric``, if the plan answers it."""
        for a in self.answered:
            if a.metric == metric and a.order_id == order_id:
                return a.section
        return None


@dataclass(frozen=True)
class ExportNeeded:
    """An export the folder lacked that would compute or complete some metrics (the report's checklist).

    Attributes:
        kind: the report kind (``"feedback"``, ``"shipments"``...).
        label: its name in Seller Central ("Feedback Manager download"), from ``data/reports.toml``.
        where: where Seller Central has it, from ``data/reports.toml``.
        computes: keys of the metrics not computed without it (for a metric that needs any one of several
            exports, each of them lists it).
        completes: keys of computed metrics it makes exact (defects not counted, or an upper bound).
    """
    kind: str
    label: str
    where: str
    computes: tuple[str, ...] = ()
    completes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricGaps:
    """What the missing exports do to one metric.

    Attributes:
        needs: export kinds it cannot be computed without (all of them needed).
        needs_any: export kinds of which it needs at least one (ODR's defect sources), all missing.
        uncounted: export kinds whose defects are not counted (the rate may be understated).
        upper_bound: the export kind whose absence makes the rate an upper bound, or ``None``.
    """
    needs: tuple[str, ...] = ()
    needs_any: tuple[str, ...] = ()
    uncounted: tuple[str, ...] = ()
    upper_bound: str | None = None


@dataclass(frozen=True, eq=False)
class AnalysisResult:
    """Everything any output of an analysis shows.

    Attributes:
        folder: the analysed folder.
        as_of: the day the metric windows end.
        options: the options in force.
        version: the sellerdx version that computed it.
        inputs: files read, skipped, quarantined rows.
        metrics: every metric by key, in display order (status, interval, note, recovery date decided).
        findings: root causes with their breakdown and evidence rows, in the diagnosis' order.
        daily: metric key -> rolling daily series (``date``, ``numerator``, ``denominator``, ``rate``...),
            for the metrics that have a rate.
        removable: negative feedback Amazon would remove (one row each), or ``None`` without feedback.
        what_if: per ODR metric with removable defects, the rate without them.
        recovery: the recovery calendar (order, metric, defect, purchase date, the day it leaves the window).
        unmatched: counting defects whose order is not in the orders data.
        performance: Amazon's own performance reports found in the folder, parsed.
        reconciliation: Amazon's numbers beside the recomputed ones, each gap explained.
        warnings: data-quality warnings in words (Amazon's report, reading).
        plan: the Plan of Action: causes, every counted defect answered once, Amazon's figures.
        amazon: Amazon's own verdict, period check and snapshot history (``sellerdx.amazon.overview``),
            ``None`` without Amazon's report.
        data_warnings: the data against the options (an ``--as-of`` past the orders' last day, ...).
        missing_exports: exports that would compute or complete a metric, in ``metrics.toml`` ``[exports]``
            order (the report's "to complete the picture" checklist).
        gaps: metric key -> what the missing exports do to it (only metrics with a gap).
        sales_channel: the marketplace these figures are of, when the orders hold several (``None`` with one).
        marketplaces: with several marketplaces, every one (most orders first), each with its own result;
            the top-level figures above are those of the one marked ``top_level``. Empty with one.
    """
    folder: str
    as_of: dt.date
    options: Options
    version: str
    inputs: Inputs
    metrics: Mapping[str, MetricResult]
    findings: tuple[FindingResult, ...] = ()
    daily: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    removable: pd.DataFrame | None = None
    what_if: tuple[WhatIf, ...] = ()
    recovery: pd.DataFrame | None = None
    unmatched: pd.DataFrame | None = None
    performance: tuple[Any, ...] = ()
    reconciliation: tuple[Any, ...] = ()
    warnings: tuple[str, ...] = ()
    plan: PlanOfAction | None = None
    amazon: Any = None
    data_warnings: tuple[str, ...] = ()
    missing_exports: tuple[ExportNeeded, ...] = ()
    gaps: Mapping[str, MetricGaps] = field(default_factory=dict)
    sales_channel: str | None = None
    marketplaces: tuple[MarketplaceResult, ...] = ()

    @property
    def other_marketplaces(self) -> tuple[MarketplaceResult, ...]:
        """The marketplaces other than the top-level one (empty with one marketplace)."""
        return tuple(m for m in self.marketplaces if not m.top_level)

    @property
    def seller(self) -> str:
        """A label for the seller: the analysed folder's name."""
        return Path(self.folder).name or self.folder

    @property
    def finding_list(self) -> tuple[Finding, ...]:
        """The findings alone, in order."""
        return tuple(f.finding for f in self.findings)

    @property
    def at_risk(self) -> tuple[MetricResult, ...]:
        """The metrics whose status is at risk, in display order."""
        return tuple(m for m in self.metrics.values() if m.status == "at_risk")


@dataclass(frozen=True, eq=False)
class MarketplaceResult:
    """One marketplace of a folder whose orders hold several (``sellerdx.marketplaces``).

    Attributes:
        sales_channel: the marketplace as the orders spell it (``Amazon.de``).
        orders: its orders in the orders data (all dates).
        result: its own analysis (metrics, findings, plan ... of its orders and their defects).
        top_level: whether it is the marketplace of the top-level figures.
        slug: a file-name part (``amazon-de``: ``poa-amazon-de.md``).
    """
    sales_channel: str
    orders: int
    result: AnalysisResult
    top_level: bool = False
    slug: str = ""

    @property
    def worst(self) -> MetricResult | None:
        """Its at-risk metric furthest from its target (rate / target, or target / rate for a rate that
        must stay above), ``None`` when no metric is at risk."""
        def distance(m: MetricResult) -> float:
            rate = m.rate or 0.0
            if m.direction == "below":
                return rate / m.target if m.target else float("inf")
            return m.target / rate if rate else float("inf")
        risky = self.result.at_risk
        return max(risky, key=distance) if risky else None


__all__ = ["AnalysisResult", "MarketplaceResult", "AnsweredDefect", "CauseSection", "ExportNeeded", "FindingResult", "Inputs",
           "MetricFigure", "MetricGaps", "PlanOfAction", "PreventiveStep", "WhatIf"]
