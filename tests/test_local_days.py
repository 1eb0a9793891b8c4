"""Local days (issue 12 point 4): windows stay on UTC purchase dates, but every weekday / hour breakdown
and statement uses the marketplace's local time (from the sales channel, data/timezones.toml;
--timezone overrides) and names the zone.

A Japanese seller (sales channel Amazon.co.jp -> Asia/Tokyo, UTC+9, no daylight saving), as-of
2026-10-31, 30-day LSR window 2026-10-02 .. 2026-10-31 (UTC dates):
  orders 1-30   purchased Friday 2026-10-02 20:00 UTC = Saturday 2026-10-03 05:00 JST; 1-6 shipped late
  orders 31-60  purchased Wednesday 2026-10-07 03:00 UTC = Wednesday 12:00 JST; all on time
So in JST: Saturday 30 orders / 6 late, Wednesday 30 / 0. In UTC the first group would be Friday.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sellerdx import diagnose, metrics
from sellerdx.errors import BadOptionError
from sellerdx.metrics import MetricParams
from support.metrics_data import load, order, shipment

AS_OF = dt.date(2026, 10, 31)


def jp_seller(channel: str = "Amazon.co.jp"):
    orders, ships = [], []
    for i in range(1, 61):
        day, time = ("2026-10-02", "20:00:00") if i <= 30 else ("2026-10-07", "03:00:00")
        orders.append(order(i, day, time=time, sales_channel=channel))
        confirmed = "2026-10-09T10:00:00" if i <= 6 else f"{day}T23:30:00"
        ships.append(shipment(i, f"{day}T23:59:00" if i > 30 else "2026-10-04T23:59:00", confirmed))
    return load(orders=orders, shipments=ships)


def weekday_counts(con, params):
    frame = metrics.breakdown(con, "lsr_30d", "weekday", params)
    return {r.value: (int(r.count), int(r.denominator)) for r in frame.itertuples()}


def test_weekday_breakdown_of_a_japanese_seller_is_in_jst():
    con = jp_seller()
    params = MetricParams(as_of=AS_OF)
    lsr = metrics.compute_metrics(con, params)["lsr_30d"]
    assert (lsr.numerator, lsr.denominator) == (6, 60)   # the window itself is on UTC dates: all 60 in it
    assert weekday_counts(con, params) == {"Saturday": (6, 30), "Wednesday": (0, 30)}
    assert metrics.local_zones(con) == ["Asia/Tokyo"]


def test_timezone_option_overrides_the_sales_channel():
    con = jp_seller()
    params = MetricParams(as_of=AS_OF, timezone="UTC")
    assert weekday_counts(con, params) == {"Friday": (6, 30), "Wednesday": (0, 30)}
    assert metrics.local_zones(con) == ["UTC"]
    # and back to the marketplace's zone when the option is dropped
    assert weekday_counts(con, MetricParams(as_of=AS_OF)) == {"Saturday": (6, 30), "Wednesday": (0, 30)}


def test_weekend_backlog_statement_names_the_local_day_and_zone():
    con = jp_seller()
    params = MetricParams(as_of=AS_OF)
    results = metrics.compute_metrics(con, params)
    rules = [r for r in diagnose.load_rules() if r.id == "late_shipment.weekend_backlog"]
    found = diagnose.diagnose(con, results, params, rules=rules)
    assert len(found) == 1
    assert found[0].entities["weekdays"] == ["Saturday"]
    assert "were orders purchased on Saturday (Asia/Tokyo time)" in found[0].statement
    assert "6 of the 6 late shipments (100%)" in found[0].statement


def test_hour_breakdown_is_local():
    con = jp_seller()
    frame = metrics.breakdown(con, "lsr_30d", "hour", MetricParams(as_of=AS_OF))
    assert {r.value: int(r.denominator) for r in frame.itertuples()} == {"5": 30, "12": 30}


@pytest.mark.parametrize("channel, zone", [("Amazon.com", "America/Los_Angeles"), ("Amazon.de", "Europe/Berlin"),
                                           ("amazon.co.jp ", "Asia/Tokyo"), ("Non-Amazon", "UTC"), (None, "UTC")])
def test_zone_of_each_sales_channel(channel, zone):
    assert metrics.zone_of_channel(channel) == zone


def test_an_unknown_timezone_is_a_clear_option_error():
    with pytest.raises(BadOptionError, match="--timezone 'Mars/Olympus'"):
        MetricParams(timezone="Mars/Olympus")
