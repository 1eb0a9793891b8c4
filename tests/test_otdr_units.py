"""Amazon's unit-based On-Time Delivery Rate (issue 18 point 1; metrics-spec "What changed in 2024-2026"):
units = item quantity of MFN orders; window = 14 days ending as-of - 7 by promised delivery date; on time =
delivered on or before the promised date, in a parcel with valid tracking; a parcel never delivered is late.

as-of 2026-10-31 -> window 2026-10-11 .. 2026-10-24 (promised dates). Hand count:
  order 1  SKU-A x3, one UPS parcel promised 10-15, delivered 10-14             3 units on time
  order 2  SKU-A x2 + SKU-B x1 in two parcels promised 10-20: SKU-A delivered 10-22 (late), SKU-B 10-19
                                                                              2 late, 1 on time
  order 3  x4, parcel WITHOUT tracking, promised 10-18                          left out
  order 4  x2, promised 10-27: inside the 7-day delay (after 10-24)             left out
  order 5  x1, SlowPost, promised 10-12, never delivered (lost)                 1 late
  order 6  x5, promised 10-10 (before the window)                               left out
  order 7  x2, carrier "Other" (not valid tracking), promised 10-16             left out
  order 9  x2, one parcel naming no SKU, promised 10-24, delivered 10-24        2 on time (the order's units)
  order 10 FBA, purchased 10-31 (no parcel)                                     left out
Denominator 3 + 3 + 1 + 2 = 9 units; numerator 3 + 1 + 2 = 6; late 3 -> 66.67%, under the 90% target.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sellerdx import metrics
from sellerdx.metrics import MetricParams
from sellerdx.render.summary import summary_metrics
from support.metrics_data import load, oid, order, shipment

AS_OF = dt.date(2026, 10, 31)
P = MetricParams(as_of=AS_OF)


def parcel(i, promised, delivered, *, sku="SKU-A", asin="B00000000A", carrier="UPS", tracking=True):
    row = shipment(i, "2026-10-08T23:00:00", "2026-10-08T10:00:00", carrier=carrier,
                   promised_delivery_date=dt.date.fromisoformat(promised),
                   delivered_date=dt.date.fromisoformat(delivered) if delivered else None, sku=sku, asin=asin)
    if not tracking:
        row["tracking_id"] = None
    return row


def data():
    us = {"sales_channel": "Amazon.com"}
    orders = [order(1, "2026-10-08", quantity=3, **us),
              order(2, "2026-10-08", quantity=2, **us),
              order(2, "2026-10-08", sku="SKU-B", asin="B00000000B", quantity=1, **us),
              order(3, "2026-10-08", quantity=4, **us),
              order(4, "2026-10-08", quantity=2, **us),
              order(5, "2026-10-08", quantity=1, **us),
              order(6, "2026-10-05", quantity=5, **us),
              order(7, "2026-10-08", quantity=2, **us),
              order(9, "2026-10-08", quantity=2, **us),
              order(10, "2026-10-31", channel="Amazon", **us)]
    ships = [parcel(1, "2026-10-15", "2026-10-14"),
             parcel(2, "2026-10-20", "2026-10-22"),
             parcel(2, "2026-10-20", "2026-10-19", sku="SKU-B", asin="B00000000B"),
             parcel(3, "2026-10-18", "2026-10-25", tracking=False),
             parcel(4, "2026-10-27", "2026-10-29"),
             parcel(5, "2026-10-12", None, carrier="SlowPost"),
             parcel(6, "2026-10-10", "2026-10-12"),
             parcel(7, "2026-10-16", "2026-10-20", carrier="Other"),
             parcel(9, "2026-10-24", "2026-10-24", sku=None, asin=None)]
    return load(orders=orders, shipments=ships)


def test_unit_otdr_hand_count():
    m = metrics.compute_metrics(data(), P)["otdr_units"]
    assert (m.window_start, m.window_end) == (dt.date(2026, 10, 11), dt.date(2026, 10, 24))
    assert (m.numerator, m.denominator) == (6, 9)
    assert m.rate == pytest.approx(6 / 9) and m.status == "at_risk"
    assert m.extras["late"] == 3 and m.extras["orders"] == 4 and m.extras["late_orders"] == 2
    assert "Amazon's enforced On-Time Delivery Rate in Amazon.com" in m.note


def test_order_based_otdr_is_kept_beside_it_and_says_which_is_enforced():
    results = metrics.compute_metrics(data(), P)
    otdr = results["otdr"]
    assert otdr.window_end == AS_OF and otdr.denominator > 0
    assert "Amazon enforces the unit-based rate" in otdr.note
    summary = summary_metrics(results)
    assert summary["otdr_units"]["numerator"] == 6 and summary["otdr_units"]["denominator"] == 9
    assert summary["otdr"]["key"] == "otdr"       # the existing key is unchanged


def test_outside_the_us_and_uk_it_is_shown_for_comparison_only():
    con = load(orders=[order(1, "2026-10-08", quantity=3, sales_channel="Amazon.de")],
               shipments=[parcel(1, "2026-10-15", "2026-10-14")])
    m = metrics.compute_metrics(con, P)["otdr_units"]
    assert (m.numerator, m.denominator) == (3, 3)
    assert m.note == ("Amazon does not enforce the unit-based rate in Amazon.de (only in the US and the UK): "
                      "shown for comparison with the order-based rate")


def test_breakdown_by_carrier_counts_units():
    con = data()
    frame = metrics.breakdown(con, "otdr_units", "carrier", P)
    rows = {r.value: (int(r.count), int(r.denominator)) for r in frame.itertuples()}
    # late units / units per carrier: UPS orders 1, 2, 9 (3 + 3 + 2 = 8 units, 2 late); SlowPost order 5
    assert rows == {"UPS": (2, 8), "SlowPost": (1, 1)}


def test_recovery_calendar_and_daily_series():
    con = data()
    cal = metrics.recovery_calendar(con, P)
    units = cal[cal["metric"] == "otdr_units"]
    # a late parcel leaves the window 7 + 14 days after its promised date
    assert dict(zip(units["order_id"], units["leaves_window_on"].dt.date)) == {
        oid(5): dt.date(2026, 11, 2), oid(2): dt.date(2026, 11, 10)}
    daily = metrics.daily(con, "otdr_units", P)
    last = daily[daily["date"] == "2026-10-31"].iloc[0]
    assert (int(last["numerator"]), int(last["denominator"])) == (6, 9)


def test_a_parcel_of_an_order_naming_no_item_takes_the_units_no_other_parcel_names():
    # order 1: SKU-A x2 + SKU-B x3; parcel 1 names SKU-A (2 units, late), parcel 2 names nothing -> the
    # remaining 3 units (on time). 3 / 5.
    con = load(orders=[order(1, "2026-10-08", quantity=2), order(1, "2026-10-08", sku="SKU-B", quantity=3)],
               shipments=[parcel(1, "2026-10-15", "2026-10-17"),
                          parcel(1, "2026-10-15", "2026-10-15", sku=None, asin=None)])
    m = metrics.compute_metrics(con, P)["otdr_units"]
    assert (m.numerator, m.denominator) == (3, 5)
