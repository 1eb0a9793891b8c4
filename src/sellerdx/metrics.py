"""The metrics engine: account-health rates recomputed from the canonical DuckDB tables.

Every number comes from a query in ``queries/`` run with bound parameters; this module only chooses the
parameters (from ``data/metrics.toml`` and :class:`MetricParams`), turns the small aggregate rows into
:class:`~sellerdx.model.MetricResult` values and adds what SQL does not do well (the Wilson interval, the
recovery-date simulation, the removable-feedback rules).

The queries build on two derived objects, created on the connection the first time they are needed and
rebuilt when the loaded data changes:

* ``defect_events`` (queries/defect_events.sql): every counting defect event, row by row;
* ``order_facts`` (queries/order_facts.sql): one row per order with its flags, and the view
  ``metric_orders`` (queries/metric_orders.sql): the orders in each metric's denominator.

Metric keys: ``odr_mfn, odr_afn, odr_all, pfcr, lsr_10d, lsr_30d, vtr, otdr, otdr_units`` (see
:data:`METRIC_KEYS`). ``otdr_units`` is Amazon's unit-based On-Time Delivery Rate (14 days ending as-of - 7,
by promised delivery date): ``metric_orders`` carries weights (1 per order, units for it), which the
daily series, recovery simulation, recovery calendar and breakdowns sum.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from . import assets, store, themes
from .errors import BadOptionError, NoInputError, NoOrdersInWindowError, QueryParameterError
from .model import Finding, MetricResult
from .options import check_timezone

# --------------------------------------------------------------------------------------------------
# Configuration (data/metrics.toml, data/breakdowns.toml)


def _config() -> dict[str, Any]:
    return assets.load_toml("metrics.toml")


def _metric_configs() -> dict[str, dict[str, Any]]:
    return _config()["metrics"]


def _breakdown_configs() -> dict[str, dict[str, Any]]:
    return assets.load_toml("breakdowns.toml")["by"]


METRIC_KEYS: tuple[str, ...] = tuple(_metric_configs())
"""The metric keys, in display order: odr_mfn, odr_afn, odr_all, pfcr, lsr_10d, lsr_30d, vtr, otdr, otdr_units."""

BREAKDOWNS: tuple[str, ...] = tuple(_breakdown_configs())
"""The names accepted by ``breakdown(..., by=...)`` (whitelist in data/breakdowns.toml)."""

_BY_COLUMN = re.compile(r"^[mfi]\.[a-z_][a-z0-9_]*$")


def _default_lag() -> int:
    return int(_config()["defaults"]["odr_lag_days"])


@dataclass(frozen=True)
class MetricParams:
    """What the user may choose for a metrics run (metrics-spec [choice] parameters)."""
    as_of: dt.date | None = None          # None -> the latest purchase date in the orders data
    odr_lag_days: int = field(default_factory=_default_lag)   # ODR window ends on as_of - lag
    timezone: str | None = None           # local time of weekday / hour statements; None -> per sales channel

    def __post_init__(self) -> None:
        if isinstance(self.odr_lag_days, bool) or not isinstance(self.odr_lag_days, int) or self.odr_lag_days < 0:
            raise BadOptionError(f"ODR lag {self.odr_lag_days!r} is not a whole number of days >= 0",
                                 hint="pass e.g. --odr-lag-days 14")
        if self.timezone is not None:
            object.__setattr__(self, "timezone", check_timezone(self.timezone))


def _zones() -> dict[str, Any]:
    return assets.load_toml("timezones.toml")


def zone_of_channel(sales_channel: str | None) -> str:
    """The local time zone of a sales channel (``Amazon.co.jp`` -> ``Asia/Tokyo``; data/timezones.toml)."""
    table = _zones()
    return table["sales_channels"].get(str(sales_channel or "").strip().lower(), table["default"])


def metric_definitions() -> dict[str, dict[str, Any]]:
    """For the report's "Definitions" section: key -> label, definition, target, direction, window_days."""
    return {key: {"label": cfg["label"], "definition": " ".join(cfg["definition"].split()),
                  "target": float(cfg["target"]), "direction": cfg["direction"],
                  "window_days": int(cfg["window_days"]), "lagged": bool(cfg["lagged"]),
                  "lag_days": cfg.get("lag_days")}
            for key, cfg in _metric_configs().items()}


# --------------------------------------------------------------------------------------------------
# Running queries with checked parameters

BINDINGS: dict[str, frozenset[str]] = {
    "defect_events": frozenset({"claim_excluded_statuses", "buyer_initiators", "buyer_reasons"}),
    "order_facts": frozenset({"cancelled_statuses", "has_cancellations", "invalid_carriers", "zone_channels",
                              "zone_names", "zone_default", "zone_override"}),
    "local_zones": frozenset(),
    "metric_orders": frozenset({"invalid_carriers"}),
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
    "metric_daily": frozenset({"family", "lag_days", "window_days"}),
    "metric_day_counts": frozenset({"family", "date_from", "date_to"}),
    "breakdown": frozenset({"defects_only"}),
    "breakdown_items": frozenset({"defects_only"}),
    "metric_window": frozenset({"family", "window_start", "window_end"}),
    "metric_window_items": frozenset({"family", "has_cancellations", "cancelled_statuses", "invalid_carriers"}),
    "recovery": frozenset({"family", "as_of", "lag_days", "window_days"}),
    "unmatched_defects": frozenset({"defect_delay_days"}),
    "table_exists": frozenset({"name"}),
    "removable_feedback": frozenset({"as_of", "removal_days"}),
    "evidence_orders": frozenset({"order_ids", "family", "asins", "skus"}),
    "defect_orders": frozenset({"family", "window_start", "window_end", "as_of"}),
}
"""Query name -> the ``$parameters`` this module binds when it runs ``queries/<name>.sql``.

:func:`_run` refuses to run a query with any other set, and tests/test_queries_params.py checks that
each set equals the parameters the SQL text declares."""

_COMMENT_OR_STRING = re.compile(r"--[^\n]*|'(?:[^']|'')*'")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def query_parameters(sql: str) -> frozenset[str]:
    """The ``$name`` parameters used by a SQL text (comments and string literals ignored)."""
    return frozenset(_PARAM.findall(_COMMENT_OR_STRING.sub(" ", sql)))


def _run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None,
         *, sql: str | None = None) -> duckdb.DuckDBPyConnection:
    params = dict(params or {})
    expected = BINDINGS[name]
    if set(params) != expected:
        raise QueryParameterError(
            f"query {name!r} bound with {sorted(params)}, expected {sorted(expected)}",
            hint="update metrics.BINDINGS and the query header together")
    return con.execute(sql if sql is not None else assets.load_query(name), params or None)


def _one(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    cur = _run(con, name, params)
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(cols, row)) if row is not None else {}


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None,
          *, sql: str | None = None) -> list[dict[str, Any]]:
    cur = _run(con, name, params, sql=sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _frame(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None,
           *, sql: str | None = None) -> pd.DataFrame:
    return _run(con, name, params, sql=sql).df()


# --------------------------------------------------------------------------------------------------
# Derived tables

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
    key = (tuple(sorted(_one(con, "source_counts").items())), tuple(sorted(supplied)), timezone)
    if not force and con in _PREPARED and _PREPARED[con][0] == key:
        return
    zones = _zones()
    cfg = _config()
    _run(con, "defect_events", {
        "claim_excluded_statuses": list(cfg["claims"]["excluded_statuses"]),
        "buyer_initiators": list(cfg["cancellations"]["buyer_initiators"]),
        "buyer_reasons": list(cfg["cancellations"]["buyer_reasons"]),
    })
    _run(con, "order_facts", {
        "cancelled_statuses": [w.lower() for w in cfg["orders"]["cancelled_statuses"]],
        "has_cancellations": "cancellations" in supplied,
        "invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]],
        "zone_channels": [c.lower() for c in zones["sales_channels"]],
        "zone_names": list(zones["sales_channels"].values()),
        "zone_default": str(zones["default"]),
        "zone_override": timezone,
    })
    _run(con, "metric_orders", {"invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]]})
    _PREPARED[con] = (key, {"coverage": _one(con, "shipment_coverage"), "window": None, "items": False})


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
    _run(con, "metric_window", {"family": family, "window_start": start, "window_end": end})
    state["window"] = (family, start, end)


def window_items(con: duckdb.DuckDBPyConnection) -> None:
    """Build ``metric_window_items`` (queries/metric_window_items.sql) for the current ``metric_window``."""
    state = _PREPARED[con][1]
    if state["window"] is None:
        raise RuntimeError("window_items() needs use_window() first")
    if not state["items"]:
        cfg = _config()
        _run(con, "metric_window_items", {
            "family": state["window"][0],
            "has_cancellations": "cancellations" in store.supplied_kinds(con),
            "cancelled_statuses": [w.lower() for w in cfg["orders"]["cancelled_statuses"]],
            "invalid_carriers": [w.lower() for w in cfg["tracking"]["invalid_carriers"]],
        })
        state["items"] = True


def _coverage(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """``queries/shipment_coverage.sql`` of the prepared data (computed once per data set)."""
    prepare(con)
    return _PREPARED[con][1]["coverage"]


# --------------------------------------------------------------------------------------------------
# Small-sample arithmetic


def wilson_interval(k: int, n: int, z: float | None = None) -> tuple[float, float] | None:
    """The Wilson score interval of the proportion k/n (95% by default); None when n is 0."""
    if n <= 0:
        return None
    if z is None:
        z = float(_config()["defaults"]["wilson_z"])
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _meets(rate: float, target: float, direction: str) -> bool:
    return rate < target if direction == "below" else rate > target


def simulate_recovery(days: Mapping[dt.date, tuple[int, int]], *, as_of: dt.date, lag_days: int,
                      window_days: int, target: float, direction: str, daily_volume: float,
                      horizon_days: int | None = None) -> dt.date | None:
    """First as-of date after ``as_of`` on which the metric meets its target, if no new defect arrives.

    ``days`` maps a purchase date (up to ``as_of``) to (orders, bad outcomes) of the metric's
    denominator. For a future as-of ``as_of + k`` the window is shifted by k days; purchase dates up to
    ``as_of`` keep their known orders and defects, later dates get ``daily_volume`` orders and no defect.
    A window without any order and without any defect also ends the at-risk state. None if the target is
    not met within the horizon (lag + window days by default, after which the window holds only new days).
    """
    horizon = horizon_days if horizon_days is not None else lag_days + window_days
    for k in range(1, horizon + 1):
        end = as_of + dt.timedelta(days=k - lag_days)
        start = end - dt.timedelta(days=window_days - 1)
        orders = 0.0
        bad = 0
        for day, (n, b) in days.items():
            if start <= day <= end:
                orders += n
                bad += b
        future_first = max(start, as_of + dt.timedelta(days=1))
        if end >= future_first:
            orders += daily_volume * ((end - future_first).days + 1)
        if orders <= 0:
            if bad == 0:
                return as_of + dt.timedelta(days=k)
            continue
        bad_rate = bad / orders
        rate = bad_rate if direction == "below" else 1.0 - bad_rate
        if _meets(rate, target, direction):
            return as_of + dt.timedelta(days=k)
    return None


# --------------------------------------------------------------------------------------------------
# as-of and windows


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
    last = _one(con, "order_span")["last_date"]
    if last is None:
        raise NoInputError("the orders data is empty, so there is no as-of date",
                           hint="add an All Orders report or pass --as-of YYYY-MM-DD")
    return last


def _lag(cfg: Mapping[str, Any], params: MetricParams) -> int:
    """Days between as-of and the window's end: a metric's fixed ``lag_days`` (unit OTDR: 7), else the
    ODR lag option for ``lagged`` metrics, else 0."""
    if "lag_days" in cfg:
        return int(cfg["lag_days"])
    return int(params.odr_lag_days) if cfg["lagged"] else 0


def metric_window(metric: str, as_of: dt.date, params: MetricParams) -> tuple[dt.date, dt.date]:
    """(first, last) purchase date of a metric's window for an as-of date."""
    cfg = _metric_config(metric)
    end = as_of - dt.timedelta(days=_lag(cfg, params))
    return end - dt.timedelta(days=int(cfg["window_days"]) - 1), end


def _metric_config(metric: str) -> dict[str, Any]:
    try:
        return _metric_configs()[metric]
    except KeyError:
        raise BadOptionError(f"unknown metric {metric!r}",
                             hint="one of " + ", ".join(METRIC_KEYS)) from None


# --------------------------------------------------------------------------------------------------
# Availability: which metrics the supplied data can support


def _export_name(kind: str) -> str:
    return f"the {kind} export ({_config()['exports'].get(kind, kind)})"


def _availability(cfg: Mapping[str, Any], supplied: set[str],
                  coverage: Mapping[str, Any], unusable: Mapping[str, str] | None = None) -> tuple[bool, list[str]]:
    """(computable, notes) for one metric. ``unusable``: kinds supplied without a usable row -> why
    (:func:`missing_exports`); they are missing like kinds never supplied, and the note says why."""
    unusable = unusable or {}
    missing = [k for k in cfg["requires"] if k not in supplied]
    if missing:
        return False, ["not computed: " + _not_supplied(missing, unusable)]
    need = cfg.get("requires_data")
    if need and not coverage.get(need):
        return False, ["not computed: " + _config()["requires_data"][need]["note"]]
    notes: list[str] = []
    sources = cfg.get("defect_sources")
    if sources:
        absent = [k for k in sources if k not in supplied]
        if len(absent) == len(sources):
            if any(k in unusable for k in absent):
                return False, ["not computed: no defect export has a usable row ("
                               + _not_supplied(absent, unusable) + "), so defects cannot be counted"]
            return False, ["not computed: none of the defect exports was supplied ("
                           + "; ".join(_export_name(k) for k in absent) + "), so defects cannot be counted"]
        if absent:
            notes.append("computed without " + " and ".join(_export_name(k) for k in absent)
                         + ": those defects are not counted, so the rate may be understated"
                         + _unusable_suffix(absent, unusable))
    upper = cfg.get("upper_bound_without")
    if upper and upper not in supplied:
        notes.append(f"{_export_name(upper)} was not supplied: every order with status Cancelled is counted, "
                     "including cancellations the buyer requested, so this rate is an upper bound"
                     + _unusable_suffix([upper], unusable))
    return True, notes


def missing_exports(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Kinds supplied but without a usable row -> why ("feedback.csv: 2 rows read, 2 rejected (...)").

    ``store.supplied_kinds`` leaves them out (the present kinds come from loaded rows), so every metric
    treats them as missing; this gives the reason the notes carry."""
    return store.unusable_kinds(con)


def _not_supplied(kinds: list[str], unusable: Mapping[str, str]) -> str:
    """"X was not supplied", "X and Y were not supplied", "X had no usable row (why)", joined by "; "."""
    plain = [k for k in kinds if k not in unusable]
    parts = []
    if plain:
        parts.append(" and ".join(_export_name(k) for k in plain) + (" was" if len(plain) == 1 else " were")
                     + " not supplied")
    parts += [f"{_export_name(k)} had no usable row ({unusable[k]})" for k in kinds if k in unusable]
    return "; ".join(parts)


def _unusable_suffix(kinds: list[str], unusable: Mapping[str, str]) -> str:
    bad = [k for k in kinds if k in unusable]
    if not bad:
        return ""
    return " (" + "; ".join(f"the {k} export was supplied but had no usable row: {unusable[k]}" for k in bad) + ")"


# --------------------------------------------------------------------------------------------------
# Metrics


def _metric_rows(con: duckdb.DuckDBPyConnection, as_of: dt.date, params: MetricParams,
                 removed_feedback_orders: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Raw rows (window, numerator, denominator, extras) of every metric."""
    rows: dict[str, dict[str, Any]] = {}
    odr_rows: dict[int, dict[str, dict[str, Any]]] = {}
    for key, cfg in _metric_configs().items():
        window_days = int(cfg["window_days"])
        if cfg["query"] == "odr":
            if window_days not in odr_rows:
                odr_rows[window_days] = {r["channel"]: r for r in _rows(con, "odr", {
                    "as_of": as_of, "odr_lag_days": int(params.odr_lag_days), "window_days": window_days,
                    "removed_feedback_orders": list(removed_feedback_orders or [])})}
            rows[key] = odr_rows[window_days][cfg["channel"]]
        elif "lag_days" in BINDINGS[cfg["query"]]:
            rows[key] = _one(con, cfg["query"], {"as_of": as_of, "lag_days": _lag(cfg, params),
                                                 "window_days": window_days})
        else:
            rows[key] = _one(con, cfg["query"], {"as_of": as_of, "window_days": window_days})
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
                  note="; ".join(notes) or None, coverage=coverage, coverage_note=coverage_text)
    if not computable:
        return MetricResult(rate=None, numerator=0, denominator=0, status="not_computed", **common)
    k, n = int(row["numerator"]), int(row["denominator"])
    if n == 0:
        return MetricResult(rate=None, numerator=k, denominator=n, status="no_orders", extras=extras,
                            **common)
    rate = k / n
    low, high = wilson_interval(k, n)
    one_more = (k + 1) / n if direction == "below" else max(k - 1, 0) / n
    status = "ok" if _meets(rate, target, direction) else "at_risk"
    return MetricResult(rate=rate, numerator=k, denominator=n, status=status, ci_low=low, ci_high=high,
                        one_more_rate=min(one_more, 1.0),
                        recovery_date=recovery if status == "at_risk" else None,
                        extras=extras, **common)


def _recovery_date(con: duckdb.DuckDBPyConnection, key: str, as_of: dt.date,
                   params: MetricParams) -> dt.date | None:
    cfg = _metric_config(key)
    defaults = _config()["defaults"]
    avg_days = int(defaults["recovery_average_days"])
    start, _ = metric_window(key, as_of, params)
    avg_from = as_of - dt.timedelta(days=avg_days - 1)
    rows = _rows(con, "metric_day_counts", {"family": cfg["family"], "date_from": min(start, avg_from),
                                            "date_to": as_of})
    days = {r["purchase_date"]: (int(r["orders"]), int(r["defects"])) for r in rows}
    volume = sum(n for d, (n, _) in days.items() if d >= avg_from) / avg_days
    return simulate_recovery(days, as_of=as_of, lag_days=_lag(cfg, params),
                             window_days=int(cfg["window_days"]), target=float(cfg["target"]),
                             direction=cfg["direction"], daily_volume=volume,
                             horizon_days=int(defaults["recovery_horizon_days"]))


def _context(con: duckdb.DuckDBPyConnection, params: MetricParams) -> tuple[dt.date, set[str], dict[str, Any]]:
    prepare(con, timezone=params.timezone)
    as_of = resolve_as_of(con, params.as_of)
    return as_of, store.supplied_kinds(con), _coverage(con)


def compute_metrics(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None,
                    *, removed_feedback_orders: list[str] | None = None) -> dict[str, MetricResult]:
    """Every metric of :data:`METRIC_KEYS` as a :class:`MetricResult`, keyed by metric key.

    ``removed_feedback_orders`` (what-if only) treats the negative feedback of those orders as removed.
    """
    params = params or MetricParams()
    as_of, supplied, coverage = _context(con, params)
    raw = _metric_rows(con, as_of, params, removed_feedback_orders)
    unusable = missing_exports(con)
    span = order_span(con)
    results: dict[str, MetricResult] = {}
    for key, cfg in _metric_configs().items():
        computable, notes = _availability(cfg, supplied, coverage, unusable)
        start, end = metric_window(key, as_of, params)
        if cfg["query"] == "odr" and computable and window_coverage(span, start, end)[0] < (end - start).days + 1:
            notes = notes + _unmatched_notes(con, span)
        if computable:
            notes = notes + _enforcement_notes(con, cfg)
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


# --------------------------------------------------------------------------------------------------
# Window coverage: how much of each window the orders data holds (issue 12: honest numbers at the edges)


def window_coverage(span: tuple[dt.date | None, dt.date | None], start: dt.date,
                    end: dt.date) -> tuple[int, int]:
    """(days of the window ``start``..``end`` inside the orders' purchase-date span, days of the window).

    ``span`` is :func:`order_span`'s (first, last) purchase date; (None, None) covers nothing.
    """
    days = (end - start).days + 1
    first, last = span
    if first is None or last is None:
        return 0, days
    lo, hi = max(start, first), min(end, last)
    return max(0, (hi - lo).days + 1), days


def coverage_note(span: tuple[dt.date | None, dt.date | None], start: dt.date, end: dt.date) -> str | None:
    """Plain words when the orders do not cover the whole window (None when they do): how many days they
    cover, which export would complete it, and that the rate is then not Amazon's figure."""
    covered, days = window_coverage(span, start, end)
    if covered >= days:
        return None
    first, last = span
    if first is None or last is None:
        return f"the orders data is empty, so none of the {days} days of the window is covered"
    fixes = []
    if first > start:
        fixes.append(f"download All Orders from {start.isoformat()}")
    if last < end:
        fixes.append(f"download All Orders up to {end.isoformat()} (the orders end on {last.isoformat()}) "
                     f"or pick an --as-of the orders reach")
    if covered == 0:
        head = (f"the orders ({first.isoformat()} – {last.isoformat()}) cover none of the {days} days of this "
                f"window ({start.isoformat()} – {end.isoformat()})")
        return head + ": " + "; ".join(fixes)
    lo, hi = max(start, first), min(end, last)
    return (f"the orders cover {covered} of the {days} days: " + "; ".join(fixes)
            + f" (this rate counts only the orders of {lo.isoformat()} – {hi.isoformat()}, so it is not "
              "Amazon's figure)")


def _unmatched_notes(con: duckdb.DuckDBPyConnection, span: tuple[dt.date | None, dt.date | None]) -> list[str]:
    """ODR note: defects whose orders are missing because the orders start too late (short history)."""
    frame = unmatched_defects(con)
    early = int((frame["why"] == "before_orders_start").sum()) if len(frame) else 0
    if not early or span[0] is None:
        return []
    return [f"{early} defect{'s' if early != 1 else ''} (feedback, claims, chargebacks, cancellations, late "
            f"shipments) belong to orders probably purchased before the orders' first day "
            f"({span[0].isoformat()}); they are not counted: download All Orders from earlier"]


def enforced_marketplaces(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The orders' sales channels where Amazon enforces the unit-based On-Time Delivery Rate
    (``[metrics.otdr_units] enforced_in``), as the orders spell them (``Amazon.com``)."""
    enforced = {c.lower() for c in _metric_configs()["otdr_units"].get("enforced_in", [])}
    prepare(con)
    return [r["sales_channel"] for r in _rows(con, "sales_channels")
            if str(r["sales_channel"] or "").strip().lower() in enforced]


def _enforcement_notes(con: duckdb.DuckDBPyConnection, cfg: Mapping[str, Any]) -> list[str]:
    """Which OTDR Amazon enforces for these orders' marketplaces: the unit-based one is marked as
    Amazon's enforced rate, the order-based one as kept beside it."""
    if cfg["family"] not in ("otdr", "otdr_units"):
        return []
    where = enforced_marketplaces(con)
    units = _metric_configs()["otdr_units"]
    if not where:
        if cfg["family"] != "otdr_units":
            return []
        channels = [str(r["sales_channel"]) for r in _rows(con, "sales_channels")]
        return [units["not_enforced_note"].format(marketplaces=", ".join(channels) or "these orders' marketplace")]
    if cfg["family"] == "otdr_units":
        return [units["enforced_note"].format(marketplaces=", ".join(where))]
    return [f"in {', '.join(where)} Amazon enforces the unit-based rate ({units['label']}, 14 days ending 7 days "
            "before as-of); this order-based 30-day rate is kept beside it"]


def data_warnings(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None) -> list[str]:
    """Warnings about the as-of date against the orders data (an --as-of after its last day or before its
    first): each window's coverage is then lower, and said so on every metric."""
    params = params or MetricParams()
    first, last = order_span(con)
    if first is None or last is None:
        return []
    as_of = resolve_as_of(con, params.as_of)
    if as_of > last:
        gap = (as_of - last).days
        return [f"--as-of {as_of.isoformat()} is {gap} day{'s' if gap != 1 else ''} after the orders' last "
                f"purchase day ({last.isoformat()}): the days after it hold no orders, so the windows that "
                f"reach past it are only partly covered (each metric's coverage says how much)"]
    if as_of < first:
        return [f"--as-of {as_of.isoformat()} is before the orders' first purchase day ({first.isoformat()})"]
    return []


def check_windows_hold_orders(con: duckdb.DuckDBPyConnection, results: Mapping[str, MetricResult]) -> None:
    """Raise :class:`~sellerdx.errors.NoOrdersInWindowError` unless at least one metric was computed (``ok``
    or ``at_risk``): when no metric's window holds a single order (e.g. ``--as-of`` far past the data), or
    no metric the windows hold orders for can be computed, "every metric meets its target" would be false
    comfort."""
    if any(r.status in ("ok", "at_risk", "not_enforced") for r in results.values()):
        return
    if any(r.denominator > 0 or (r.coverage or 0) > 0 for r in results.values()):
        missing = sorted({r.note for r in results.values() if r.status == "not_computed" and r.note})
        raise NoOrdersInWindowError(
            "no metric could be computed: " + ("; ".join(missing) if missing else
                                               "no window holds an order the metrics count"),
            hint="add the exports named above (every metric needs the All Orders report; ODR needs feedback, "
                 "claims or chargebacks; LSR, VTR and OTDR need shipments)")
    first, last = order_span(con)
    if first is None or last is None:
        raise NoOrdersInWindowError("the orders data holds no order, so no metric can be computed",
                                    hint="add the All Orders report (Reports > Fulfillment > All Orders)")
    ends = sorted({r.window_end for r in results.values() if r.window_end is not None})
    when = f" (windows ending {ends[0].isoformat()} – {ends[-1].isoformat()})" if ends else ""
    raise NoOrdersInWindowError(
        f"no metric window holds a single order{when}: the orders run from {first.isoformat()} to "
        f"{last.isoformat()}",
        hint=f"pick --as-of between {first.isoformat()} and {last.isoformat()} (the default is the orders' "
             f"last day), or add the All Orders report that covers the windows")


def metric_on_window(con: duckdb.DuckDBPyConnection, metric: str, start: dt.date, end: dt.date,
                     params: MetricParams | None = None) -> MetricResult:
    """One metric recomputed over an arbitrary purchase-date window (e.g. Amazon's reporting range).

    Same rules and availability notes as :func:`compute_metrics`; no recovery date.
    """
    params = params or MetricParams()
    cfg = _metric_config(metric)
    prepare(con)
    supplied = store.supplied_kinds(con)
    coverage = _coverage(con)
    days = (end - start).days + 1
    if days < 1:
        raise BadOptionError(f"window {start} .. {end} is empty")
    if cfg["query"] == "odr":
        row = {r["channel"]: r for r in _rows(con, "odr", {
            "as_of": end, "odr_lag_days": 0, "window_days": days, "removed_feedback_orders": []})}[cfg["channel"]]
    elif "lag_days" in BINDINGS[cfg["query"]]:
        row = _one(con, cfg["query"], {"as_of": end, "lag_days": 0, "window_days": days})
    else:
        row = _one(con, cfg["query"], {"as_of": end, "window_days": days})
    computable, notes = _availability(cfg, supplied, coverage, missing_exports(con))
    notes = notes + _enforcement_notes(con, cfg) if computable else notes
    return _result(metric, cfg, row, computable, notes, span=order_span(con))


def local_zones(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The time zones the orders' local weekdays and hours are in (one per marketplace; most orders
    first), as the report and statements name them."""
    prepare(con)
    return [r["zone"] for r in _rows(con, "local_zones")]


def order_span(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """(first, last) UTC purchase date in the orders data."""
    row = _one(con, "order_span")
    return row["first_date"], row["last_date"]


# --------------------------------------------------------------------------------------------------
# Breakdowns, daily series, recovery calendar


def _check_metric_computable(con: duckdb.DuckDBPyConnection, metric: str) -> bool:
    cfg = _metric_config(metric)
    computable, _ = _availability(cfg, store.supplied_kinds(con), _coverage(con))
    return computable


def _breakdown_config(by: str) -> dict[str, Any]:
    try:
        return _breakdown_configs()[by]
    except KeyError:
        raise BadOptionError(f"unknown breakdown {by!r}", hint="one of " + ", ".join(BREAKDOWNS)) from None


def breakdown_column(by: str) -> str:
    """The SQL column of breakdown ``by`` (``[by.<name>]`` of data/breakdowns.toml), checked to be
    ``m.<col>`` (metric_orders), ``f.<col>`` (order_facts) or ``i.<col>`` (the order's items,
    metric_window_items), so it may replace a query's ``__BY__``.

    Raises :class:`~sellerdx.errors.BadOptionError` for an unknown name or a column of another form.
    """
    column = str(_breakdown_config(by)["column"])
    if not _BY_COLUMN.match(column):
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
    if not _BY_COLUMN.match(column):
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
    cfg = _metric_config(metric)
    by_cfg = _breakdown_config(by)
    column = breakdown_column(by)
    as_of, _, _ = _context(con, params)
    if not _check_metric_computable(con, metric):
        return pd.DataFrame(columns=["value", "count", "denominator", "rate", "share", "cumulative_share",
                                     "overlap"])
    start, end = metric_window(metric, as_of, params)
    use_window(con, cfg["family"], start, end)
    query = "breakdown"
    if is_item_column(column):
        window_items(con)
        query = "breakdown_items"
    sql = assets.load_query(query).replace("__BY__", window_column(column))
    frame = _frame(con, query, {"defects_only": bool(by_cfg.get("defects_only", False))}, sql=sql)
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


def daily(con: duckdb.DuckDBPyConnection, metric: str, params: MetricParams | None = None) -> pd.DataFrame:
    """The metric for every as-of day D over the data's purchase-date span.

    Columns: date, window_start, window_end, numerator, denominator, defects, rate (NaN/None when the
    window has no orders). Empty when the metric cannot be computed.
    """
    params = params or MetricParams()
    cfg = _metric_config(metric)
    prepare(con)
    if not _check_metric_computable(con, metric):
        return pd.DataFrame(columns=["date", "window_start", "window_end", "numerator", "denominator",
                                     "defects", "rate"])
    return _frame(con, "metric_daily", {"family": cfg["family"], "lag_days": _lag(cfg, params),
                                        "window_days": int(cfg["window_days"])})


def recovery_calendar(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None) -> pd.DataFrame:
    """Each bad outcome in a metric's current window and the as-of date on which it leaves the window.

    Columns: order_id, metric, defect, purchase_date, leaves_window_on; sorted by leaves_window_on.
    odr_all is left out (its defects are those of odr_mfn and odr_afn, leaving on the same dates).
    """
    params = params or MetricParams()
    as_of, _, _ = _context(con, params)
    frames = []
    for key, cfg in _metric_configs().items():
        if key == "odr_all" or not _check_metric_computable(con, key):
            continue
        df = _frame(con, "recovery", {"family": cfg["family"], "as_of": as_of, "lag_days": _lag(cfg, params),
                                      "window_days": int(cfg["window_days"])})
        df.insert(1, "metric", key)
        frames.append(df)
    columns = ["order_id", "metric", "defect", "purchase_date", "leaves_window_on"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    return out.sort_values(["leaves_window_on", "metric", "order_id"], kind="stable").reset_index(drop=True)


def unmatched_defects(con: duckdb.DuckDBPyConnection, params: MetricParams | None = None) -> pd.DataFrame:
    """Counting defects whose order is not in the orders data (left out of every rate).

    Columns: kind, order_id, defect_date, reason_code, detail, source_file, source_line, why:
    ``before_orders_start`` when the defect came less than ``[unmatched] defect_delay_days`` (metrics.toml)
    after the orders' first purchase day, so its order was probably purchased before the orders begin (a
    short history), else ``not_in_orders`` (another marketplace, a missing export, a wrong order id).
    """
    prepare(con)
    return _frame(con, "unmatched_defects",
                  {"defect_delay_days": int(_config()["unmatched"]["defect_delay_days"])})


# --------------------------------------------------------------------------------------------------
# Removable feedback and what-if


def _ensure_theme_table(con: duckdb.DuckDBPyConnection) -> None:
    if not _one(con, "table_exists", {"name": "feedback_themes"})["found"]:
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
    as_of, _, _ = _context(con, params)
    _ensure_theme_table(con)
    cfg = _config()
    rem = cfg["removable"]
    rows = _rows(con, "removable_feedback", {"as_of": as_of, "removal_days": int(rem["removal_days"])})
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
            removable: pd.DataFrame | None = None) -> dict[str, MetricResult]:
    """The ODR results if the removable negative feedback (``removable_feedback()`` by default) were gone.

    Keys: odr_mfn, odr_afn, odr_all. Claims and chargebacks of those orders still count.
    """
    params = params or MetricParams()
    if removable is None:
        removable = removable_feedback(con, params)
    orders = sorted(set(removable["order_id"].tolist()))
    results = compute_metrics(con, params, removed_feedback_orders=orders)
    return {k: v for k, v in results.items() if _metric_config(k)["query"] == "odr"}


# --------------------------------------------------------------------------------------------------
# Evidence and status, for the analysis result (sellerdx.describe)


def meets_target(rate: float, target: float, direction: str) -> bool:
    """Whether ``rate`` meets a target ("below": under it; "above": over it)."""
    return _meets(rate, target, direction)


def evidence_orders(con: duckdb.DuckDBPyConnection, finding: Finding) -> pd.DataFrame:
    """A finding's evidence orders, one row per order (queries/report/evidence_orders.sql).

    The one place that decides which item an evidence row names: the order's items of the finding's
    ASINs / SKUs, else the order's first item. Every output reads these rows.
    """
    prepare(con)
    configs = _metric_configs()
    family = configs[finding.metric]["family"] if finding.metric in configs else finding.metric
    return _frame(con, "evidence_orders", {"order_ids": list(finding.order_ids), "family": family,
                                           "asins": list(finding.entities.get("asins", [])),
                                           "skus": list(finding.entities.get("skus", []))})


def defect_orders(con: duckdb.DuckDBPyConnection, metric: MetricResult, as_of: dt.date) -> pd.DataFrame:
    """Every bad outcome counted in ``metric``'s window, one row per order, with its stated reasons
    (queries/report/defect_orders.sql): the orders a Plan of Action must answer. Empty without a window."""
    prepare(con)
    _ensure_theme_table(con)
    cfg = _metric_config(metric.key)
    if metric.window_start is None or metric.window_end is None:
        return _frame(con, "defect_orders", {"family": cfg["family"], "window_start": as_of,
                                              "window_end": as_of - dt.timedelta(days=1), "as_of": as_of})
    return _frame(con, "defect_orders", {"family": cfg["family"], "window_start": metric.window_start,
                                          "window_end": metric.window_end, "as_of": as_of})
