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

