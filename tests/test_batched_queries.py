"""One query for many (issue 14 point 3): the evidence orders of every finding, the daily series of every
metric. Each batched answer is checked by hand on a small case, and against the one-at-a-time call."""

from __future__ import annotations

import pandas as pd

from sellerdx import metrics
from sellerdx.metrics import MetricParams, runner
from sellerdx.model import Finding
from support.metrics_data import AS_OF, cancellation, claim, load, oid, order

P = MetricParams(as_of=AS_OF)


def finding(code: str, metric: str, order_ids: list[str], **entities: list[str]) -> Finding:
    return Finding(code=code, metric=metric, title=code, statement="", share=0.5, confidence="high",
                   entities=dict(entities), order_ids=tuple(order_ids))


def data():
    # order 1: two items (A, B), a granted A-to-z claim; order 2: item B, cancelled by the seller;
    # order 3: item A, no defect. All MFN, Oct 20-22.
    orders = [order(1, "2026-10-20", sku="SKU-A", asin="B00000000A"),
              order(1, "2026-10-20", sku="SKU-B", asin="B00000000B"),
              order(2, "2026-10-21", sku="SKU-B", asin="B00000000B", status="Cancelled"),
              order(3, "2026-10-22", sku="SKU-A", asin="B00000000A")]
    return load(orders=orders, claims=[claim(1, "Granted")], feedback=[], chargebacks=[],
                cancellations=[cancellation(2, "Seller", "Out of stock", day="2026-10-21", sku="SKU-B")])


def test_evidence_of_all_findings_in_one_query_names_each_findings_items():
    con = data()
    claims_on_b = finding("claims.asin", "odr_mfn", [oid(1)], asins=["B00000000B"])
    cancels = finding("cancel.sku", "pfcr", [oid(2), oid(3)])
    runner.QUERY_STATS.clear()
    rows = metrics.evidence_for(con, [claims_on_b, cancels, finding("none", "lsr_10d", [])])
    assert runner.QUERY_STATS["evidence_orders"][0] == 1          # one query for every finding
    assert set(rows) == {"claims.asin", "cancel.sku"}             # a finding without orders has no rows
    # the claim's finding names item B of order 1 (its ASIN), not the order's first item (A)
    a = rows["claims.asin"]
    assert a[["order_id", "asin", "sku", "defect_type"]].values.tolist() == [
        [oid(1), "B00000000B", "SKU-B", "a_to_z_claim"]]
    # the cancel finding names no item: each order's first item; order 2's defect is its cancel reason,
    # order 3 has none; ordered by purchase date
    b = rows["cancel.sku"]
    assert b["order_id"].tolist() == [oid(2), oid(3)]
    assert b["asin"].tolist() == ["B00000000B", "B00000000A"]
    assert b["defect_type"].iloc[0] == "no_inventory" and pd.isna(b["defect_type"].iloc[1])
    # the same rows as asking finding by finding
    for f in (claims_on_b, cancels):
        pd.testing.assert_frame_equal(rows[f.code], metrics.evidence_orders(con, f))


def test_daily_series_of_several_metrics_in_one_query():
    con = data()
    runner.QUERY_STATS.clear()
    series = metrics.daily_series(con, ["pfcr", "odr_mfn", "lsr_10d"], P)
    assert runner.QUERY_STATS["metric_daily"][0] == 1
    assert list(series) == ["pfcr", "odr_mfn", "lsr_10d"]
    pfcr = series["pfcr"].set_index("date")
    assert list(pfcr.index) == list(pd.date_range("2026-10-20", "2026-10-22"))   # the data's span
    # PFCR (7 days, no lag) as of Oct 21: orders 1, 2 -> 1 cancelled of 2; as of Oct 22: 1 of 3
    assert (pfcr.loc["2026-10-21", "numerator"], pfcr.loc["2026-10-21", "denominator"]) == (1, 2)
    assert (pfcr.loc["2026-10-22", "numerator"], pfcr.loc["2026-10-22", "denominator"]) == (1, 3)
    # ODR (14-day lag): as of Oct 22 the window ends Oct 8, before any order
    assert series["odr_mfn"]["denominator"].tolist() == [0, 0, 0]
    # each series equals the one-metric call
    for key, frame in series.items():
        pd.testing.assert_frame_equal(frame, metrics.daily(con, key, P))
