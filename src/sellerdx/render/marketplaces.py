"""The report's view of the other marketplaces of a folder whose orders hold several (issue 12).

A pure function of the result: for each marketplace, its metrics, findings, Amazon-vs-recomputed rows
and the file of its Plan of Action, shown by ``templates/_marketplaces.html.j2``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sellerdx.i18n import Message, Term
from sellerdx.model import Finding, MetricResult
from sellerdx.result import AnalysisResult

POA_PATTERN = "poa-{slug}.md"   # written next to report.html by Analysis.write


@dataclass(frozen=True, eq=False)
class MarketplaceView:
    """One marketplace as the report shows it.

    Attributes:
        sales_channel: the marketplace (``Amazon.de``); orders: its orders in the data.
        top_level: whether the report's other sections show this marketplace.
        slug: the id part (``amazon-de``); poa_file: its Plan of Action next to the report.
        metrics: its metrics in display order; findings: its root causes.
        worst: its at-risk metric furthest from target, or ``None``.
        reconciliation: Amazon's figures for this marketplace beside its recomputation, or ``None``.
        warnings: what changes its numbers: its data warnings and its metrics' partial-data notes.
    """
    sales_channel: str
    orders: int
    top_level: bool
    slug: str
    poa_file: str
    metrics: tuple[MetricResult, ...]
    findings: tuple[Finding, ...]
    worst: MetricResult | None
    reconciliation: pd.DataFrame | None = None
    warnings: tuple[str, ...] = ()


def marketplace_views(result: AnalysisResult, reconciliation_frame: Callable[[Iterable[Any]], pd.DataFrame | None]
                      ) -> tuple[MarketplaceView, ...]:
    """Every marketplace of ``result`` (most orders first); empty when the orders hold one.
    ``reconciliation_frame`` turns reconciliation rows into the report's table (``render.report``)."""
    return tuple(MarketplaceView(
        sales_channel=mp.sales_channel, orders=mp.orders, top_level=mp.top_level, slug=mp.slug,
        poa_file="poa.md" if mp.top_level else POA_PATTERN.format(slug=mp.slug),
        metrics=tuple(mp.result.metrics.values()), findings=mp.result.finding_list, worst=mp.worst,
        reconciliation=reconciliation_frame(mp.result.reconciliation),
        warnings=(*mp.result.data_warnings, *(Message("{metric}: partial data: {note}",
                                                      {"metric": Term(m.label), "note": m.coverage_note})
                                              for m in mp.result.metrics.values() if m.coverage_note)))
        for mp in result.marketplaces)


__all__ = ["MarketplaceView", "marketplace_views"]
