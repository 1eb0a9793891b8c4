"""The metrics themselves: one :class:`~sellerdx.model.MetricResult` per key, on the default windows or on any window."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import duckdb

from sellerdx import store
from sellerdx.errors import BadOptionError
from sellerdx.i18n.fields import joined
from sellerdx.metrics.availability import (
    availability,
    coverage_note,
    enforced_marketplaces,
    enforcement_notes,
    missing_exports,
    unmatched_notes,
    window_coverage,
)
from sellerdx.metrics.config import (
    MetricParams,
    metric_config,
    metric_configs,
    metric_window,
    metrics_config,
    window_lag,
)
from sellerdx.metrics.prepared import order_span, prepare, resolve_as_of, shipment_coverage
from sellerdx.metrics.runner import BINDINGS, query_one, query_rows
from sellerdx.metrics.stats import meets, simulate_recovery, wilson_interval
from sellerdx.model import MetricResult


def _metric_rows(con: duckdb.DuckDBPyConnection, as_of: dt.date, params: MetricParams,
                 removed_feedback_orders: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Raw rows (window, numerator, denominator, extras) of every metric."""
    rows: dict[str, dict[str, Any]] = {}
    odr_rows: dict[int, dict[str, dict[str, Any]]] = {}
    for key, cfg in metric_configs().items():
        window_days = int(cfg["window_days"])
        if cfg["query"] == "odr":
            if window_days not in odr_rows:
                odr_rows[window_days] = {r["channel"]: r for r in query_rows(con, "odr", {
                    "as_of": as_of, "odr_lag_days": int(params.odr_lag_days), "window_days": window_days,
                    "removed_feedback_orders": list(removed_feedback_orders or [])})}
            rows[key] = odr_rows[window_days][cfg["channel"]]
        elif "lag_days" in BINDINGS[cfg["query"]]:
            rows[key] = query_one(con, cfg["query"], {"as_of": as_of, "lag_days": window_lag(cfg, params),
                                                 "window_days": window_days})
        else:
            rows[key] = query_one(con, cfg["query"], {"as_of": as_of, "window_days": window_days})
    return rows


_EXTRA_SKIP = {"channel", "window_start", "window_end", "numerator", "denominator"}


def _result(key: str, cfg: Mapping[str, Any], row: Mapping[str, Any], computable: bool,
            notes: list[str], recovery: dt.date | None = None,
            span: tuple[dt.date | None, dt.date | None] | None = None) -> MetricResult:
    target = float(cfg["target"])
    direction = cfg["direction"]
    extras = {k: int(v) for k, v in row.items() if k not in _EXTRA_SKIP and v is not None}
    start, end = row.get("window_start"), row.get("window_end")
    coverage = coverage_text = None
    if span is not None and start is not None and end is not None:
        covered, days = window_coverage(span, start, end)
        coverage = covered / days
        coverage_text = coverage_note(span, start, end) if computable else None
    common = dict(key=key, label=cfg["label"], window_start=start,
                  window_end=end, target=target, direction=direction,
                  note=joined(notes), coverage=coverage, coverage_note=coverage_text)
    if not computable:
        return MetricResult(rate=None, numerator=0, denominator=0, status="not_computed", **common)
    k, n = int(row["numerator"]), int(row["denominator"])
    if n == 0:
        return MetricResult(rate=None, numerator=k, denominator=n, status="no_orders", extras=extras,
                            **common)
    rate = k / n
    low, high = wilson_interval(k, n)
    one_more = (k + 1) / n if direction == "below" else max(k - 1, 0) / n
    status = "ok" if meets(rate, target, direction) else "at_risk"
    return MetricResult(rate=rate, numerator=k, denominator=n, status=status, ci_low=low, ci_high=high,
                        one_more_rate=min(one_more, 1.0),
                        recovery_date=recovery if status == "at_risk" else None,
                        extras=extras, **common)


def _recovery_date(con: duckdb.DuckDBPyConnection, key: str, as_of: dt.date,
                   params: MetricParams) -> dt.date | None:
    cfg = metric_config(key)
    defaults = metrics_config()["defaults"]
    avg_days = int(defaults["recovery_average_days"])
    start, _ = metric_window(key, as_of, params)
    avg_from = as_of - dt.timedelta(days=avg_days - 1)
    rows = query_rows(con, "metric_day_counts", {"family": cfg["family"], "date_from": min(start, avg_from),
                                            "date_to": as_of})
    days = {r["purchase_date"]: (int(r["orders"]), int(r["defects"])) for r in rows}
    volume = sum(n for d, (n, _) in days.items() if d >= avg_from) / avg_days
    return simulate_recovery(days, as_of=as_of, lag_days=window_lag(cfg, params),
                             window_days=int(cfg["window_days"]), target=float(cfg["target"]),
                             direction=cfg["direction"], daily_volume=volume,
                             horizon_days=int(defaults["recovery_horizon_days"]))


def metric_context(con: duckdb.DuckDBPyConnection, params: MetricParams) -> tuple[dt.date, set[str], dict[str, Any]]:
    prepare(con, timezone=params.timezone)
    as_of = resolve_as_of(con, params.as_of)
    return as_of, store.supplied_kinds(con), shipment_coverage(con)


def compute_metrics(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None,
                    *, removed_feedback_orders: list[str] | None = None) -> dict[str, MetricResult]:
    """Every metric of :data:`METRIC_KEYS` as a :class:`MetricResult`, keyed by metric key.

    ``removed_feedback_orders`` (what-if only) treats the negative feedback of those orders as removed.
    """
    params = params or MetricParams()
    as_of, supplied, coverage = metric_context(con, params)
    raw = _metric_rows(con, as_of, params, removed_feedback_orders)
    unusable = missing_exports(con)
    span = order_span(con)
    results: dict[str, MetricResult] = {}
    for key, cfg in metric_configs().items():
        computable, notes = availability(cfg, supplied, coverage, unusable)
        start, end = metric_window(key, as_of, params)
        if cfg["query"] == "odr" and computable and window_coverage(span, start, end)[0] < (end - start).days + 1:
            notes = notes + unmatched_notes(con, span)
        if computable:
            notes = notes + enforcement_notes(con, cfg)
        result = _result(key, cfg, raw[key], computable, notes, span=span)
        if result.status == "at_risk" and cfg.get("enforced_in") and not enforced_marketplaces(con):
            # Amazon does not enforce this rate in these orders' marketplaces: shown for comparison, it
            # neither puts the account at risk nor asks for a Plan of Action [choice, metrics-spec 2024-2026]
            result = dataclasses.replace(result, status="not_enforced")
        elif result.status == "at_risk":
            result = _result(key, cfg, raw[key], computable, notes,
                             recovery=_recovery_date(con, key, as_of, params), span=span)
        results[key] = result
    return results


def metric_on_window(con: duckdb.DuckDBPyConnection, metric: str, start: dt.date, end: dt.date,
                     params: MetricParams | None = None) -> MetricResult:
    """One metric recomputed over an arbitrary purchase-date window (e.g. Amazon's reporting range).

    Same rules and availability notes as :func:`compute_metrics`; no recovery date.
    """
    params = params or MetricParams()
    cfg = metric_config(metric)
    prepare(con)
    supplied = store.supplied_kinds(con)
    coverage = shipment_coverage(con)
    days = (end - start).days + 1
    if days < 1:
        raise BadOptionError(f"window {start} .. {end} is empty")
    if cfg["query"] == "odr":
        row = {r["channel"]: r for r in query_rows(con, "odr", {
            "as_of": end, "odr_lag_days": 0, "window_days": days, "removed_feedback_orders": []})}[cfg["channel"]]
    elif "lag_days" in BINDINGS[cfg["query"]]:
        row = query_one(con, cfg["query"], {"as_of": end, "lag_days": 0, "window_days": days})
    else:
        row = query_one(con, cfg["query"], {"as_of": end, "window_days": days})
    computable, notes = availability(cfg, supplied, coverage, missing_exports(con))
    notes = notes + enforcement_notes(con, cfg) if computable else notes
    return _result(metric, cfg, row, computable, notes, span=order_span(con))
