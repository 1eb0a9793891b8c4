"""Derived tables built once per loaded data set (``defect_events``, ``order_facts``, ``order_items``, ``metric_orders``, ``metric_day_sums``), the per-window tables the rules read, and the as-of date."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import weakref
from typing import Any

import duckdb

from sellerdx import assets, store
from sellerdx.errors import BadOptionError, NoInputError
from sellerdx.metrics.config import metrics_config, timezone_table
from sellerdx.metrics.runner import query_one, query_rows, run_query
from sellerdx.version import __version__

_PREPARED: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple] = weakref.WeakKeyDictionary()
"""Connection -> (data key, facts computed once per prepared data set: ``coverage``)."""


_KEEP = object()


PREPARED_TABLES = ("defect_events", "order_facts", "order_items", "metric_orders", "metric_day_sums")
"""The as-of-independent tables :func:`prepare` builds, in this order (queries/metrics/<name>.sql)."""

_STAGES = {"metric_orders": ("metric_unit_rows",)}
"""Stage tables built just before a prepared table (queries/metrics/<stage>.sql, in this order) and dropped
once it is built."""


@functools.cache
def _fingerprint() -> str:
    """What the prepared tables are computed from besides the data: sellerdx's version, their queries and
    the data files they read (metrics.toml, timezones.toml). A stored build with another is never used."""
    digest = hashlib.sha256(__version__.encode())
    for name in (*PREPARED_TABLES, *(n for stages in _STAGES.values() for n in stages)):
        digest.update(assets.load_query(name).encode())
    for name in ("metrics.toml", "timezones.toml"):
        digest.update(assets.read_text("data", name).encode())
    return digest.hexdigest()


def _key(con: duckdb.DuckDBPyConnection, timezone: Any) -> tuple:
    """What the prepared tables are built from: the source tables' row counts (read once per data version,
    store.per_version), the supplied kinds, the zone and :func:`_fingerprint`."""
    counts = store.per_version(con, "source_counts",
                               lambda: tuple(sorted(query_one(con, "source_counts").items())))
    return (counts, tuple(sorted(store.supplied_kinds(con))), timezone, _fingerprint())


def _key_text(key: tuple) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()


def _build(con: duckdb.DuckDBPyConnection, timezone: Any) -> None:
    """Run defect_events, order_facts, order_items, metric_orders and metric_day_sums: tables of the connection's database
    (the work database of an analysis, or the cache entry being built), never temp tables. Temp tables
    live in memory uncompressed (a 1M-item account's prepared tables took ~850 MB of DuckDB's budget as temp
    tables); tables of the database file are compressed and paged by DuckDB's buffer manager."""
    supplied = store.supplied_kinds(con)
    zones = timezone_table()
    cfg = metrics_config()
    params: dict[str, dict[str, Any]] = {
        "defect_events": {
            "claim_excluded_statuses": list(cfg["claims"]["excluded_statuses"]),
            "buyer_initiators": list(cfg["cancellations"]["buyer_initiators"]),
            "buyer_reasons": list(cfg["cancellations"]["buyer_reasons"]),
        },
        "order_facts": {
            "cancelled_statuses": [w.lower() for w in cfg["orders"]["cancelled_statuses"]],
            "has_cancellations": "cancellations" in supplied,
            "invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]],
            "zone_channels": [c.lower() for c in zones["sales_channels"]],
            "zone_names": list(zones["sales_channels"].values()),
            "zone_default": str(zones["default"]),
            "zone_override": timezone,
        },
        "order_items": {
            "has_cancellations": "cancellations" in supplied,
            "cancelled_statuses": [w.lower() for w in cfg["orders"]["cancelled_statuses"]],
            "invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]],
        },
        "metric_unit_rows": {"invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]]},
        "metric_orders": {},
        "metric_day_sums": {},
    }
    for name in PREPARED_TABLES:   # the biggest statements of a run: tried again before giving up (store)
        for stage in _STAGES.get(name, ()):
            store.within_budget(con, lambda stage=stage: run_query(con, stage, params[stage]))
        store.within_budget(con, lambda name=name: run_query(con, name, params[name]))
        for stage in _STAGES.get(name, ()):
            con.execute(f"DROP TABLE IF EXISTS {stage}")


def prepare(con: duckdb.DuckDBPyConnection, *, force: bool = False, timezone: Any = _KEEP) -> None:
    """Build the prepared tables (:data:`PREPARED_TABLES`) unless already built for this data.

    ``timezone`` is the zone of every order's local weekday / hour / date (``--timezone``), None for each
    order's sales-channel zone (data/timezones.toml); left out, the zone of the last build is kept.
    Rebuilt when the row counts of the source tables, the supplied kinds or the zone changed, or with
    ``force``. A database that holds them already (:func:`store_prepared`: the cached database of a
    folder) is used as it is when it was built from the same data, zone, queries and data files
    (``prepared_info``); otherwise they are built again in the work database, whose tables shadow the
    stored ones (the search path names the work database first, store.connect_work).
    """
    if timezone is _KEEP:
        timezone = _PREPARED[con][0][2] if con in _PREPARED else None
    key = _key(con, timezone)
    if not force and con in _PREPARED and _PREPARED[con][0] == key:
        return
    if not force and con not in _PREPARED:
        info = stored_info(con)
        if info is not None and info.get("key") == _key_text(key):
            _PREPARED[con] = (key, _fresh_state(con, adopted=True, info=info))
            return
    _build(con, timezone)
    _drop_windows(con)
    _PREPARED[con] = (key, _fresh_state(con, adopted=False))


def _fresh_state(con: duckdb.DuckDBPyConnection, *, adopted: bool,
                 info: dict[str, Any] | None = None) -> dict[str, Any]:
    coverage = _stored_coverage(info) or query_one(con, "shipment_coverage")
    return {"coverage": coverage, "window": None, "windows": {}, "views": {}, "items": set(),
            "adopted": adopted}


def store_prepared(con: duckdb.DuckDBPyConnection, timezone: Any = None) -> None:
    """Build the prepared tables in ``con``'s database (the cache entry being built) with ``prepared_info``
    naming what they were built from, so a later analysis of the same database (the folder's cache entry,
    attached read-only) uses them without rebuilding: only the window queries depend on ``--as-of``."""
    _build(con, timezone)
    # The as-of-independent facts read in every run are stored beside them too: the orders' purchase-date
    # span (order_span: min, max over every order row) and the shipments' coverage.
    span = _span_query(con)
    con.execute("CREATE OR REPLACE TABLE prepared_info AS SELECT CAST($k AS VARCHAR) AS key, "
                "CAST($counts AS VARCHAR) AS counts, CAST($first AS DATE) AS first_date, "
                "CAST($last AS DATE) AS last_date, CAST($coverage AS VARCHAR) AS coverage",
                {"k": _key_text(_key(con, timezone)), "counts": repr(_source_counts(con)),
                 "first": span[0], "last": span[1],
                 "coverage": json.dumps(query_one(con, "shipment_coverage"), sort_keys=True)})


def stored_info(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The row of ``prepared_info`` stored in ``con``'s databases (:func:`store_prepared`), None without:
    ``key`` (what the prepared tables were built from), and since round five ``counts`` (the source row
    counts they were built from), ``first_date`` / ``last_date`` (:func:`order_span`) and ``coverage``
    (:func:`shipment_coverage`, JSON). An entry stored before has only ``key``: those are then queried."""
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'prepared_info' "
                        "AND NOT temporary").fetchone()[0]
    if not found:
        return None
    cur = con.execute("SELECT * FROM prepared_info")
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def stored_prepared(con: duckdb.DuckDBPyConnection) -> str | None:
    """The key of the prepared tables stored in ``con``'s databases (``prepared_info``), None without."""
    info = stored_info(con)
    return info.get("key") if info else None


def _stored_coverage(info: dict[str, Any] | None) -> dict[str, Any] | None:
    text = (info or {}).get("coverage")
    return json.loads(text) if text else None


def adopted(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the prepared tables in use are the stored ones (:func:`store_prepared`), not built now."""
    return con in _PREPARED and bool(_PREPARED[con][1].get("adopted"))


def _drop_windows(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the windows of the previous build (their tables and the views of the current one)."""
    if con not in _PREPARED:
        return
    state = _PREPARED[con][1]
    con.execute("DROP VIEW IF EXISTS metric_window")
    con.execute("DROP VIEW IF EXISTS metric_window_items")
    for n in state["windows"].values():
        kind = "VIEW" if n in state["views"] else "TABLE"
        con.execute(f"DROP {kind} IF EXISTS metric_window_{n}")
        con.execute(f"DROP TABLE IF EXISTS metric_window_items_{n}")


def use_window(con: duckdb.DuckDBPyConnection, family: str, start: dt.date, end: dt.date) -> None:
    """Make ``metric_window`` hold the orders of ``family`` purchased from ``start`` to ``end``
    (queries/metric_window.sql).

    Each (family, start, end) is materialised once per prepared data set, as the temp table
    ``metric_window_<n>`` (temp: written once and read by a few queries, it costs about half the CPU of
    a table compressed into the database file, measured at 1M items); ``metric_window`` (and
    ``metric_window_items`` once :func:`window_items` built them) are views of the current one. So the rules of several metrics and the describe step's
    breakdowns, which alternate between windows, never build a window twice.
    """
    prepare(con)
    state = _PREPARED[con][1]
    want = (family, start, end)
    if state["window"] == want:
        return
    windows: dict[tuple, int] = state["windows"]
    if want not in windows:
        _new_window(con, state, family, start, end)
    n = windows[want]
    show_window_table(con, "metric_window", n)
    if n in state["items"]:
        show_window_table(con, "metric_window_items", n)
    else:
        con.execute("DROP VIEW IF EXISTS metric_window_items")
    state["window"] = want


CHANNEL_FAMILIES = {"odr_mfn": ("odr_all", "MFN"), "odr_afn": ("odr_all", "AFN")}
"""Families whose rows in metric_orders are another family's rows of one channel, column for column
(queries/metrics/metric_orders.sql: odr_mfn and odr_afn are odr_all's MFN and AFN orders)."""


def _new_window(con: duckdb.DuckDBPyConnection, state: dict[str, Any], family: str, start: dt.date,
                end: dt.date) -> None:
    """Make window (family, start, end) known as ``metric_window_<n>``: a view of a window already holding
    its rows, else a temp table of its own (queries/metrics/metric_window.sql).

    A window's rows are those of metric_orders with ``window_date`` from start to end that count on the
    end (``counts_from <= end``), joined with their order_facts columns. So an ODR window of one channel is
    the odr_all window of the same dates restricted to that channel (:data:`CHANNEL_FAMILIES`; the odr_all
    window is built for it if it was not), and a window of a family whose end another window of the
    family shares, starting earlier (the 10-day LSR window in the 30-day one), is that window's rows from
    ``start`` on. Either is a view: nothing copied."""
    windows: dict[tuple, int] = state["windows"]
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise TypeError(f"a window's start and end are dates, not {start!r} and {end!r}")
    source: tuple[int, str] | None = None   # (window whose rows these are, the SQL condition that keeps them)
    if family in CHANNEL_FAMILIES:
        whole, channel = CHANNEL_FAMILIES[family]
        if (whole, start, end) not in windows:
            _new_window(con, state, whole, start, end)
        source = (windows[(whole, start, end)], f"channel = '{channel}'")
    else:
        days = _widest_days(family)
        widest = end - dt.timedelta(days=days - 1) if days else start
        if widest < start and (family, widest, end) not in windows:
            # the family's widest window ends on the same day (metrics.toml) and will be asked for too:
            # built first, whichever metric's rules come first, so this one is a view of it
            _new_window(con, state, family, widest, end)
        wider = [(s, n) for (f, s, e), n in windows.items() if f == family and e == end and s < start]
        if wider:   # the widest one
            source = (min(wider)[1], f"window_date >= DATE '{start:%Y-%m-%d}'")
    n = len(windows)
    if source is None:
        con.execute("DROP VIEW IF EXISTS metric_window")
        run_query(con, "metric_window", {"family": family, "window_start": start, "window_end": end})
        keep_window_table(con, "metric_window", n)
    else:
        # A view's text holds no parameter: the condition is made of a channel code of the mapping above
        # or an ISO date, never of user text.
        con.execute(f"CREATE OR REPLACE TEMP VIEW metric_window_{n} AS "
                    f"SELECT * FROM metric_window_{source[0]} WHERE {source[1]}")
        state["views"][n] = source[0]
    windows[(family, start, end)] = n


def _widest_days(family: str) -> int | None:
    """The longest window (days) of the metrics of ``family`` (data/metrics.toml), when they all end on the
    same day (the same ``lagged`` and ``lag_days``) and there are several; else None."""
    cfgs = [c for c in metrics_config()["metrics"].values() if c.get("family") == family]
    if len(cfgs) < 2 or len({(bool(c.get("lagged")), c.get("lag_days")) for c in cfgs}) != 1:
        return None
    return max(int(c["window_days"]) for c in cfgs)


def window_items(con: duckdb.DuckDBPyConnection) -> None:
    """Build ``metric_window_items`` (queries/metric_window_items.sql) for the current ``metric_window``
    (once per window: kept as ``metric_window_items_<n>``, the view ``metric_window_items`` shows it)."""
    n, state = current_window(con, "window_items")
    if n not in state["items"]:
        _build_items(con, state, n)
        show_window_table(con, "metric_window_items", n)


def _build_items(con: duckdb.DuckDBPyConnection, state: dict[str, Any], n: int) -> None:
    """Build and keep ``metric_window_items_<n>`` while the view ``metric_window`` shows window ``n``. A
    window that is a view of a wider one (:func:`_new_window`) takes the wider window's items of its orders
    (no join with order_items); the wider window's items are built first when they are not yet (the rules
    ask for them too)."""
    wider = state["views"].get(n)
    if wider is not None and wider not in state["items"]:
        show_window_table(con, "metric_window", wider)
        _build_items(con, state, wider)
        show_window_table(con, "metric_window", n)
    con.execute("DROP VIEW IF EXISTS metric_window_items")
    if wider is None:
        family = next(f for (f, _start, _end), m in state["windows"].items() if m == n)
        run_query(con, "metric_window_items", {"family": family})
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW metric_window_items_wider AS "
                    f"SELECT * FROM metric_window_items_{wider}")
        run_query(con, "metric_window_items_subset", {})
        con.execute("DROP VIEW metric_window_items_wider")
    keep_window_table(con, "metric_window_items", n)
    state["items"].add(n)


def current_window(con: duckdb.DuckDBPyConnection, asker: str) -> tuple[int, dict[str, Any]]:
    """(number of the current window, the prepared data set's state where its tables are remembered); the
    window tables of :func:`window_items` and :func:`sellerdx.metrics.window_groups` hang on it."""
    state = _PREPARED[con][1] if con in _PREPARED else {"window": None}
    if state["window"] is None:
        raise RuntimeError(f"{asker}() needs use_window() first")
    return state["windows"][state["window"]], state


def keep_window_table(con: duckdb.DuckDBPyConnection, table: str, n: int) -> None:
    """Keep the table ``table`` just built as window ``n``'s ``<table>_<n>`` (replacing an earlier one)."""
    con.execute(f"DROP TABLE IF EXISTS {table}_{n}")
    con.execute(f"ALTER TABLE {table} RENAME TO {table}_{n}")


def show_window_table(con: duckdb.DuckDBPyConnection, table: str, n: int) -> None:
    """Point the view ``table`` at window ``n``'s ``<table>_<n>``."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM {table}_{n}")


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
    last = order_span(con)[1]
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
    """(first, last) UTC purchase date in the orders data.

    Read once per loaded data set; a folder's cached database holds it with the prepared tables
    (:func:`store_prepared`), so a later run of the folder reads it from there when the source row counts
    are the ones it was stored with, and does not scan the orders."""
    counts = _source_counts(con)
    cached = _SPANS.get(con)
    if cached is not None and cached[0] == counts:
        return cached[1]
    info = stored_info(con)
    if info is not None and info.get("counts") == repr(counts) and "first_date" in info:
        span = (info["first_date"], info["last_date"])
    else:
        span = _span_query(con)
    _SPANS[con] = (counts, span)
    return span


def _source_counts(con: duckdb.DuckDBPyConnection) -> tuple:
    """The source tables' row counts (queries/metrics/source_counts.sql: table metadata, no scan), asked
    every time: a test or a user's own SQL may change a table without telling ``store``."""
    return tuple(sorted(query_one(con, "source_counts").items()))


def _span_query(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    row = query_one(con, "order_span")
    return row["first_date"], row["last_date"]


_SPANS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple] = weakref.WeakKeyDictionary()
"""Connection -> (source row counts, order span): the span is read once per loaded data set."""
