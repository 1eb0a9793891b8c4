"""The root-cause rules' own test cases (``[[rule.fires]]`` / ``[[rule.does_not_fire]]`` in
src/sellerdx/data/rules/*.toml), expanded into pytest cases, plus checks of the rule files themselves."""

from __future__ import annotations

import pytest

from sellerdx import assets, diagnose, metrics, store
from sellerdx.diagnose.testing import case_frames

RULES = diagnose.load_rules()

REQUIRED_CODES = {
    "cancellation.stockout", "cancellation.pricing_error", "late_shipment.weekend_backlog",
    "late_shipment.handling_time", "late_shipment.confirmation_lag", "late_shipment.peak_volume",
    "late_shipment.shipping_service", "claims.item_not_received", "claims.not_as_described",
    "chargebacks.service", "tracking.invalid", "feedback.removable",
    *(f"negative_feedback.{t}" for t in ("not_as_described", "damaged", "late_delivery", "wrong_item", "quality",
                                         "customer_service", "authenticity", "condition", "expired")),
}

CASES = [pytest.param(rule, kind, case, id=f"{rule.id}:{kind}:{case.name}")
         for rule in RULES
         for kind, cases in (("fires", rule.fires), ("does_not_fire", rule.does_not_fire))
         for case in cases]


def _run(case: diagnose.RuleCase):
    as_of, frames = case_frames(case.spec)
    con = store.connect()
    store.load_frames(con, frames)
    params = metrics.MetricParams(as_of=as_of)
    results = metrics.compute_metrics(con, params)
    return diagnose.diagnose(con, results, params)


@pytest.mark.parametrize("rule, kind, case", CASES)
def test_rule_case(rule: diagnose.Rule, kind: str, case: diagnose.RuleCase) -> None:
    findings = [f for f in _run(case) if f.code == rule.id]
    if kind == "does_not_fire":
        assert findings == [], f"{rule.id} fired on {case.name!r}: {findings[0].statement if findings else ''}"
        return
    assert len(findings) == 1, f"{rule.id} did not fire (exactly once) on {case.name!r}"
    finding = findings[0]
    for kind_name, expected in case.expect.items():
        assert set(expected) <= set(finding.entities.get(kind_name, [])), (kind_name, finding.entities)
    assert finding.metric in rule.metrics
    assert "{" not in finding.statement and "}" not in finding.statement
    assert all(a.startswith("[[date]]: We ") for a in finding.corrective_actions)
    assert all(" · Frequency: " in p and "Owner: " in p and " · Measure: " in p for p in finding.preventive_actions)


def test_every_required_code_has_a_rule() -> None:
    assert REQUIRED_CODES <= {r.id for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_complete(rule: diagnose.Rule) -> None:
    assert rule.fires, "a rule needs at least one [[rule.fires]] case"
    assert rule.does_not_fire, "a rule needs at least one [[rule.does_not_fire]] case (a near miss)"
    assert rule.corrective and rule.preventive
    assert set(rule.metrics) <= set(assets.load_toml("metrics.toml")["metrics"])
    for step in rule.preventive:
        assert step.owner and step.frequency and step.measure


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_query_parameters_are_given(rule: diagnose.Rule) -> None:
    sql = assets.load_query(rule.query)
    assert rule.query.startswith("rule_")
    batch = diagnose.settings().get("batch", {}).get(rule.query)   # the param goes in as the list of values
    batched = set(batch.get("params", [batch.get("param")])) if batch else set()   # or a list of structs
    params = {batch["list"] if p in batched else p for p in rule.params}
    given = {"family", "window_start", "window_end", "as_of", *params}
    assert metrics.query_parameters(sql) <= given
    assert params <= metrics.query_parameters(sql), "a rule param the query never uses"
    assert sql.lstrip().startswith("--"), "queries start with a header comment"
