"""sellerdx.plan: the Plan of Action's scope and the attribution of every counted defect to one section,
on hand-made defect rows whose right answer is stated beside each one."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sellerdx.model import Finding, MetricResult
from sellerdx.plan import build_plan, defect_tags, plan_scope
from sellerdx.result import MetricFigure

DAY = dt.date(2026, 10, 31)


def metric(key: str, status: str, numerator: int, direction: str = "below") -> MetricResult:
    return MetricResult(key=key, label=key, rate=0.05, numerator=numerator, denominator=100,
                        window_start=DAY - dt.timedelta(days=29), window_end=DAY, target=0.04,
                        direction=direction, status=status)


METRICS = {"odr_mfn": metric("odr_mfn", "at_risk", 4), "lsr_30d": metric("lsr_30d", "ok", 1),
           "otdr": metric("otdr", "at_risk", 97, "above")}
CARRIER = Finding(code="claims.item_not_received", metric="odr_mfn", title="t", statement="s", share=0.5,
                  confidence="high", entities={"carriers": ["SwiftPost"]}, order_ids=("o1", "o2"),
                  preventive_actions=("Trace parcels — Owner: Shipping lead · Frequency: daily · Measure: 0 lost",))
WEEKEND = Finding(code="late_shipment.weekend_backlog", metric="lsr_30d", title="t", statement="s", share=1.0,
                  confidence="high", entities={"weekdays": ["Saturday"]}, order_ids=("o5",))


def row(order_id: str, defect: str, **kw) -> dict:
    base = {"order_id": order_id, "purchase_date": pd.Timestamp("2026-10-10"), "defect": defect,
            "has_negative_feedback": "negative_feedback" in defect, "has_counting_claim": "claim" in defect,
            "has_counting_chargeback": "chargeback" in defect, "claim_reason_code": None,
            "chargeback_reason_code": None, "cancel_reason_code": None, "cancel_initiator": None,
            "shipped_late": False, "carrier": "UPS", "asin": "B01", "sku": "S1", "product_name": "Mug",
            "expected_ship_ts": None, "ship_confirm_ts": None, "never_delivered": False, "comment": None,
            "themes": []}
    return {**base, **kw}


DEFECTS = {
    "odr_mfn": pd.DataFrame([
        row("o1", "a_to_z_claim", claim_reason_code="item_not_received", carrier="SwiftPost"),   # its finding
        row("o2", "a_to_z_claim", claim_reason_code="item_not_received", carrier="SwiftPost"),   # its finding
        row("o3", "chargeback", chargeback_reason_code="item_not_received", carrier="SwiftPost"),  # by reason
        row("o4", "negative_feedback", themes=["wrong_item"], comment="Wrong colour sent"),   # other
    ]),
    "otdr": pd.DataFrame([
        row("o6", "late_delivery", carrier="SwiftPost", never_delivered=True),      # the carrier's cause
        row("o7", "late_delivery", carrier="UPS", shipped_late=True),               # our late dispatch
        row("o8", "late_delivery", carrier="DHL"),                                  # other
    ]),
}
FIGURES = {k: MetricFigure(m) for k, m in METRICS.items()}


def test_every_defect_is_answered_by_its_cause_or_by_other() -> None:
    plan = build_plan(METRICS, [CARRIER, WEEKEND], DEFECTS, FIGURES)
    assert plan.families == ("odr", "otdr") and plan.scope_source == "at_risk"
    answer = {(a.metric, a.order_id): a.section for a in plan.answered}
    assert answer == {
        ("odr_mfn", "o1"): "claims.item_not_received", ("odr_mfn", "o2"): "claims.item_not_received",
        ("odr_mfn", "o3"): "claims.item_not_received", ("odr_mfn", "o4"): "other",
        ("otdr", "o6"): "claims.item_not_received", ("otdr", "o7"): "late_shipment.weekend_backlog",
        ("otdr", "o8"): "other",
    }
    sections = {s.code: s for s in plan.sections}
    carrier = sections["claims.item_not_received"]
    assert dict(carrier.defect_counts) == {"a_to_z_claim": 2, "chargeback": 1, "late_delivery": 1}
    assert carrier.metrics == ("odr_mfn", "otdr")
    assert "Parcels lost or delayed by SwiftPost" == carrier.title
    assert carrier.root_cause.startswith("Our parcels shipped with SwiftPost did not reach buyers: 4 orders on "
                                         "2026-10-10 (2 A-to-z claims, 1 chargeback and 1 late or missing "
                                         "delivery); 1 of these parcels never received a delivery scan.")
    assert carrier.preventive[0].owner == "Shipping lead" and carrier.preventive[0].target == "0 lost"
    other = sections["other"]
    assert dict(other.reasons) == {"Negative feedback: wrong item": ("o4",), "Late or missing deliveries": ("o8",)}


def test_notice_scopes_the_plan_and_puts_the_rest_in_the_appendix() -> None:
    plan = build_plan(METRICS, [CARRIER, WEEKEND], DEFECTS, FIGURES, notice=("odr",))
    assert plan.families == ("odr",) and plan.scope_source == "notice"
    assert {a.metric for a in plan.answered} == {"odr_mfn"}
    assert [f.metric.key for f in plan.also_improving] == ["otdr"]


def test_amazons_verdict_decides_the_scope_before_the_recomputation() -> None:
    assert plan_scope(METRICS, notice=None, amazon_at_risk=["lsr_10d"]) == (("lsr",), "amazon")
    assert plan_scope(METRICS, notice=None, amazon_at_risk=[]) == (("odr", "otdr"), "at_risk")
    calm = {k: metric(k, "ok", 0) for k in METRICS}
    assert plan_scope(calm, notice=None, amazon_at_risk=[]) == ((), "none")


def test_an_account_wide_theme_is_a_cause_of_the_process() -> None:
    """4 unanswered-message complaints on 4 products of 5 defects: above the account thresholds (3 orders,
    15% of the family's defects), so a section of its own, not "other"."""
    rows = [row(f"c{i}", "negative_feedback", asin=f"B0{i}", themes=["customer_service"],
                comment="No reply to my message") for i in range(4)]
    rows.append(row("c9", "negative_feedback", themes=["quality"]))
    metrics = {"odr_mfn": metric("odr_mfn", "at_risk", 5)}
    plan = build_plan(metrics, [], {"odr_mfn": pd.DataFrame(rows)}, {"odr_mfn": MetricFigure(metrics["odr_mfn"])})
    codes = {a.order_id: a.section for a in plan.answered}
    assert codes == {"c0": "account.customer_service", "c1": "account.customer_service",
                     "c2": "account.customer_service", "c3": "account.customer_service", "c9": "other"}
    section = plan.sections[0]
    assert section.title == "Buyer messages and invoice requests left unanswered"
    assert "spread over 4 products" in section.root_cause and "No reply to my message" in section.root_cause


def test_amazon_auto_cancellation_is_named_so() -> None:
    tags = defect_tags(row("x", "not_confirmed_in_time", cancel_reason_code="not_confirmed_in_time",
                           cancel_initiator="amazon"), "pfcr")
    assert "initiator:amazon" in tags and "cancel:not_confirmed_in_time" in tags
    metrics = {"pfcr": metric("pfcr", "at_risk", 1)}
    frame = pd.DataFrame([row("x", "not_confirmed_in_time", cancel_reason_code="not_confirmed_in_time",
                              cancel_initiator="amazon")])
    plan = build_plan(metrics, [], {"pfcr": frame}, {"pfcr": MetricFigure(metrics["pfcr"])})
    assert dict(plan.sections[0].reasons) == {"Cancellations: cancelled automatically by Amazon": ("x",)}


def test_quotes_are_only_in_the_plans_language() -> None:
    rows = [row("q1", "negative_feedback", themes=["customer_service"], comment="荷物が届きません"),
            row("q2", "negative_feedback", themes=["customer_service"], comment="Keine Antwort erhalten"),
            row("q3", "negative_feedback", themes=["customer_service"], comment="No answer to my message.")]
    metrics = {"odr_mfn": metric("odr_mfn", "at_risk", 3)}
    plan = build_plan(metrics, [], {"odr_mfn": pd.DataFrame(rows)}, {"odr_mfn": MetricFigure(metrics["odr_mfn"])})
    assert plan.sections[0].quotes == ("No answer to my message",)
