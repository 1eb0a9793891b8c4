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

One concern per module: :mod:`.config`, :mod:`.runner`, :mod:`.prepared`, :mod:`.stats`, :mod:`.availability`, :mod:`.compute`, :mod:`.breakdowns`, :mod:`.feedback`, :mod:`.evidence`.
"""

from __future__ import annotations

from sellerdx.metrics.availability import (
    availability,
    check_windows_hold_orders,
    coverage_note,
    data_warnings,
    enforced_marketplaces,
    enforcement_notes,
    metric_computable,
    missing_exports,
    unmatched_defects,
    unmatched_notes,
    window_coverage,
)
from sellerdx.metrics.breakdowns import (
    breakdown,
    breakdown_column,
    daily,
    daily_series,
    is_item_column,
    recovery_calendar,
    window_column,
)
from sellerdx.metrics.compute import compute_metrics, metric_context, metric_on_window
from sellerdx.metrics.config import (
    BREAKDOWNS,
    BY_COLUMN,
    METRIC_KEYS,
    MetricParams,
    breakdown_configs,
    metric_config,
    metric_configs,
    metric_definitions,
    metric_window,
    metrics_config,
    timezone_table,
    window_lag,
    zone_of_channel,
)
from sellerdx.metrics.evidence import defect_orders, defect_orders_for, evidence_for, evidence_orders
from sellerdx.metrics.feedback import ensure_theme_table, removable_feedback, what_if
from sellerdx.metrics.prepared import (
    adopted,
    local_zones,
    order_span,
    prepare,
    resolve_as_of,
    shipment_coverage,
    store_prepared,
    stored_prepared,
    use_window,
    window_items,
)
from sellerdx.metrics.runner import BINDINGS, query_frame, query_one, query_parameters, query_rows, run_query
from sellerdx.metrics.stats import meets, meets_target, simulate_recovery, wilson_interval
from sellerdx.metrics.window_groups import window_groups

__all__ = ["BINDINGS", "adopted", "store_prepared", "stored_prepared", "BREAKDOWNS", "BY_COLUMN", "METRIC_KEYS", "MetricParams", "availability", "breakdown", "breakdown_column", "breakdown_configs", "check_windows_hold_orders", "compute_metrics", "coverage_note", "daily", "daily_series", "data_warnings", "defect_orders", "defect_orders_for", "enforced_marketplaces", "enforcement_notes", "ensure_theme_table", "evidence_for", "evidence_orders", "is_item_column", "local_zones", "meets", "meets_target", "metric_computable", "metric_config", "metric_configs", "metric_context", "metric_definitions", "metric_on_window", "metric_window", "metrics_config", "missing_exports", "order_span", "prepare", "query_frame", "query_one", "query_parameters", "query_rows", "recovery_calendar", "removable_feedback", "resolve_as_of", "run_query", "shipment_coverage", "simulate_recovery", "unmatched_defects", "unmatched_notes", "use_window", "what_if", "wilson_interval", "window_column", "window_coverage", "window_groups", "window_items", "window_lag", "zone_of_channel", "timezone_table"]
