"""Derived tables built once per loaded data set (``defect_events``, ``order_facts``, ``metric_orders``), the per-window tables the rules read, and the as-of date."""

from __future__ import annotations

import datetime as dt
import weakref
from typing import Any

import duckdb

from sellerdx import store
from sellerdx.errors import BadOptionError, NoInputError
from sellerdx.metrics.config import metrics_config, timezone_table
from sellerdx.metrics.runner import query_one, query_rows, run_query

_PREPARED: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple] = weakref.WeakKeyDictionary()
"""Connection -> (data key, facts computed once per prepared data set: ``coverage``)."""


_KEEP = object()


def prepare(con: duckdb.DuckDBPyConnection, *, force: bool = False, timezone: Any = _KEEP) -> None:
    """Build ``defect_events``, ``order_facts`` and ``metric_orders`` unless already built for this data.

    ``timezone`` is the zone of every order's local weekday / hour / date (``--timezone``), None for each
    order's sales-channel zone (data/timezones.toml); left out, the zone of the last build is kept.
    Rebuilt when the row counts of the source tables, the supplied kinds or the zone changed, or with
    ``force``.
    """
    if timezone is _KEEP:
        timezone = _PREPARED[con][0][2] if con in _PREPARED else None
    supplied = store.supplied_kinds(con)
    key = (tuple(sorted(query_one(con, "source_counts").items())), tuple(sorted(supplied)), timezone)
    if not force and con in _PREPARED and _PREPARED[con][0] == key:
        return
    zones = timezone_table()
    cfg = metrics_config()
    run_query(con, "defect_events", {
        "claim_excluded_statuses": list(cfg["claims"]["excluded_statuses"]),
        "buyer_initiators": list(cfg["cancellations"]["buyer_initiators"]),
        "buyer_reasons": list(cfg["cancellations"]["buyer_reasons"]),
    })
    run_query(con, "order_facts", {
        "cancelled_statuses": [w.lower() for w in cfg["orders"]["cancelled_statuses"]],
        "has_cancellations": "cancellations" in supplied,
        "invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]],
        "zone_channels": [c.lower() for c in zones["sales_channels"]],
        "zone_names": list(zones["sales_channels"].values()),
        "zone_default": str(zones["default"]),
        "zone_override": timezone,
    })
    run_query(con, "metric_orders", {"invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]]})
    _PREPARED[con] = (key, {"coverage": query_one(con, "shipment_coverage"), "window": None, "items": False})


def use_window(con: duckdb.DuckDBPyConnection, family: str, start: dt.date, end: dt.date) -> None:
    """Make the temp table ``metric_window`` hold the orders of ``family`` purchased from ``start`` to
    ``end`` (queries/metric_window.sql), unless it already does for the prepared data.

    The rules' evidence queries and :func:`breakdown` read it; :func:`window_items` adds their items.
    """
    prepare(con)
    state = _PREPARED[con][1]
    if state["window"] == (family, start, end):
        return
    state["window"], state["items"] = None, False
    run_query(con, "metric_window", {"family": family, "window_start": start, "window_end": end})
    state["window"] = (family, start, end)


def window_items(con: duckdb.DuckDBPyConnection) -> None:
    """Build ``metric_window_items`` (queries/metric_window_items.sql) for the current ``metric_window``."""
    state = _PREPARED[con][1]
    if state["window"] is None:
        raise RuntimeError("window_items() needs use_window() first")
    if not state["items"]:
        cfg = metrics_config()
        run_query(con, "metric_window_items", {
            "family": state["window"][0],
            "has_cancellations": "cancellations" in store.supplied_kinds(con),
            "cancelled_statuses": [w.lower() for w in cfg["orders"]["cancelled_statuses"]],
            "invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]],
        })
        state["items"] = True


def shipment_coverage(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """``queries/shipment_coverage.sql`` of the prepared data (computed once per data set)."""
    prepare(con)
    return _PREPARED[con][1]["coverage"]


def resolve_as_of(con: duckdb.DuckDBPyConnection, as_of: dt.date | str | None) -> dt.date:
    """The as-of date: the given date (a ``date`` or ``YYYY-MM-DD``), else the latest purchase date."""
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    if isinstance(as_of, str):
        try:
            return dt.date.fromisoformat(as_of.strip())
        except ValueError:
            raise BadOptionError(f"--as-of {as_of!r} is not a date", hint="write it as YYYY-MM-DD") from None
    last = query_one(con, "order_span")["last_date"]
    if last is None:
        raise NoInputError("the orders data is empty, so there is no as-of date",
                           hint="add an All Orders report or pass --as-of YYYY-MM-DD")
    return last


def local_zones(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The time zones the orders' local weekdays and hours are in (one per marketplace; most orders
    first), as the report and statements name them."""
    prepare(con)
    return [r["zone"] for r in query_rows(con, "local_zones")]


def order_span(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """(first, last) UTC purchase date in the orders data."""
    row = query_one(con, "order_span")
    return row["first_date"], row["last_date"]
