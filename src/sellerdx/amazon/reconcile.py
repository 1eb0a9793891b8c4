"""Amazon's numbers beside sellerdx's: each metric recomputed on Amazon's window, every gap explained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from .. import metrics, store
from ..metrics import MetricParams
from ..model import MetricResult, _Serializable
from .report import AmazonMetric, PerformanceReport, _cfg


@dataclass(frozen=True)
class Reconciliation(_Serializable):
    """Amazon's number beside sellerdx's for one metric and marketplace, with the gap explained."""
    marketplace_id: str | None
    metric: str
    label: str
    amazon: AmazonMetric
    ours: MetricResult
    ours_on_amazon_window: MetricResult | None
    gap: float | None                       # ours.rate - amazon.rate
    explanations: tuple[str, ...]


# --------------------------------------------------------------------------------------------------
# Reconciliation


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _pct(rate: float | None) -> str:
    return "no rate" if rate is None else f"{rate * 100:.2f}%"


def _frac(k: int | None, n: int | None, rate: float | None) -> str:
    if k is None or n is None:
        return _pct(rate)
    return f"{k} of {n} ({_pct(rate)})"


def _days(start: dt.date | None, end: dt.date | None) -> str:
    if start is None or end is None:
        return "an unstated window"
    return f"{start.isoformat()} to {end.isoformat()} ({(end - start).days + 1} days)"


_COMPONENT_KIND = {"negative_feedback": ("negative_feedback", "negative feedback", "feedback"),
                   "claims": ("a_to_z_claim", "A-to-z claims", "claims"),
                   "chargebacks": ("chargeback", "chargebacks", "chargebacks")}


def _unmatched_since(unmatched: list[dict[str, Any]], kind: str, start: dt.date | None) -> int:
    return sum(1 for u in unmatched if u["kind"] == kind
               and (start is None or u["defect_date"] is None or u["defect_date"] >= start))


def _explain(amazon: AmazonMetric, ours: MetricResult, same: MetricResult | None, *,
             as_of: dt.date, params: MetricParams, span: tuple[dt.date | None, dt.date | None],
             supplied: set[str], unmatched: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    label = ours.label
    if amazon.rate is None and amazon.denominator is None:
        return [f"Amazon's report gives no number for {label}."]
    if ours.status == "not_computed":
        reason = (ours.note or "").removeprefix("not computed: ")
        out.append(f"sellerdx could not recompute {label}: {reason}. Amazon reports "
                   f"{_frac(amazon.numerator, amazon.denominator, amazon.rate)}.")
        return out
    # 1. windows
    same_window = (amazon.window_start, amazon.window_end) == (ours.window_start, ours.window_end)
    if amazon.window_end is not None and not same_window:
        text = (f"Different windows: Amazon counts purchases from {_days(amazon.window_start, amazon.window_end)}, "
                f"sellerdx from {_days(ours.window_start, ours.window_end)} (as-of {as_of.isoformat()}")
        if ours.key.startswith("odr"):
            text += f", ODR lag {params.odr_lag_days} days"
        text += ")."
        if ours.key.startswith("odr"):
            lag = (as_of - amazon.window_end).days
            if lag != params.odr_lag_days and lag >= 0:
                text += (f" Amazon's window ends {lag} days before sellerdx's as-of; an ODR lag of {lag} days "
                         "would align them.")
        out.append(text)
    if same is not None and not same_window:
        out.append(f"On Amazon's window sellerdx counts {_frac(same.numerator, same.denominator, same.rate)} "
                   f"(on its own window {_frac(ours.numerator, ours.denominator, ours.rate)}).")
    ref = same if same is not None else ours
    # 2. coverage of the orders data
    first, last = span
    if amazon.window_start and first and first > amazon.window_start:
        out.append(f"The orders data starts on {first.isoformat()}, {(first - amazon.window_start).days} days "
                   f"after Amazon's window starts ({amazon.window_start.isoformat()}): the orders before it are "
                   "missing from sellerdx's count.")
    if amazon.window_end and last and last < amazon.window_end:
        out.append(f"The orders data ends on {last.isoformat()}, {(amazon.window_end - last).days} days before "
                   f"Amazon's window ends ({amazon.window_end.isoformat()}).")
    # 3. denominator
    if amazon.denominator is not None and ref.denominator != amazon.denominator:
        diff = ref.denominator - amazon.denominator
        gaps = _cfg()["denominator_gap"]
        gap = gaps.get(ours.key, gaps["default"])
        why = " ".join((gap["fewer"] if diff < 0 else gap["more"]).split())
        out.append(f"Denominator: Amazon counts {amazon.denominator} {gap['noun']}, sellerdx {ref.denominator} "
                   f"on the same window ({diff:+d}). "
                   + why.format(pending=int((ref.extras or {}).get("pending", 0))))
    # 4. numerator, with the ODR parts
    if amazon.numerator is not None and ref.numerator != amazon.numerator:
        diff = ref.numerator - amazon.numerator
        out.append(f"Numerator: Amazon counts {amazon.numerator}, sellerdx {ref.numerator} ({diff:+d}).")
    if amazon.components:
        ref_extras = ref.extras or {}
        for comp, (kind, words, export) in _COMPONENT_KIND.items():
            if comp not in amazon.components:
                continue
            a, b = amazon.components[comp], int(ref_extras.get(comp, 0))
            if a == b:
                continue
            if export not in supplied:
                out.append(f"Amazon counts {_n(a, 'order')} with {words}; sellerdx {b} because no {export} "
                           "export was supplied.")
                continue
            text = f"Amazon counts {_n(a, 'order')} with {words}, sellerdx {b}."
            n_unmatched = _unmatched_since(unmatched, kind, amazon.window_start)
            if b < a and n_unmatched:
                text += (f" {_n(n_unmatched, 'defect')} of this kind in the exports, dated from the window's start, "
                         f"{'refers' if n_unmatched == 1 else 'refer'} to orders that are not in the orders data, "
                         "so sellerdx cannot place them in a window.")
            elif b < a:
                text += " The export may be older than Amazon's report or cover a shorter period."
            else:
                text += (" Amazon may have removed feedback or decided claims since the export was made, "
                         "or the export holds defects Amazon does not count.")
            out.append(text)
    elif amazon.numerator is not None and ref.numerator < amazon.numerator:
        kinds = {"pfcr": "seller_cancellation", "lsr_10d": "late_shipment", "lsr_30d": "late_shipment"}
        kind = kinds.get(ours.key)
        if kind:
            n_unmatched = _unmatched_since(unmatched, kind, amazon.window_start)
            if n_unmatched:
                out.append(f"{_n(n_unmatched, kind.replace('_', ' ') + ' row')} in the exports "
                           f"{'refers' if n_unmatched == 1 else 'refer'} to orders that are not in the orders data.")
    if amazon.numerator is None and amazon.denominator is None and amazon.rate is not None \
            and ref.rate is not None and abs(ref.rate - amazon.rate) > 1e-9:
        out.append(f"Amazon reports {_pct(amazon.rate)} without counts; sellerdx {_pct(ref.rate)} on the same "
                   "window.")
    if ours.note:
        out.append(f"Note on sellerdx's number: {ours.note}.")
    counts_match = (amazon.numerator is not None and amazon.denominator is not None
                    and ref.numerator == amazon.numerator and ref.denominator == amazon.denominator)
    if counts_match:
        out.append(f"On Amazon's window sellerdx's recomputation matches: "
                   f"{_frac(ref.numerator, ref.denominator, ref.rate)}.")
    return out


def reconcile(perf: PerformanceReport, results: Mapping[str, MetricResult], con: duckdb.DuckDBPyConnection,
              params: MetricParams | None = None) -> list[Reconciliation]:
    """Amazon's numbers beside sellerdx's, one :class:`Reconciliation` per (marketplace, metric).

    For every metric Amazon reports with a window, sellerdx's metric is also recomputed on that window
    (:func:`sellerdx.metrics.metric_on_window`), so the explanation separates the window difference from
    differences in the data (missing exports, unmatched defects, orders missing from the export).
    """
    params = params or MetricParams()
    metrics.prepare(con)
    as_of = metrics.resolve_as_of(con, params.as_of)
    span = metrics.order_span(con)
    supplied = store.supplied_kinds(con)
    unmatched = metrics.unmatched_defects(con, params)
    unmatched_rows = [{"kind": k, "defect_date": (d.date() if hasattr(d, "date") and d == d else None)}
                      for k, d in zip(unmatched["kind"], unmatched["defect_date"])]
    out: list[Reconciliation] = []
    for mp in perf.marketplaces:
        for key in metrics.METRIC_KEYS:
            amazon = mp.metrics.get(key)
            ours = results.get(key)
            if amazon is None or ours is None:
                continue
            same = None
            if (amazon.window_start and amazon.window_end and amazon.window_start <= amazon.window_end
                    and ours.status != "not_computed"):
                same = metrics.metric_on_window(con, key, amazon.window_start, amazon.window_end, params)
            gap = (ours.rate - amazon.rate) if ours.rate is not None and amazon.rate is not None else None
            out.append(Reconciliation(
                marketplace_id=mp.marketplace_id, metric=key, label=ours.label, amazon=amazon, ours=ours,
                ours_on_amazon_window=same, gap=gap,
                explanations=tuple(_explain(amazon, ours, same, as_of=as_of, params=params, span=span,
                                            supplied=supplied, unmatched=unmatched_rows))))
    return out
