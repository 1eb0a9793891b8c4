"""A hand-built ReportContext shared by tests/test_render_html.py and tests/test_browser.py.

Not a pytest conftest (the lead owns tests/conftest.py): a plain module both test files import. Every
number is written here by hand; the tests state what the page must show from these numbers.

The story: as of 2026-10-31 the 10-day Late Shipment Rate is 72 / 1,000 = 7.2% (target < 4%); 46 of the
72 late orders (64%) were bought on Saturday or Sunday. The MFN Order Defect Rate is 3 / 600 = 0.5% (ok).
Hostile text sits in a product name, a buyer comment, a finding entity and a chart tick label.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sellerdx.model import FileReport, Finding, MetricResult, SkippedFile
from sellerdx.options import Options
from sellerdx.render.context import ReportContext, assemble
from sellerdx.result import AnalysisResult, Inputs, WhatIf

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
HOSTILE = (SCRIPT, IMG, JS_URL)

AS_OF = dt.date(2026, 10, 31)
LSR_LATE = 72
LSR_ORDERS = 1000
WEEKEND_LATE = 46           # 46 / 72 = 63.9% -> "64%"
EVIDENCE_ROWS = LSR_LATE    # one evidence row per late order; the page shows 50 and counts 22 more
ASIN_GROUPS = 20            # the Pareto chart shows 15 bars + "5 others"

LSR = MetricResult(
    key="lsr_10d", label="Late Shipment Rate (10 days)", rate=LSR_LATE / LSR_ORDERS,
    numerator=LSR_LATE, denominator=LSR_ORDERS,
    window_start=dt.date(2026, 10, 22), window_end=AS_OF, target=0.04, direction="below",
    status="at_risk", ci_low=0.0575, ci_high=0.0898, one_more_rate=73 / 1000,
    recovery_date=dt.date(2026, 11, 9),
)
ODR = MetricResult(
    key="odr_mfn", label="Order Defect Rate (MFN)", rate=3 / 600, numerator=3, denominator=600,
    window_start=dt.date(2026, 8, 19), window_end=dt.date(2026, 10, 17), target=0.01,
    direction="below", status="ok", ci_low=0.0017, ci_high=0.0146, one_more_rate=4 / 600,
    extras={"negative_feedback": 2, "claims": 1, "chargebacks": 0},
)
VTR_MISSING = MetricResult(
    key="vtr", label="Valid Tracking Rate", rate=None, numerator=0, denominator=0,
    window_start=None, window_end=None, target=0.95, direction="above", status="not_computed",
    note="the shipments export has no tracking ids or carriers, so Valid Tracking Rate cannot be computed",
)
AFN_EMPTY = MetricResult(
    key="odr_afn", label="Order Defect Rate (FBA)", rate=None, numerator=0, denominator=0,
    window_start=dt.date(2026, 8, 19), window_end=dt.date(2026, 10, 17), target=0.01,
    direction="below", status="no_orders",
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# late orders per weekday: 26 on weekdays, 46 at the weekend (24 + 22) = 72
WEEKDAY_LATE = (5, 6, 5, 5, 5, 24, 22)
WEEKDAY_ORDERS = (150, 150, 150, 150, 150, 130, 120)

WEEKEND = Finding(
    code="late_shipment.weekend_backlog", metric="lsr_10d", title="Weekend backlog",
    statement=("46 of the 72 late orders (64%) in the 10 days to 2026-10-31 were bought on Saturday or "
               "Sunday and confirmed on Tuesday or later."),
    share=WEEKEND_LATE / LSR_LATE, confidence="high",
    entities={"weekdays": ["Saturday", "Sunday"], "asins": ["B0HOSTILE1", JS_URL, SCRIPT]},
    order_ids=tuple(f"114-{i:07d}-0000001" for i in range(LSR_LATE)),
    corrective_actions=("Confirmed the [[n]] weekend orders on [[date]].",),
    preventive_actions=("[[Owner]] confirms shipments every Saturday and Sunday by 12:00; measured weekly.",),
    chart={"by": "weekday", "metric": "lsr_10d"},
)
ASIN_CAUSE = Finding(
    code="late_shipment.slow_asins", metric="lsr_10d", title="Two ASINs ship late",
    statement="Two ASINs account for 30 of the 72 late orders (42%).",
    share=30 / 72, confidence="medium",
    entities={"asins": ["B0AAAA0001", "B0AAAA0002"]},
    chart={"by": "asin", "metric": "lsr_10d"},
)


def weekday_breakdown() -> pd.DataFrame:
    return pd.DataFrame({
        "value": list(WEEKDAYS),
        "orders": list(WEEKDAY_ORDERS),
        "defects": list(WEEKDAY_LATE),
        "rate": [d / o for d, o in zip(WEEKDAY_LATE, WEEKDAY_ORDERS)],
        "share": [d / LSR_LATE for d in WEEKDAY_LATE],
    })


def asin_breakdown() -> pd.DataFrame:
    # 20 ASINs: the first is the hostile tick label; defects 20, 10, then 2 each (18 x 2 = 36)... sum 66
    groups = [SCRIPT, "B0AAAA0002"] + [f"B0ASIN{i:04d}" for i in range(ASIN_GROUPS - 2)]
    defects = [20, 10] + [2] * (ASIN_GROUPS - 2)
    orders = [60, 40] + [40] * (ASIN_GROUPS - 2)
    total = sum(defects)
    return pd.DataFrame({"value": groups, "orders": orders, "defects": defects,
                         "rate": [d / o for d, o in zip(defects, orders)],
                         "share": [d / total for d in defects]})


def evidence_rows() -> pd.DataFrame:
    rows = []
    for i in range(EVIDENCE_ROWS):
        rows.append({
            "order_id": f"114-{i:07d}-0000001",
            "purchase_date": dt.date(2026, 10, 24) + dt.timedelta(days=i % 7),
            "product_name": SCRIPT if i == 0 else ("Stainless steel bottle 750 ml" if i % 2 else "保温ボトル 500ml"),
            "asin": "B0AAAA0001",
            "expected_ship_ts": pd.Timestamp("2026-10-26 23:59"),
            "ship_confirm_ts": pd.Timestamp("2026-10-28 10:15"),
        })
    return pd.DataFrame(rows)


def daily_series(metric: MetricResult, days: int, start_rate: float, end_rate: float) -> pd.DataFrame:
    dates = pd.date_range(end=pd.Timestamp(AS_OF), periods=days, freq="D")
    step = (end_rate - start_rate) / (days - 1)
    rates = [start_rate + step * i for i in range(days)]
    return pd.DataFrame({"date": dates.date, "numerator": [round(r * 100) for r in rates],
                         "denominator": [100] * days, "rate": rates})


def removable_rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"order_id": "114-0000009-0000009", "feedback_date": dt.date(2026, 10, 2), "rating": 1,
         "comments": IMG, "removable_reason": "entirely a product review",
         "removable_until": dt.date(2026, 12, 31)},
        {"order_id": "114-0000010-0000010", "feedback_date": dt.date(2026, 10, 5), "rating": 2,
         "comments": "Arrived late but Amazon fulfilled it", "removable_reason": "FBA order, about delivery",
         "removable_until": dt.date(2027, 1, 3)},
    ])


def recovery_rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"metric": "lsr_10d", "order_id": "114-0000001-0000001", "purchase_date": dt.date(2026, 10, 24),
         "leaves_window": dt.date(2026, 11, 3)},
        {"metric": "odr_mfn", "order_id": "114-0000009-0000009", "purchase_date": dt.date(2026, 9, 1),
         "leaves_window": dt.date(2026, 11, 14)},
    ])


def reconciliation_rows() -> list[dict[str, object]]:
    return [{"metric": "Late Shipment Rate (10 days)", "amazon_rate": 0.069, "recomputed_rate": 0.072,
             "amazon_window": "2026-10-21 – 2026-10-30", "recomputed_window": "2026-10-22 – 2026-10-31",
             "explanation": "Amazon's window ends one day earlier."}]


POA_TEXT = """# Plan of Action

## Root cause 1: Weekend backlog
46 of the 72 late orders (64%) were bought on Saturday or Sunday.

## Actions taken
- Confirmed the [[n]] weekend orders on [[date]].

## Preventive steps
- [[Owner]] confirms shipments every Saturday and Sunday by 12:00.
"""


def make_context(metrics: tuple[MetricResult, ...] = (LSR, ODR), **overrides: object) -> ReportContext:
    """The fixture context: two metrics (LSR at risk, ODR ok), two findings, every section filled."""
    kwargs: dict[str, object] = dict(
        seller="Acme Outdoor (US)",
        metrics=list(metrics),
        as_of=AS_OF,
        daily={"lsr_10d": daily_series(LSR, 40, 0.02, 0.072), "odr_mfn": daily_series(ODR, 90, 0.004, 0.005)},
        findings=[ASIN_CAUSE, WEEKEND],
        breakdowns={WEEKEND.code: weekday_breakdown(), ASIN_CAUSE.code: asin_breakdown()},
        evidence={WEEKEND.code: evidence_rows()},
        removable=removable_rows(),
        what_if=[WhatIf(ODR, 1, 2 / 600, "ok")],   # 3 defects of 600, one removable
        recovery=recovery_rows(),
        reconciliation=reconciliation_rows(),
        files=[FileReport(path="orders/all_orders_oct.txt", kind="orders", encoding="utf-8", delimiter="\t",
                          rows_read=1650, rows_loaded=1648, rows_rejected=2,
                          date_min=dt.date(2026, 7, 1), date_max=AS_OF,
                          warnings=("2 rows had an unparseable purchase date",)),
               FileReport(path="shipments.csv", kind="shipments", encoding="cp1252", delimiter=",",
                          rows_read=1000, rows_loaded=1000, rows_rejected=0)],
        skipped=[SkippedFile(path="notes.docx", reason="not a tab- or comma-separated report")],
        unmatched=[{"kind": "feedback", "order_id": "999-0000000-0000000", "defect_date": dt.date(2026, 9, 3)}],
        warnings=["No cancellations export: the cancel rate is an upper bound."],
        rejected_path="out/rejected_rows.csv",
        poa=POA_TEXT,
        generated_at=dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC),
        version="0.1.0",
    )
    kwargs.update(overrides)
    return assemble(**kwargs)  # type: ignore[arg-type]


def make_result(metrics: tuple[MetricResult, ...] = (LSR, ODR), folder: str = "acme") -> AnalysisResult:
    """A computed result holding only ``metrics`` (no finding, no table): for the notebook cards."""
    import pandas as pd
    inputs = Inputs(folder=folder, files=(), skipped=(), rejected=pd.DataFrame())
    return AnalysisResult(folder=folder, as_of=AS_OF, options=Options(), version="0.1.0", inputs=inputs,
                          metrics={m.key: m for m in metrics})
