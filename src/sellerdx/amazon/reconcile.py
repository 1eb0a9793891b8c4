"""Amazon's numbers beside sellerdx's: each metric recomputed on that metric's own reporting range.

Amazon's report gives every metric its own ``reportingDateRange`` (the 10- and 30-day late-shipment
entries of ``lateShipmentRateList`` included). :func:`reconcile` recomputes sellerdx's metric on exactly
that range (:func:`sellerdx.metrics.metric_on_window`), so the comparison is like for like, and explains a
remaining gap in one line: an export missing, defects whose order is not in the orders data, orders of
another marketplace, exports that do not cover the whole range. Metrics whose range the orders data does
not cover (a report of another period), whose range is impossible or whose counts are impossible are
listed but not compared. Every metric key present both in Amazon's report and in sellerdx's results is
paired (``otdr_units`` too, once sellerdx computes it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from .. import assets, metrics, store
from ..metrics import MetricParams
from ..model import MetricResult, Serializable
from .report import AmazonMetric, PerformanceReport, amazon_cfg, performance_cfg
from .verdict import marketplace_name


@dataclass(frozen=True)
class Reconciliation(Serializable):
    """Amazon's number beside sellerdx's for one metric and marketplace, with the gap explained."""
    marketplace_id: str | None
    metric: str
    label: str
    amazon: AmazonMetric
    ours: MetricResult
    ours_on_amazon_window: MetricResult | None
    gap: float | None                       # ours.rate - amazon.rate (sellerdx's own window)
    explanations: tuple[str, ...]           # the one-line explanation first, then the details
    explanation: str = ""                   # the gap on Amazon's range explained in one line
    gap_on_amazon_window: float | None = None   # ours_on_amazon_window.rate - amazon.rate
    compared: bool = True                   # False: another period, an impossible window or impossible counts
    overlap_days: int | None = None         # days of Amazon's range covered by the orders data


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


_MAX_LAG_HINT = 60   # a larger distance is another period, not a lag (issue: "an ODR lag of 642 days")

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
            if lag != params.odr_lag_days and 0 <= lag <= _MAX_LAG_HINT:
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
        gaps = performance_cfg()["denominator_gap"]
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


def overlap_days(window: tuple[dt.date | None, dt.date | None],
                 span: tuple[dt.date | None, dt.date | None]) -> int | None:
    """Days of ``window`` inside ``span`` (both inclusive); None when a bound is unknown."""
    (ws, we), (first, last) = window, span
    if None in (ws, we, first, last):
        return None
    assert ws is not None and we is not None and first is not None and last is not None
    return max(0, (min(we, last) - max(ws, first)).days + 1)


def covers(window: tuple[dt.date | None, dt.date | None], span: tuple[dt.date | None, dt.date | None]) -> bool:
    """Whether the orders data covers enough of Amazon's range to compare (``[period] min_overlap_share``)."""
    days = overlap_days(window, span)
    if days is None:
        return True
    ws, we = window
    assert ws is not None and we is not None
    length = (we - ws).days + 1
    return length > 0 and days / length >= float(amazon_cfg()["period"]["min_overlap_share"])


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    return "an unknown period" if start is None or end is None else f"{start.isoformat()} to {end.isoformat()}"


def another_period(perf: PerformanceReport, span: tuple[dt.date | None, dt.date | None]) -> str | None:
    """"Amazon's report covers another period ..." when none of its metric ranges is covered by the data."""
    windows = [(m.window_start, m.window_end) for mp in perf.marketplaces for m in mp.metrics.values()
               if m.window_start and m.window_end and m.window_valid]
    if not windows or span[0] is None or any(covers(w, span) for w in windows):
        return None
    start, end = perf.period
    return (f"Amazon's performance report covers another period ({period_text(start, end)}) than the exports' "
            f"orders ({period_text(*span)}): its metrics are shown as Amazon's figures and not compared.")


def _orders_by_channel(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date,
                       channel: str | None) -> dict[str | None, int]:
    sql = assets.load_query("amazon_orders_by_channel")
    rows = con.execute(sql, {"date_from": start, "date_to": end, "channel": channel}).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def _channel(key: str) -> str | None:
    cfg = amazon_cfg()
    entry = cfg["recomputable"].get(key) or cfg["figures"].get(key) or {}
    return entry.get("channel")


_UNMATCHED_KINDS = {"pfcr": ["seller_cancellation"], "lsr_10d": ["late_shipment"], "lsr_30d": ["late_shipment"]}


def _one_line(amazon: AmazonMetric, ours: MetricResult, same: MetricResult | None, *, marketplace_id: str | None,
              span: tuple[dt.date | None, dt.date | None], supplied: set[str], unmatched: list[dict[str, Any]],
              con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    """(the gap on Amazon's range explained in one line, whether the metric was compared)."""
    label = ours.label
    rng = _days(amazon.window_start, amazon.window_end)
    if not amazon.window_valid:
        return (f"Not compared: Amazon's range for {label} is impossible ("
                f"{period_text(amazon.window_start, amazon.window_end)} ends before it starts)."), False
    if amazon.window_start and amazon.window_end and not covers((amazon.window_start, amazon.window_end), span):
        return (f"Not compared: Amazon's range {rng} lies outside the exports' orders "
                f"({period_text(*span)}) — this report covers another period."), False
    if not amazon.counts_valid:
        return ("Not compared: Amazon's counts are impossible — " + "; ".join(amazon.problems)
                .split(": ", 1)[-1] + "."), False
    if ours.status == "not_computed":
        reason = (ours.note or "").removeprefix("not computed: ").split("; ")[0]
        return (f"Not compared: sellerdx cannot recompute {label} — {reason}; Amazon reports "
                f"{_frac(amazon.numerator, amazon.denominator, amazon.rate)}."), False
    ref = same if same is not None else ours
    where = f"on Amazon's range {rng}" if same is not None else "on sellerdx's own window (Amazon gives no range)"
    if amazon.numerator is None and amazon.denominator is None:
        if amazon.rate is None:
            return f"Amazon's report gives no number for {label}.", False
        if ref.rate is not None and abs(ref.rate - amazon.rate) < 5e-5:
            return f"Same rate {where}: {_pct(ref.rate)} (Amazon gives no counts); gap 0.", True
    elif ref.numerator == amazon.numerator and ref.denominator == amazon.denominator:
        return f"Same counts {where}: {_frac(ref.numerator, ref.denominator, ref.rate)}; gap 0.", True
    causes: list[str] = []
    # an export missing
    for comp, (_kind, words, export) in _COMPONENT_KIND.items():
        a = amazon.components.get(comp)
        if a is not None and export not in supplied and a > int((ref.extras or {}).get(comp, 0)):
            causes.append(f"no {export} export was supplied (Amazon counts {_n(a, 'order')} with {words})")
    if ours.note and "computed without" in ours.note and not causes:
        causes.append(ours.note.split("; ")[0])
    # the exports do not cover the whole range
    first, last = span
    if amazon.window_start and amazon.window_end and first and last and (
            first > amazon.window_start or last < amazon.window_end):
        covered = period_text(max(first, amazon.window_start), min(last, amazon.window_end))
        causes.append(f"the orders data covers only {covered} of that range")
    # defects whose order is not in the orders data
    if amazon.numerator is not None and ref.numerator < amazon.numerator:
        kinds = [k for k, *_ in _COMPONENT_KIND.values()] if amazon.components else _UNMATCHED_KINDS.get(ours.key, [])
        n_unmatched = sum(_unmatched_since(unmatched, k, amazon.window_start) for k in kinds)
        if n_unmatched:
            causes.append(f"{_n(n_unmatched, 'defect')} in the exports "
                          f"{'refers' if n_unmatched == 1 else 'refer'} to orders missing from the orders data")
    # orders of another marketplace
    if (amazon.denominator is not None and ref.denominator > amazon.denominator and marketplace_id
            and amazon.window_start and amazon.window_end):
        home = marketplace_name(marketplace_id)
        by_channel = _orders_by_channel(con, amazon.window_start, amazon.window_end, _channel(ours.key))
        other = {ch: n for ch, n in by_channel.items() if ch and ch.lower() != home.lower()}
        if other and home != marketplace_id:
            n_other = sum(other.values())
            causes.append(f"{_n(n_other, 'order')} of the range {'was' if n_other == 1 else 'were'} "
                          f"sold on {', '.join(sorted(other))}, not on {home} (this report's marketplace)")
    if not causes:
        for comp, (_, words, export) in _COMPONENT_KIND.items():
            a = amazon.components.get(comp)
            b = int((ref.extras or {}).get(comp, 0))
            if a is not None and export in supplied and a != b:
                causes.append(f"Amazon counts {_n(a, 'order')} with {words}, the {export} export {b}"
                              + (": the export may be older than Amazon's report" if a > b else
                                 ": Amazon may have removed feedback or decided claims since the export was made"))
    if not causes:
        if amazon.denominator is not None and ref.denominator < amazon.denominator:
            causes.append(f"sellerdx counts {amazon.denominator - ref.denominator} fewer orders: the orders export "
                          "may not hold every order of the range")
        elif amazon.denominator is not None and ref.denominator > amazon.denominator:
            causes.append(f"sellerdx counts {ref.denominator - amazon.denominator} more orders: the export may hold "
                          "orders Amazon leaves out")
        elif amazon.numerator is not None and ref.numerator > amazon.numerator:
            causes.append("Amazon may have removed feedback or decided claims since the exports were made")
        else:
            causes.append("the exports may be older than Amazon's report")
    gap = (ref.rate - amazon.rate) * 100 if ref.rate is not None and amazon.rate is not None else None
    head = (f"Gap {gap:+.2f} points {where}" if gap is not None else f"Different counts {where}")
    return (f"{head} (Amazon {_frac(amazon.numerator, amazon.denominator, amazon.rate)}, sellerdx "
            f"{_frac(ref.numerator, ref.denominator, ref.rate)}): " + "; ".join(causes) + "."), True


def reconcile(perf: PerformanceReport, results: Mapping[str, MetricResult], con: duckdb.DuckDBPyConnection,
              params: MetricParams | None = None) -> list[Reconciliation]:
    """Amazon's numbers beside sellerdx's, one :class:`Reconciliation` per (marketplace, metric).

    Every metric key present both in Amazon's report and in ``results`` is paired. Each is recomputed on
    Amazon's own range for that metric (:func:`sellerdx.metrics.metric_on_window`) when the orders data
    covers it; the gap there is explained in one line (``explanation``), with details after it.
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
        for key, amazon in mp.metrics.items():
            ours = results.get(key)
            if ours is None:
                continue
            window = (amazon.window_start, amazon.window_end)
            comparable_window = (amazon.window_start is not None and amazon.window_end is not None
                                 and amazon.window_valid and covers(window, span))
            same = None
            if comparable_window and ours.status != "not_computed":
                assert amazon.window_start is not None and amazon.window_end is not None
                same = metrics.metric_on_window(con, key, amazon.window_start, amazon.window_end, params)
            line, compared = _one_line(amazon, ours, same, marketplace_id=mp.marketplace_id, span=span,
                                       supplied=supplied, unmatched=unmatched_rows, con=con)
            details = (_explain(amazon, ours, same, as_of=as_of, params=params, span=span, supplied=supplied,
                                unmatched=unmatched_rows) if compared else [])
            gap = (ours.rate - amazon.rate) if ours.rate is not None and amazon.rate is not None else None
            ref_rate = same.rate if same is not None else None
            out.append(Reconciliation(
                marketplace_id=mp.marketplace_id, metric=key, label=ours.label, amazon=amazon, ours=ours,
                ours_on_amazon_window=same, gap=gap, explanations=(line, *details), explanation=line,
                gap_on_amazon_window=(ref_rate - amazon.rate if compared and ref_rate is not None
                                      and amazon.rate is not None else None),
                compared=compared, overlap_days=overlap_days(window, span)))
    return out
