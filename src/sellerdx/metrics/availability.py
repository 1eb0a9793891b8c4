"""What the supplied data can support: exports missing or unusable, window coverage, enforcement notes, data warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from sellerdx import store
from sellerdx.errors import NoOrdersInWindowError
from sellerdx.metrics.config import MetricParams, metric_config, metric_configs, metrics_config
from sellerdx.metrics.prepared import order_span, prepare, resolve_as_of, shipment_coverage
from sellerdx.metrics.runner import query_frame, query_rows
from sellerdx.model import MetricResult


def _export_name(kind: str) -> str:
    return f"the {kind} export ({metrics_config()['exports'].get(kind, kind)})"


def availability(cfg: Mapping[str, Any], supplied: set[str],
                  coverage: Mapping[str, Any], unusable: Mapping[str, str] | None = None) -> tuple[bool, list[str]]:
    """(computable, notes) for one metric. ``unusable``: kinds supplied without a usable row -> why
    (:func:`missing_exports`); they are missing like kinds never supplied, and the note says why."""
    unusable = unusable or {}
    missing = [k for k in cfg["requires"] if k not in supplied]
    if missing:
        return False, ["not computed: " + _not_supplied(missing, unusable)]
    need = cfg.get("requires_data")
    if need and not coverage.get(need):
        return False, ["not computed: " + metrics_config()["requires_data"][need]["note"]]
    notes: list[str] = []
    sources = cfg.get("defect_sources")
    if sources:
        absent = [k for k in sources if k not in supplied]
        if len(absent) == len(sources):
            if any(k in unusable for k in absent):
                return False, ["not computed: no defect export has a usable row ("
                               + _not_supplied(absent, unusable) + "), so defects cannot be counted"]
            return False, ["not computed: none of the defect exports was supplied ("
                           + "; ".join(_export_name(k) for k in absent) + "), so defects cannot be counted"]
        if absent:
            notes.append("computed without " + " and ".join(_export_name(k) for k in absent)
                         + ": those defects are not counted, so the rate may be understated"
                         + _unusable_suffix(absent, unusable))
    upper = cfg.get("upper_bound_without")
    if upper and upper not in supplied:
        notes.append(f"{_export_name(upper)} was not supplied: every order with status Cancelled is counted, "
                     "including cancellations the buyer requested, so this rate is an upper bound"
                     + _unusable_suffix([upper], unusable))
    return True, notes


def missing_exports(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Kinds supplied but without a usable row -> why ("feedback.csv: 2 rows read, 2 rejected (...)").

    ``store.supplied_kinds`` leaves them out (the present kinds come from loaded rows), so every metric
    treats them as missing; this gives the reason the notes carry."""
    return store.unusable_kinds(con)


def _not_supplied(kinds: list[str], unusable: Mapping[str, str]) -> str:
    """"X was not supplied", "X and Y were not supplied", "X had no usable row (why)", joined by "; "."""
    plain = [k for k in kinds if k not in unusable]
    parts = []
    if plain:
        parts.append(" and ".join(_export_name(k) for k in plain) + (" was" if len(plain) == 1 else " were")
                     + " not supplied")
    parts += [f"{_export_name(k)} had no usable row ({unusable[k]})" for k in kinds if k in unusable]
    return "; ".join(parts)


def _unusable_suffix(kinds: list[str], unusable: Mapping[str, str]) -> str:
    bad = [k for k in kinds if k in unusable]
    if not bad:
        return ""
    return " (" + "; ".join(f"the {k} export was supplied but had no usable row: {unusable[k]}" for k in bad) + ")"


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


def coverage_note(span: tuple[dt.date | None, dt.date | None], start: dt.date, end: dt.date) -> str | None:
    """Plain words when the orders do not cover the whole window (None when they do): how many days they
    cover, which export would complete it, and that the rate is then not Amazon's figure."""
    covered, days = window_coverage(span, start, end)
    if covered >= days:
        return None
    first, last = span
    if first is None or last is None:
        return f"the orders data is empty, so none of the {days} days of the window is covered"
    fixes = []
    if first > start:
        fixes.append(f"download All Orders from {start.isoformat()}")
    if last < end:
        fixes.append(f"download All Orders up to {end.isoformat()} (the orders end on {last.isoformat()}) "
                     f"or pick an --as-of the orders reach")
    if covered == 0:
        head = (f"the orders ({first.isoformat()} – {last.isoformat()}) cover none of the {days} days of this "
                f"window ({start.isoformat()} – {end.isoformat()})")
        return head + ": " + "; ".join(fixes)
    lo, hi = max(start, first), min(end, last)
    return (f"the orders cover {covered} of the {days} days: " + "; ".join(fixes)
            + f" (this rate counts only the orders of {lo.isoformat()} – {hi.isoformat()}, so it is not "
              "Amazon's figure)")


def unmatched_notes(con: duckdb.DuckDBPyConnection, span: tuple[dt.date | None, dt.date | None]) -> list[str]:
    """ODR note: defects whose orders are missing because the orders start too late (short history)."""
    frame = unmatched_defects(con)
    early = int((frame["why"] == "before_orders_start").sum()) if len(frame) else 0
    if not early or span[0] is None:
        return []
    return [f"{early} defect{'s' if early != 1 else ''} (feedback, claims, chargebacks, cancellations, late "
            f"shipments) belong to orders probably purchased before the orders' first day "
            f"({span[0].isoformat()}); they are not counted: download All Orders from earlier"]


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
        return [units["not_enforced_note"].format(marketplaces=", ".join(channels) or "these orders' marketplace")]
    if cfg["family"] == "otdr_units":
        return [units["enforced_note"].format(marketplaces=", ".join(where))]
    return [f"in {', '.join(where)} Amazon enforces the unit-based rate ({units['label']}, 14 days ending 7 days "
            "before as-of); this order-based 30-day rate is kept beside it"]


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
        return [f"--as-of {as_of.isoformat()} is {gap} day{'s' if gap != 1 else ''} after the orders' last "
                f"purchase day ({last.isoformat()}): the days after it hold no orders, so the windows that "
                f"reach past it are only partly covered (each metric's coverage says how much)"]
    if as_of < first:
        return [f"--as-of {as_of.isoformat()} is before the orders' first purchase day ({first.isoformat()})"]
    return []


def check_windows_hold_orders(con: duckdb.DuckDBPyConnection, results: Mapping[str, MetricResult]) -> None:
    """Raise :class:`~sellerdx.errors.NoOrdersInWindowError` unless at least one metric was computed (``ok``
    or ``at_risk``): when no metric's window holds a single order (e.g. ``--as-of`` far past the data), or
    no metric the windows hold orders for can be computed, "every metric meets its target" would be false
    comfort."""
    if any(r.status in ("ok", "at_risk", "not_enforced") for r in results.values()):
        return
    if any(r.denominator > 0 or (r.coverage or 0) > 0 for r in results.values()):
        missing = sorted({r.note for r in results.values() if r.status == "not_computed" and r.note})
        raise NoOrdersInWindowError(
            "no metric could be computed: " + ("; ".join(missing) if missing else
                                               "no window holds an order the metrics count"),
            hint="add the exports named above (every metric needs the All Orders report; ODR needs feedback, "
                 "claims or chargebacks; LSR, VTR and OTDR need shipments)")
    first, last = order_span(con)
    if first is None or last is None:
        raise NoOrdersInWindowError("the orders data holds no order, so no metric can be computed",
                                    hint="add the All Orders report (Reports > Fulfillment > All Orders)")
    ends = sorted({r.window_end for r in results.values() if r.window_end is not None})
    when = f" (windows ending {ends[0].isoformat()} – {ends[-1].isoformat()})" if ends else ""
    raise NoOrdersInWindowError(
        f"no metric window holds a single order{when}: the orders run from {first.isoformat()} to "
        f"{last.isoformat()}",
        hint=f"pick --as-of between {first.isoformat()} and {last.isoformat()} (the default is the orders' "
             f"last day), or add the All Orders report that covers the windows")


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
