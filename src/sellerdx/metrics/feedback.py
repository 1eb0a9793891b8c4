"""Removable negative feedback (Amazon's removal rules, ``data/metrics.toml`` ``[removable]``) and the ODR what-if without it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from sellerdx import themes
from sellerdx.metrics.compute import compute_metrics, metric_context
from sellerdx.metrics.config import MetricParams, metric_config, metrics_config
from sellerdx.metrics.runner import query_one, query_rows
from sellerdx.model import MetricResult


def ensure_theme_table(con: duckdb.DuckDBPyConnection) -> None:
    if not query_one(con, "table_exists", {"name": "feedback_themes"})["found"]:
        themes.theme_table(con)   # built by the themes module from data/lexicon.toml


def _is_buy_shipping(row: Mapping[str, Any], markers: list[str]) -> bool:
    text = " ".join(str(row.get(c) or "") for c in ("shipping_service", "carrier")).lower()
    return any(m in text for m in markers)


def _removal_reason(row: Mapping[str, Any], rules: list[dict[str, Any]], flags: set[str],
                    markers: list[str]) -> dict[str, Any] | None:
    themes = set(row["themes"] or ())
    subjects = themes - flags
    for rule in rules:
        if "channel" in rule and row.get("channel") != rule["channel"]:
            continue
        if rule.get("buy_shipping_on_time") and (row.get("is_late") is not False
                                                 or not _is_buy_shipping(row, markers)):
            continue
        if "themes_only" in rule and not (subjects and subjects <= set(rule["themes_only"])):
            continue
        if "any_theme" in rule and not themes & set(rule["any_theme"]):
            continue
        return rule
    return None


def removable_feedback(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None) -> pd.DataFrame:
    """Negative feedback Amazon would remove or strike through, still within the removal period.

    Columns: order_id, feedback_date, rating, comments, channel, purchase_date, themes, reason_code,
    reason, removable_until. Rules: data/metrics.toml [removable]; themes: table ``feedback_themes``
    (built by :func:`sellerdx.themes.theme_table` when missing).
    """
    params = params or MetricParams()
    as_of, _, _ = metric_context(con, params)
    ensure_theme_table(con)
    cfg = metrics_config()
    rem = cfg["removable"]
    rows = query_rows(con, "removable_feedback", {"as_of": as_of, "removal_days": int(rem["removal_days"])})
    out = []
    for row in rows:
        rule = _removal_reason(row, rem["rules"], set(rem["flags"]), list(cfg["buy_shipping"]["markers"]))
        if rule is None:
            continue
        out.append({"order_id": row["order_id"], "feedback_date": row["feedback_date"],
                    "rating": row["rating"], "comments": row["comments"], "channel": row["channel"],
                    "purchase_date": row["purchase_date"], "themes": list(row["themes"] or ()),
                    "reason_code": rule["code"], "reason": rule["reason"],
                    "removable_until": row["removable_until"]})
    frame = pd.DataFrame(out, columns=["order_id", "feedback_date", "rating", "comments", "channel",
                                       "purchase_date", "themes", "reason_code", "reason", "removable_until"])
    for col in ("feedback_date", "purchase_date", "removable_until"):   # as DuckDB's .df() gives dates
        frame[col] = pd.to_datetime(frame[col])
    return frame


def what_if(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None,
            removable: pd.DataFrame | None = None,
            metrics: Mapping[str, MetricResult] | None = None) -> dict[str, MetricResult]:
    """The ODR results if the removable negative feedback (``removable_feedback()`` by default) were gone.

    Keys: odr_mfn, odr_afn, odr_all. Claims and chargebacks of those orders still count. ``metrics`` are
    the current results (computed when not given): each ODR numerator drops by the removable orders of
    its window whose only defect is that feedback (queries/report/removable_defects.sql); the window and
    denominator stay, so no metric is recomputed.
    """
    params = params or MetricParams()
    if removable is None:
        removable = removable_feedback(con, params)
    if metrics is None:
        metrics = compute_metrics(con, params)
    orders = sorted(set(removable["order_id"].tolist()))
    freed = query_rows(con, "removable_defects", {"order_ids": [str(o) for o in orders]}) if orders else []
    out: dict[str, MetricResult] = {}
    for key, now in metrics.items():
        cfg = metric_config(key)
        if cfg["query"] != "odr":
            continue
        if now.window_start is None or now.status == "not_computed":
            out[key] = now
            continue
        gone = sum(1 for r in freed if now.window_start <= r["purchase_date"] <= now.window_end
                   and cfg["channel"] in ("ALL", r["channel"]))
        numerator = now.numerator - gone
        rate = numerator / now.denominator if now.denominator else None
        out[key] = dataclasses.replace(now, numerator=numerator, rate=rate)
    return out
