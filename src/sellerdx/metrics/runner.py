"""Running ``queries/metrics/`` with checked parameters: every query is bound with exactly the ``$parameters`` its header declares (:data:`BINDINGS`)."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from sellerdx import assets
from sellerdx.errors import QueryParameterError

BINDINGS: dict[str, frozenset[str]] = {
    "defect_events": frozenset({"claim_excluded_statuses", "buyer_initiators", "buyer_reasons"}),
    "order_facts": frozenset({"cancelled_statuses", "has_cancellations", "invalid_carriers", "zone_channels",
                              "zone_names", "zone_default", "zone_override"}),
    "local_zones": frozenset(),
    "order_items": frozenset({"has_cancellations", "cancelled_statuses", "invalid_carriers"}),
    "metric_unit_rows": frozenset({"invalid_carriers"}),
    "metric_orders": frozenset(),
    "sales_channels": frozenset(),
    "source_counts": frozenset(),
    "order_span": frozenset(),
    "shipment_coverage": frozenset(),
    "odr": frozenset({"as_of", "odr_lag_days", "window_days", "removed_feedback_orders"}),
    "pfcr": frozenset({"as_of", "window_days"}),
    "lsr": frozenset({"as_of", "window_days"}),
    "vtr": frozenset({"as_of", "window_days"}),
    "otdr": frozenset({"as_of", "window_days"}),
    "otdr_units": frozenset({"as_of", "lag_days", "window_days"}),
    "metric_daily": frozenset({"series"}),
    "metric_day_counts": frozenset({"family", "date_from", "date_to"}),
    "breakdown": frozenset({"defects_only"}),
    "breakdown_items": frozenset({"defects_only"}),
    "metric_window": frozenset({"family", "window_start", "window_end"}),
    "metric_window_items": frozenset({"family"}),
    "metric_window_items_subset": frozenset(),
    "metric_day_sums": frozenset(),
    "metric_window_groups": frozenset(),
    "recovery": frozenset({"family", "as_of", "lag_days", "window_days"}),
    "unmatched_defects": frozenset({"defect_delay_days"}),
    "table_exists": frozenset({"name"}),
    "removable_feedback": frozenset({"as_of", "removal_days"}),
    "removable_defects": frozenset({"order_ids"}),
    "evidence_orders": frozenset({"findings"}),
    "defect_orders": frozenset({"windows", "as_of"}),
}
"""Query name -> the ``$parameters`` this module binds when it runs ``queries/<name>.sql``.

:func:`run_query` refuses to run a query with any other set, and tests/test_queries_params.py checks that
each set equals the parameters the SQL text declares."""


QUERY_STATS: dict[str, list[float]] = {}
"""Query name -> [runs, seconds] of every query run through :func:`run_query` / :func:`timed_execute` in
this process (a counter, never reset by sellerdx: tests and benchmarks/profile.py clear and read it to see
which queries a run executed, e.g. that a warm cache does not rebuild ``order_facts``)."""


def timed_execute(con: duckdb.DuckDBPyConnection, name: str, sql: str,
                  params: Mapping[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """``con.execute(sql, params)``, counted and timed under ``name`` in :data:`QUERY_STATS`."""
    started = time.perf_counter()
    try:
        return con.execute(sql, params or None)
    finally:
        entry = QUERY_STATS.setdefault(name, [0, 0.0])
        entry[0] += 1
        entry[1] += time.perf_counter() - started


_COMMENT_OR_STRING = re.compile(r"--[^\n]*|'(?:[^']|'')*'")


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def query_parameters(sql: str) -> frozenset[str]:
    """The ``$name`` parameters used by a SQL text (comments and string literals ignored)."""
    return frozenset(_PARAM.findall(_COMMENT_OR_STRING.sub(" ", sql)))


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None,
         *, sql: str | None = None) -> duckdb.DuckDBPyConnection:
    params = dict(params or {})
    expected = BINDINGS[name]
    if set(params) != expected:
        raise QueryParameterError(
            f"query {name!r} bound with {sorted(params)}, expected {sorted(expected)}",
            hint="update sellerdx.metrics.runner.BINDINGS and the query header together")
    return timed_execute(con, name, sql if sql is not None else assets.load_query(name), params)


def query_one(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    cur = run_query(con, name, params)
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(cols, row)) if row is not None else {}


def query_rows(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None,
          *, sql: str | None = None) -> list[dict[str, Any]]:
    cur = run_query(con, name, params, sql=sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def query_frame(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None,
           *, sql: str | None = None) -> pd.DataFrame:
    return run_query(con, name, params, sql=sql).df()
