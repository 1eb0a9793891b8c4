"""Order Defect Rate rules (metrics-spec "Order Defect Rate"), each on a tiny hand-built data set.

as_of is 2026-10-31 unless said otherwise. With the default 14-day lag the ODR window ends on
2026-10-31 - 14 = 2026-10-17 and starts 59 days earlier: 17 days back to 2026-09-30, 30 more to
2026-08-31, 12 more to 2026-08-19. So the window is 2026-08-19 .. 2026-10-17 (60 days).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sellerdx import metrics
from sellerdx.errors import BadOptionError
from sellerdx.metrics import MetricParams
from support.metrics_data import AS_OF, chargeback, claim, feedback, load, oid, order

P = MetricParams(as_of=AS_OF)


def odr(con, key="odr_mfn", params=P):
    return metrics.compute_metrics(con, params)[key]


def test_window_edges_and_lag():
    # Every order has a claim (a defect), so numerator = denominator = the orders inside the window.
    orders = [order(1, "2026-08-19"),   # E-(N-1): first day of the window -> in
              order(2, "2026-08-18"),   # E-N: the day before -> out
              order(3, "2026-10-17"),   # E = as_of - 14 -> in
              order(4, "2026-10-18"),   # inside the 14-day lag -> out
              order(5, "2026-11-01")]   # after as_of -> out
    con = load(orders=orders, claims=[claim(i, "Pending") for i in range(1, 6)], feedback=[], chargebacks=[])
    m = odr(con)
    assert (m.window_start, m.window_end) == (dt.date(2026, 8, 19), dt.date(2026, 10, 17))
    assert (m.numerator, m.denominator) == (2, 2)       # orders 1 and 3
    assert m.rate == 1.0 and m.status == "at_risk"


def test_custom_lag_zero_moves_the_window_to_as_of():
    # lag 0: window ends 2026-10-31; 60 days back: Oct 1..31 is 31 days, 29 more = Sep 2..30 -> start Sep 2.
    orders = [order(1, "2026-09-02"), order(2, "2026-09-01"), order(3, "2026-10-31"), order(4, "2026-10-18")]
    con = load(orders=orders, claims=[claim(2, "Pending"), claim(3, "Pending")], feedback=[], chargebacks=[])
    m = odr(con, params=MetricParams(as_of=AS_OF, odr_lag_days=0))
    assert (m.window_start, m.window_end) == (dt.date(2026, 9, 2), dt.date(2026, 10, 31))
    # in the window: orders 1, 3, 4 -> 3; defects: order 3 (order 2 is out) -> 1/3
    assert (m.numerator, m.denominator) == (1, 3)
    # with the default lag order 3 (Oct 31) and 4 (Oct 18) fall in the lag, order 1 and 2 are in: 1/2
    m14 = odr(con)
    assert (m14.numerator, m14.denominator) == (1, 2)


def test_one_order_with_three_defects_counts_once():
    orders = [order(i, "2026-10-01") for i in range(1, 5)]
    con = load(orders=orders, feedback=[feedback(1, 1)], claims=[claim(1, "Granted")],
               chargebacks=[chargeback(1, "Service")])
    m = odr(con)
    # 1 defective order out of 4 = 0.25; each kind still reported in extras
    assert (m.numerator, m.denominator, m.rate) == (1, 4, 0.25)
    assert m.extras == {"negative_feedback": 1, "claims": 1, "chargebacks": 1}


@pytest.mark.parametrize("status, funded_by, counts", [
    ("Denied", None, False),
    ("Decided in seller's favor", None, False),
    ("Withdrawn", None, False),
    ("Granted - Amazon funded", None, False),     # Amazon funded by status
    ("Granted", "Amazon (Buy Shipping)", False),  # Amazon funded by the funded-by column
    ("Granted", "SAFE-T", False),
    ("Pending", None, True),
    (None, None, True),                            # empty status = pending
    ("Granted", None, True),
    ("Granted - seller funded", "Seller", True),
    ("Refunded by seller", None, True),
    ("Closed", None, True),
    ("Under review", None, True),
])
def test_claim_statuses(status, funded_by, counts):
    con = load(orders=[order(1, "2026-10-01"), order(2, "2026-10-02")],
               claims=[claim(1, status, funded_by=funded_by)], feedback=[], chargebacks=[])
    m = odr(con)
    # 2 orders in the window; the claim makes it 1/2 when it counts, 0/2 otherwise
    assert (m.numerator, m.denominator) == ((1 if counts else 0), 2)
    assert m.extras["claims"] == (1 if counts else 0)


@pytest.mark.parametrize("ctype, reason, counts", [
    ("Service", "Item not received", True),
    ("Fraud", "Item not received", False),
    (None, "Unauthorized transaction", False),    # fraud by reason when there is no type
    (None, "Not recognized", False),
    (None, "Item not received", True),
    (None, None, True),                           # no type, no reason: counted (choice)
])
def test_chargebacks_service_vs_fraud(ctype, reason, counts):
    con = load(orders=[order(1, "2026-10-01")], chargebacks=[chargeback(1, ctype, reason)],
               feedback=[], claims=[])
    m = odr(con)
    assert (m.numerator, m.denominator) == ((1 if counts else 0), 1)


def test_feedback_ratings_and_removed_or_struck():
    orders = [order(i, "2026-10-01") for i in range(1, 7)]
    fb = [feedback(1, 1), feedback(2, 2),                  # negative: count
          feedback(3, 3), feedback(4, 5),                  # neutral / positive: not a defect
          feedback(5, 1, status="Removed"),                # removed: does not count
          feedback(6, 2, status="Struck through")]         # struck through: does not count
    con = load(orders=orders, feedback=fb, claims=[], chargebacks=[])
    m = odr(con)
    # defects: orders 1 and 2 -> 2 of 6
    assert (m.numerator, m.denominator) == (2, 6)
    assert m.extras["negative_feedback"] == 2


def test_channels_and_cancelled_orders_in_denominator():
    orders = [order(1, "2026-10-01"), order(2, "2026-10-01", status="Cancelled"),
              order(3, "2026-10-01", channel="Amazon"), order(4, "2026-10-01", channel="Amazon")]
    con = load(orders=orders, claims=[claim(2, "Pending"), claim(3, "Pending")], feedback=[], chargebacks=[])
    r = metrics.compute_metrics(con, P)
    # MFN: orders 1, 2 (cancelled still counts in the denominator), defect on 2 -> 1/2
    assert (r["odr_mfn"].numerator, r["odr_mfn"].denominator) == (1, 2)
    # AFN: orders 3, 4, defect on 3 -> 1/2; all: 2/4
    assert (r["odr_afn"].numerator, r["odr_afn"].denominator) == (1, 2)
    assert (r["odr_all"].numerator, r["odr_all"].denominator, r["odr_all"].rate) == (2, 4, 0.5)


def test_unmatched_defects_reported_and_excluded():
    con = load(orders=[order(1, "2026-10-01")],
               feedback=[feedback(99, 1, day="2026-10-05")],
               claims=[claim(98, "Pending", day="2026-10-06")],
               chargebacks=[chargeback(97, "Fraud")])          # fraud: not a defect, so not listed
    m = odr(con)
    assert (m.numerator, m.denominator) == (0, 1)
    u = metrics.unmatched_defects(con, P)
    assert sorted(zip(u["kind"], u["order_id"])) == [("a_to_z_claim", oid(98)), ("negative_feedback", oid(99))]
    assert set(u["defect_date"]) == {pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-06")}


def test_zero_denominator_is_no_orders_not_zero():
    # Only FBA orders: MFN ODR has no orders; never 0%
    con = load(orders=[order(1, "2026-10-01", channel="Amazon")], feedback=[], claims=[], chargebacks=[])
    m = odr(con)
    assert m.status == "no_orders" and m.rate is None and m.denominator == 0
    assert m.ci_low is None and m.one_more_rate is None


def test_missing_defect_exports_note_or_not_computed():
    con = load(orders=[order(1, "2026-10-01")], feedback=[feedback(1, 1)])
    m = odr(con)
    assert m.status == "at_risk" and m.numerator == 1
    assert "claims" in m.note and "chargebacks" in m.note and "understated" in m.note
    con2 = load(orders=[order(1, "2026-10-01")])
    m2 = odr(con2)
    assert m2.status == "not_computed" and m2.rate is None
    assert "feedback" in m2.note


def test_timezone_purchase_belongs_to_its_utc_date():
    # 2026-10-01T23:30:00-07:00 = 2026-10-02T06:30:00Z -> purchase date 2026-10-02 (a Friday in UTC)
    con = load(orders=[{**order(1, "2026-09-20"), "purchase_ts": pd.Timestamp("2026-09-20T12:00:00-07:00")},
                       {**order(2, "2026-10-01"), "purchase_ts": pd.Timestamp("2026-10-01T23:30:00-07:00")}],
               claims=[claim(2, "Pending")], feedback=[], chargebacks=[])
    assert metrics.resolve_as_of(con, None) == dt.date(2026, 10, 2)
    # lag 0, as_of 2026-10-01: the window ends on Oct 1, so the Oct 2 UTC order is outside it
    m = odr(con, params=MetricParams(as_of=dt.date(2026, 10, 1), odr_lag_days=0))
    assert (m.numerator, m.denominator) == (0, 1)
    m2 = odr(con, params=MetricParams(as_of=dt.date(2026, 10, 2), odr_lag_days=0))
    assert (m2.numerator, m2.denominator) == (1, 2)
    by_day = metrics.breakdown(con, "odr_mfn", "weekday", MetricParams(as_of=dt.date(2026, 10, 2), odr_lag_days=0))
    assert dict(zip(by_day["value"], by_day["count"])) == {"Friday": 1, "Sunday": 0}   # Sep 20 2026: Sunday


def test_as_of_defaults_to_latest_purchase_date_and_parses_text():
    con = load(orders=[order(1, "2026-10-01"), order(2, "2026-10-09")], feedback=[], claims=[], chargebacks=[])
    assert metrics.resolve_as_of(con, None) == dt.date(2026, 10, 9)
    assert metrics.resolve_as_of(con, "2026-10-05") == dt.date(2026, 10, 5)
    with pytest.raises(BadOptionError):
        metrics.resolve_as_of(con, "05/10/2026")


def test_negative_lag_is_refused():
    with pytest.raises(BadOptionError):
        MetricParams(as_of=AS_OF, odr_lag_days=-1)
