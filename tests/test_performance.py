"""Amazon's GET_V2_SELLER_PERFORMANCE_REPORT: tolerant parsing and reconciliation with sellerdx's numbers."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json

import pytest

from sellerdx import metrics
from sellerdx.amazon.reconcile import reconcile
from sellerdx.amazon.report import is_performance_report, load_performance, parse_performance
from sellerdx.errors import UnreadableFileError
from sellerdx.metrics import MetricParams
from support.metrics_data import AS_OF, feedback, load, order

MP = "ATVPDKIKX0DER"


def rng(start: str, end: str) -> dict:
    return {"reportingDateFrom": f"{start}T00:00:00Z", "reportingDateTo": f"{end}T23:59:59Z"}


REPORT = {
    "accountStatuses": [{"marketplaceId": MP, "status": "SUSPENDED"}],      # a status outside the schema
    "performanceMetrics": [{
        "marketplaceId": MP,
        "orderDefectRate": {
            "mfn": {"reportingDateRange": rng("2026-08-22", "2026-10-20"), "orderCount": 5,
                    "orderWithDefects": {"count": 3, "status": "POOR"}, "claims": {"count": 1},
                    "chargebacks": {"count": 0}, "negativeFeedback": {"count": 2}, "fulfillmentType": "MFN",
                    "status": "POOR", "rate": 0.6, "targetValue": 0.01, "targetCondition": "LESS_THAN"},
            "afn": {"reportingDateRange": rng("2026-08-22", "2026-10-20"), "orderCount": 0,
                    "orderWithDefects": {"count": 0}, "status": "NONE", "rate": 0.0}},
        "lateShipmentRateList": [
            {"reportingDateRange": rng("2026-10-22", "2026-10-31"), "orderCount": 6, "lateShipmentCount": 1,
             "rate": 0.1667, "status": "POOR"},
            {"reportingDateRange": rng("2026-10-02", "2026-10-31"), "orderCount": 20, "lateShipmentCount": 1,
             "rate": 0.05, "status": "POOR"}],
        "prefulfillmentCancelRate": {"reportingDateRange": rng("2026-10-25", "2026-10-31"), "orderCount": 1,
                                     "cancellationCount": 1, "rate": 1.0, "status": "POOR"},
        "validTrackingRate": {"reportingDateRange": rng("2026-10-02", "2026-10-31"), "shipmentCount": 10,
                              "validTrackingCount": "10", "rate": 1.0},
        "onTimeDeliveryRate": {"reportingDateRange": rng("2026-10-02", "2026-10-31"),
                               "shipmentCountWithValidTracking": 10, "onTimeDeliveryCount": 9},
        "accountHealthRating": {"ahrStatus": "GREAT", "ahrScore": 250},
    }],
}


def test_parse_names_counts_windows_and_lsr_list():
    rep = parse_performance(copy.deepcopy(REPORT))
    mp = rep.marketplace()
    assert mp.marketplace_id == MP and mp.account_status == "SUSPENDED"
    assert (mp.ahr_status, mp.ahr_score) == ("GREAT", 250.0)
    assert set(mp.metrics) == {"odr_mfn", "odr_afn", "lsr_10d", "lsr_30d", "pfcr", "vtr", "otdr"}
    odr = mp.metrics["odr_mfn"]
    assert (odr.numerator, odr.denominator, odr.rate) == (3, 5, 0.6)
    assert (odr.window_start, odr.window_end) == (dt.date(2026, 8, 22), dt.date(2026, 10, 20))
    assert odr.components == {"negative_feedback": 2, "claims": 1, "chargebacks": 0}
    assert (odr.target, odr.target_condition, odr.status) == (0.01, "LESS_THAN", "POOR")
    # the 10-day window (Oct 22..31) and the 30-day one (Oct 2..31) of lateShipmentRateList
    assert mp.metrics["lsr_10d"].denominator == 6 and mp.metrics["lsr_30d"].denominator == 20
    # Amazon's example name prefulfillmentCancelRate is read as PFCR
    assert (mp.metrics["pfcr"].numerator, mp.metrics["pfcr"].denominator) == (1, 1)
    assert mp.metrics["vtr"].numerator == 10                        # "10" as text
    # OTDR without a rate: computed from the counts, 9/10
    assert mp.metrics["otdr"].rate == pytest.approx(0.9)


def test_schema_names_and_single_lsr_object_and_offsets():
    obj = {"payload": {"performanceMetrics": [{
        "marketplaceId": "A1F83G8C2ARO7P",
        "preFulfillmentCancellationRate": {"reportingDateRange": {
            "reportingDateFrom": "2026-10-24T17:00:00-07:00",          # = Oct 25 00:00 UTC
            "reportingDateTo": "2026-10-31T16:59:59-07:00"}, "orderCount": 40, "cancellationCount": 1},
        "lateShipmentRate": {"orderCount": 10, "lateShipmentCount": 0, "rate": 0}}]}}
    assert is_performance_report(obj)
    mp = parse_performance(obj).marketplace("A1F83G8C2ARO7P")
    pf = mp.metrics["pfcr"]
    assert (pf.window_start, pf.window_end) == (dt.date(2026, 10, 25), dt.date(2026, 10, 31))
    assert pf.rate == pytest.approx(1 / 40)
    assert set(mp.metrics) == {"pfcr", "lsr_10d"}                   # no dates: the default lsr_10d
    assert mp.account_status is None


@pytest.mark.parametrize("obj, expected", [
    (REPORT, True), ({"accountStatuses": [{"marketplaceId": MP, "status": "NORMAL"}]}, True),
    ({"orders": []}, False), ([1, 2], False), ("text", False), (None, False)])
def test_is_performance_report(obj, expected):
    assert is_performance_report(obj) is expected


def test_garbage_parts_become_warnings(tmp_path):
    obj = {"performanceMetrics": [{"marketplaceId": MP, "orderDefectRate": "n/a", "validTrackingRate": [1]},
                                  "junk"]}
    rep = parse_performance(obj)
    assert rep.marketplace().metrics == {} and len(rep.warnings) == 3
    with pytest.raises(UnreadableFileError):
        parse_performance({"foo": 1})
    path = tmp_path / "perf.json.gz"
    path.write_bytes(gzip.compress(json.dumps(REPORT).encode()))
    assert load_performance(path).marketplace().metrics["odr_mfn"].denominator == 5
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(UnreadableFileError):
        load_performance(bad)


def reconcile_data():
    # as_of Oct 31, lag 14: sellerdx's ODR window is Aug 19..Oct 17; Amazon's is Aug 22..Oct 20 (lag 11).
    orders = [order(i, "2026-10-01") for i in range(1, 5)] + [
        order(5, "2026-10-19"),                         # only in Amazon's window
        order(6, "2026-10-28", status="Cancelled")]     # PFCR window Oct 25..31
    fb = [feedback(1, 1, "2026-10-05"), feedback(99, 1, "2026-10-05")]   # order 99 is not in the orders data
    con = load(orders=orders, feedback=fb, chargebacks=[])             # no claims export
    params = MetricParams(as_of=AS_OF)
    return con, params, metrics.compute_metrics(con, params)


def test_reconcile_explains_window_lag_missing_export_and_unmatched():
    con, params, results = reconcile_data()
    recs = {r.metric: r for r in reconcile(parse_performance(REPORT), results, con, params)}
    odr = recs["odr_mfn"]
    # ours: Aug 19..Oct 17 holds orders 1..4, defect on order 1 -> 1/4 = 0.25; Amazon 0.6 -> gap -0.35
    assert (odr.ours.numerator, odr.ours.denominator) == (1, 4)
    assert odr.gap == pytest.approx(0.25 - 0.6)
    # on Amazon's window Aug 22..Oct 20: orders 1..5 -> 1/5
    same = odr.ours_on_amazon_window
    assert (same.numerator, same.denominator, same.window_start, same.window_end) == (
        1, 5, dt.date(2026, 8, 22), dt.date(2026, 10, 20))
    text = "\n".join(odr.explanations)
    assert "2026-08-22 to 2026-10-20 (60 days)" in text and "2026-08-19 to 2026-10-17 (60 days)" in text
    assert "ODR lag of 11 days" in text                                # Oct 31 - Oct 20
    assert "1 of 5 (20.00%)" in text
    assert "Amazon counts 3, sellerdx 1 (-2)" in text
    assert "Amazon counts 2 orders with negative feedback, sellerdx 1" in text
    assert "1 defect of this kind in the exports" in text and "not in the orders data" in text
    assert "Amazon counts 1 order with A-to-z claims; sellerdx 0 because no claims export was supplied" in text
    assert "Denominator" not in text                                   # 5 = 5 on the same window


def test_reconcile_match_and_not_computed():
    con, params, results = reconcile_data()
    recs = {r.metric: r for r in reconcile(parse_performance(REPORT), results, con, params)}
    pf = recs["pfcr"]
    # PFCR Oct 25..31: order 6 (Cancelled, no cancellations export) -> 1/1, as Amazon says
    assert (pf.ours.numerator, pf.ours.denominator, pf.gap) == (1, 1, 0.0)
    joined = "\n".join(pf.explanations)
    assert "matches: 1 of 1 (100.00%)" in joined and "upper bound" in joined
    lsr = recs["lsr_10d"]
    assert lsr.ours.status == "not_computed" and lsr.ours_on_amazon_window is None and lsr.gap is None
    assert "cannot recompute" in lsr.explanation and "shipments export" in lsr.explanation and not lsr.compared
    assert "not computed: not computed" not in lsr.explanations[0]
    assert "1 of 6" in lsr.explanations[0]
    # JSON-ready
    assert recs["odr_mfn"].to_dict()["amazon"]["window_end"] == "2026-10-20"
