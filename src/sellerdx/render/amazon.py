"""The report's banner of Amazon's own verdict and the trend of Amazon's numbers over the snapshots kept.

:func:`amazon_banner` turns an :class:`~sellerdx.amazon.overview.AmazonOverview` into the strings and
charts that ``templates/_amazon.html.j2`` shows (Python decides what to show, the template how);
:func:`snapshot_chart` draws one of Amazon's metrics over the snapshots with the chart helpers of
:mod:`sellerdx.render.charts` (matplotlib object API, inline SVG, text escaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..amazon.verdict import marketplace_name, rating_text
from ..i18n import formats
from ..i18n.active import _, gettext
from .charts import LINE, date_formatter, drawing, fit, new_figure, percent_formatter, to_svg

SNAPSHOT_PLOT = (290.16, 93.024)   # points: the plot area of a snapshot chart (as in the tight-box layout)


@dataclass(frozen=True)
class FigureRow:
    """One of Amazon's metrics as the banner lists it (already in words)."""
    label: str
    marketplace: str
    value: str
    status: str
    window: str
    bad: bool
    recomputable: bool
    note: str
    problems: tuple[str, ...]
    known: bool
    note_ref: int | None = None      # number of its note in AmazonBanner.bad_notes (bad metrics only)


@dataclass(frozen=True)
class TrendView:
    """One of Amazon's metrics over the snapshots: a chart (two points or more) and the points in words."""
    label: str
    marketplace: str
    chart: Markup | None
    points: tuple[tuple[str, str, str], ...]     # (range end, value, Amazon's status)


@dataclass(frozen=True)
class AmazonBanner:
    """What the report shows of Amazon's own report, first."""
    at_risk: bool
    headline: str
    accounts: tuple[tuple[str, str, bool], ...]           # (marketplace, status, bad)
    ratings: tuple[tuple[str, str, bool, str], ...]       # (marketplace, "WARNED, 150 points (at risk)", bad, note)
    bad: tuple[FigureRow, ...]
    bad_notes: tuple[str, ...]                            # the notes of the bad metrics, each once, numbered 1..
    invoice: tuple[FigureRow, ...]
    unknown: tuple[FigureRow, ...]
    figures: tuple[FigureRow, ...]
    problems: tuple[str, ...]
    period_notes: tuple[str, ...]
    warning_states: tuple[tuple[str, str, str], ...]
    trends: tuple[TrendView, ...]
    single_point: tuple[str, ...]                         # metrics seen in one snapshot only
    history_dir: str
    snapshot_count: int
    stored_now: int


# Texts composed here are written in the language active when amazon_banner runs (report_context's).
def _pct(value: float) -> str:
    return formats.percent(value, 2)


def _n(value: int) -> str:
    return formats.decimal(value)


def _row(f: Any) -> FigureRow:
    window = (f"{formats.date(f.window_start)} – {formats.date(f.window_end)}"
              if f.window_start and f.window_end else "—")
    value = f.value
    if f.parts and f.group == "invoice":
        value += " (" + ", ".join(f"{gettext(k.replace('_', ' '))} {_n(n)}" for k, n in f.parts.items()) + ")"
    return FigureRow(label=f.label, marketplace=f.marketplace, value=value, status=f.status or "—", window=window,
                     bad=f.bad, recomputable=f.recomputable, note=f.note or "", problems=tuple(f.problems),
                     known=f.known)


def _point_value(p: Any) -> str:
    """"2.50% (1 of 40)", "5" (a count alone), "—"."""
    if p.rate is not None:
        both = p.numerator is not None and p.denominator is not None
        counts = " (" + _("{n} of {total}").format(n=_n(p.numerator), total=_n(p.denominator)) + ")" if both else ""
        return _pct(p.rate) + counts
    if p.numerator is not None and p.denominator is not None:
        return _("{n} of {total}").format(n=_n(p.numerator), total=_n(p.denominator))
    return _n(p.numerator) if p.numerator is not None else "—"


def snapshot_chart(points: Sequence[Any], label: str, chart_id: str) -> Markup | None:
    """One of Amazon's metrics by reporting-range end over the snapshots; None with fewer than two points."""
    rates = [(p.date, p.rate) for p in points if p.rate is not None]
    counts = [(p.date, p.numerator) for p in points if p.numerator is not None]
    use_rate = len(rates) >= 2
    data = rates if use_rate else counts
    if len(data) < 2:
        return None
    frame = pd.DataFrame(data, columns=["date", "value"])
    frame["date"] = pd.to_datetime(frame["date"])
    alt = (_("{label}: Amazon's rate in {n} snapshots, from {start} to {end}") if use_rate else
           _("{label}: Amazon's count in {n} snapshots, from {start} to {end}")).format(
        label=label, n=_n(len(frame)), start=formats.date(frame["date"].min()), end=formats.date(frame["date"].max()))
    with drawing():
        fig, ax = new_figure()
        ax.plot(frame["date"].to_numpy(), frame["value"].to_numpy(dtype=float), color=LINE, lw=1.6, marker="o", ms=4)
        if use_rate:
            top = float(frame["value"].max())
            ax.yaxis.set_major_formatter(percent_formatter(1 if top < 0.1 else 0))
        else:
            from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - matplotlib only when a chart is drawn

            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        date_formatter(ax)   # English: matplotlib's own date ticks, as before
        ax.set_title(_("{label} (Amazon)").format(label=label), y=1)   # y=1: placed, the draw does not move it
        ax.set_xlabel(_("End of Amazon's reporting range"))
        fit(fig, ax, SNAPSHOT_PLOT, x_rotation=30, x_ha="right")
        for tick in ax.get_xticklabels():   # dates slanted as Figure.autofmt_xdate slants them
            tick.set(rotation=30, ha="right")
        return to_svg(fig, chart_id, alt)


def amazon_banner(overview: Any) -> AmazonBanner | None:
    """The banner's content from ``Analysis.amazon``; None without Amazon's report."""
    if overview is None:
        return None
    v = overview.verdict
    trends: list[TrendView] = []
    single: list[str] = []
    several_mps = len({mp for mp, _ in overview.trends}) > 1
    for i, ((mp, key), points) in enumerate(sorted(overview.trends.items())):
        label = gettext(overview.labels.get(key, key))
        shown = f"{label} ({marketplace_name(mp)})" if several_mps else label
        if len(points) < 2:
            single.append(shown)
            continue
        words = tuple((formats.date(p.date), _point_value(p), p.status or "—") for p in points)
        trends.append(TrendView(shown, marketplace_name(mp), snapshot_chart(points, shown, f"chart-amazon-{i}"),
                                words))
    notes: list[str] = []
    bad_rows = []
    for f in v.bad:
        row = _row(f)
        if row.recomputable:   # named in the headline; its card and the reconciliation below show it
            continue
        if row.note:
            if row.note not in notes:
                notes.append(row.note)
            row = FigureRow(**{**row.__dict__, "note_ref": notes.index(row.note) + 1})
        bad_rows.append(row)
    return AmazonBanner(
        at_risk=v.at_risk, headline=v.headline,
        accounts=tuple((a.marketplace, a.status.replace("_", " "), a.bad) for a in v.accounts),
        ratings=tuple((r.marketplace, rating_text(r), r.bad, r.note) for r in v.ratings),
        bad=tuple(bad_rows), bad_notes=tuple(notes), invoice=tuple(_row(f) for f in v.invoice),
        unknown=tuple(_row(f) for f in v.unknown), figures=tuple(_row(f) for f in v.figures),
        problems=v.problems, period_notes=overview.period_notes, warning_states=v.warning_states,
        trends=tuple(trends), single_point=tuple(single), history_dir=overview.history_dir,
        snapshot_count=len(overview.snapshots), stored_now=overview.stored)


__all__ = ["AmazonBanner", "FigureRow", "TrendView", "amazon_banner", "snapshot_chart"]
