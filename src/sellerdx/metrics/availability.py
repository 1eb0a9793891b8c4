"""What the supplied data can support: exports missing or unusable, window coverage, enforcement notes, data warnings.

Every note and warning is a :class:`sellerdx.i18n.Message` (its ``str`` the English text): the report and the
terminal write it in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from sellerdx import store
from sellerdx.errors import NoOrdersInWindowError
from sellerdx.i18n import Count, Day, Items, Message, Term
from sellerdx.i18n.fields import Joined
from sellerdx.metrics.config import MetricParams, metric_config, metric_configs, metrics_config
from sellerdx.metrics.prepared import order_span, prepare, resolve_as_of, shipment_coverage
from sellerdx.metrics.runner import query_frame, query_rows
from sellerdx.model import MetricResult


def _export_name(kind: str) -> Message:
    # TRANSLATORS: {kind} is sellerdx's name of an export ("feedback"), {name} Seller Central's report name
    return Message("the {kind} export ({name})", {"kind": kind, "name": Term(metrics_config()["exports"].get(kind, kind))})


def _not_computed(why: Any) -> Message:
    return Message("not computed: {why}", {"why": why})


def availability(cfg: Mapping[str, Any], supplied: set[str],
                  coverage: Mapping[str, Any], unusable: Mapping[str, str] | None = None) -> tuple[bool, list[str]]:
    """(computable, notes) for one metric. ``unusable``: kinds supplied without a usable row -> why
    (:func:`missing_exports`); they are missing like kinds never supplied, and the note says why."""
    unusable = unusable or {}
    missing = [k for k in cfg["requires"] if k not in supplied]
    if missing:
        return False, [_not_computed(_not_supplied(missing, unusable))]
    need = cfg.get("requires_data")
    if need and not coverage.get(need):
        return False, [_not_computed(Message(metrics_config()["requires_data"][need]["note"]))]
    notes: list[str] = []
    sources = cfg.get("defect_sources")
    if sources:
        absent = [k for k in sources if k not in supplied]
        if len(absent) == len(sources):
            if any(k in unusable for k in absent):
                return False, [_not_computed(Message(
                    "no defect export has a usable row ({why}), so defects cannot be counted",
                    {"why": _not_supplied(absent, unusable)}))]
            return False, [_not_computed(Message(
                "none of the defect exports was supplied ({exports}), so defects cannot be counted",
                {"exports": Joined(_export_name(k) for k in absent)}))]
        if absent:
            notes.append(Message("computed without {exports}: those defects are not counted, so the rate may be "
                                 "understated{unusable}", {"exports": Items(_export_name(k) for k in absent),
                                                           "unusable": _unusable_suffix(absent, unusable)}))
    upper = cfg.get("upper_bound_without")
    if upper and upper not in supplied:
        notes.append(Message("{export} was not supplied: every order with status Cancelled is counted, including "
                             "cancellations the buyer requested, so this rate is an upper bound{unusable}",
                             {"export": _export_name(upper), "unusable": _unusable_suffix([upper], unusable)}))
    return True, notes


def missing_exports(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Kinds supplied but without a usable row -> why ("feedback.csv: 2 rows read, 2 rejected (...)").

    ``store.supplied_kinds`` leaves them out (the present kinds come from loaded rows), so every metric
    treats them as missing; this gives the reason the notes carry."""
    return store.unusable_kinds(con)


def _not_supplied(kinds: list[str], unusable: Mapping[str, str]) -> Joined:
    """"X was not supplied", "X and Y were not supplied", "X had no usable row (why)", joined by "; "."""
    plain = [k for k in kinds if k not in unusable]
    parts: list[Message] = []
    if plain:
        names = Items(_export_name(k) for k in plain)
        parts.append(Message("{exports} was not supplied", {"exports": names}) if len(plain) == 1
                     else Message("{exports} were not supplied", {"exports": names}))
    parts += [Message("{export} had no usable row ({why})", {"export": _export_name(k), "why": unusable[k]})
              for k in kinds if k in unusable]
    return Joined(parts)


def _unusable_suffix(kinds: list[str], unusable: Mapping[str, str]) -> Message | str:
    bad = [k for k in kinds if k in unusable]
    if not bad:
        return ""
    return Message(" ({reasons})", {"reasons": Joined(
        Message("the {kind} export was supplied but had no usable row: {why}", {"kind": k, "why": unusable[k]})
        for k in bad)})


def window_coverage(span: tuple[dt.date | None, dt.date | None], start: dt.date,
                    end: dt.date) -> tuple[int, int]:
    """(days of the window ``start``..``end`` inside the orders' purchase-date span, days of the window).

    ``span`` is :func:`order_span`'s (first, last) purchase date; (None, None) covers nothing.
    """
    days = (end - start).days + 1
    first, last = span
    if first is None or last is None:
        return 0, days
    lo, hi = max(start, first), min(end, last)
    return max(0, (hi - lo).days + 1), days


def coverage_note(span: tuple[dt.date | None, dt.date | None], start: dt.date, end: dt.date) -> Message | None:
    """Plain words when the orders do not cover the whole window (None when they do): how many days they
    cover, which export would complete it, and that the rate is then not Amazon's figure."""
    covered, days = window_coverage(span, start, end)
    if covered >= days:
        return None
    first, last = span
    if first is None or last is None:
        return Message("the orders data is empty, so none of the {days} days of the window is covered",
                       {"days": Count(days)})
    fixes = []
    if first > start:
        fixes.append(Message("download All Orders from {day}", {"day": Day.of(start)}))
    if last < end:
        fixes.append(Message("download All Orders up to {end} (the orders end on {last}) or pick an --as-of the "
                             "orders reach", {"end": Day.of(end), "last": Day.of(last)}))
    if covered == 0:
        return Message("the orders ({first} – {last}) cover none of the {days} days of this window ({start} – "
                       "{end}): {fixes}", {"first": Day.of(first), "last": Day.of(last), "days": Count(days),
                                           "start": Day.of(start), "end": Day.of(end), "fixes": Joined(fixes)})
    lo, hi = max(start, first), min(end, last)
    return Message("the orders cover {covered} of the {days} days: {fixes} (this rate counts only the orders of "
                   "{lo} – {hi}, so it is not Amazon's figure)",
                   {"covered": Count(covered), "days": Count(days), "fixes": Joined(fixes), "lo": Day.of(lo),
                    "hi": Day.of(hi)})


def unmatched_notes(con: duckdb.DuckDBPyConnection, span: tuple[dt.date | None, dt.date | None]) -> list[str]:
    """ODR note: defects whose orders are missing because the orders start too late (short history)."""
    frame = unmatched_defects(con)
    early = int((frame["why"] == "before_orders_start").sum()) if len(frame) else 0
    if not early or span[0] is None:
        return []
    return [Message("{n:defect|defects} (feedback, claims, chargebacks, cancellations, late shipments) belong to "
                    "orders probably purchased before the orders' first day ({day}); they are not counted: "
                    "download All Orders from earlier", {"n": Count(early), "day": Day.of(span[0])})]


def enforced_marketplaces(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The orders' sales channels where Amazon enforces the unit-based On-Time Delivery Rate
    (``[metrics.otdr_units] enforced_in``), as the orders spell them (``Amazon.com``)."""
    enforced = {c.lower() for c in metric_configs()["otdr_units"].get("enforced_in", [])}
    prepare(con)
    return [r["sales_channel"] for r in query_rows(con, "sales_channels")
            if str(r["sales_channel"] or "").strip().lower() in enforced]


def enforcement_notes(con: duckdb.DuckDBPyConnection, cfg: Mapping[str, Any]) -> list[str]:
    """Which OTDR Amazon enforces for these orders' marketplaces: the unit-based one is marked as
    Amazon's enforced rate, the order-based one as kept beside it."""
    if cfg["family"] not in ("otdr", "otdr_units"):
        return []
    where = enforced_marketplaces(con)
    units = metric_configs()["otdr_units"]
    if not where:
        if cfg["family"] != "otdr_units":
            return []
        channels = [str(r["sales_channel"]) for r in query_rows(con, "sales_channels")]
        return [Message(units["not_enforced_note"], {"marketplaces": ", ".join(channels)
                                                     or Message("these orders' marketplace")})]
    if cfg["family"] == "otdr_units":
        return [Message(units["enforced_note"], {"marketplaces": ", ".join(where)})]
    return [Message("in {marketplaces} Amazon enforces the unit-based rate ({label}, 14 days ending 7 days before "
                    "as-of); this order-based 30-day rate is kept beside it",
                    {"marketplaces": ", ".join(where), "label": Term(units["label"])})]


def data_warnings(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None) -> list[str]:
    """Warnings about the as-of date against the orders data (an --as-of after its last day or before its
    first): each window's coverage is then lower, and said so on every metric."""
    params = params or MetricParams()
    first, last = order_span(con)
    if first is None or last is None:
        return []
    as_of = resolve_as_of(con, params.as_of)
    if as_of > last:
        gap = (as_of - last).days
        return [Message("--as-of {as_of} is {gap:day|days} after the orders' last purchase day ({last}): the days "
                        "after it hold no orders, so the windows that reach past it are only partly covered (each "
                        "metric's coverage says how much)",
                        {"as_of": Day.of(as_of), "gap": Count(gap), "last": Day.of(last)})]
    if as_of < first:
        return [Message("--as-of {as_of} is before the orders' first purchase day ({first})",
                        {"as_of": Day.of(as_of), "first": Day.of(first)})]
    return []


def check_windows_hold_orders(con: duckdb.DuckDBPyConnection, results: Mapping[str, MetricResult]) -> None:
    """Raise :class:`~sellerdx.errors.NoOrdersInWindowError` unless at least one metric was computed (``ok``
    or ``at_risk``): when no metric's window holds a single order (e.g. ``--as-of`` far past the data), or
    no metric the windows hold orders for can be computed, "every metric meets its target" would be false
    comfort."""
    if any(r.status in ("ok", "at_risk", "not_enforced") for r in results.values()):
        return
    if any(r.denominator > 0 or (r.coverage or 0) > 0 for r in results.values()):
        notes = {str(r.note): r.note for r in results.values() if r.status == "not_computed" and r.note}
        missing = [notes[k] for k in sorted(notes)]
        raise NoOrdersInWindowError(
            Message("no metric could be computed: {why}", {"why": Joined(missing) if missing else
                                                           Message("no window holds an order the metrics count")}),
            hint=Message("add the exports named above (every metric needs the All Orders report; ODR needs feedback, "
                         "claims or chargebacks; LSR, VTR and OTDR need shipments)"))
    first, last = order_span(con)
    if first is None or last is None:
        raise NoOrdersInWindowError(Message("the orders data holds no order, so no metric can be computed"),
                                    hint=Message("add the All Orders report (Reports > Fulfillment > All Orders)"))
    ends = sorted({r.window_end for r in results.values() if r.window_end is not None})
    when = (Message(" (windows ending {first} – {last})", {"first": Day.of(ends[0]), "last": Day.of(ends[-1])})
            if ends else "")
    raise NoOrdersInWindowError(
        Message("no metric window holds a single order{when}: the orders run from {first} to {last}",
                {"when": when, "first": Day.of(first), "last": Day.of(last)}),
        hint=Message("pick --as-of between {first} and {last} (the default is the orders' last day), or add the "
                     "All Orders report that covers the windows", {"first": Day.of(first), "last": Day.of(last)}))


def metric_computable(con: duckdb.DuckDBPyConnection, metric: str) -> bool:
    cfg = metric_config(metric)
    computable, _ = availability(cfg, store.supplied_kinds(con), shipment_coverage(con))
    return computable


def unmatched_defects(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None) -> pd.DataFrame:
    """Counting defects whose order is not in the orders data (left out of every rate).

    Columns: kind, order_id, defect_date, reason_code, detail, source_file, source_line, why:
    ``before_orders_start`` when the defect came less than ``[unmatched] defect_delay_days`` (metrics.toml)
    after the orders' first purchase day, so its order was probably purchased before the orders begin (a
    short history), else ``not_in_orders`` (another marketplace, a missing export, a wrong order id).
    """
    prepare(con)
    return query_frame(con, "unmatched_defects",
                  {"defect_delay_days": int(metrics_config()["unmatched"]["defect_delay_days"])})
