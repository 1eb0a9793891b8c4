"""Evaluate one rule on one metric's window: run its evidence query, keep the groups that stand out,
word the finding, set its confidence (returns corroborate or weaken it)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from sellerdx import assets, themes
from sellerdx import metrics as metrics_stage
from sellerdx.diagnose.rules import Rule, Thresholds, evidence_sql, grouping_columns, rule_groupings, settings
from sellerdx.diagnose.stats import Group, evaluate_kind, p_value
from sellerdx.diagnose.wording import corrective_text, fill, human_list, preventive_text, template_fields
from sellerdx.i18n import Count, Message
from sellerdx.metrics import MetricParams
from sellerdx.model import Finding, MetricResult

_CONFIDENCE = ("low", "medium", "high")


def bind_values(sql: str, values: Mapping[str, Any]) -> dict[str, Any]:
    wanted = metrics_stage.query_parameters(sql)
    missing = wanted - set(values)
    if missing:
        raise ValueError(f"rule query needs parameters {sorted(missing)} that the rule does not give")
    return {k: values[k] for k in wanted}


def query_rows(con: duckdb.DuckDBPyConnection, name: str, values: Mapping[str, Any],
                by: str | None = None, groupings: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The rows of evidence query ``name`` on ``values``' window; ``groupings``: further groupings of the
    window's group counts to count in the same pass (those the window's other rules read)."""
    sql = evidence_sql(name, by)
    if "metric_window" in sql:      # the family's window orders, materialised once per window
        metrics_stage.use_window(con, values["family"], values["window_start"], values["window_end"])
        if "metric_window_items" in sql:
            metrics_stage.window_items(con)
        if "metric_window_groups" in sql:   # the window's group counts, built once per window
            metrics_stage.window_groups(con, grouping_columns(rule_groupings(name, by) | groupings))
    cur = metrics_stage.runner.timed_execute(con, name, sql, bind_values(sql, values))
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    for row in rows:
        row.update(row.pop("measures", None) or {})
    return rows


class RuleRows:
    """The evidence rows of rules, each query run once per window for every rule that reads it.

    A query listed under ``[batch]`` of ``data/rules/_settings.toml`` takes the list of every value of one
    rule parameter (``param``: ``theme`` -> ``$themes``), or of several (``params``: a list of structs of
    them, ``grouping``, ``blank`` ... -> ``$asks``); :meth:`plan` collects the values the rules of a window
    ask for, the first :meth:`rows` of that window runs the query with all of them, and each rule gets the
    rows of its own value (named by the ``column`` of each row: the value, or for ``params`` its position
    in the list from 1; the naming column dropped, so its rows are the unbatched shape).
    :meth:`plan` also collects the groupings of the window's group counts that its rules read, so they
    are counted in one pass (:func:`sellerdx.metrics.window_groups`)."""

    def __init__(self) -> None:
        self._planned: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._done: dict[tuple[Any, ...], dict[str, list[dict[str, Any]]]] = {}
        self._groupings: dict[tuple[Any, ...], frozenset[str]] = {}   # window -> its rules' groupings

    @staticmethod
    def _batch(rule: Rule) -> Mapping[str, Any] | None:
        return settings().get("batch", {}).get(rule.query)

    @staticmethod
    def _params(batch: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(batch["params"]) if "params" in batch else (batch["param"],)

    @classmethod
    def _key(cls, rule: Rule, values: Mapping[str, Any], batch: Mapping[str, Any]) -> tuple[Any, ...]:
        params = cls._params(batch)
        by = None if "params" in batch else rule.by   # several params: the grouping is one of them
        return (rule.query, by, tuple(sorted((k, repr(v)) for k, v in values.items() if k not in params)))

    @classmethod
    def _value(cls, values: Mapping[str, Any], batch: Mapping[str, Any]) -> tuple[str, Any]:
        """(identity, value sent in the list) of a rule's batched parameter(s)."""
        if "params" in batch:
            ask = {p: values[p] for p in cls._params(batch)}
            return repr(sorted(ask.items())), ask
        return repr(values[batch["param"]]), values[batch["param"]]

    @staticmethod
    def _window(values: Mapping[str, Any]) -> tuple[Any, ...]:
        return (values.get("family"), values.get("window_start"), values.get("window_end"))

    def plan(self, rule: Rule, values: Mapping[str, Any]) -> None:
        window = self._window(values)   # the window's group counts are counted once, for all its rules
        self._groupings[window] = self._groupings.get(window, frozenset()) | rule_groupings(rule.query, rule.by)
        batch = self._batch(rule)
        if batch is not None:
            ident, value = self._value(values, batch)
            self._planned.setdefault(self._key(rule, values, batch), {}).setdefault(ident, value)

    def rows(self, con: duckdb.DuckDBPyConnection, rule: Rule, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        groupings = self._groupings.get(self._window(values), frozenset()) | rule_groupings(rule.query, rule.by)
        batch = self._batch(rule)
        if batch is None:
            return query_rows(con, rule.query, values, rule.by, groupings)
        key = self._key(rule, values, batch)
        ident, value = self._value(values, batch)
        done = self._done.setdefault(key, {})
        if ident not in done:   # every planned value not yet run (this one too, planned or not), in one run
            asked = {i: v for i, v in {**self._planned.get(key, {}), ident: value}.items() if i not in done}
            done.update((i, []) for i in asked)
            bound = {k: v for k, v in values.items() if k not in self._params(batch)}
            idents = list(asked)
            for row in query_rows(con, rule.query, {**bound, batch["list"]: list(asked.values())}, rule.by,
                                  groupings):
                named = row.pop(batch["column"])
                done[idents[int(named) - 1] if "params" in batch else repr(named)].append(row)
        return done[ident]


def rule_values(rule: Rule, key: str, metric: MetricResult, as_of: dt.date) -> dict[str, Any]:
    """The parameters of ``rule``'s evidence query on ``metric``'s window."""
    return {"family": metric_config(key)["family"], "window_start": metric.window_start,
            "window_end": metric.window_end, "as_of": as_of, **rule.params}


def metric_config(key: str) -> dict[str, Any]:
    return assets.load_toml("metrics.toml")["metrics"][key]




def confidence_of(g: Group, th: Thresholds) -> str:
    cfg = settings()["confidence"]
    lift = g.lift if th.min_lift > 0 else None   # a rule without comparison is judged by its share
    def ok(level: str) -> bool:
        c = cfg[level]
        if g.group_defects < c["min_defects"]:
            return False
        if lift is None:        # a whole-window group: decided by count and share
            return g.share >= c["min_share_without_lift"]
        return lift >= c["min_lift"]
    return "high" if ok("high") else "medium" if ok("medium") else "low"


def shift_confidence(level: str, step: int) -> str:
    i = max(0, min(len(_CONFIDENCE) - 1, _CONFIDENCE.index(level) + step))
    return _CONFIDENCE[i]


def corroborate(con: duckdb.DuckDBPyConnection, rule: Rule, asins: list[str], metric: MetricResult,
                 supplied: set[str]) -> tuple[str | None, int, dict[str, Any]]:
    """(text, confidence step, evidence) from the returns exports about the finding's ASINs."""
    if not rule.corroborate_returns or not asins or not ({"returns_mfn", "returns_fba"} & supplied):
        return None, 0, {}
    rows = query_rows(con, "rule_returns_corroboration", {
        "asins": list(asins), "window_start": metric.window_start, "window_end": metric.window_end,
        "codes": list(rule.corroborate_returns)})
    total = sum(int(r["returns"]) for r in rows)
    support = [(r["code"], int(r["returns"])) for r in rows if r["supporting"]]
    supporting = sum(n for _, n in support)
    evidence = {"returns": total, "supporting_returns": supporting,
                "supporting_codes": {c: n for c, n in support}}
    who = human_list(asins)
    if supporting:
        codes = ", ".join(f"{c} ({n})" for c, n in support)   # return reason codes as Amazon writes them
        # TRANSLATORS: {who} lists ASINs; {codes} lists return reason codes with their counts, "CR-DAMAGED (3)"
        text = Message("Returns corroborate: {supporting} of {total} returns of {who} from orders in the window "
                       "give {codes}.", {"supporting": Count(supporting), "total": Count(total), "who": who,
                                         "codes": codes})
        return text, 1, evidence
    if total >= int(settings()["corroboration"]["min_returns_to_weaken"]):
        text = Message("Returns do not corroborate: none of the {total} returns of {who} from orders in the "
                       "window gives a reason or disposition that matches this cause.",
                       {"total": Count(total), "who": who})
        return text, -1, evidence
    return None, 0, evidence


# --------------------------------------------------------------------------------------------------
# Prerequisite tables


def _ensure_feedback_themes(con: duckdb.DuckDBPyConnection, params: MetricParams) -> None:
    if not _table_exists(con, "feedback_themes"):
        themes.theme_table(con)


def _ensure_removable_orders(con: duckdb.DuckDBPyConnection, params: MetricParams) -> None:
    _ensure_feedback_themes(con, params)
    frame = metrics_stage.removable_feedback(con, params)
    table = pd.DataFrame({"order_id": frame["order_id"].astype("object"),
                          "reason_code": frame["reason_code"].astype("object")})
    con.register("__sellerdx_removable", table)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE removable_orders AS "
                    "SELECT CAST(order_id AS VARCHAR) AS order_id, CAST(reason_code AS VARCHAR) AS reason_code "
                    "FROM __sellerdx_removable")
    finally:
        con.unregister("__sellerdx_removable")


PREREQUISITES = {"feedback_themes": _ensure_feedback_themes, "removable_orders": _ensure_removable_orders}


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $n", {"n": name}).fetchone()[0] > 0




def evaluate_rule(con: duckdb.DuckDBPyConnection, rule: Rule, key: str, metric: MetricResult, as_of: dt.date,
                  supplied: set[str], evidence_rows: RuleRows | None = None) -> Finding | None:
    """The finding of ``rule`` on ``metric``'s window, or None; ``evidence_rows`` shares batched queries
    between the rules of one diagnosis (a fresh one runs this rule's query alone)."""
    values = rule_values(rule, key, metric, as_of)
    rows = (evidence_rows or RuleRows()).rows(con, rule, values)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kind.setdefault(str(row["entity_kind"]), []).append(row)
    passing = [g for g in (evaluate_kind(rs, rule.thresholds) for rs in by_kind.values()) if g is not None]
    if not passing:
        return None
    passing.sort(key=lambda g: (-g.share, -(g.lift if g.lift is not None else 0.0), g.kind))
    main = passing[0]
    entities: dict[str, list[str]] = {}
    restate = float(settings()["merge"]["other_kind_overlap"])
    main_ids = set(main.order_ids)
    restating: set[int] = set()
    for i, g in enumerate(passing):
        ids = set(g.order_ids)
        if g is not main and ids and len(ids & main_ids) / len(ids) >= restate:
            restating.add(i)   # the main group seen through another attribute, not a concentration of its own
            continue
        if not g.kind.startswith("_"):
            entities.setdefault(g.kind, [])
            entities[g.kind] += [e for e in g.entities if e not in entities[g.kind]]
    for k, v in main.extras.items():
        if k.startswith("ent_") and k != "ent_products" and v:
            name = k[4:]
            entities.setdefault(name, [])
            entities[name] += [e for e in v if e not in entities[name]]
    what_if = None
    if main.total_orders:
        remaining = main.metric_defects - main.sole_defects
        what_if = remaining / main.total_orders
        if metric.direction == "above":
            what_if = 1 - what_if
    values = template_fields(rule, main, metric, what_if)
    confidence = confidence_of(main, rule.thresholds)
    corroboration, step, corr_evidence = corroborate(con, rule, entities.get("asins", []), metric, supplied)
    confidence = shift_confidence(confidence, step)
    chart_by = settings()["chart_by"].get(main.kind)
    evidence = {
        "metric": key, "window_start": metric.window_start, "window_end": metric.window_end,
        "entity_kind": main.kind, "group_orders": main.group_orders, "group_defects": main.group_defects,
        "rest_orders": main.rest_orders, "rest_defects": main.rest_defects,
        "metric_defects": main.metric_defects, "rate_in": main.rate_in, "rate_out": main.rate_out,
        "lift": None if main.lift is None or math.isinf(main.lift) else main.lift,
        "lift_infinite": main.lift is not None and math.isinf(main.lift),
        "what_if_rate": what_if, "sole_defects": main.sole_defects,
        "groups": [{k: v for k, v in r.items() if k != "order_ids"} for r in main.rows],
        "other_kinds": [{"entity_kind": g.kind, "entities": g.entities, "group_defects": g.group_defects,
                         "share": g.share, "p_value": p_value(g) if g.rest_orders > 0 else None,
                         "restates_main": i in restating}
                        for i, g in enumerate(passing) if i > 0],
        "p_value": p_value(main) if rule.thresholds.min_lift > 0 and main.rest_orders > 0 else None,
        "groups_tested": main.tests,
        "thresholds": vars(rule.thresholds).copy(),
    }
    if corr_evidence:
        evidence["returns"] = corr_evidence
    return Finding(
        code=rule.id, metric=key, title=rule.title, statement=fill(rule.statement, values),
        share=main.share, confidence=confidence, entities=entities, order_ids=tuple(main.order_ids),
        corrective_actions=tuple(corrective_text(fill(a, values)) for a in rule.corrective),
        preventive_actions=tuple(preventive_text(p, values) for p in rule.preventive),
        corroboration=corroboration, evidence=evidence,
        chart={"by": chart_by, "metric": key} if chart_by else None)


