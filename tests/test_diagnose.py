"""sellerdx.diagnose on hand-built data: quiet on healthy data, the right causes and entities with the
numbers computed by hand, one finding per cause (dedupe / merge), returns corroborating or weakening."""

from __future__ import annotations

from typing import Any

from sellerdx import diagnose, metrics, store
from sellerdx.diagnose import merge, stats
from sellerdx.diagnose.testing import case_frames
from sellerdx.model import Finding


def run(spec: dict[str, Any]) -> tuple[dict, list[Finding]]:
    as_of, frames = case_frames(spec)
    con = store.connect()
    store.load_frames(con, frames)
    params = metrics.MetricParams(as_of=as_of)
    results = metrics.compute_metrics(con, params)
    return results, diagnose.diagnose(con, results, params)


def by_code(findings: list[Finding]) -> dict[str, Finding]:
    out = {f.code: f for f in findings}
    assert len(out) == len(findings), "a code appears twice"
    return out


def test_healthy_uniform_data_has_no_finding() -> None:
    # 400 orders over 74 days, one SKU / carrier / service; a handful of defects spread over time.
    results, findings = run({"batches": [
        {"n": 400, "days": [0, 73], "late": 3, "negative": 2, "claims": 1, "cancel": 1},
    ]})
    assert results["lsr_30d"].denominator > 0
    assert findings == []


def test_weekend_backlog_numbers() -> None:
    results, findings = run({"batches": [
        {"n": 50, "weekdays": ["Saturday", "Sunday"], "late": 12},
        {"n": 100, "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday"], "late": 3},
    ]})
    f = by_code(findings)["late_shipment.weekend_backlog"]
    assert f.metric == "lsr_30d"                       # 30-day window preferred; 10-day duplicate dropped
    assert f.entities["weekdays"] == ["Saturday", "Sunday"]
    # 12 of 15 late orders are weekend orders; 12/50 = 24% against 3/100 = 3%
    assert len(f.order_ids) == 12
    assert abs(f.share - 12 / 15) < 1e-9
    assert "12 of the 15 late shipments (80.0%)" in f.statement
    # rates of orders have two decimals (sellerdx.numbers)
    assert "24.00% of the 50 orders" in f.statement and "3.00% of the 100 orders" in f.statement
    assert f.evidence["rate_in"] == 12 / 50 and f.evidence["rate_out"] == 3 / 100
    assert f.confidence == "high"                      # 12 defects, lift 8
    assert f.chart == {"by": "weekday", "metric": "lsr_30d"}


def test_several_causes_with_their_entities_and_order() -> None:
    odr = {"days": [14, 73]}
    results, findings = run({"batches": [
        {"n": 50, "weekdays": ["Saturday", "Sunday"], "late": 12},
        {"n": 100, "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday"], "late": 3},
        {**odr, "n": 60, "asin": "B0FRAGILE1", "sku": "GL-VASE", "negative": 8,
         "comment": "Arrived broken. The glass was shattered inside the box."},
        {**odr, "n": 60, "carrier": "SwiftPost", "asin": "B0OTHER001", "claims": 7},
        {**odr, "n": 300, "asin": "B0OTHER002"},
    ]})
    found = by_code(findings)
    assert found["negative_feedback.damaged"].entities["asins"] == ["B0FRAGILE1"]
    assert found["claims.item_not_received"].entities["carriers"] == ["SwiftPost"]
    assert "late_shipment.weekend_backlog" in found
    # ODR: 8 feedback + 7 claims = 15 defects among 420 MFN orders
    assert results["odr_mfn"].numerator == 15
    assert abs(found["negative_feedback.damaged"].share - 8 / 15) < 1e-9
    assert abs(found["claims.item_not_received"].share - 7 / 15) < 1e-9
    # sorted by status (all at risk here) then share: 80% (weekend) > 53% > 47%
    assert [f.code for f in findings] == ["late_shipment.weekend_backlog", "negative_feedback.damaged",
                                          "claims.item_not_received"]


def test_same_orders_under_two_codes_are_merged() -> None:
    # Each comment is about breakage AND quality: both theme rules fire on the same 8 orders.
    results, findings = run({"batches": [
        {"days": [14, 73], "n": 40, "asin": "B0THEME001", "negative": 8,
         "comment": "Arrived broken and poor quality overall."},
        {"days": [14, 73], "n": 200},
    ]})
    codes = [f.code for f in findings if f.code.startswith("negative_feedback.")]
    assert len(codes) == 1
    kept = by_code(findings)[codes[0]]
    merged = [m["code"] for m in kept.evidence["merged"]]
    assert set(codes + merged) == {"negative_feedback.damaged", "negative_feedback.quality"}


def test_small_group_and_near_miss_do_not_fire() -> None:
    # SKU-TINY: 4 of 5 orders late (80%) but only 5 orders; the rest 2 of 100.
    _, findings = run({"batches": [
        {"n": 5, "sku": "SKU-TINY", "late": 4},
        {"n": 100, "sku": "SKU-OK", "late": 2},
    ]})
    assert "late_shipment.handling_time" not in {f.code for f in findings}


def test_returns_corroborate_and_raise_confidence() -> None:
    base = [{"days": [14, 73], "n": 200}]
    fragile = {"days": [14, 73], "n": 40, "asin": "B0FRAGILE1", "negative": 6,
               "comment": "Arrived broken. The glass was shattered inside the box."}
    _, plain = run({"batches": [fragile, *base]})
    _, backed = run({"batches": [{**fragile, "returns": 5, "return_reason": "CR-DAMAGED_BY_CARRIER"}, *base]})
    _, against = run({"batches": [{**fragile, "returns": 5, "return_reason": "CR-UNWANTED_ITEM"}, *base]})
    p = by_code(plain)["negative_feedback.damaged"]
    b = by_code(backed)["negative_feedback.damaged"]
    a = by_code(against)["negative_feedback.damaged"]
    assert p.corroboration is None and p.confidence == "medium"    # 6 defects, no other order has it
    assert b.confidence == "high"
    assert "5 of 5 returns" in b.corroboration and "CR-DAMAGED_BY_CARRIER" in b.corroboration
    assert a.confidence == "low"
    assert a.corroboration.startswith("Returns do not corroborate")


def test_findings_for_ok_metrics_are_still_made() -> None:
    # Few late orders among many: LSR stays under 4% but the weekend pattern is clear.
    results, findings = run({"batches": [
        {"n": 120, "weekdays": ["Saturday", "Sunday"], "late": 8},
        {"n": 300, "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday"], "late": 1},
    ]})
    assert results["lsr_30d"].status == "ok"          # 9 / 420 = 2.1%
    assert "late_shipment.weekend_backlog" in by_code(findings)


def test_case_frames_expands_batches() -> None:
    as_of, frames = case_frames({"as_of": "2026-03-30", "batches": [
        {"n": 4, "days": [0, 1], "late": 1, "cancel": 1, "negative": 2, "channel": "MFN"},
        {"n": 2, "channel": "AFN", "returns": 1}]})
    assert len(frames["orders"]) == 6
    assert list(frames["orders"]["order_status"]).count("Cancelled") == 1
    assert len(frames["shipments"]) == 3                 # MFN, not cancelled
    assert len(frames["feedback"]) == 2 and len(frames["returns_fba"]) == 1
    assert frames["orders"]["order_id"].str.fullmatch(r"\d{3}-\d{7}-\d{7}").all()


# ------------------------------------------------------------------ significance (Fisher exact, Bonferroni)
def test_hypergeometric_tail_against_hand_computed_values() -> None:
    sf = diagnose.hypergeom_sf
    # N=10 orders, K=3 defects, n=5 in the group: P(X>=3) = C(3,3)C(7,2)/C(10,5) = 21/252
    assert abs(sf(3, 10, 3, 5) - 21 / 252) < 1e-12
    # P(X>=2) = (C(3,2)C(7,3) + 21)/252 = (105 + 21)/252 = 1/2
    assert abs(sf(2, 10, 3, 5) - 0.5) < 1e-12
    assert abs(sf(0, 10, 3, 5) - 1.0) < 1e-12 and sf(4, 10, 3, 5) == 0.0
    # Fisher's tea tasting: 8 cups, 4 milk-first, 4 chosen: all right 1/70, at least 3 right 17/70
    assert abs(sf(4, 8, 4, 4) - 1 / 70) < 1e-12
    assert abs(sf(3, 8, 4, 4) - 17 / 70) < 1e-12
    # N=20, K=2, n=10: both defects in the group = C(18,8)/C(20,10) = 43758/184756 = 90/380
    assert abs(sf(2, 20, 2, 10) - 90 / 380) < 1e-12
    # log-space: large counts do not overflow; 30 of 30 defects inside 100 of 10,000 orders is ~0
    assert 0.0 <= sf(30, 10_000, 30, 100) < 1e-50
    # the one-sided Fisher test is that tail: 3 of 5 in the group, 0 of 5 outside -> 21/252
    assert abs(diagnose.fisher_one_sided(3, 5, 0, 5) - 21 / 252) < 1e-12


def _rows(groups: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    """Evidence rows of one kind from (entity, orders, defects) triples (the rest = all other groups)."""
    n_all, d_all = sum(g[1] for g in groups), sum(g[2] for g in groups)
    rows, k = [], 0
    for entity, orders, defects in groups:
        ids = [f"o{k + i}" for i in range(defects)]
        k += defects
        rows.append({"entity_kind": "carriers", "entity": entity, "group_orders": orders,
                     "group_defects": defects, "rest_orders": n_all - orders, "rest_defects": d_all - defects,
                     "metric_defects": d_all, "order_ids": ids})
    return rows


def test_a_group_must_pass_the_bonferroni_corrected_test() -> None:
    th = diagnose.Thresholds(min_group_orders=20, min_defects=5, min_lift=2.0, min_share=0.25, alpha=0.05)
    # 8 of 40 late against 9 of 120: lift 2.67, one-sided p = 0.032 (checked against the tail above)
    p = diagnose.fisher_one_sided(8, 40, 9, 120)
    assert 0.05 / 4 < p < 0.05
    four = _rows([("SlowPost", 40, 8), ("UPS", 40, 3), ("FedEx", 40, 3), ("DHL", 40, 3)])
    assert stats.evaluate_kind(four, th) is None          # one of 4 carriers: p must be < 0.0125
    # the same numbers as the only group examined (the others too small to be a group) pass
    one = [dict(four[0])]
    for r in four[1:]:
        one.append({**r, "group_orders": 10})
    g = stats.evaluate_kind(one, th)
    assert g is not None and g.entities == ["SlowPost"] and g.tests == 1
    # 10 of 40 against 6 of 120 passes with 4 carriers: p = 0.0009
    strong = _rows([("SlowPost", 40, 10), ("UPS", 40, 2), ("FedEx", 40, 2), ("DHL", 40, 2)])
    g = stats.evaluate_kind(strong, th)
    assert g is not None and g.entities == ["SlowPost"] and g.tests == 4


def test_carriers_that_only_restate_the_asin_are_not_named() -> None:
    # the vase ships only with DHL: DHL's damaged feedback is the vase's, not a carrier concentration
    _, findings = run({"batches": [
        {"days": [14, 73], "n": 40, "asin": "B0FRAGILE1", "carrier": "DHL", "negative": 8,
         "comment": "Arrived broken. The glass was shattered inside the box."},
        {"days": [14, 73], "n": 200},
    ]})
    f = by_code(findings)["negative_feedback.damaged"]
    assert f.entities["asins"] == ["B0FRAGILE1"] and "carriers" not in f.entities
    other = {o["entity_kind"]: o for o in f.evidence["other_kinds"]}
    assert other["carriers"]["entities"] == ["DHL"] and other["carriers"]["restates_main"]


def test_a_merge_takes_only_the_kinds_the_kept_finding_names() -> None:
    ids = tuple(f"o{i}" for i in range(10))
    kept = Finding(code="negative_feedback.damaged", metric="odr_mfn", title="Damaged", statement="a",
                   share=0.6, confidence="high", entities={"asins": ["B0VASE"]}, order_ids=ids)
    other = Finding(code="claims.not_as_described", metric="odr_mfn", title="NAD", statement="b",
                    share=0.5, confidence="high", entities={"asins": ["B0VASE", "B0CUP"], "carriers": ["DHL"]},
                    order_ids=ids)
    out = merge.dedupe([merge.Candidate(kept, None, (0, 0)), merge.Candidate(other, None, (0, 1))])
    assert len(out) == 1
    assert out[0].entities == {"asins": ["B0VASE", "B0CUP"]}           # no carriers imported
    assert out[0].evidence["merged"] == [{"code": "claims.not_as_described", "title": "NAD", "statement": "b",
                                          "entities": {"asins": ["B0VASE", "B0CUP"], "carriers": ["DHL"]}}]


def test_statements_agree_with_the_number_of_entities() -> None:
    # two carriers lose parcels / deliver late; then one: "these carriers" / "this carrier"
    two = {"batches": [
        {"n": 40, "carrier": "SlowPost", "delivered_late": 12},
        {"n": 40, "carrier": "LatePost", "delivered_late": 12},
        {"n": 200, "delivered_late": 4},
    ]}
    _, findings = run(two)
    f = by_code(findings)["delivery.carrier_delay"]
    assert f.entities["carriers"] == ["LatePost", "SlowPost"]
    assert "with the carriers LatePost and SlowPost" in f.statement
    assert "shipments with these carriers arrived" in f.statement and "this carrier" not in f.statement
    _, findings = run({"batches": [two["batches"][0], two["batches"][2]]})
    f = by_code(findings)["delivery.carrier_delay"]
    assert "shipments with this carrier arrived" in f.statement and "these" not in f.statement
    # one weekend day: "this day"; two: "these days"
    _, findings = run({"batches": [
        {"n": 50, "weekdays": ["Saturday"], "late": 12},
        {"n": 100, "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday"], "late": 3},
    ]})
    f = by_code(findings)["late_shipment.weekend_backlog"]
    assert f.entities["weekdays"] == ["Saturday"] and "orders purchased on this day shipped late" in f.statement
    _, findings = run({"batches": [
        {"n": 50, "weekdays": ["Saturday", "Sunday"], "late": 12},
        {"n": 100, "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday"], "late": 3},
    ]})
    assert "orders purchased on these days shipped late" in by_code(findings)["late_shipment.weekend_backlog"].statement
