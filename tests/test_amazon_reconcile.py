"""Reconciliation on Amazon's own ranges: each metric recomputed on its reportingDateRange, gaps explained.

Every expectation below is counted by hand from the rows built here (as-of 2026-10-31):
orders 1..10 purchased Oct 1..Oct 10 and 11..20 purchased Oct 22..Oct 31, one a day, MFN, Amazon.com;
negative feedback on order 3; order 12 (Oct 23) confirmed a day late.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest

from sellerdx import metrics
from sellerdx.amazon.reconcile import another_period, reconcile
from sellerdx.amazon.report import parse_performance
from sellerdx.metrics import MetricParams
from support.metrics_data import AS_OF, claim, feedback, load, order, shipment

MP = "ATVPDKIKX0DER"


def rng(start: str, end: str) -> dict:
    return {"reportingDateFrom": f"{start}T00:00Z", "reportingDateTo": f"{end}T23:59Z"}   # no seconds, as Amazon


def odr(start: str, end: str, orders: int, defects: int, *, feedback: int, claims: int = 0,
        chargebacks: int = 0) -> dict:
    return {"reportingDateRange": rng(start, end), "orderCount": orders,
            "orderWithDefects": {"count": defects, "status": "GOOD"}, "claims": {"count": claims},
            "chargebacks": {"count": chargebacks}, "negativeFeedback": {"count": feedback},
            "fulfillmentType": "mfn", "rate": defects / orders}


COMPLETE = {
    "accountStatuses": [{"marketplaceId": MP, "status": "NORMAL"}],
    "performanceMetrics": [{
        "marketplaceId": MP,
        # ODR on Oct 1..Oct 20: orders 1..10, order 3 has negative feedback -> 1 of 10
        "orderDefectRate": {"mfn": odr("2026-10-01", "2026-10-20", 10, 1, feedback=1)},
        # 10 days Oct 22..31: orders 11..20, order 12 late -> 1 of 10; 30 days Oct 2..31: orders 2..20 -> 1 of 19
        "lateShipmentRateList": [
            {"reportingDateRange": rng("2026-10-22", "2026-10-31"), "orderCount": 10, "lateShipmentCount": 1},
            {"reportingDateRange": rng("2026-10-02", "2026-10-31"), "orderCount": 19, "lateShipmentCount": 1}],
        # PFCR on Oct 25..31 (7 days): orders 14..20, none cancelled -> 0 of 7
        "preFulfillmentCancellationRate": {"reportingDateRange": rng("2026-10-25", "2026-10-31"),
                                           "orderCount": 7, "cancellationCount": 0},
    }],
}


def data(*, extra_orders=(), fb=None, claims=True, claim_rows=()):
    orders = ([order(i, f"2026-10-{i:02d}", sales_channel="Amazon.com") for i in range(1, 11)]
              + [order(i, f"2026-10-{i + 11:02d}", sales_channel="Amazon.com") for i in range(11, 21)]
              + list(extra_orders))
    ships = [shipment(12, "2026-10-23T23:00:00", "2026-10-24T10:00:00")]          # late
    frames = {"orders": orders, "feedback": fb if fb is not None else [feedback(3, 1, "2026-10-12")],
              "chargebacks": [], "shipments": ships, "cancellations": []}
    if claims:
        frames["claims"] = list(claim_rows)
    con = load(**frames)
    params = MetricParams(as_of=AS_OF)
    return con, params, metrics.compute_metrics(con, params)


def rec(report: dict, **kw) -> dict:
    con, params, results = data(**kw)
    return {r.metric: r for r in reconcile(parse_performance(copy.deepcopy(report)), results, con, params)}


def test_complete_exports_give_a_gap_of_zero_on_every_amazon_range():
    recs = rec(COMPLETE)
    assert set(recs) == {"odr_mfn", "lsr_10d", "lsr_30d", "pfcr"}
    expected = {"odr_mfn": (1, 10, "2026-10-01 to 2026-10-20 (20 days)"),
                "lsr_10d": (1, 10, "2026-10-22 to 2026-10-31 (10 days)"),
                "lsr_30d": (1, 19, "2026-10-02 to 2026-10-31 (30 days)"),
                "pfcr": (0, 7, "2026-10-25 to 2026-10-31 (7 days)")}
    for key, (k, n, rng_text) in expected.items():
        r = recs[key]
        same = r.ours_on_amazon_window
        assert (same.numerator, same.denominator) == (k, n), key
        assert r.compared and r.gap_on_amazon_window == pytest.approx(0.0), key
        assert r.explanation.startswith(f"Same counts on Amazon's range {rng_text}: {k} of {n}"), r.explanation
        assert r.explanation.endswith("gap 0.") and "\n" not in r.explanation
        assert r.explanations[0] == r.explanation


def with_odr(**kw) -> dict:
    report = copy.deepcopy(COMPLETE)
    report["performanceMetrics"][0]["orderDefectRate"]["mfn"] = odr(**kw)
    return report


def test_gap_explained_by_a_missing_export():
    # Amazon counts a claim on order 5 too: 2 of 10; without a claims export sellerdx sees 1 of 10
    recs = rec(with_odr(start="2026-10-01", end="2026-10-20", orders=10, defects=2, feedback=1, claims=1),
               claims=False)
    r = recs["odr_mfn"]
    assert r.compared and r.gap_on_amazon_window == pytest.approx(0.1 - 0.2)
    assert r.explanation == ("Gap -10.00 points on Amazon's range 2026-10-01 to 2026-10-20 (20 days) "
                             "(Amazon 2 of 10 (20.00%), sellerdx 1 of 10 (10.00%)): no claims export was "
                             "supplied (Amazon counts 1 order with A-to-z claims).")


def test_gap_explained_by_an_export_older_than_amazons_report():
    # the claims export holds one pending claim (order 5); Amazon counts two (orders 5 and 7): 3 of 10 vs 2 of 10
    recs = rec(with_odr(start="2026-10-01", end="2026-10-20", orders=10, defects=3, feedback=1, claims=2),
               claim_rows=[claim(5, "Pending", "2026-10-15")])
    r = recs["odr_mfn"]
    assert (r.ours_on_amazon_window.numerator, r.ours_on_amazon_window.denominator) == (2, 10)
    assert r.explanation.endswith("(Amazon 3 of 10 (30.00%), sellerdx 2 of 10 (20.00%)): Amazon counts 2 orders "
                                  "with A-to-z claims, the claims export 1: the export may be older than Amazon's "
                                  "report.")


def test_gap_explained_by_defects_of_orders_missing_from_the_orders_data():
    # feedback on order 99 (not in the orders) on Oct 5: Amazon counts it, sellerdx cannot place it
    recs = rec(with_odr(start="2026-10-01", end="2026-10-20", orders=11, defects=2, feedback=2),
               fb=[feedback(3, 1, "2026-10-12"), feedback(99, 1, "2026-10-05")])
    r = recs["odr_mfn"]
    assert (r.ours_on_amazon_window.numerator, r.ours_on_amazon_window.denominator) == (1, 10)
    assert "1 defect in the exports refers to orders missing from the orders data" in r.explanation
    assert r.explanation.startswith("Gap ")


def test_gap_explained_by_orders_of_another_marketplace():
    # orders 21, 22 on Oct 5 were sold on Amazon.de: sellerdx counts 1 of 12, Amazon.com 1 of 10
    extra = [order(21, "2026-10-05", sales_channel="Amazon.de"), order(22, "2026-10-05", sales_channel="Amazon.de")]
    r = rec(COMPLETE, extra_orders=extra)["odr_mfn"]
    assert (r.ours_on_amazon_window.numerator, r.ours_on_amazon_window.denominator) == (1, 12)
    assert r.gap_on_amazon_window == pytest.approx(1 / 12 - 0.1)
    assert r.explanation.endswith(
        ": 2 orders of the range were sold on Amazon.de, not on Amazon.com (this report's marketplace).")


def test_gap_explained_by_exports_that_do_not_cover_the_whole_range():
    # Amazon's range Sep 21..Oct 20 holds 15 orders; the orders data starts on Oct 1 (orders 1..10 in range)
    r = rec(with_odr(start="2026-09-21", end="2026-10-20", orders=15, defects=1, feedback=1))["odr_mfn"]
    assert r.compared and r.overlap_days == 20
    assert (r.ours_on_amazon_window.numerator, r.ours_on_amazon_window.denominator) == (1, 10)
    assert "the orders data covers only 2026-10-01 to 2026-10-20 of that range" in r.explanation


def test_a_report_of_another_period_is_not_compared_and_never_explained_as_a_lag():
    old = with_odr(start="2024-11-01", end="2024-12-30", orders=10, defects=1, feedback=1)
    old["performanceMetrics"][0]["lateShipmentRateList"] = [
        {"reportingDateRange": rng("2025-01-04", "2025-01-13"), "orderCount": 5, "lateShipmentCount": 0}]
    del old["performanceMetrics"][0]["preFulfillmentCancellationRate"]
    recs = rec(old)
    assert {k: r.compared for k, r in recs.items()} == {"odr_mfn": False, "lsr_10d": False}
    r = recs["odr_mfn"]
    assert r.ours_on_amazon_window is None and r.gap_on_amazon_window is None and r.overlap_days == 0
    assert r.explanation == ("Not compared: Amazon's range 2024-11-01 to 2024-12-30 (60 days) lies outside the "
                             "exports' orders (2026-10-01 to 2026-10-31) — this report covers another period.")
    assert all("lag of" not in line for x in recs.values() for line in x.explanations)
    con, _, _ = data()
    assert another_period(parse_performance(old), metrics.order_span(con)) == (
        "Amazon's performance report covers another period (2024-11-01 to 2025-01-13) than the exports' orders "
        "(2026-10-01 to 2026-10-31): its metrics are shown as Amazon's figures and not compared.")
    assert another_period(parse_performance(copy.deepcopy(COMPLETE)), metrics.order_span(con)) is None


def test_a_barely_overlapping_range_is_another_period():
    # Amazon's range Sep 2..Oct 1 (30 days) shares one day with the data (Oct 1..31): 1/30 < 25 %
    report = copy.deepcopy(COMPLETE)
    report["performanceMetrics"][0]["lateShipmentRateList"][1]["reportingDateRange"] = rng("2026-09-02", "2026-10-01")
    r = rec(report)["lsr_30d"]
    assert not r.compared and r.overlap_days == 1 and "covers another period" in r.explanation


def test_impossible_counts_are_not_compared():
    report = copy.deepcopy(COMPLETE)
    report["performanceMetrics"][0]["preFulfillmentCancellationRate"]["cancellationCount"] = 9    # 9 of 7
    r = rec(report)["pfcr"]
    assert not r.compared and r.gap_on_amazon_window is None
    assert r.amazon.rate is None and r.amazon.amazon_rate is None
    assert r.explanation.startswith("Not compared: Amazon's counts are impossible")
    assert "cancellationCount 9 exceeds orderCount 7" in r.explanation


def test_unit_otdr_is_paired_once_sellerdx_computes_it(monkeypatch):
    # Amazon's unit OTDR is parsed under the key otdr_units; reconcile pairs every key both sides have.
    report = copy.deepcopy(COMPLETE)
    report["performanceMetrics"][0]["unitOnTimeDeliveryRate"] = {
        "reportingDateRange": rng("2026-10-11", "2026-10-24"), "unitOnTimeDeliveryCount": 9, "totalUnitCount": 10}
    con, params, results = data()
    perf = parse_performance(report)
    assert perf.marketplace().metrics["otdr_units"].rate == pytest.approx(0.9)
    # sellerdx computes the unit OTDR too: the pair is there
    assert "otdr_units" in {r.metric for r in reconcile(perf, results, con, params)}
    fake = dataclasses.replace(results["otdr"], key="otdr_units", status="ok", numerator=9, denominator=10,
                               rate=0.9, note=None)
    monkeypatch.setattr(metrics, "metric_on_window", lambda con, key, start, end, params=None: fake)
    paired = {r.metric: r for r in reconcile(perf, {**results, "otdr_units": fake}, con, params)}
    assert paired["otdr_units"].ours_on_amazon_window is fake
    assert paired["otdr_units"].explanation.startswith("Same counts on Amazon's range 2026-10-11 to 2026-10-24")


def test_the_marketplace_query_declares_the_parameters_it_is_bound_with():
    from sellerdx import assets
    sql = assets.load_query("amazon_orders_by_channel")
    assert metrics.query_parameters(sql) == {"date_from", "date_to", "channel"}
    header = "\n".join(line for line in sql.splitlines() if line.startswith("--"))
    assert header.startswith("-- amazon_orders_by_channel:") and "Inputs:" in header and "Output" in header
    assert all(f"${p}" in header for p in ("date_from", "date_to", "channel"))
