"""The group counts of the current window (queries/metrics/metric_window_groups.sql): the window's orders
counted by every attribute the rules group them by, in one pass, once per window."""

from __future__ import annotations

import re
from collections.abc import Mapping

import duckdb

from sellerdx import assets
from sellerdx.metrics import prepared
from sellerdx.metrics.runner import run_query

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_COLUMN = re.compile(r"w\.[a-z][a-z0-9_]*\Z")


def groups_sql(columns: Mapping[str, str]) -> str:
    """metric_window_groups.sql with ``__GROUPS__`` replaced by one ``{'grouping', 'value'}`` struct per
    grouping name -> ``w.<col>`` column of metric_window (names and columns checked: never user text)."""
    parts = []
    for name, column in sorted(columns.items()):
        if not _NAME.match(name) or not _COLUMN.match(column):
            raise ValueError(f"window groups: {name!r} -> {column!r} is not a name and a w.<col> column")
        parts.append(f"{{'grouping': '{name}', 'value': nullif(trim(CAST({column} AS VARCHAR)), '')}}")
    sql = assets.load_query("metric_window_groups")
    head, _, tail = sql.rpartition("__GROUPS__")     # the one in the SQL; the header only names it
    return head + ", ".join(parts) + tail


def window_groups(con: duckdb.DuckDBPyConnection, columns: Mapping[str, str]) -> None:
    """Make the view ``metric_window_groups`` show the group counts of the current ``metric_window``
    (:func:`sellerdx.metrics.use_window`), built once per window as ``metric_window_groups_<n>``.

    ``columns`` (grouping name -> ``w.<col>``) must be the same for every window of a data set: the
    table of a window is built with the groupings of its first call."""
    state = prepared._PREPARED[con][1]
    if state["window"] is None:
        raise RuntimeError("window_groups() needs use_window() first")
    n = state["windows"][state["window"]]
    built: set[int] = state.setdefault("groups", set())
    if n not in built:
        con.execute("DROP VIEW IF EXISTS metric_window_groups")
        run_query(con, "metric_window_groups", {}, sql=groups_sql(columns))
        con.execute(f"DROP TABLE IF EXISTS metric_window_groups_{n}")   # of an earlier build of the data
        con.execute(f"ALTER TABLE metric_window_groups RENAME TO metric_window_groups_{n}")
        built.add(n)
        state["groups_view"] = None
    if state.get("groups_view") != n:
        con.execute(f"CREATE OR REPLACE TEMP VIEW metric_window_groups AS SELECT * FROM metric_window_groups_{n}")
        state["groups_view"] = n
