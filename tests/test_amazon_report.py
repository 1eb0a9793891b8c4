"""Amazon's performance report: every spelling read, Amazon's verdict, impossible counts, unknown names kept.

Expectations are read off the JSON files in tests/data/amazon by hand (see its README).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sellerdx.amazon import load_performance
from sellerdx.amazon.verdict import NOT_RECOMPUTABLE, amazon_verdict, rating_text

DATA = Path(__file__).parent / "data" / "amazon"
EXAMPLE = DATA / "seller_performance_example.json"
VARIANT = DATA / "seller_performance_schema_variant.json"
D = dt.date


def test_amazons_published_example_parses_with_every_metric():
    rep = load_performance(EXAMPLE)
    us = rep.marketplace("ATVPDKIKX0DER")
    assert set(us.metrics) == {
        "odr_mfn", "odr_afn", "lsr_30d", "pfcr", "vtr", "otdr", "otdr_units", "idr",
        "listing_policy_violations", "received_ip_complaints", "product_authenticity_complaints",
        "product_condition_complaints", "product_safety_complaints", "food_and_product_safety_issues",
        "other_policy_violations", "document_requests"}
    assert all(m.known for m in us.metrics.values())
    # timestamps without seconds ("2020-09-06T00:00Z" .. "2020-11-04T23:59Z")
    odr = us.metrics["odr_mfn"]
    assert (odr.window_start, odr.window_end, odr.numerator, odr.denominator, odr.rate) == (
        D(2020, 9, 6), D(2020, 11, 4), 1078, 539000, 0.009)
    assert odr.components == {"negative_feedback": 628, "claims": 442, "chargebacks": 15}
    # the afn block says fulfillmentType "mfn": the block's key wins, and the slip is named
    assert us.metrics["odr_afn"].denominator == 539000
    assert any("orderDefectRate.afn says fulfillmentType 'mfn'" in w for w in rep.warnings)
    # prefulfillmentCancelRate (the example's name) is the cancel rate; the 30-day late shipment entry
    assert (us.metrics["pfcr"].numerator, us.metrics["pfcr"].denominator) == (551, 17197)
    assert us.metrics["lsr_30d"].window_start == D(2020, 10, 21) and us.metrics["lsr_30d"].numerator == 27896
    # unit OTDR: 146 of 165, rate as Amazon wrote it
    units = us.metrics["otdr_units"]
    assert (units.numerator, units.denominator, units.rate) == (146, 165, 0.8848)
    # IDR with its missing / late parts
    idr = us.metrics["idr"]
    assert (idr.numerator, idr.denominator, idr.rate, idr.status) == (315, 9001, 0.03499611, "GOOD")
    assert idr.components == {"missing_invoice": 214, "late_invoice": 101}
    # policy metrics: counts and Amazon's status only
    lpv = us.metrics["listing_policy_violations"]
    assert (lpv.numerator, lpv.denominator, lpv.rate, lpv.status, lpv.bad) == (86, None, None, "BAD", True)
    assert us.metrics["document_requests"].bad is False                          # 8, but GOOD for Amazon
    # AHR status (no score in the example) and warning state
    assert (us.ahr_status, us.ahr_score, us.ahr_band) == ("WARNED", None, None)
    assert us.ahr_window == (D(2020, 5, 23), D(2020, 11, 19))
    assert us.warning_states == (("spammingSellerMessaging", "BAD"),)
    # three account statuses, one metrics entry: the other two marketplaces are still listed
    assert [(mp.marketplace_id, mp.account_status) for mp in rep.marketplaces] == [
        ("ATVPDKIKX0DER", "AT_RISK"), ("A2EUQ1WTGCTBG2", "NORMAL"), ("A1AM78C64UM0Y8", "SUSPENDED")]


def test_impossible_counts_and_windows_of_the_example_are_called_so_and_not_used_as_rates():
    us = load_performance(EXAMPLE).marketplace("ATVPDKIKX0DER")
    vtr = us.metrics["vtr"]
    assert (vtr.numerator, vtr.denominator) == (896462, 878443)
    assert vtr.counts_valid is False and vtr.rate is None and vtr.amazon_rate == 0.9529
    assert vtr.problems == ("Valid Tracking Rate: validTrackingCount 896,462 exceeds shipmentCount 878,443 — "
                            "impossible counts (a part larger than its whole), so Amazon's rate is not used",)
    otdr = us.metrics["otdr"]
    assert otdr.counts_valid is False and otdr.rate is None and "847,987 exceeds" in otdr.problems[0]
    doc = us.metrics["document_requests"]
    assert doc.window_valid is False and doc.counts_valid is True
    assert "ends on 2020-11-19, before it starts on 2020-11-21" in doc.problems[0]
    assert all(m.problems == () for k, m in us.metrics.items() if k not in {"vtr", "otdr", "document_requests"})


def test_negative_counts_are_impossible():
    from sellerdx.amazon import parse_performance
    mp = parse_performance({"performanceMetrics": [{"marketplaceId": "ATVPDKIKX0DER", "lateShipmentRate": {
        "orderCount": 10, "lateShipmentCount": -2, "rate": 0.1}}]}).marketplace()
    lsr = mp.metrics["lsr_10d"]
    assert lsr.counts_valid is False and lsr.rate is None
    assert lsr.problems == ("Late Shipment Rate (10 days): lateShipmentCount is negative (-2), which is impossible",)


def test_the_example_verdict_lists_every_bad_metric_ahr_and_idr():
    v = amazon_verdict([load_performance(EXAMPLE)])
    assert v.at_risk
    assert [(a.marketplace, a.status, a.bad) for a in v.accounts] == [
        ("Amazon.com", "AT_RISK", True), ("Amazon.com.mx", "SUSPENDED", True), ("Amazon.ca", "NORMAL", False)]
    assert [f.label for f in v.bad] == [
        "Listing policy violations", "Received intellectual property complaints",
        "Product authenticity customer complaints", "Product condition customer complaints",
        "Product safety customer complaints", "Food and product safety issues", "Other policy violations"]
    assert all(f.note.startswith(NOT_RECOMPUTABLE + ": no Seller Central export carries it") for f in v.bad)
    (rating,) = v.ratings
    assert (rating.status, rating.bad, rating_text(rating)) == ("WARNED", True, "WARNED")
    assert rating.note.startswith(NOT_RECOMPUTABLE)
    (idr,) = v.invoice
    assert idr.value == "315 of 9,001 (3.50%)" and idr.parts == {"missing_invoice": 214, "late_invoice": 101}
    assert idr.note.startswith(NOT_RECOMPUTABLE + ": it would take an invoice-upload export")
    assert v.headline.startswith("Amazon says: account AT RISK in Amazon.com, SUSPENDED in Amazon.com.mx, "
                                 "NORMAL in Amazon.ca; Account Health Rating WARNED; 7 metrics marked bad by Amazon")
    vtr = next(f for f in v.figures if f.key == "vtr")
    assert vtr.value == "896,462 of 878,443 — impossible counts, rate not used"
    assert len(v.problems) == 3


def test_schema_shaped_variant_parses_too():
    rep = load_performance(VARIANT)
    de, uk = rep.marketplace("A1PA6795UKMFR9"), rep.marketplace("A1F83G8C2ARO7P")
    assert (de.account_status, uk.account_status) == ("DEACTIVATED", "NORMAL")
    # accountHealthRatingStatus + ahrScore inside accountHealthRating; a bare ahrScore at marketplace level
    assert (de.ahr_status, de.ahr_score, de.ahr_band) == ("WARNED", 150.0, "at risk")
    assert (uk.ahr_status, uk.ahr_score, uk.ahr_band) == (None, 620.0, "healthy")
    # preFulfillmentCancellationRate with offsets: Oct 24 17:00 -07:00 = Oct 25 00:00 UTC
    pf = de.metrics["pfcr"]
    assert (pf.window_start, pf.window_end, pf.numerator, pf.denominator) == (D(2026, 10, 25), D(2026, 10, 31), 1, 90)
    # lateShipmentRateList: the 10-day and the 30-day entries
    assert (de.metrics["lsr_10d"].numerator, de.metrics["lsr_10d"].denominator) == (3, 120)
    assert (de.metrics["lsr_30d"].numerator, de.metrics["lsr_30d"].denominator) == (9, 400)
    assert de.metrics["idr"].components == {"missing_invoice": 8, "late_invoice": 4}
    assert de.metrics["otdr_units"].rate == 0.9
    assert {k for k in de.metrics if de.metrics[k].group == "policy"} == {
        "restricted_product_policy_violations", "suspected_ip_violations", "document_requests"}
    assert de.metrics["restricted_product_policy_violations"].bad is True
    assert de.warning_states == (("spammingSellerMessaging", "GOOD"),)
    assert set(uk.metrics) == {"odr_mfn", "lsr_10d"}
    assert uk.metrics["odr_mfn"].components == {}


def test_unknown_future_metric_names_are_listed_as_amazons_figures_never_dropped():
    rep = load_performance(VARIANT)
    de = rep.marketplace("A1PA6795UKMFR9")
    csd = de.metrics["customer_service_dissatisfaction_rate"]
    assert (csd.known, csd.group, csd.name, csd.label) == (False, "other", "customerServiceDissatisfactionRate",
                                                           "Customer service dissatisfaction rate")
    assert (csd.numerator, csd.denominator, csd.rate, csd.status, csd.bad) == (40, 500, 0.08, "BAD", True)
    assert any(w.startswith("sellerTier: an unknown part of Amazon's report") and "GOLD" in w for w in rep.warnings)
    v = amazon_verdict([rep])
    (unknown,) = v.unknown
    assert unknown.label == "Customer service dissatisfaction rate" and unknown.bad
    assert unknown.note == NOT_RECOMPUTABLE + ": a metric sellerdx does not know yet (customerServiceDissatisfactionRate)"
    assert {f.label for f in v.bad} == {"Restricted product policy violations",
                                        "Customer service dissatisfaction rate"}
    assert [(a.marketplace, a.status, a.bad) for a in v.accounts][0] == ("Amazon.de", "DEACTIVATED", True)
    assert [(r.marketplace, rating_text(r), r.bad) for r in v.ratings] == [
        ("Amazon.de", "WARNED, 150 points (at risk)", True), ("Amazon.co.uk", "620 points (healthy)", False)]


@pytest.mark.parametrize("score, band", [(0, "unhealthy"), (99, "unhealthy"), (100, "at risk"), (199, "at risk"),
                                         (200, "healthy"), (1000, "healthy")])
def test_ahr_bands_follow_amazons(score, band):
    from sellerdx.amazon import parse_performance
    mp = parse_performance({"performanceMetrics": [{"marketplaceId": "X", "ahrScore": score}]}).marketplace()
    assert mp.ahr_band == band
    assert amazon_verdict([parse_performance({"performanceMetrics": [{"marketplaceId": "X", "ahrScore": score}]})]
                          ).at_risk is (band != "healthy")


def test_a_status_without_metrics_still_puts_the_account_at_risk():
    from sellerdx.amazon import parse_performance
    v = amazon_verdict([parse_performance({"accountStatuses": [{"marketplaceId": "ATVPDKIKX0DER",
                                                                  "status": "SUSPENDED"}]})])
    assert v.at_risk and v.headline == ("Amazon says: account SUSPENDED in Amazon.com; no metric marked bad by "
                                        "Amazon.")
