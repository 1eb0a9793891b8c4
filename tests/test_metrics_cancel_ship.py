"""Pre-fulfilment Cancel Rate, Late Shipment Rate, Valid Tracking Rate and On-Time Delivery Rate rules.

as_of is 2026-10-31: PFCR window 2026-10-25 .. 10-31 (7 days), LSR 10-day window 10-22 .. 10-31,
30-day window (LSR, VTR, OTDR) 10-02 .. 10-31.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sellerdx import metrics
from sellerdx.metrics import MetricParams
from sellerdx.render.summary import summary_metrics
from support.metrics_data import AS_OF, cancellation, load, order, shipment

P = MetricParams(as_of=AS_OF)


def result(con, key):
    return metrics.compute_metrics(con, P)[key]


# ---------------------------------------------------------------- PFCR

def test_pfcr_buyer_seller_amazon_cancellations():
    orders = [order(i, "2026-10-28", status="Cancelled") for i in (1, 2, 3, 4)] + [
        order(5, "2026-10-28"), order(6, "2026-10-28", channel="Amazon", status="Cancelled")]
    cancels = [cancellation(1, "Buyer", "Buyer canceled"),            # buyer: not counted
               cancellation(2, "Seller", "No inventory"),             # seller: counted
               cancellation(3, "Amazon", "Not confirmed in time"),    # Amazon auto-cancel: counted
               cancellation(4, "Seller", "Buyer requested cancellation"),  # on the buyer's request: not counted
               cancellation(6, "Seller", "No inventory")]             # FBA order: not in PFCR at all
    con = load(orders=orders, cancellations=cancels)
    m = result(con, "pfcr")
    # MFN orders 1..5 -> denominator 5; seller 2 + Amazon 3 -> 2/5 = 0.4
    assert (m.numerator, m.denominator, m.rate) == (2, 5, 0.4)
    assert (m.window_start, m.window_end) == (dt.date(2026, 10, 25), dt.date(2026, 10, 31))
    assert m.note is None
    reasons = metrics.breakdown(con, "pfcr", "cancel_reason", P)
    assert dict(zip(reasons["value"], reasons["count"])) == {"no_inventory": 1, "not_confirmed_in_time": 1}
    assert list(reasons["share"]) == [0.5, 0.5] and list(reasons["denominator"]) == [5, 5]


def test_pfcr_item_level_cancellation_counts_the_order():
    orders = [order(1, "2026-10-28", sku="SKU-A", asin="B00000000A"),
              order(1, "2026-10-28", sku="SKU-B", asin="B00000000B"),
              order(2, "2026-10-28")]
    con = load(orders=orders, cancellations=[cancellation(1, "Seller", "No inventory", sku="SKU-B")],
               shipments=[])
    r = metrics.compute_metrics(con, P)
    # order 1 (two items, one cancelled by the seller) counts once: 1 of 2 orders
    assert (r["pfcr"].numerator, r["pfcr"].denominator) == (1, 2)
    # the order itself is not cancelled, so it stays in the LSR denominator: 2 orders, none late
    assert (r["lsr_10d"].numerator, r["lsr_10d"].denominator) == (0, 2)


def test_pfcr_without_cancellations_file_counts_status_cancelled_as_upper_bound():
    orders = [order(1, "2026-10-28", status="Cancelled"), order(2, "2026-10-28"),
              order(3, "2026-10-29", status="Cancelled")]
    con = load(orders=orders)
    m = result(con, "pfcr")
    # both Cancelled orders count, whoever asked: 2/3
    assert (m.numerator, m.denominator) == (2, 3)
    assert "upper bound" in m.note and "cancellations" in m.note


def test_pfcr_window_edges():
    orders = [order(1, "2026-10-25", status="Cancelled"),   # first day of the 7-day window: in
              order(2, "2026-10-24", status="Cancelled"),   # one day before: out
              order(3, "2026-10-31"),                       # as_of: in
              order(4, "2026-11-01", status="Cancelled")]   # after as_of: out
    m = result(load(orders=orders), "pfcr")
    assert (m.numerator, m.denominator) == (1, 2)


def test_pfcr_zero_denominator_is_no_orders():
    m = result(load(orders=[order(1, "2026-10-28", channel="Amazon")]), "pfcr")
    assert m.status == "no_orders" and m.rate is None


# ---------------------------------------------------------------- LSR

def lsr_data():
    orders = [order(i, "2026-10-25") for i in range(1, 7)] + [
        order(7, "2026-10-25", status="Cancelled"), order(8, "2026-10-25", channel="Amazon"),
        order(9, "2026-10-25"), order(10, "2026-10-25"),
        order(11, "2026-10-21"), order(12, "2026-10-02"), order(13, "2026-10-01")]
    ships = [
        shipment(1, "2026-10-26", "2026-10-26T18:00:00"),             # date-only, confirmed same day: on time
        shipment(2, "2026-10-26", "2026-10-27T00:30:00"),             # date-only, next UTC day: late
        shipment(3, "2026-10-26T14:00:00", "2026-10-26T14:00:01"),    # timestamps, one second late: late
        shipment(4, "2026-10-26T14:00:00", "2026-10-26T14:00:00"),    # exactly on the instant: on time
        shipment(5, None, None, late_flag=True),                      # Late: Yes: late
        # order 6: no shipment row -> on time
        shipment(7, "2026-10-26", "2026-10-29T10:00:00"),             # late but the order is cancelled
        shipment(8, "2026-10-26", "2026-10-29T10:00:00"),             # late but FBA
        shipment(9, "2026-10-26", "2026-10-28T10:00:00", late_flag=False),  # explicit No wins: on time
        shipment(10, "2026-10-27T00:00:00", "2026-10-27T09:00:00",
                 expected_ship_ts_has_time=True),                     # midnight WITH a time: instants, late
        shipment(11, "2026-10-22", "2026-10-23T10:00:00"),            # late, only in the 30-day window
        shipment(12, "2026-10-03", "2026-10-04T10:00:00"),            # late, first day of the 30-day window
        shipment(13, "2026-10-02", "2026-10-03T10:00:00"),            # late, purchased before the window
    ]
    # the other rows carry no explicit flag / time information
    for s in ships:
        s.setdefault("late_flag", None)
        s.setdefault("expected_ship_ts_has_time", None)
    return orders, ships


def test_lsr_lateness_rules_and_windows():
    orders, ships = lsr_data()
    frame = pd.DataFrame(ships)
    # has_time given explicitly only for order 10; elsewhere it follows the value (midnight = no time)
    frame["expected_ship_ts_has_time"] = [
        bool(pd.notna(t) and t != t.normalize()) if h is None else h
        for t, h in zip(frame["expected_ship_ts"], frame["expected_ship_ts_has_time"])]
    con = load(orders=orders, shipments=frame)
    r = metrics.compute_metrics(con, P)
    # 10-day window (Oct 22..31): MFN, not cancelled: orders 1,2,3,4,5,6,9,10 -> 8; late: 2,3,5,10 -> 4
    assert (r["lsr_10d"].numerator, r["lsr_10d"].denominator, r["lsr_10d"].rate) == (4, 8, 0.5)
    assert (r["lsr_10d"].window_start, r["lsr_10d"].window_end) == (dt.date(2026, 10, 22), dt.date(2026, 10, 31))
    # 30-day window (Oct 2..31): adds orders 11 and 12, both late -> 6/10; order 13 (Oct 1) is out
    assert (r["lsr_30d"].numerator, r["lsr_30d"].denominator) == (6, 10)
    assert r["lsr_10d"].status == "at_risk"


def test_no_shipments_file_means_not_computed_with_the_export_named():
    con = load(orders=[order(1, "2026-10-25")])
    r = metrics.compute_metrics(con, P)
    for key in ("lsr_10d", "lsr_30d", "vtr", "otdr"):
        assert r[key].status == "not_computed" and r[key].rate is None, key
        assert "shipments export" in r[key].note
    assert metrics.daily(con, "lsr_10d", P).empty
    assert metrics.breakdown(con, "lsr_30d", "carrier", P).empty
    summary = summary_metrics(r)
    assert summary["lsr_10d"] is None and summary["pfcr"]["status"] == "ok"


# ---------------------------------------------------------------- VTR / OTDR

def test_valid_tracking_rate():
    orders = [order(i, "2026-10-20") for i in range(1, 7)]
    ships = [shipment(1, "2026-10-21", "2026-10-21T10:00:00", carrier="UPS"),           # valid
             shipment(2, "2026-10-21", "2026-10-21T10:00:00", carrier="Other"),         # carrier Other
             shipment(3, "2026-10-21", "2026-10-21T10:00:00", tracking_id=None),        # no tracking id
             shipment(4, "2026-10-21", "2026-10-21T10:00:00", carrier="  "),            # blank carrier
             shipment(5, "2026-10-21", None, tracking_id=None)]                          # not confirmed
    con = load(orders=orders, shipments=ships)
    m = result(con, "vtr")
    # confirmed shipments: 1..4 -> 4; valid: order 1 -> 1/4 = 0.25, below the 95% target
    assert (m.numerator, m.denominator, m.rate) == (1, 4, 0.25)
    assert m.direction == "above" and m.status == "at_risk"
    # one more invalid shipment would leave 0 valid of 4
    assert m.one_more_rate == 0.0
    by_carrier = metrics.breakdown(con, "vtr", "carrier", P)
    # bad outcomes (invalid tracking) per carrier: Other 1, UPS 1 (order 3), (none) 1 (order 4)
    assert dict(zip(by_carrier["value"], by_carrier["count"])) == {"(none)": 1, "Other": 1, "UPS": 1}


def test_vtr_not_computed_without_tracking_data():
    ships = [shipment(1, "2026-10-21", "2026-10-21T10:00:00", tracking_id=None, carrier=None)]
    m = result(load(orders=[order(1, "2026-10-20")], shipments=ships), "vtr")
    assert m.status == "not_computed" and "tracking" in m.note


def test_on_time_delivery_rate():
    d = dt.date
    orders = [order(i, "2026-10-20") for i in range(1, 5)]
    ships = [shipment(1, "2026-10-21", "2026-10-21T10:00:00", promised_delivery_date=d(2026, 10, 28),
                      delivered_date=d(2026, 10, 28)),                                   # on the day: on time
             shipment(2, "2026-10-21", "2026-10-21T10:00:00", promised_delivery_date=d(2026, 10, 28),
                      delivered_date=d(2026, 10, 29)),                                   # a day late
             shipment(3, "2026-10-21", "2026-10-21T10:00:00"),                           # no dates: not counted
             shipment(4, "2026-10-21", "2026-10-21T10:00:00", carrier="Other",
                      promised_delivery_date=d(2026, 10, 28), delivered_date=d(2026, 10, 30))]  # invalid tracking
    m = result(load(orders=orders, shipments=ships), "otdr")
    # valid tracking with both dates: orders 1, 2 -> on time 1 -> 1/2
    assert (m.numerator, m.denominator, m.rate) == (1, 2, 0.5)
    m2 = result(load(orders=orders, shipments=[shipment(1, "2026-10-21", "2026-10-21T10:00:00")]), "otdr")
    assert m2.status == "not_computed" and "delivered" in m2.note
