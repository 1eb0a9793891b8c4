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
from ..i18n import N_, Day, Message, Rate, Term
from ..i18n.fields import Joined, JoinedText, Sentence, Ungrouped
from ..metrics import MetricParams
from ..model import MetricResult, Serializable
from .report import AmazonMetric, PerformanceReport, amazon_cfg, performance_cfg
from .verdict import marketplace_name, not_computed_reason


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


def _orders(count: int) -> Message:
    return Message("{n:order|orders}", {"n": Ungrouped(count)})


def _defects(count: int) -> Message:
    return Message("{n:defect|defects}", {"n": Ungrouped(count)})


def _pct(rate: float | None) -> Any:
    return Message("no rate") if rate is None else Rate(rate)


def _frac(k: int | None, n: int | None, rate: float | None) -> Any:
    if k is None or n is None:
        return _pct(rate)
    return Message("{k} of {n} ({rate})", {"k": Ungrouped(k), "n": Ungrouped(n), "rate": _pct(rate)})


def _days(start: dt.date | None, end: dt.date | None) -> Message:
    if start is None or end is None:
        return Message("an unstated window")
    return Message("{start} to {end} ({days} days)", {"start": Day.of(start), "end": Day.of(end),
                                                      "days": Ungrouped((end - start).days + 1)})


_MAX_LAG_HINT = 60   # a larger distance is another period, not a lag (issue: "an ODR lag of 642 days")

_COMPONENT_KIND = {"negative_feedback": ("negative_feedback", N_("negative feedback"), "feedback"),
                   "claims": ("a_to_z_claim", N_("A-to-z claims"), "claims"),
                   "chargebacks": ("chargeback", N_("chargebacks"), "chargebacks")}


def _unmatched_since(unmatched: list[dict[str, Any]], kind: str, start: dt.date | None) -> int:
    return sum(1 for u in unmatched if u["kind"] == kind
               and (start is None or u["defect_date"] is None or u["defect_date"] >= start))


def _explain(amazon: AmazonMetric, ours: MetricResult, same: MetricResult | None, *,
             as_of: dt.date, params: MetricParams, span: tuple[dt.date | None, dt.date | None],
             supplied: set[str], unmatched: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    label = Term(ours.label)
    if amazon.rate is None and amazon.denominator is None:
        return [Message("Amazon's report gives no number for {metric}.", {"metric": label})]
    if ours.status == "not_computed":
        out.append(Message("sellerdx could not recompute {metric}: {reason}. Amazon reports {amazon}.",
                           {"metric": label, "reason": not_computed_reason(ours.note),
                            "amazon": _frac(amazon.numerator, amazon.denominator, amazon.rate)}))
        return out
    # 1. windows
    same_window = (amazon.window_start, amazon.window_end) == (ours.window_start, ours.window_end)
    if amazon.window_end is not None and not same_window:
        fields = {"amazon": _days(amazon.window_start, amazon.window_end),
                  "ours": _days(ours.window_start, ours.window_end), "as_of": Day.of(as_of),
                  "lag": Ungrouped(params.odr_lag_days)}
        parts: list[Any] = [
            Message("Different windows: Amazon counts purchases from {amazon}, sellerdx from {ours} (as-of {as_of}, "
                    "ODR lag {lag} days).", fields) if ours.key.startswith("odr") else
            Message("Different windows: Amazon counts purchases from {amazon}, sellerdx from {ours} (as-of "
                    "{as_of}).", fields)]
        if ours.key.startswith("odr"):
            lag = (as_of - amazon.window_end).days
            if lag != params.odr_lag_days and 0 <= lag <= _MAX_LAG_HINT:
                parts.append(Message("Amazon's window ends {lag} days before sellerdx's as-of; an ODR lag of {lag} "
                                     "days would align them.", {"lag": Ungrouped(lag)}))
        out.append(_sentences(parts))
    if same is not None and not same_window:
        out.append(Message("On Amazon's window sellerdx counts {same} (on its own window {ours}).",
                           {"same": _frac(same.numerator, same.denominator, same.rate),
                            "ours": _frac(ours.numerator, ours.denominator, ours.rate)}))
    ref = same if same is not None else ours
    # 2. coverage of the orders data
    first, last = span
    if amazon.window_start and first and first > amazon.window_start:
        out.append(Message("The orders data starts on {first}, {days} days after Amazon's window starts ({start}): "
                           "the orders before it are missing from sellerdx's count.",
                           {"first": Day.of(first), "days": Ungrouped((first - amazon.window_start).days),
                            "start": Day.of(amazon.window_start)}))
    if amazon.window_end and last and last < amazon.window_end:
        out.append(Message("The orders data ends on {last}, {days} days before Amazon's window ends ({end}).",
                           {"last": Day.of(last), "days": Ungrouped((amazon.window_end - last).days),
                            "end": Day.of(amazon.window_end)}))
    # 3. denominator
    if amazon.denominator is not None and ref.denominator != amazon.denominator:
        diff = ref.denominator - amazon.denominator
        gaps = performance_cfg()["denominator_gap"]
        gap = gaps.get(ours.key, gaps["default"])
        why = gap["fewer"] if diff < 0 else gap["more"]
        # TRANSLATORS: {noun} is what the metric counts ("orders", "shipments"); {diff} is signed, e.g. "+3"
        out.append(_sentences([
            Message("Denominator: Amazon counts {amazon} {noun}, sellerdx {ours} on the same window ({diff}).",
                    {"amazon": Ungrouped(amazon.denominator), "noun": Term(gap["noun"]),
                     "ours": Ungrouped(ref.denominator), "diff": format(diff, "+d")}),
            Sentence(why, {"pending": Ungrouped(int((ref.extras or {}).get("pending", 0)))})]))
    # 4. numerator, with the ODR parts
    if amazon.numerator is not None and ref.numerator != amazon.numerator:
        diff = ref.numerator - amazon.numerator
        out.append(Message("Numerator: Amazon counts {amazon}, sellerdx {ours} ({diff}).",
                           {"amazon": Ungrouped(amazon.numerator), "ours": Ungrouped(ref.numerator),
                            "diff": format(diff, "+d")}))
    if amazon.components:
        ref_extras = ref.extras or {}
        for comp, (kind, words, export) in _COMPONENT_KIND.items():
            if comp not in amazon.components:
                continue
            a, b = amazon.components[comp], int(ref_extras.get(comp, 0))
            if a == b:
                continue
            if export not in supplied:
                out.append(Message("Amazon counts {orders} with {words}; sellerdx {ours} because no {export} export "
                                   "was supplied.", {"orders": _orders(a), "words": Term(words), "ours": Ungrouped(b),
                                                     "export": export}))
                continue
            parts = [Message("Amazon counts {orders} with {words}, sellerdx {ours}.",
                             {"orders": _orders(a), "words": Term(words), "ours": Ungrouped(b)})]
            n_unmatched = _unmatched_since(unmatched, kind, amazon.window_start)
            if b < a and n_unmatched:
                parts.append(Message("{n:# defect of this kind in the exports, dated from the window's start, refers "
                                     "to orders that are not in the orders data|# defects of this kind in the "
                                     "exports, dated from the window's start, refer to orders that are not in the "
                                     "orders data}, so sellerdx cannot place them in a window.",
                                     {"n": Ungrouped(n_unmatched)}))
            elif b < a:
                parts.append(Message("The export may be older than Amazon's report or cover a shorter period."))
            else:
                parts.append(Message("Amazon may have removed feedback or decided claims since the export was made, "
                                     "or the export holds defects Amazon does not count."))
            out.append(_sentences(parts))
    elif amazon.numerator is not None and ref.numerator < amazon.numerator:
        kinds = {"pfcr": "seller_cancellation", "lsr_10d": "late_shipment", "lsr_30d": "late_shipment"}
        kind = kinds.get(ours.key)
        if kind:
            n_unmatched = _unmatched_since(unmatched, kind, amazon.window_start)
            if n_unmatched:
                out.append(_unmatched_rows(n_unmatched, kind))
    if amazon.numerator is None and amazon.denominator is None and amazon.rate is not None \
            and ref.rate is not None and abs(ref.rate - amazon.rate) > 1e-9:
        out.append(Message("Amazon reports {amazon} without counts; sellerdx {ours} on the same window.",
                           {"amazon": _pct(amazon.rate), "ours": _pct(ref.rate)}))
    if ours.note:
        out.append(Message("Note on sellerdx's number: {note}.", {"note": ours.note}))
    counts_match = (amazon.numerator is not None and amazon.denominator is not None
                    and ref.numerator == amazon.numerator and ref.denominator == amazon.denominator)
    if counts_match:
        out.append(Message("On Amazon's window sellerdx's recomputation matches: {counts}.",
                           {"counts": _frac(ref.numerator, ref.denominator, ref.rate)}))
    return out


def _sentences(parts: list[Any]) -> Any:
    """Sentences one after the other (each translated on its own)."""
    return JoinedText(parts, " ") if len(parts) > 1 else parts[0]


def _unmatched_rows(n: int, kind: str) -> Message:
    """"3 late shipment rows in the exports refer to orders that are not in the orders data."."""
    if kind == "seller_cancellation":
        return Message("{n:# seller cancellation row in the exports refers|# seller cancellation rows in the exports "
                       "refer} to orders that are not in the orders data.", {"n": Ungrouped(n)})
    return Message("{n:# late shipment row in the exports refers|# late shipment rows in the exports refer} to "
                   "orders that are not in the orders data.", {"n": Ungrouped(n)})


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


def period_text(start: dt.date | None, end: dt.date | None) -> Message:
    if start is None or end is None:
        return Message("an unknown period")
    return Message("{start} to {end}", {"start": Day.of(start), "end": Day.of(end)})


def another_period(perf: PerformanceReport, span: tuple[dt.date | None, dt.date | None]) -> str | None:
    """"Amazon's report covers another period ..." when none of its metric ranges is covered by the data."""
    windows = [(m.window_start, m.window_end) for mp in perf.marketplaces for m in mp.metrics.values()
               if m.window_start and m.window_end and m.window_valid]
    if not windows or span[0] is None or any(covers(w, span) for w in windows):
        return None
    start, end = perf.period
    return Message("Amazon's performance report covers another period ({report}) than the exports' orders "
                   "({orders}): its metrics are shown as Amazon's figures and not compared.",
                   {"report": period_text(start, end), "orders": period_text(*span)})


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
              con: duckdb.DuckDBPyConnection) -> tuple[Any, bool]:
    """(the gap on Amazon's range explained in one line, whether the metric was compared)."""
    label = Term(ours.label)
    rng = _days(amazon.window_start, amazon.window_end)
    if not amazon.window_valid:
        return Message("Not compared: Amazon's range for {metric} is impossible ({period} ends before it starts).",
                       {"metric": label, "period": period_text(amazon.window_start, amazon.window_end)}), False
    if amazon.window_start and amazon.window_end and not covers((amazon.window_start, amazon.window_end), span):
        return Message("Not compared: Amazon's range {range} lies outside the exports' orders ({orders}) — this "
                       "report covers another period.", {"range": rng, "orders": period_text(*span)}), False
    if not amazon.counts_valid:
        # TRANSLATORS: {problems} are the checks of Amazon's own figures that failed
        return Message("Not compared: Amazon's counts are impossible — {problems}.",
                       {"problems": "; ".join(amazon.problems).split(": ", 1)[-1]}), False
    if ours.status == "not_computed":
        return Message("Not compared: sellerdx cannot recompute {metric} — {reason}; Amazon reports {amazon}.",
                       {"metric": label, "reason": not_computed_reason(ours.note, first=True),
                        "amazon": _frac(amazon.numerator, amazon.denominator, amazon.rate)}), False
    ref = same if same is not None else ours
    where = (Message("on Amazon's range {range}", {"range": rng}) if same is not None
             else Message("on sellerdx's own window (Amazon gives no range)"))
    if amazon.numerator is None and amazon.denominator is None:
        if amazon.rate is None:
            return Message("Amazon's report gives no number for {metric}.", {"metric": label}), False
        if ref.rate is not None and abs(ref.rate - amazon.rate) < 5e-5:
            return Message("Same rate {where}: {rate} (Amazon gives no counts); gap 0.",
                           {"where": where, "rate": _pct(ref.rate)}), True
    elif ref.numerator == amazon.numerator and ref.denominator == amazon.denominator:
        return Message("Same counts {where}: {counts}; gap 0.",
                       {"where": where, "counts": _frac(ref.numerator, ref.denominator, ref.rate)}), True
    causes: list[Any] = []
    # an export missing
    for comp, (_kind, words, export) in _COMPONENT_KIND.items():
        a = amazon.components.get(comp)
        if a is not None and export not in supplied and a > int((ref.extras or {}).get(comp, 0)):
            causes.append(Message("no {export} export was supplied (Amazon counts {orders} with {words})",
                                  {"export": export, "orders": _orders(a), "words": Term(words)}))
    if ours.note and "computed without" in ours.note and not causes:
        note = ours.note
        causes.append(note.parts[0] if isinstance(note, JoinedText) else
                      note if isinstance(note, Message) else note.split("; ")[0])
    # the exports do not cover the whole range
    first, last = span
    if amazon.window_start and amazon.window_end and first and last and (
            first > amazon.window_start or last < amazon.window_end):
        covered = period_text(max(first, amazon.window_start), min(last, amazon.window_end))
        causes.append(Message("the orders data covers only {period} of that range", {"period": covered}))
    # defects whose order is not in the orders data
    if amazon.numerator is not None and ref.numerator < amazon.numerator:
        kinds = [k for k, *_ in _COMPONENT_KIND.values()] if amazon.components else _UNMATCHED_KINDS.get(ours.key, [])
        n_unmatched = sum(_unmatched_since(unmatched, k, amazon.window_start) for k in kinds)
        if n_unmatched:
            causes.append(Message("{n:# defect in the exports refers|# defects in the exports refer} to orders "
                                  "missing from the orders data", {"n": Ungrouped(n_unmatched)}))
    # orders of another marketplace
    if (amazon.denominator is not None and ref.denominator > amazon.denominator and marketplace_id
            and amazon.window_start and amazon.window_end):
        home = marketplace_name(marketplace_id)
        by_channel = _orders_by_channel(con, amazon.window_start, amazon.window_end, _channel(ours.key))
        other = {ch: n for ch, n in by_channel.items() if ch and ch.lower() != home.lower()}
        if other and home != marketplace_id:
            n_other = sum(other.values())
            causes.append(Message("{n:# order of the range was|# orders of the range were} sold on {channels}, not on "
                                  "{home} (this report's marketplace)",
                                  {"n": Ungrouped(n_other), "channels": ", ".join(sorted(other)), "home": home}))
    if not causes:
        for comp, (_, words, export) in _COMPONENT_KIND.items():
            a = amazon.components.get(comp)
            b = int((ref.extras or {}).get(comp, 0))
            if a is not None and export in supplied and a != b:
                fields = {"orders": _orders(a), "words": Term(words), "export": export, "ours": Ungrouped(b)}
                causes.append(Message("Amazon counts {orders} with {words}, the {export} export {ours}: the export "
                                      "may be older than Amazon's report", fields) if a > b else
                              Message("Amazon counts {orders} with {words}, the {export} export {ours}: Amazon may "
                                      "have removed feedback or decided claims since the export was made", fields))
    if not causes:
        if amazon.denominator is not None and ref.denominator < amazon.denominator:
            causes.append(Message("sellerdx counts {n} fewer orders: the orders export may not hold every order of "
                                  "the range", {"n": Ungrouped(amazon.denominator - ref.denominator)}))
        elif amazon.denominator is not None and ref.denominator > amazon.denominator:
            causes.append(Message("sellerdx counts {n} more orders: the export may hold orders Amazon leaves out",
                                  {"n": Ungrouped(ref.denominator - amazon.denominator)}))
        elif amazon.numerator is not None and ref.numerator > amazon.numerator:
            causes.append(Message("Amazon may have removed feedback or decided claims since the exports were made"))
        else:
            causes.append(Message("the exports may be older than Amazon's report"))
    gap = (ref.rate - amazon.rate) * 100 if ref.rate is not None and amazon.rate is not None else None
    fields = {"where": where, "amazon": _frac(amazon.numerator, amazon.denominator, amazon.rate),
              "ours": _frac(ref.numerator, ref.denominator, ref.rate), "causes": Joined(causes)}
    if gap is not None:
        # TRANSLATORS: {gap} is signed, in percentage points ("+0.25")
        return Message("Gap {gap} points {where} (Amazon {amazon}, sellerdx {ours}): {causes}.",
                       {**fields, "gap": format(gap, "+.2f")}), True
    return Message("Different counts {where} (Amazon {amazon}, sellerdx {ours}): {causes}.", fields), True


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
