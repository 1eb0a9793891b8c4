"""Evidence rows for the analysis result: a finding's orders (one query decides the item every output names) and every counted defect of a window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from sellerdx.metrics.config import metric_config, metric_configs
from sellerdx.metrics.feedback import ensure_theme_table
from sellerdx.metrics.prepared import prepare
from sellerdx.metrics.runner import query_frame
from sellerdx.model import Finding, MetricResult


def evidence_orders(con: duckdb.DuckDBPyConnection, finding: Finding) -> pd.DataFrame:
    """A finding's evidence orders, one row per order (queries/report/evidence_orders.sql).

    The one place that decides which item an evidence row names: the order's items of the finding's
    ASINs / SKUs, else the order's first item. Every output reads these rows. For several findings,
    :func:`evidence_for` runs the query once.
    """
    return evidence_for(con, [finding]).get(finding.code, _empty_evidence(con, finding))


def evidence_for(con: duckdb.DuckDBPyConnection, findings: Sequence[Finding]) -> dict[str, pd.DataFrame]:
    """Finding code -> its evidence orders (as :func:`evidence_orders`), for every finding with orders,
    from ONE run of queries/report/evidence_orders.sql."""
    prepare(con)
    configs = metric_configs()
    entries = [{"code": f.code,
                "family": configs[f.metric]["family"] if f.metric in configs else f.metric,
                "order_ids": [str(o) for o in f.order_ids],
                "asins": [str(a) for a in f.entities.get("asins", [])],
                "skus": [str(s) for s in f.entities.get("skus", [])]}
               for f in findings if f.order_ids]
    if not entries:
        return {}
    frame = query_frame(con, "evidence_orders", {"findings": entries})
    out: dict[str, pd.DataFrame] = {}
    for code, rows in frame.groupby("finding", sort=False):
        out[str(code)] = _as_alone(rows.drop(columns=["finding"]).reset_index(drop=True))
    for entry in entries:   # a finding whose orders are all outside order_facts: no rows, same columns
        out.setdefault(entry["code"], frame.iloc[0:0].drop(columns=["finding"]).reset_index(drop=True))
    return out


def _as_alone(rows: pd.DataFrame) -> pd.DataFrame:
    """One finding's slice typed as the query run for that finding alone types it: a text column with no
    value in the slice is an object column of None (DuckDB's ``.df()`` of an all-NULL VARCHAR), not a
    string column of NaN because another finding had values."""
    for col in rows.columns:
        if isinstance(rows[col].dtype, pd.StringDtype) and rows[col].isna().all():
            rows[col] = pd.Series([None] * len(rows), index=rows.index, dtype=object)
    return rows


def _empty_evidence(con: duckdb.DuckDBPyConnection, finding: Finding) -> pd.DataFrame:
    """The evidence frame of a finding without orders: the query's columns, no row."""
    frame = query_frame(con, "evidence_orders", {"findings": [{"code": finding.code, "family": "",
                                                               "order_ids": [], "asins": [], "skus": []}]})
    return frame.drop(columns=["finding"])


def defect_orders(con: duckdb.DuckDBPyConnection, metric: MetricResult, as_of: dt.date) -> pd.DataFrame:
    """Every bad outcome counted in ``metric``'s window, one row per order, with its stated reasons
    (queries/report/defect_orders.sql): the orders a Plan of Action must answer. Empty without a window.
    For several metrics, :func:`defect_orders_for` runs the query once."""
    return defect_orders_for(con, [metric], as_of)[metric.key]


def defect_orders_for(con: duckdb.DuckDBPyConnection, metrics: Sequence[MetricResult],
                      as_of: dt.date) -> dict[str, pd.DataFrame]:
    """Metric key -> its defect orders (as :func:`defect_orders`), for every metric of ``metrics``, from
    ONE run of queries/report/defect_orders.sql (metric_orders read once)."""
    if not metrics:
        return {}
    prepare(con)
    ensure_theme_table(con)
    windows = []
    for metric in metrics:
        start, end = metric.window_start, metric.window_end
        if start is None or end is None:   # no window: an empty one
            start, end = as_of, as_of - dt.timedelta(days=1)
        windows.append({"metric": metric.key, "family": metric_config(metric.key)["family"],
                        "window_start": start, "window_end": end})
    frame = query_frame(con, "defect_orders", {"windows": windows, "as_of": as_of})
    out: dict[str, pd.DataFrame] = {}
    for key, rows in frame.groupby("metric", sort=False):
        out[str(key)] = _as_alone(rows.drop(columns=["metric"]).reset_index(drop=True))
    for metric in metrics:   # a window without defects: no rows, same columns
        out.setdefault(metric.key, frame.iloc[0:0].drop(columns=["metric"]).reset_index(drop=True))
    return out
