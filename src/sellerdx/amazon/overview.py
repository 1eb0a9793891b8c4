"""Everything about Amazon's own report for one analysis: the verdict, the period check and the snapshots.

:func:`build_overview` is what ``Analysis.amazon`` returns; the terminal headline, the report banner and
``summary.json`` read it. Building it stores every performance report of the folder in the history
(:mod:`sellerdx.amazon.history`), whether or not the data cache is on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import MetricResult, jsonable
from .history import Snapshot, TrendPoint, load_snapshots, store_all, trends
from .reconcile import another_period, period_text
from .report import PerformanceReport, parse_performance
from .verdict import AmazonVerdict, amazon_verdict, rating_text


@dataclass(frozen=True)
class AmazonOverview:
    """Amazon's verdict, whether its report covers the data's period, and the snapshots kept."""
    verdict: AmazonVerdict
    reports: tuple[PerformanceReport, ...]
    period_notes: tuple[str, ...]                   # "Amazon's performance report covers another period ..."
    history_dir: str
    snapshots: tuple[Snapshot, ...]
    trends: dict[tuple[str, str], list[TrendPoint]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)   # metric key -> label
    stored: int = 0                                 # snapshots added by this run
    warnings: tuple[str, ...] = ()

    @property
    def at_risk(self) -> bool:
        return self.verdict.at_risk

    def to_summary(self) -> dict[str, Any]:
        """The ``amazon`` object of summary.json."""
        v = self.verdict
        return jsonable({
            "at_risk": v.at_risk,
            "headline": v.headline,
            "account_statuses": [a.to_dict() for a in v.accounts],
            "account_health_rating": [r.to_dict() | {"text": rating_text(r)} for r in v.ratings],
            "invoice_defect_rate": [f.to_dict() for f in v.invoice],
            "policy": [f.to_dict() for f in v.policy],
            "marked_bad": [f.to_dict() for f in v.bad],
            "unknown_metrics": [f.to_dict() for f in v.unknown],
            "metrics": [f.to_dict() for f in v.figures],
            "warning_states": [{"marketplace": m, "type": t, "status": s} for m, t, s in v.warning_states],
            "problems": list(v.problems),
            "period_notes": list(self.period_notes),
            "history": {"folder": self.history_dir, "stored_now": self.stored,
                        "snapshots": [s.to_dict() for s in self.snapshots]},
        })


def build_overview(performance: Sequence[tuple[str, Any]], results: Mapping[str, MetricResult], *,
                   span: tuple[dt.date | None, dt.date | None], history_dir: str | Path) -> AmazonOverview | None:
    """The overview of the folder's performance reports ((path, decoded JSON) pairs); None without any."""
    if not performance:
        return None
    reports = tuple(parse_performance(raw, source=path) for path, raw in performance)
    verdict = amazon_verdict(reports, results)
    assert verdict is not None
    notes = [n for n in (another_period(r, span) for r in reports) if n]
    stored, warnings = store_all(performance, history_dir)
    pairs, skipped = load_snapshots(history_dir)
    labels = {m.key: m.label for r in reports for mp in r.marketplaces for m in mp.metrics.values()}
    labels.update({m.key: m.label for _, r in pairs for mp in r.marketplaces for m in mp.metrics.values()
                   if m.key not in labels})
    return AmazonOverview(verdict=verdict, reports=reports, period_notes=tuple(notes),
                          history_dir=str(history_dir), snapshots=tuple(s for s, _ in pairs),
                          trends=trends(pairs), labels=labels, stored=stored,
                          warnings=tuple(warnings + skipped))


__all__ = ["AmazonOverview", "build_overview", "period_text"]
