"""Breakdowns of a metric's defects by a whitelisted attribute, daily series, the recovery calendar and unmatched defects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from sellerdx import assets
from sellerdx.errors import BadOptionError
from sellerdx.metrics.availability import metric_computable
from sellerdx.metrics.compute import metric_context
from sellerdx.metrics.config import (
    BREAKDOWNS,
    BY_COLUMN,
    MetricParams,
    breakdown_configs,
    metric_config,
    metric_configs,
    metric_window,
    window_lag,
)
from sellerdx.metrics.prepared import prepare, use_window, window_items
from sellerdx.metrics.runner import query_frame


def _breakdown_config(by: str) -> dict[str, Any]:
    try:
        return breakdown_configs()[by]
    except KeyError:
        raise BadOptionError(f"unknown breakdown {by!r}", hint="one of " + ", ".join(BREAKDOWNS)) from None


def breakdown_column(by: str) -> str:
    """The SQL column of breakdown ``by`` (``[by.<name>]`` of data/breakdowns.toml), checked to be
    ``m.<col>`` (metric_orders), ``f.<col>`` (order_facts) or ``i.<col>`` (the order's items,
    metric_window_items), so it may replace a query's ``__BY__``.

    Raises :class:`~sellerdx.errors.BadOptionError` for an unknown name or a column of another form.
    """
    column = str(_breakdown_config(by)["column"])
    if not BY_COLUMN.match(column):
        raise BadOptionError(f"breakdowns.toml: column {column!r} of {by!r} is not m.<col>, f.<col> or i.<col>")
    return column


def is_item_column(column: str) -> bool:
    """Whether a checked breakdown column is an attribute of the order's items (``i.<col>``): an order
    then belongs to the group of every value its items have."""
    return column.startswith("i.")


def window_column(column: str) -> str:
    """A checked breakdown column as a column of the window tables: ``m.<col>`` / ``f.<col>`` as
    ``w.<col>`` of metric_window (which holds metric_orders' outcome columns and order_facts' columns
    under their own names), ``i.<col>`` as ``i.<col>`` of metric_window_items."""
    if not BY_COLUMN.match(column):
        raise BadOptionError(f"column {column!r} is not m.<col>, f.<col> or i.<col>")
    return column if is_item_column(column) else "w." + column[2:]


def breakdown(con: duckdb.DuckDBPyConnection, metric: str, by: str,
              params: MetricParams | None = None) -> pd.DataFrame:
    """One metric's current window split by ``by`` (one of :data:`BREAKDOWNS`), biggest first.

    Columns: value, count (bad outcomes), denominator, rate, share (of the window's distinct bad
    outcomes), cumulative_share (distinct bad outcomes in this and the groups above it), overlap (a bad
    outcome is in several groups). For defect-only attributes (defect_type, claim_reason, cancel_reason,
    ...) only bad outcomes are grouped and the denominator is the window's. For item attributes (asin,
    sku) an order is in the denominator of every value its items have, and its bad outcome counts under
    the item it concerns (the cancelled SKU, the late parcel's item); only where the data names no item
    (feedback, claims, chargebacks) under every item of the order: the groups then overlap and
    ``overlap`` is True. Empty when the metric cannot be computed.
    """
    params = params or MetricParams()
    cfg = metric_config(metric)
    by_cfg = _breakdown_config(by)
    column = breakdown_column(by)
    as_of, _, _ = metric_context(con, params)
    if not metric_computable(con, metric):
        return pd.DataFrame(columns=["value", "count", "denominator", "rate", "share", "cumulative_share",
                                     "overlap"])
    start, end = metric_window(metric, as_of, params)
    use_window(con, cfg["family"], start, end)
    query = "breakdown"
    if is_item_column(column):
        window_items(con)
        query = "breakdown_items"
    sql = assets.load_query(query).replace("__BY__", window_column(column))
    frame = query_frame(con, query, {"defects_only": bool(by_cfg.get("defects_only", False))}, sql=sql)
    return _with_cumulative(frame)


def _with_cumulative(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``cumulative_share`` (share of the window's distinct defect orders in this group and the
    groups above it: an order in two groups is counted once) and ``overlap`` (True on every row when a
    defect order is in more than one group, so the counts add up to more than the defects).

    Item breakdowns give ``defect_orders`` lists (dropped here); other breakdowns' groups are disjoint,
    so their cumulative share is the running sum of the shares."""
    frame = frame.copy()
    if "defect_orders" in frame.columns:
        seen: set[str] = set()
        cumulative, total_counted = [], 0
        for orders in frame["defect_orders"]:
            orders = list(orders) if orders is not None else []
            seen.update(orders)
            total_counted += len(orders)
            cumulative.append(len(seen))
        defects = int(frame["window_defects"].iloc[0]) if len(frame) else 0
        frame["cumulative_share"] = [c / defects if defects else None for c in cumulative]
        frame["overlap"] = total_counted > len(seen)
        frame = frame.drop(columns=["defect_orders", "window_defects"])
    else:
        frame["cumulative_share"] = frame["share"].cumsum() if len(frame) else frame["share"]
        frame["overlap"] = False
    return frame


_DAILY_COLUMNS = ["date", "window_start", "window_end", "numerator", "denominator", "defects", "rate"]


def daily(con: duckdb.DuckDBPyConnection, metric: str, params: MetricParams | None = None) -> pd.DataFrame:
    """The metric for every as-of day D over the data's purchase-date span.

    Columns: date, window_start, window_end, numerator, denominator, defects, rate (NaN/None when the
    window has no orders). Empty when the metric cannot be computed. For several metrics,
    :func:`daily_series` runs one query.
    """
    return daily_series(con, [metric], params).get(metric, pd.DataFrame(columns=_DAILY_COLUMNS))


def daily_series(con: duckdb.DuckDBPyConnection, metrics: Sequence[str],
                 params: MetricParams | None = None) -> dict[str, pd.DataFrame]:
    """Metric key -> its daily series (as :func:`daily`) for every computable metric of ``metrics``, from
    ONE run of queries/metrics/metric_daily.sql (metric_orders read once for all of them)."""
    params = params or MetricParams()
    prepare(con)
    series = []
    for metric in metrics:
        cfg = metric_config(metric)
        if metric_computable(con, metric):
            series.append({"metric": metric, "family": cfg["family"], "lag_days": window_lag(cfg, params),
                           "window_days": int(cfg["window_days"])})
    out = {m: pd.DataFrame(columns=_DAILY_COLUMNS) for m in metrics}
    if not series:
        return out
    frame = query_frame(con, "metric_daily", {"series": series})
    for metric, rows in frame.groupby("metric", sort=False):
        out[str(metric)] = rows.drop(columns=["metric"]).reset_index(drop=True)
    return out


def recovery_calendar(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None) -> pd.DataFrame:
    """Each bad outcome in a metric's current window and the as-of date on which it leaves the window.

    Columns: order_id, metric, defect, purchase_date, leaves_window_on; sorted by leaves_window_on.
    odr_all is left out (its defects are those of odr_mfn and odr_afn, leaving on the same dates).
    """
    params = params or MetricParams()
    as_of, _, _ = metric_context(con, params)
    frames = []
    for key, cfg in metric_configs().items():
        if key == "odr_all" or not metric_computable(con, key):
            continue
        df = query_frame(con, "recovery", {"family": cfg["family"], "as_of": as_of, "lag_days": window_lag(cfg, params),
                                      "window_days": int(cfg["window_days"])})
        df.insert(1, "metric", key)
        frames.append(df)
    columns = ["order_id", "metric", "defect", "purchase_date", "leaves_window_on"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    return out.sort_values(["leaves_window_on", "metric", "order_id"], kind="stable").reset_index(drop=True)
