"""Rules whose evidence query is batched ([batch] of data/rules/_settings.toml) run it once per window for
every value the window's rules ask for, and each rule gets exactly the rows a query for its value alone
would give."""

from __future__ import annotations

from sellerdx.diagnose import load_rules
from sellerdx.diagnose.evaluate import RuleRows, rule_values
from sellerdx.metrics import runner


def _theme_rules():
    return [r for r in load_rules() if r.query == "rule_feedback_theme"]


def test_one_run_per_window_gives_each_theme_the_rows_of_its_own_run(us_analysis):
    con, metric = us_analysis.con, us_analysis.metric_results["odr_mfn"]
    rules = _theme_rules()
    assert len(rules) >= 5
    batched = RuleRows()
    for rule in rules:
        batched.plan(rule, rule_values(rule, "odr_mfn", metric, us_analysis.as_of))
    before = runner.QUERY_STATS.get("rule_feedback_theme", (0, 0.0))[0]
    together = {r.id: batched.rows(con, r, rule_values(r, "odr_mfn", metric, us_analysis.as_of)) for r in rules}
    assert runner.QUERY_STATS["rule_feedback_theme"][0] - before == 1      # every theme in one run
    alone = {r.id: RuleRows().rows(con, r, rule_values(r, "odr_mfn", metric, us_analysis.as_of)) for r in rules}
    assert together == alone
    # the sample's planted cause: negative feedback saying the vase arrived damaged (19 orders, finding text)
    damaged = together["negative_feedback.damaged"]
    vase = next(row for row in damaged if row["entity_kind"] == "asins" and row["entity"] == "B0D1GLV5X7")
    assert vase["group_defects"] == 19 and vase["group_orders"] == 81
    assert vase["metric_defects"] == 39 and "theme" not in vase            # the rule's own shape



def _rows_together_and_alone(analysis, query: str, key: str):
    """Each rule of ``query`` on ``key``'s window: (rows of the planned batch, runs it took, rows alone)."""
    con, metric = analysis.con, analysis.metric_results[key]
    rules = [r for r in load_rules() if r.query == query and key in r.metrics]
    batched = RuleRows()
    for rule in rules:
        batched.plan(rule, rule_values(rule, key, metric, analysis.as_of))
    before = runner.QUERY_STATS.get(query, (0, 0.0))[0]
    together = {r.id: batched.rows(con, r, rule_values(r, key, metric, analysis.as_of)) for r in rules}
    runs = runner.QUERY_STATS[query][0] - before
    alone = {r.id: RuleRows().rows(con, r, rule_values(r, key, metric, analysis.as_of)) for r in rules}
    return together, runs, alone


def test_the_group_rules_of_a_window_read_its_group_counts_in_one_run(us_analysis):
    # lsr_30d: weekend backlog (by weekday, Friday-Sunday only) and shipping service: two rules, one run
    together, runs, alone = _rows_together_and_alone(us_analysis, "rule_group_concentration", "lsr_30d")
    assert set(together) == {"late_shipment.weekend_backlog", "late_shipment.shipping_service"}
    assert runs == 1 and together == alone
    # the sample's planted cause (finding text): 72 of the 84 late shipments were orders purchased on
    # Friday, Saturday and Sunday, 335 orders of the window's 686
    weekend = together["late_shipment.weekend_backlog"]
    assert {r["entity"] for r in weekend} == {"Friday", "Saturday", "Sunday"}
    assert sum(r["group_defects"] for r in weekend) == 72 and sum(r["group_orders"] for r in weekend) == 335
    assert {(r["metric_defects"], r["group_orders"] + r["rest_orders"]) for r in weekend} == {(84, 686)}
    assert all("ask" not in r for r in weekend)                           # the rule's own shape


def test_both_claims_rules_of_a_window_run_once(us_analysis):
    together, runs, alone = _rows_together_and_alone(us_analysis, "rule_claims_reason", "odr_mfn")
    assert set(together) == {"claims.item_not_received", "claims.not_as_described"}
    assert runs == 1 and together == alone
    # the planted cause (finding text): 12 of the 39 order defects are claims for items not received on
    # the carrier SwiftPost, whose 288 orders of the window's 1,414 had them
    swift = next(r for r in together["claims.item_not_received"]
                 if r["entity_kind"] == "carriers" and r["entity"] == "SwiftPost")
    assert (swift["group_defects"], swift["group_orders"], swift["metric_defects"]) == (12, 288, 39)
    assert swift["group_orders"] + swift["rest_orders"] == 1414
    assert {r["entity_kind"] for r in together["claims.not_as_described"]} <= {"asins"}


def test_the_defect_orders_of_every_metric_come_from_one_query(us_analysis):
    from sellerdx import metrics
    con, results = us_analysis.con, us_analysis.metric_results
    keys = ["odr_mfn", "lsr_30d", "pfcr"]
    before = runner.QUERY_STATS.get("defect_orders", (0, 0.0))[0]
    together = metrics.defect_orders_for(con, [results[k] for k in keys], us_analysis.as_of)
    assert runner.QUERY_STATS["defect_orders"][0] - before == 1
    for key in keys:
        alone = metrics.defect_orders(con, results[key], us_analysis.as_of)
        assert together[key].equals(alone) and list(together[key].columns) == list(alone.columns)
    # the window's counted defects (the CLI's table: LSR 30 days 84 of 686, PFCR 8 of 164)
    assert len(together["lsr_30d"]) == 84 and len(together["pfcr"]) == 8
    assert "metric" not in together["pfcr"].columns
