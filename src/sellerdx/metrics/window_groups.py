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


def _fill(sql: str, placeholder: str, text: str) -> str:
    head, found, tail = sql.rpartition(placeholder)   # the one in the SQL; the header only names it
    if not found:
        raise ValueError(f"metric_window_groups.sql has no {placeholder}")
    return head + text + tail


def groups_sql(columns: Mapping[str, str]) -> str:
    """metric_window_groups.sql for the groupings ``columns`` (name -> ``w.<col>`` column of
    metric_window; names and columns checked: never user text)."""
    cols, groups = [], []
    for name, column in sorted(columns.items()):
        if not _NAME.match(name) or not _COLUMN.match(column):
            raise ValueError(f"window groups: {name!r} -> {column!r} is not a name and a w.<col> column")
        cols.append(f", nullif(trim(CAST({column} AS VARCHAR)), '') AS g_{name}")
        groups.append(f", {{'grouping': '{name}', 'value': c.g_{name}}}")
    sql = assets.load_query("metric_window_groups")
    return _fill(_fill(sql, "__COLUMNS__", "".join(cols)), "__GROUPS__", "".join(groups))


def window_groups(con: duckdb.DuckDBPyConnection, columns: Mapping[str, str]) -> None:
    """Make the view ``metric_window_groups`` show the group counts of the current ``metric_window``
    (:func:`sellerdx.metrics.use_window`) for at least the groupings ``columns`` (name -> ``w.<col>``).

    Built once per window as ``metric_window_groups_<n>``, with the groupings asked for; a later call
    asking for one more builds it again with all of them (the diagnosis asks for every grouping its rules
    read on the window at the first call)."""
    n, state = prepared.current_window(con, "window_groups")
    built: dict[int, dict[str, str]] = state.setdefault("groups", {})
    if n not in built or not set(columns) <= set(built[n]):
        wanted = {**built.get(n, {}), **columns}
        con.execute("DROP VIEW IF EXISTS metric_window_groups")
        run_query(con, "metric_window_groups", {}, sql=groups_sql(wanted))
        prepared.keep_window_table(con, "metric_window_groups", n)   # replaces an earlier build's
        built[n] = wanted
        state["groups_view"] = None
    if state.get("groups_view") != n:
        prepared.show_window_table(con, "metric_window_groups", n)
        state["groups_view"] = n
