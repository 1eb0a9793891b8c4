"""Defects counted where they belong, once per order (issue 12 point 5).

A defect belongs to the item the data names (the cancelled SKU, the late parcel's SKU); only where the
data names no item (feedback, claims, chargebacks) to every item of the order, and then the breakdown
says the groups overlap. Shares and the cumulative line are over distinct defect orders.

PFCR case, as-of 2026-10-31, 7-day window 2026-10-25 .. 10-31, every order purchased 2026-10-28:
  orders 1-8    hold SKU-STOCK, whose item the seller cancelled for lack of stock (cancellations rows
                naming SKU-STOCK); orders 1 and 2 also hold SKU-MAT, order 3 also SKU-CUP (shipped)
  orders 9-20   SKU-STOCK, shipped            orders 21-60  SKU-MAT, shipped
  orders 61-80  SKU-CUP, shipped
By SKU: SKU-STOCK 8 cancelled of the 20 orders holding it; SKU-MAT 0 of 42 (1, 2, 21-60); SKU-CUP 0 of
21 (3, 61-80). Before this change SKU-MAT got 2 and SKU-CUP 1 (bars 8 + 2 + 1 for 8 cancelled orders).
"""

from __future__ import annotations

import datetime as dt

from sellerdx import diagnose, metrics
from sellerdx.metrics import MetricParams
from support.metrics_data import cancellation, feedback, load, order, shipment

AS_OF = dt.date(2026, 10, 31)
P = MetricParams(as_of=AS_OF)
DAY = "2026-10-28"


def pfcr_data():
    orders = []
    for i in range(1, 9):
        orders.append(order(i, DAY, sku="SKU-STOCK", asin="B0STOCK001", item_status="Cancelled"))
    orders += [order(1, DAY, sku="SKU-MAT", asin="B0MAT00001"), order(2, DAY, sku="SKU-MAT", asin="B0MAT00001"),
               order(3, DAY, sku="SKU-CUP", asin="B0CUP00001")]
    orders += [order(i, DAY, sku="SKU-STOCK", asin="B0STOCK001") for i in range(9, 21)]
    orders += [order(i, DAY, sku="SKU-MAT", asin="B0MAT00001") for i in range(21, 61)]
    orders += [order(i, DAY, sku="SKU-CUP", asin="B0CUP00001") for i in range(61, 81)]
    cancels = [cancellation(i, "Seller", "No inventory", day=DAY, sku="SKU-STOCK") for i in range(1, 9)]
    return load(orders=orders, cancellations=cancels)


def test_a_cancelled_item_counts_under_its_sku_alone():
    con = pfcr_data()
    pfcr = metrics.compute_metrics(con, P)["pfcr"]
    assert (pfcr.numerator, pfcr.denominator) == (8, 80)
    frame = metrics.breakdown(con, "pfcr", "sku", P)
    rows = {r.value: (int(r.count), int(r.denominator), r.share, r.cumulative_share) for r in frame.itertuples()}
    assert rows["SKU-STOCK"] == (8, 20, 1.0, 1.0)
    assert rows["SKU-MAT"][:3] == (0, 42, 0.0)
    assert rows["SKU-CUP"][:3] == (0, 21, 0.0)
    assert not frame["overlap"].any()
    assert int(frame["count"].sum()) == 8          # the bars add up to the 8 cancelled orders


def test_chart_data_and_statement_agree():
    con = pfcr_data()
    results = metrics.compute_metrics(con, P)
    rules = [r for r in diagnose.load_rules() if r.id == "cancellation.stockout"]
    [finding] = diagnose.diagnose(con, results, P, rules=rules)
    assert finding.entities["skus"] == ["SKU-STOCK"]
    assert finding.statement.startswith("8 of the 8 cancelled orders (100%)")
    assert "40.00% of the 20 orders for this stock were cancelled this way, against 0.00% of the 60 other" \
        in finding.statement
    frame = metrics.breakdown(con, finding.chart["metric"], finding.chart["by"], P)
    top = frame.iloc[0]
    assert (top["value"], int(top["count"]), top["share"], top["cumulative_share"]) == ("SKU-STOCK", 8, 1.0, 1.0)
    assert finding.share == top["share"]


def test_a_late_parcel_counts_under_its_own_sku():
    # order 1 holds SKU-A and SKU-B, shipped in two parcels; only SKU-B's parcel was confirmed late.
    # order 2 holds SKU-A only, on time. LSR 30-day window 2026-10-02 .. 10-31.
    orders = [order(1, "2026-10-20", sku="SKU-A", asin="B00000000A"),
              order(1, "2026-10-20", sku="SKU-B", asin="B00000000B"),
              order(2, "2026-10-20", sku="SKU-A", asin="B00000000A")]
    ships = [shipment(1, "2026-10-22T23:00:00", "2026-10-21T10:00:00", sku="SKU-A", asin="B00000000A"),
             shipment(1, "2026-10-22T23:00:00", "2026-10-25T10:00:00", sku="SKU-B", asin="B00000000B"),
             shipment(2, "2026-10-22T23:00:00", "2026-10-21T10:00:00", sku="SKU-A", asin="B00000000A")]
    con = load(orders=orders, shipments=ships)
    lsr = metrics.compute_metrics(con, P)["lsr_30d"]
    assert (lsr.numerator, lsr.denominator) == (1, 2)
    frame = metrics.breakdown(con, "lsr_30d", "sku", P)
    rows = {r.value: (int(r.count), int(r.denominator)) for r in frame.itertuples()}
    assert rows == {"SKU-B": (1, 1), "SKU-A": (0, 2)}
    assert not frame["overlap"].any()


def test_feedback_names_no_item_so_groups_overlap_and_shares_stay_distinct():
    # ODR (window 2026-08-19 .. 10-17): order 1 holds SKU-X and SKU-Y, order 2 SKU-X, order 3 SKU-Z;
    # negative feedback on orders 1 and 2 (feedback names no item: order 1 counts under X and Y).
    orders = [order(1, "2026-10-01", sku="SKU-X"), order(1, "2026-10-01", sku="SKU-Y", asin="B00000000Y"),
              order(2, "2026-10-01", sku="SKU-X"), order(3, "2026-10-01", sku="SKU-Z", asin="B00000000Z")]
    con = load(orders=orders, feedback=[feedback(1, 1), feedback(2, 2)], claims=[], chargebacks=[])
    frame = metrics.breakdown(con, "odr_mfn", "sku", P)
    rows = {r.value: (int(r.count), int(r.denominator), r.share, r.cumulative_share) for r in frame.itertuples()}
    # X: orders 1 and 2 -> 2 of 2 defects; Y: order 1 -> 1 of 2 (50%); the line stays at 100% (distinct)
    assert rows["SKU-X"] == (2, 2, 1.0, 1.0)
    assert rows["SKU-Y"] == (1, 1, 0.5, 1.0)
    assert rows["SKU-Z"][:2] == (0, 1)
    assert frame["overlap"].all()
    assert list(frame["value"])[:2] == ["SKU-X", "SKU-Y"]


def test_the_pareto_line_uses_distinct_orders():
    import pandas as pd

    from sellerdx.render import charts
    frame = pd.DataFrame({"value": ["SKU-X", "SKU-Y"], "count": [2, 1], "share": [1.0, 0.5],
                          "cumulative_share": [1.0, 1.0], "overlap": [True, True]})
    svg = str(charts.breakdown_chart(frame, "sku", "ODR", kind="pareto"))
    assert "groups overlap" in svg


def test_a_statement_says_when_feedback_orders_count_under_several_asins():
    # ODR window 2026-08-19 .. 10-17. 60 orders of the vase (B0VASE0001), 8 with negative feedback "arrived
    # damaged"; 3 of those 8 also hold the mat (B0MAT00001). 200 orders of a plain product, no feedback.
    # Feedback names no item: the 3 orders count under the vase and the mat, and the statement says so.
    orders, fb = [], []
    for i in range(1, 61):
        orders.append(order(i, "2026-10-01", sku="SKU-VASE", asin="B0VASE0001"))
        if i <= 3:
            orders.append(order(i, "2026-10-01", sku="SKU-MAT", asin="B0MAT00001"))
        if i <= 8:
            fb.append(feedback(i, 1, comments="The vase arrived damaged, broken in pieces."))
    orders += [order(i, "2026-10-01", sku="SKU-PLAIN", asin="B0PLAIN001") for i in range(61, 261)]
    con = load(orders=orders, feedback=fb, claims=[], chargebacks=[])
    results = metrics.compute_metrics(con, P)
    rules = [r for r in diagnose.load_rules() if r.id == "negative_feedback.damaged"]
    found = [f for f in diagnose.diagnose(con, results, P, rules=rules) if f.code == "negative_feedback.damaged"]
    assert found and found[0].entities["asins"] == ["B0VASE0001"]
    assert ("on the ASIN B0VASE0001; 3 of these orders also hold other ASINs and count under them too "
            "(feedback names no item).") in found[0].statement
    assert found[0].statement.startswith("8 of the 8 order defects (100%)")
