"""sellerdx's own additions: Wilson interval, one-more-defect rate, recovery date and calendar, daily
series, breakdowns, removable feedback and the what-if rate."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sellerdx import metrics
from sellerdx.errors import BadOptionError
from sellerdx.metrics import MetricParams
from sellerdx.render.summary import summary_metrics
from support.metrics_data import AS_OF, cancellation, claim, daily_orders, feedback, load, oid, order, shipment

P = MetricParams(as_of=AS_OF)


def test_wilson_interval_by_hand():
    # k=1, n=10, z=1.959964: p=0.1, z^2=3.8414588
    # denom  = 1 + z^2/n            = 1.38414588
    # centre = (p + z^2/(2n))/denom = (0.1 + 0.19207294)/1.38414588 = 0.2110131
    # half   = z*sqrt(p(1-p)/n + z^2/(4n^2))/denom = 1.959964*sqrt(0.009 + 0.00960365)/1.38414588
    #        = 1.959964*0.1363952/1.38414588 = 0.2673297/1.38414588 = 0.1931369
    low, high = metrics.wilson_interval(1, 10)
    assert low == pytest.approx(0.2110131 - 0.1931369, abs=2e-6)    # 0.0178762
    assert high == pytest.approx(0.2110131 + 0.1931369, abs=2e-6)   # 0.4041500
    assert metrics.wilson_interval(0, 0) is None


def test_metric_carries_interval_and_one_more_rate():
    orders = daily_orders(1, "2026-10-01", 10)               # 10 MFN orders Oct 1..10, one a day
    con = load(orders=orders, claims=[claim(3, "Pending")], feedback=[], chargebacks=[])
    m = metrics.compute_metrics(con, MetricParams(as_of=dt.date(2026, 10, 24)))["odr_mfn"]
    # window ends Oct 10: 10 orders, 1 defect -> 0.1; one more defect -> 2/10
    assert (m.numerator, m.denominator, m.rate) == (1, 10, 0.1)
    assert m.ci_low == pytest.approx(0.0178762, abs=2e-6) and m.ci_high == pytest.approx(0.4041500, abs=2e-6)
    assert m.one_more_rate == pytest.approx(0.2)


def test_simulate_recovery_depends_on_volume():
    # 10-day window ending on as_of (no lag), target < 4%: 5 orders a day for 10 days = 50 orders,
    # 2 defects on the last day -> 2/50 = 4.0%, at risk.
    days = {AS_OF - dt.timedelta(days=i): (5, 0) for i in range(10)}
    days[AS_OF] = (5, 2)
    kw = dict(as_of=AS_OF, lag_days=0, window_days=10, target=0.04, direction="below")
    # 6 new orders a day: next day the window holds 45 known + 6 new = 51 orders -> 2/51 = 3.92% < 4%
    assert metrics.simulate_recovery(days, daily_volume=6, **kw) == dt.date(2026, 11, 1)
    # 5 a day: always 50 orders while the defects stay (4.0%); they leave when the window starts after
    # Oct 31, i.e. window Nov 1..10 -> as-of Nov 10
    assert metrics.simulate_recovery(days, daily_volume=5, **kw) == dt.date(2026, 11, 10)


def test_recovery_date_and_calendar_for_pfcr():
    # 10 MFN orders a day from Oct 2 to Oct 31 (300 orders, average 10 a day); the seller cancelled one
    # order on Oct 26 and one on Oct 30. PFCR window Oct 25..31: 70 orders, 2 cancels -> 2.86% >= 2.5%.
    orders = daily_orders(1, "2026-10-02", 30, per_day=10)
    on_26 = orders[24 * 10]["order_id"]            # first order of Oct 26 (day index 24)
    on_30 = orders[28 * 10]["order_id"]            # first order of Oct 30 (day index 28)
    assert orders[24 * 10]["purchase_ts"].date() == dt.date(2026, 10, 26)
    cancels = [{**cancellation(0, "Seller", "No inventory"), "order_id": on_26},
               {**cancellation(0, "Seller", "Pricing error"), "order_id": on_30}]
    con = load(orders=orders, cancellations=cancels)
    m = metrics.compute_metrics(con, P)["pfcr"]
    assert (m.numerator, m.denominator) == (2, 70) and m.status == "at_risk"
    # as-of Nov 1: window Oct 26..Nov 1 = 60 known + 10 new orders, both defects -> 2/70, at risk;
    # as-of Nov 2: window Oct 27..Nov 2, the Oct 26 cancel is out -> 1/70 = 1.43% < 2.5%
    assert m.recovery_date == dt.date(2026, 11, 2)
    cal = metrics.recovery_calendar(con, P)
    pf = cal[cal["metric"] == "pfcr"]
    # leaves the 7-day window on purchase date + 7
    assert list(pf["order_id"]) == [on_26, on_30]
    assert list(pf["leaves_window_on"]) == [pd.Timestamp("2026-11-02"), pd.Timestamp("2026-11-06")]
    assert list(pf["defect"]) == ["no_inventory", "pricing_error"]


def test_recovery_calendar_odr_uses_lag_plus_60():
    con = load(orders=[order(1, "2026-10-01"), order(2, "2026-10-02", channel="Amazon")],
               claims=[claim(1, "Pending"), claim(2, "Pending")], feedback=[], chargebacks=[])
    cal = metrics.recovery_calendar(con, P)
    # Oct 1 + 14 + 60 = Dec 14; Oct 2 + 74 = Dec 15; odr_all is not repeated
    assert list(zip(cal["metric"], cal["order_id"], cal["leaves_window_on"])) == [
        ("odr_mfn", oid(1), pd.Timestamp("2026-12-14")), ("odr_afn", oid(2), pd.Timestamp("2026-12-15"))]
    assert list(cal["defect"]) == ["a_to_z_claim", "a_to_z_claim"]


def test_ok_metric_has_no_recovery_date():
    con = load(orders=daily_orders(1, "2026-10-25", 7), cancellations=[])
    m = metrics.compute_metrics(con, P)["pfcr"]
    assert m.status == "ok" and m.rate == 0.0 and m.recovery_date is None


def test_daily_series_matches_as_of_per_day():
    # orders: Oct 1 (cancelled), Oct 3, Oct 9; PFCR with as-of D covers D-6..D
    orders = [order(1, "2026-10-01", status="Cancelled"), order(2, "2026-10-03"), order(3, "2026-10-09")]
    con = load(orders=orders)
    d = metrics.daily(con, "pfcr", P).set_index("date")
    assert list(d.index) == list(pd.date_range("2026-10-01", "2026-10-09"))
    # Oct 1: 1/1; Oct 3: orders 1, 2 -> 1/2; Oct 7: window Oct 1..7 -> 1/2; Oct 8: Oct 2..8 -> 0/1;
    # Oct 9: Oct 3..9 -> 0/2
    assert (d.loc["2026-10-01", "numerator"], d.loc["2026-10-01", "denominator"]) == (1, 1)
    assert d.loc["2026-10-03", "rate"] == 0.5 and d.loc["2026-10-07", "rate"] == 0.5
    assert (d.loc["2026-10-08", "numerator"], d.loc["2026-10-08", "denominator"]) == (0, 1)
    assert (d.loc["2026-10-09", "numerator"], d.loc["2026-10-09", "denominator"]) == (0, 2)


def test_breakdown_by_asin_biggest_first_and_whitelist():
    orders = [order(1, "2026-10-26", asin="B00000000A"), order(2, "2026-10-26", asin="B00000000A"),
              order(3, "2026-10-26", asin="B00000000B"), order(4, "2026-10-26", asin="B00000000B"),
              order(5, "2026-10-26", asin="B00000000B"), order(6, "2026-10-26", asin="B00000000C")]
    cancels = [cancellation(3, "Seller", "No inventory"), cancellation(4, "Seller", "No inventory"),
               cancellation(1, "Seller", "No inventory")]
    con = load(orders=orders, cancellations=cancels)
    b = metrics.breakdown(con, "pfcr", "asin", P)
    # B: 2 of 3 orders, share 2/3; A: 1 of 2, share 1/3; C: 0 of 1
    assert list(b["value"]) == ["B00000000B", "B00000000A", "B00000000C"]
    assert list(b["count"]) == [2, 1, 0] and list(b["denominator"]) == [3, 2, 1]
    assert b["rate"].tolist() == pytest.approx([2 / 3, 1 / 2, 0.0])
    assert b["share"].tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])
    with pytest.raises(BadOptionError):
        metrics.breakdown(con, "pfcr", "asin; DROP TABLE orders", P)
    assert set(metrics.BREAKDOWNS) >= {"asin", "sku", "channel", "shipping_service", "carrier", "weekday",
                                       "ship_state", "iso_week", "defect_type", "claim_reason", "cancel_reason"}
    for by in metrics.BREAKDOWNS:                     # every whitelisted column runs
        metrics.breakdown(con, "odr_all", by, P)


def test_breakdown_by_asin_and_sku_counts_an_order_under_every_item_it_holds():
    # order 1: yoga mat (first item) + vase; order 2: vase; order 3: yoga mat; order 4: lamp
    orders = [order(1, "2026-10-26", asin="B0000YOGA1", sku="YOGA"), order(1, "2026-10-26", asin="B0000VASE1",
                                                                          sku="VASE"),
              order(2, "2026-10-26", asin="B0000VASE1", sku="VASE"),
              order(3, "2026-10-26", asin="B0000YOGA1", sku="YOGA"),
              order(4, "2026-10-26", asin="B0000LAMP1", sku="LAMP")]
    cancels = [cancellation(1, "Seller", "No inventory"), cancellation(2, "Seller", "No inventory")]
    con = load(orders=orders, cancellations=cancels)
    b = metrics.breakdown(con, "pfcr", "asin", P).set_index("value")
    # vase: orders 1, 2 -> 2 of 2, share 2/2; yoga mat: orders 1, 3 -> 1 of 2, share 1/2; lamp 0 of 1.
    # The shares sum to 1.5: order 1 counts under both of its ASINs.
    assert b.loc["B0000VASE1", ["count", "denominator"]].tolist() == [2, 2]
    assert b.loc["B0000YOGA1", ["count", "denominator"]].tolist() == [1, 2]
    assert b.loc["B0000LAMP1", ["count", "denominator"]].tolist() == [0, 1]
    assert b["share"].sum() == pytest.approx(1.5)
    assert list(b.index) == ["B0000VASE1", "B0000YOGA1", "B0000LAMP1"]
    s = metrics.breakdown(con, "pfcr", "sku", P).set_index("value")
    assert s.loc["VASE", "count"] == 2 and s.loc["YOGA", "count"] == 1


def test_breakdown_defect_type_shares_the_window_denominator():
    orders = [order(i, "2026-10-01") for i in range(1, 6)]
    con = load(orders=orders, feedback=[feedback(1, 1), feedback(2, 2)], claims=[claim(2, "Pending"),
               claim(3, "Pending")], chargebacks=[])
    b = metrics.breakdown(con, "odr_mfn", "defect_type", P)
    # defects: 1 feedback only, 2 feedback+claim, 3 claim only; denominator = the window's 5 orders
    assert dict(zip(b["value"], b["count"])) == {"a_to_z_claim": 1, "negative_feedback": 1,
                                                  "negative_feedback+a_to_z_claim": 1}
    assert set(b["denominator"]) == {5} and b["share"].sum() == pytest.approx(1.0)


def themes(con, rows):
    con.execute("CREATE OR REPLACE TABLE feedback_themes (order_id VARCHAR, theme VARCHAR)")
    for order_id, theme in rows:
        con.execute("INSERT INTO feedback_themes VALUES ($o, $t)", {"o": order_id, "t": theme})


def test_removable_feedback_rules_and_what_if():
    # as_of Oct 31; removal period: feedback left on or after Oct 31 - 90 = Aug 2
    orders = [order(1, "2026-09-20", channel="Amazon"),      # FBA, only about delivery -> removable
              order(2, "2026-09-20", channel="Amazon"),      # FBA, delivery + quality -> not
              order(3, "2026-09-20", ship_service_level="Amazon Buy Shipping"),  # on-time Buy Shipping, late
              order(4, "2026-09-20", ship_service_level="Standard"),             # not Buy Shipping -> not
              order(5, "2026-09-20"),                        # purely a product review -> removable
              order(6, "2026-09-20"),                        # personal data -> removable
              order(7, "2026-07-20"),                        # obscene but left Aug 1: too old
              order(8, "2026-09-20")]                        # rating 3: not negative
    fb = [feedback(1, 1, "2026-09-25"), feedback(2, 2, "2026-09-25"), feedback(3, 1, "2026-09-25"),
          feedback(4, 1, "2026-09-25"), feedback(5, 2, "2026-09-25"), feedback(6, 1, "2026-09-25"),
          feedback(7, 1, "2026-08-01"), feedback(8, 3, "2026-09-25")]
    con = load(orders=orders, feedback=fb, claims=[claim(6, "Pending")], chargebacks=[], shipments=[])
    themes(con, [(oid(1), "late_delivery"), (oid(2), "late_delivery"), (oid(2), "quality"),
                 (oid(3), "late_delivery"), (oid(4), "late_delivery"), (oid(5), "quality"),
                 (oid(5), "product_review"), (oid(6), "personal_data"), (oid(7), "obscene"),
                 (oid(8), "obscene")])
    r = metrics.removable_feedback(con, P)
    assert dict(zip(r["order_id"], r["reason_code"])) == {
        oid(1): "afn_delivery", oid(3): "buy_shipping_on_time", oid(5): "product_review",
        oid(6): "personal_data"}
    assert set(r["removable_until"]) == {pd.Timestamp("2026-12-24")}     # Sep 25 + 90
    # What-if (ODR window Aug 19..Oct 17): MFN orders 3,4,5,6,8 with defects 3,4,5,6 -> 4/5 now;
    # removing feedback of 3, 5, 6 leaves 4 (feedback) and 6 (its claim still counts) -> 2/5.
    # FBA: orders 1, 2, both defects -> 2/2; removing 1 -> 1/2.
    now = metrics.compute_metrics(con, P)
    after = metrics.what_if(con, P, r)
    assert (now["odr_mfn"].numerator, now["odr_mfn"].denominator) == (4, 5)
    assert (after["odr_mfn"].numerator, after["odr_mfn"].denominator) == (2, 5)
    assert (after["odr_afn"].numerator, after["odr_afn"].denominator) == (1, 2)
    assert set(after) == {"odr_mfn", "odr_afn", "odr_all"}


def test_buy_shipping_late_order_is_not_removable():
    orders = [order(1, "2026-10-20", ship_service_level="Amazon Buy Shipping")]
    con = load(orders=orders, feedback=[feedback(1, 1, "2026-10-28")],
               shipments=[shipment(1, "2026-10-21", "2026-10-23T10:00:00")])      # confirmed 2 days late
    themes(con, [(oid(1), "late_delivery")])
    assert metrics.removable_feedback(con, P).empty


def test_summary_shape():
    con = load(orders=[order(1, "2026-10-28")], feedback=[], claims=[], chargebacks=[])
    s = summary_metrics(metrics.compute_metrics(con, P))
    assert set(s) == {"odr", "pfcr", "lsr_10d", "lsr_30d", "vtr", "otdr", "otdr_units"}
    assert set(s["odr"]) == {"mfn", "afn", "all"}
    assert s["odr"]["afn"]["status"] == "no_orders" and s["odr"]["afn"]["rate"] is None
    assert s["pfcr"]["window_start"] == "2026-10-25"


def test_removable_feedback_builds_themes_from_comments():
    # No feedback_themes table yet: removable_feedback() has sellerdx.themes classify the comments.
    orders = [order(1, "2026-10-01", channel="Amazon"), order(2, "2026-10-01", channel="Amazon"),
              order(3, "2026-10-01"), order(4, "2026-10-01")]
    fb = [feedback(1, 1, "2026-10-10", comments="Box arrived damaged and late"),        # FBA, delivery only
          feedback(2, 1, "2026-10-10", comments="Seller never answered my emails"),     # FBA, service: no
          feedback(3, 2, "2026-10-10", comments="The product stopped working, battery life is terrible"),
          feedback(4, 1, "2026-10-10", comments="Call me at +44 7700 900123")]
    con = load(orders=orders, feedback=fb)
    r = metrics.removable_feedback(con, P)
    assert dict(zip(r["order_id"], r["reason_code"])) == {
        oid(1): "afn_delivery", oid(3): "product_review", oid(4): "personal_data"}
