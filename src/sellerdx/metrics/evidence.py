"""Evidence rows for the analysis result: a finding's orders (one query decides the item every output names) and every counted defect of a window."""

from __future__ import annotations

import datetime as dt

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
    ASINs / SKUs, else the order's first item. Every output reads these rows.
    """
    prepare(con)
    configs = metric_configs()
    family = configs[finding.metric]["family"] if finding.metric in configs else finding.metric
    return query_frame(con, "evidence_orders", {"order_ids": list(finding.order_ids), "family": family,
                                           "asins": list(finding.entities.get("asins", [])),
                                           "skus": list(finding.entities.get("skus", []))})


def defect_orders(con: duckdb.DuckDBPyConnection, metric: MetricResult, as_of: dt.date) -> pd.DataFrame:
    """Every bad outcome counted in ``metric``'s window, one row per order, with its stated reasons
    (queries/report/defect_orders.sql): the orders a Plan of Action must answer. Empty without a window."""
    prepare(con)
    ensure_theme_table(con)
    cfg = metric_config(metric.key)
    if metric.window_start is None or metric.window_end is None:
        return query_frame(con, "defect_orders", {"family": cfg["family"], "window_start": as_of,
                                              "window_end": as_of - dt.timedelta(days=1), "as_of": as_of})
    return query_frame(con, "defect_orders", {"family": cfg["family"], "window_start": metric.window_start,
                                          "window_end": metric.window_end, "as_of": as_of})
