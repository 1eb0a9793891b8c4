"""Typed values passed between the pipeline stages.

These are the shared vocabulary of sellerdx: ingest produces ``SourceFile``/``SkippedFile``, validation
produces ``FileReport`` and ``RejectedRow``, metrics produce ``MetricResult``, diagnosis produces
``Finding``. They are frozen dataclasses; ``to_dict()`` gives the JSON form used in ``summary.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

ReportKind = Literal[
    "orders", "feedback", "claims", "chargebacks", "cancellations", "shipments",
    "returns_mfn", "returns_fba", "performance",
]
REPORT_KINDS: tuple[str, ...] = (
    "orders", "feedback", "claims", "chargebacks", "cancellations", "shipments",
    "returns_mfn", "returns_fba", "performance",
)
TABLE_KINDS: tuple[str, ...] = REPORT_KINDS[:-1]  # every kind but the performance JSON is a table

Status = Literal["ok", "at_risk", "no_orders", "not_computed", "not_enforced"]
"""``not_enforced``: misses its target, but Amazon does not enforce this rate in these marketplaces."""


def jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


class Serializable:
    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


@dataclass(frozen=True)
class SkippedFile(Serializable):
    """A file in the folder that is not a report sellerdx knows, and why."""
    path: str
    reason: str


@dataclass(frozen=True)
class RejectedRow(Serializable):
    """One quarantined input row: where it was and what was wrong with it."""
    path: str
    line: int
    column: str | None
    value: str | None
    reason: str


@dataclass(frozen=True)
class FileReport(Serializable):
    """What was read from one input file."""
    path: str
    kind: str
    encoding: str
    delimiter: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    date_min: dt.date | None = None
    date_max: dt.date | None = None
    columns_mapped: dict[str, str] = field(default_factory=dict)   # canonical field -> source header
    unknown_columns: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    rows_duplicate: int = 0   # loaded rows superseded by a newer copy of the same record (another export)


@dataclass(frozen=True)
class MetricResult(Serializable):
    """One account-health metric as recomputed by sellerdx (see metrics-spec)."""
    key: str                       # odr_mfn, odr_afn, odr_all, pfcr, lsr_10d, lsr_30d, vtr, otdr, otdr_units
    label: str                     # "Order Defect Rate (MFN)"
    rate: float | None             # fraction; None when the denominator is 0 or not computed
    numerator: int
    denominator: int
    window_start: dt.date | None
    window_end: dt.date | None
    target: float
    direction: Literal["below", "above"]   # "below": ok when rate < target; "above": ok when rate > target
    status: Status
    ci_low: float | None = None    # 95% Wilson interval
    ci_high: float | None = None
    one_more_rate: float | None = None     # the rate if one more order had the defect
    recovery_date: dt.date | None = None   # first day back under target (at-risk metrics)
    note: str | None = None                # e.g. the export that is missing, or an upper-bound warning
    extras: dict[str, Any] = field(default_factory=dict)   # odr: negative_feedback, claims, chargebacks
    coverage: float | None = None          # share of the window's days the orders data covers (1.0 complete)
    coverage_note: str | None = None       # plain words when coverage < 1 (which days, what to download)


@dataclass(frozen=True)
class Finding(Serializable):
    """A root cause named with numbers and evidence."""
    code: str                      # e.g. "late_shipment.weekend_backlog"
    metric: str                    # metric key it explains, e.g. "lsr_10d" or "odr_mfn"
    title: str
    statement: str                 # one or two sentences with the numbers and the window
    share: float                   # share of the metric's defects it explains (0..1)
    confidence: Literal["high", "medium", "low"]
    entities: dict[str, list[str]] = field(default_factory=dict)   # asins, skus, carriers, weekdays, ...
    order_ids: tuple[str, ...] = ()
    corrective_actions: tuple[str, ...] = ()    # past tense, with [[blanks]] for what only the seller knows
    preventive_actions: tuple[str, ...] = ()    # owner, frequency, measure
    corroboration: str | None = None            # what the returns data says, if anything
    evidence: dict[str, Any] = field(default_factory=dict)          # numbers behind the statement
    chart: dict[str, Any] | None = None         # breakdown to chart: {"by": "asin", "metric": "odr_mfn"}
