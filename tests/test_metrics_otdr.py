"""On-Time Delivery Rate: lost parcels are late, parcels not yet due are pending (metrics-spec OTDR).

Every expected number below is counted by hand from the rows of :func:`otdr_data`.
"""

from __future__ import annotations

import datetime as dt

from sellerdx import metrics
from sellerdx.amazon.reconcile import reconcile
from sellerdx.amazon.report import parse_performance
from sellerdx.metrics import MetricParams
from support.metrics_data import AS_OF, load, oid, order, shipment

d = dt.date


def ship(i: int, day: str, promised: dt.date | None, delivered: dt.date | None, **extra) -> dict:
    """A confirmed, tracked shipment of order i, confirmed on ``day``."""
    return shipment(i, f"{day}T18:00:00", f"{day}T10:00:00", promised_delivery_date=promised,
                    delivered_date=delivered, **extra)


def otdr_data():
    """As-of Oct 31 (window Oct 2..31). Outcomes on Oct 31 / on Oct 28:

    1  on time (delivered Oct 27, promised Oct 28)                      on time / on time
    2  delivered late (Oct 30 > Oct 28)                                 late    / late
    3  never delivered, promised Oct 28: a lost parcel                  late    / pending (promise = as-of)
    4  never delivered, promised Oct 31 = as-of                         pending / (not purchased yet)
    5  never delivered, promised Nov 3                                  pending / (not purchased yet)
    6  delivered Oct 31, promised Nov 4                                  on time / (not purchased yet)
    7  never delivered, carrier "Other": no valid tracking               never counted
    8  no promised date                                                  never counted
    9  two parcels: one delivered late, one not delivered (promise Nov 5)  late / late
    10 two parcels: one on time, one not delivered (promise Nov 2)       pending / pending
    11 purchased Sep 20, lost: outside the window                        never counted
    """
    orders = [order(i, "2026-10-20") for i in (1, 2, 3, 7, 8)] + [
        order(4, "2026-10-28"), order(5, "2026-10-29"), order(6, "2026-10-29"),
        order(9, "2026-10-25"), order(10, "2026-10-27"), order(11, "2026-09-20")]
    ships = [
        ship(1, "2026-10-21", d(2026, 10, 28), d(2026, 10, 27)),
        ship(2, "2026-10-21", d(2026, 10, 28), d(2026, 10, 30)),
        ship(3, "2026-10-21", d(2026, 10, 28), None),
        ship(4, "2026-10-28", d(2026, 10, 31), None),
        ship(5, "2026-10-29", d(2026, 11, 3), None),
        ship(6, "2026-10-29", d(2026, 11, 4), d(2026, 10, 31)),
        ship(7, "2026-10-21", d(2026, 10, 28), None, carrier="Other"),
        ship(8, "2026-10-21", None, None),
        ship(9, "2026-10-26", d(2026, 10, 28), d(2026, 10, 29), tracking_id="1ZA9"),
        ship(9, "2026-10-26", d(2026, 11, 5), None, tracking_id="1ZB9"),
        ship(10, "2026-10-28", d(2026, 10, 30), d(2026, 10, 29), tracking_id="1ZA10"),
        ship(10, "2026-10-28", d(2026, 11, 2), None, tracking_id="1ZB10"),
        ship(11, "2026-09-21", d(2026, 9, 28), None),
    ]
    return load(orders=orders, shipments=ships)


def test_lost_parcels_are_late_and_parcels_not_yet_due_are_pending():
    m = metrics.compute_metrics(otdr_data(), MetricParams(as_of=AS_OF))["otdr"]
    # counted: 1, 2, 3, 6, 9 -> on time 1 and 6 -> 2/5; late 2, 3, 9; pending 4, 5, 10
    assert (m.numerator, m.denominator) == (2, 5)
    assert m.rate == 0.4
    assert m.extras == {"late": 3, "pending": 3}
    assert m.status == "at_risk"


def test_promised_date_equal_to_as_of_is_still_pending():
    m = metrics.compute_metrics(otdr_data(), MetricParams(as_of=d(2026, 10, 28)))["otdr"]
    # window Sep 29..Oct 28: orders 1, 2, 3, 7, 8, 9, 10 (and 4, bought on Oct 28)
    # counted: 1 (on time), 2 (delivered late), 9 (a parcel delivered late) -> 1/3
    # pending: 3 (promised Oct 28 = as-of), 4 (Oct 31), 10 (Nov 2)
    assert (m.numerator, m.denominator) == (1, 3)
    assert m.extras == {"late": 2, "pending": 3}


def test_daily_series_breakdown_and_recovery_use_the_same_membership():
    con = otdr_data()
    params = MetricParams(as_of=AS_OF)
    series = metrics.daily(con, "otdr", params).set_index("date")
    # the series runs to the last purchase date, Oct 29. As-of Oct 29: as on Oct 31 (3 is lost since its
    # promise of Oct 28 passed; 6 is delivered; 4, 5, 10 still pending) -> 2/5. As-of Oct 28: as in the
    # test before -> 1/3. As-of Oct 21: orders 1, 2, 3, 7, 8 bought; 1 delivered on time and 2 delivered
    # late are known from the delivered dates, 3 is pending -> 1/2
    assert (series.loc["2026-10-29", "numerator"], series.loc["2026-10-29", "denominator"]) == (2, 5)
    assert (series.loc["2026-10-28", "numerator"], series.loc["2026-10-28", "denominator"]) == (1, 3)
    assert (series.loc["2026-10-21", "numerator"], series.loc["2026-10-21", "denominator"]) == (1, 2)
    by_carrier = metrics.breakdown(con, "otdr", "carrier", params)
    assert by_carrier["denominator"].max() == 5 and int(by_carrier["count"].sum()) == 3   # all UPS
    calendar = metrics.recovery_calendar(con, params)
    late = calendar[calendar["metric"] == "otdr"]
    assert sorted(late["order_id"]) == [oid(2), oid(3), oid(9)]


def test_reconciliation_names_tracked_shipments_and_pending_parcels():
    con = otdr_data()
    params = MetricParams(as_of=AS_OF)
    results = metrics.compute_metrics(con, params)
    report = {"performanceMetrics": [{"marketplaceId": "ATVPDKIKX0DER", "onTimeDeliveryRate": {
        "reportingDateRange": {"reportingDateFrom": "2026-10-02T00:00:00Z",
                               "reportingDateTo": "2026-10-31T23:59:59Z"},
        "shipmentCountWithValidTracking": 8, "onTimeDeliveryCount": 2}}]}
    rec = {r.metric: r for r in reconcile(parse_performance(report), results,
                                                      con, params)}["otdr"]
    text = " ".join(rec.explanations)
    assert "Amazon counts 8 shipments with valid tracking, sellerdx 5 on the same window (-3)" in text
    assert "leaves out 3 tracked parcels" in text
    assert "orders export" not in text
