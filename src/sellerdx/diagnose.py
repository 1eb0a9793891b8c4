"""Root-cause diagnosis: rules as data (``data/rules/*.toml``) turned into :class:`~sellerdx.model.Finding`\\ s.

A rule names the metric(s) it explains, its evidence query (``evidence = "<name>"`` runs
``queries/rule_<name>.sql``), thresholds, a statement template and the corrective / preventive actions of the
Plan of Action. Every evidence query returns the same shape, one row per candidate group (an ASIN, a
carrier, a weekday, ...)::

    entity_kind, entity, group_orders, group_defects, rest_orders, rest_defects, metric_defects, order_ids
    [, ent_<kind> lists] [, sum_<name> counts] [, top_<name> values]

(a ``measures`` MAP column is spread into columns named by its keys). The rules whose evidence is the
metric's defects grouped by one attribute of the order share one query, ``rule_group_concentration.sql``
(``evidence = "group_concentration"``). Such a rule names the attribute with ``by = "<name>"``: the
``[by.<name>]`` column of ``data/breakdowns.toml`` replaces the query's ``__BY__`` (checked to be
``m.<col>`` or ``f.<col>``, as :func:`sellerdx.metrics.breakdown` does), and ``[group.<name>]`` of
``data/rules/_settings.toml`` gives the query parameters ``entity_kind`` and ``blank``; ``groups`` and
``measures`` default to ``[]`` and may be set in the rule's ``params``.

``group_defects`` counts the rule's pattern (e.g. late shipments) inside the group, ``rest_defects`` the
same pattern among the window's other orders, ``metric_defects`` all the metric's bad outcomes in the
window. This module then does the same thing for every rule:

1. keep the groups with enough orders (``min_group_orders``), enough pattern orders
   (``min_entity_defects``), a rate at least ``min_lift`` times the rate of the other orders, and a
   one-sided Fisher exact p-value (:func:`fisher_one_sided`) under ``alpha`` divided by the number of
   groups of the kind examined (Bonferroni): among many carriers one is always highest by chance;
2. combine the kept groups of one kind (at most ``max_entities``) and check the combination against
   ``min_defects``, ``min_share`` (share of the metric's defects), ``min_lift`` and the same test;
3. of several kinds (carrier, service, missing tracking ...) the one explaining most defects is the
   finding's; the others that also pass are added to its entities, unless their pattern orders are
   mostly the main group's (``[merge] other_kind_overlap``: the vase's carriers restate the vase);
4. returns on the finding's ASINs corroborate (raise confidence) or weaken it (lower confidence);
5. the same code found for several metrics (10- and 30-day LSR, MFN and all-orders ODR) is kept once,
   and two findings about (nearly) the same orders are merged (the kept finding takes the other's
   entities only of the kinds it names itself; the other's statement and entities stay under
   ``evidence["merged"]``).

Group sizes of a combination are summed, so an order holding two of the combined ASINs counts twice in
the group's order count (the in-group rate is then slightly understated; defects are counted exactly).

Rule test cases (``[[rule.fires]]`` / ``[[rule.does_not_fire]]``) describe small data sets in batches
of orders; :func:`case_frames` expands one into DataFrames for :func:`sellerdx.store.load_frames`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import pandas as pd

from . import assets, metrics as metrics_mod, store
from .errors import BadOptionError
from .metrics import MetricParams
from .model import Finding, MetricResult
from .poa import neutralize_text

RULES_FOLDER = "rules"
SETTINGS_FILE = "_settings.toml"

_STATUS_ORDER = {"at_risk": 0, "ok": 1, "no_orders": 2, "not_computed": 3}
_CONFIDENCE = ("low", "medium", "high")


# --------------------------------------------------------------------------------------------------
# Rules as data


@dataclass(frozen=True)
class Thresholds:
    """When a rule fires (see the module docstring)."""
    min_group_orders: int
    min_defects: int
    min_lift: float
    min_share: float
    min_entity_defects: int = 1
    max_entities: int = 5
    max_group_fraction: float = 1.0
    alpha: float = 0.05


@dataclass(frozen=True)
class PreventiveAction:
    """A step that stops the cause recurring: what, who, how often, and how it is measured."""
    action: str
    owner: str
    frequency: str
    measure: str

    def text(self) -> str:
        """One line in the Plan of Action's form: ``<action> — Owner: … · Frequency: … · Measure: …``."""
        return (f"{self.action.rstrip('.')} — Owner: {self.owner} · Frequency: {self.frequency} · "
                f"Measure: {self.measure.rstrip('.')}")


@dataclass(frozen=True)
class RuleCase:
    """A small data set on which a rule must (``fires``) or must not fire, with the entities expected."""
    name: str
    spec: dict[str, Any]
    expect: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """One root-cause rule as read from ``data/rules/<file>.toml``."""
    id: str
    metrics: tuple[str, ...]
    title: str
    query: str                 # queries/<query>.sql, ``rule_<evidence>``
    thresholds: Thresholds
    statement: str
    corrective: tuple[str, ...]
    preventive: tuple[PreventiveAction, ...]
    params: dict[str, Any] = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    corroborate_returns: tuple[str, ...] = ()
    description: str = ""
    fires: tuple[RuleCase, ...] = ()
    does_not_fire: tuple[RuleCase, ...] = ()
    source: str = ""
    by: str | None = None      # the grouping of a query with __BY__ (data/breakdowns.toml name)


def settings() -> dict[str, Any]:
    """``data/rules/_settings.toml``: default thresholds, confidence levels, merge limits, labels."""
    return assets.load_toml(f"{RULES_FOLDER}/{SETTINGS_FILE}")


def _rule_files() -> list[str]:
    folder = assets.asset_dir("data") / RULES_FOLDER
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith(".toml") and not p.name.startswith("_") and p.is_file())


def _cases(raw: Sequence[Mapping[str, Any]]) -> tuple[RuleCase, ...]:
    out = []
    for case in raw:
        spec = {k: v for k, v in case.items() if k not in ("name", "expect")}
        out.append(RuleCase(name=str(case["name"]), spec=spec,
                            expect={k: list(v) for k, v in case.get("expect", {}).items()}))
    return tuple(out)


_BY_PLACEHOLDER = "__BY__"
_GROUPING_DEFAULTS: dict[str, Any] = {"groups": [], "measures": []}


def _group_column(by: str) -> str:
    """The whitelisted column of grouping ``by`` (``data/breakdowns.toml``), checked to be m./f.<col>."""
    try:
        cfg = assets.load_toml("breakdowns.toml")["by"][by]
    except KeyError:
        raise ValueError(f"rules: unknown grouping by = {by!r} (not a [by.<name>] of breakdowns.toml)") from None
    try:
        column = metrics_mod.breakdown_column(by)
    except BadOptionError as exc:
        raise ValueError(str(exc)) from None
    if cfg.get("defects_only"):
        raise ValueError(f"rules: grouping {by!r} is an attribute of the defects only, not of every order")
    if metrics_mod.is_item_column(column):
        raise ValueError(f"rules: grouping {by!r} is an attribute of the order's items; rules group by item "
                         "with their own query (e.g. rule_late_sku.sql reads metric_window_items)")
    return column


def _grouping_params(rule_id: str, by: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """A grouped rule's query parameters: the rule's ``params`` over the defaults, plus ``[group.<by>]``."""
    try:
        group = {k: settings()["group"][by][k] for k in ("entity_kind", "blank")}
    except KeyError:
        raise ValueError(f"rules: {rule_id} groups by {by!r}, which needs [group.{by}] with entity_kind "
                         f"and blank in {SETTINGS_FILE}") from None
    if set(group) & set(params):
        raise ValueError(f"rules: {rule_id} sets {sorted(set(group) & set(params))} in params; "
                         f"they come from [group.{by}] of {SETTINGS_FILE}")
    return {**_GROUPING_DEFAULTS, **params, **group}


def _evidence_sql(query: str, by: str | None) -> str:
    """The text of ``queries/<query>.sql``, its ``__BY__`` replaced by the column of grouping ``by``."""
    sql = assets.load_query(query)
    if (_BY_PLACEHOLDER in sql) != (by is not None):
        raise ValueError(f"rules: {query}.sql {'needs' if by is None else 'takes no'} grouping (by = ...)")
    return sql.replace(_BY_PLACEHOLDER, metrics_mod.window_column(_group_column(by))) if by is not None else sql


def load_rules() -> list[Rule]:
    """Every rule of ``data/rules/*.toml`` (files starting with ``_`` hold settings), in file order."""
    defaults = settings()["thresholds"]
    rules: list[Rule] = []
    seen: set[str] = set()
    for filename in _rule_files():
        data = assets.load_toml(f"{RULES_FOLDER}/{filename}")
        for raw in data.get("rule", []):
            if raw["id"] in seen:
                raise ValueError(f"rules: duplicate rule id {raw['id']!r} in {filename}")
            seen.add(raw["id"])
            th = {**defaults, **raw.get("thresholds", {})}
            if "evidence" not in raw:
                raise ValueError(f"rules: {raw['id']} in {filename} names no evidence query (evidence = ...)")
            query, by = f"rule_{raw['evidence']}", raw.get("by")
            _evidence_sql(query, by)
            params = dict(raw.get("params", {}))
            if by is not None:
                params = _grouping_params(raw["id"], by, params)
            rules.append(Rule(
                id=raw["id"], metrics=tuple(raw["metrics"]), title=raw["title"], query=query, by=by,
                thresholds=Thresholds(**th), statement=" ".join(raw["statement"].split()),
                corrective=tuple(" ".join(c.split()) for c in raw["corrective"]),
                preventive=tuple(PreventiveAction(**p) for p in raw["preventive"]),
                params=params, requires=tuple(raw.get("requires", ())),
                corroborate_returns=tuple(c.upper() for c in raw.get("corroborate_returns", ())),
                description=" ".join(raw.get("description", "").split()),
                fires=_cases(raw.get("fires", [])), does_not_fire=_cases(raw.get("does_not_fire", [])),
                source=filename))
    return rules


# --------------------------------------------------------------------------------------------------
# Evaluation


@dataclass
class _Group:
    kind: str
    entities: list[str]
    group_orders: int
    group_defects: int
    rest_orders: int
    rest_defects: int
    metric_defects: int
    order_ids: list[str]
    sole_defects: int
    extras: dict[str, Any]
    rows: list[dict[str, Any]]
    tests: int = 1            # groups of the kind examined (the Bonferroni divisor)

    @property
    def total_orders(self) -> int:
        return self.group_orders + self.rest_orders

    @property
    def rate_in(self) -> float | None:
        return self.group_defects / self.group_orders if self.group_orders else None

    @property
    def rate_out(self) -> float | None:
        return self.rest_defects / self.rest_orders if self.rest_orders > 0 else None

    @property
    def lift(self) -> float | None:
        """rate_in / rate_out; ``inf`` when no other order has the pattern; None without other orders."""
        if self.rate_out is None or self.rate_in is None:
            return None
        return self.rate_in / self.rate_out if self.rate_out > 0 else math.inf

    @property
    def share(self) -> float:
        return self.group_defects / self.metric_defects if self.metric_defects else 0.0


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def hypergeom_sf(x: int, total: int, successes: int, draws: int) -> float:
    """P(X >= x) for X ~ Hypergeometric(``total`` items of which ``successes`` are marked, ``draws`` drawn).

    Exact: the terms C(K, k) C(N - K, n - k) / C(N, n) for k = x .. min(n, K) summed in log space
    (``math.lgamma``; log-sum-exp), so large counts neither overflow nor lose the small tail.
    """
    if not 0 <= successes <= total or not 0 <= draws <= total:
        raise ValueError(f"hypergeometric: K={successes}, n={draws} must lie in 0..N={total}")
    low = max(0, draws - (total - successes))
    high = min(draws, successes)
    x = max(x, low)
    if x > high:
        return 0.0
    denom = _log_choose(total, draws)
    logs = [_log_choose(successes, k) + _log_choose(total - successes, draws - k) - denom
            for k in range(x, high + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * math.fsum(math.exp(v - top) for v in logs))


def fisher_one_sided(group_defects: int, group_orders: int, rest_defects: int, rest_orders: int) -> float:
    """One-sided Fisher exact test p-value that the group's defect rate is HIGHER than the rest's.

    Given the window's orders and defects, the chance that a random set of ``group_orders`` orders holds
    at least ``group_defects`` defects: the hypergeometric upper tail.
    """
    total = group_orders + rest_orders
    return hypergeom_sf(group_defects, total, group_defects + rest_defects, group_orders)


def _p_value(g: _Group) -> float:
    return fisher_one_sided(g.group_defects, g.group_orders, g.rest_defects, g.rest_orders)


def _lift_ok(g: _Group, th: Thresholds, tests: int = 1) -> bool:
    """The group stands out: its rate is ``min_lift`` times the others', it is not most of the window, and
    a one-sided Fisher exact test against the other orders gives p < ``alpha`` / ``tests`` (Bonferroni
    correction for the number of groups examined), so it is not one of many groups high by chance."""
    if th.min_lift <= 0:
        return True
    if not g.total_orders or g.group_orders / g.total_orders > th.max_group_fraction:
        return False
    if not (g.rest_orders > 0 and g.lift is not None and g.lift >= th.min_lift):
        return False
    return _p_value(g) < th.alpha / max(tests, 1)


def _row_group(row: Mapping[str, Any]) -> _Group:
    return _Group(kind=row["entity_kind"], entities=[str(row["entity"])],
                  group_orders=int(row["group_orders"]), group_defects=int(row["group_defects"]),
                  rest_orders=max(int(row["rest_orders"]), 0), rest_defects=max(int(row["rest_defects"]), 0),
                  metric_defects=int(row["metric_defects"]), order_ids=list(row["order_ids"] or []),
                  sole_defects=int(row.get("sum_sole_defects", row["group_defects"]) or 0),
                  extras={}, rows=[dict(row)])


def _combine(rows: list[Mapping[str, Any]]) -> _Group:
    """One group from several rows of the same kind (see the module docstring on counting)."""
    first = rows[0]
    total_orders = int(first["group_orders"]) + int(first["rest_orders"])
    total_pattern = int(first["group_defects"]) + int(first["rest_defects"])
    order_ids = sorted({o for r in rows for o in (r["order_ids"] or [])})
    group_orders = min(sum(int(r["group_orders"]) for r in rows), total_orders)
    if int(first["rest_orders"]) == 0:          # a whole-window group (no lift)
        group_orders = total_orders
    group_defects = len(order_ids)
    extras: dict[str, Any] = {}
    for key in first:
        if key.startswith("sum_"):
            extras[key] = sum(int(r.get(key) or 0) for r in rows)
        elif key.startswith("top_"):
            extras[key] = first[key]
        elif key.startswith("ent_"):
            extras[key] = sorted({str(v) for r in rows for v in (r.get(key) or []) if v is not None})
    return _Group(kind=str(first["entity_kind"]), entities=[str(r["entity"]) for r in rows],
                  group_orders=group_orders, group_defects=group_defects,
                  rest_orders=total_orders - group_orders, rest_defects=max(total_pattern - group_defects, 0),
                  metric_defects=int(first["metric_defects"]), order_ids=order_ids,
                  sole_defects=int(extras.get("sum_sole_defects", group_defects)), extras=extras,
                  rows=[dict(r) for r in rows])


def _evaluate_kind(rows: list[dict[str, Any]], th: Thresholds) -> _Group | None:
    """Select the groups of one kind that stand out, greedily, and combine them.

    Rows are taken by pattern count. A row is added when it has ``min_group_orders`` orders, brings at
    least ``min_entity_defects`` pattern orders not already explained by the groups chosen before it (an
    order holding two ASINs is explained once), and its rate is ``min_lift`` times the rate of the orders
    outside it and outside the groups already chosen (so Saturday is compared with the weekdays, not with
    Sunday), with a one-sided Fisher exact p-value under ``alpha`` divided by the number of groups
    examined (those with ``min_group_orders`` orders and a pattern order). The combination is tested the
    same way.
    """
    ordered = sorted(rows, key=lambda r: (-int(r["group_defects"]),
                                          -int(r["group_defects"]) / max(int(r["group_orders"]), 1),
                                          str(r["entity"])))
    tests = sum(1 for r in rows if int(r["group_orders"]) >= th.min_group_orders)
    chosen: list[dict[str, Any]] = []
    covered: set[str] = set()
    for row in ordered:
        if len(chosen) >= th.max_entities:
            break
        g = _row_group(row)
        ids = set(g.order_ids)
        if g.group_orders < th.min_group_orders or len(ids - covered) < th.min_entity_defects:
            continue
        if chosen and th.min_lift > 0:
            before = _combine(chosen)
            g = replace(g, rest_orders=max(before.rest_orders - g.group_orders, 0),
                        rest_defects=max(g.group_defects + g.rest_defects - len(covered | ids), 0))
        if not _lift_ok(g, th, tests):
            continue
        chosen.append(row)
        covered |= ids
    if not chosen:
        return None
    order = settings().get("entity_order", {}).get(str(chosen[0]["entity_kind"]))
    if order:
        chosen.sort(key=lambda r: order.index(r["entity"]) if r["entity"] in order else len(order))
    group = _combine(chosen)
    if (group.group_defects >= th.min_defects and group.share >= th.min_share
            and group.group_orders >= th.min_group_orders
            and _lift_ok(group, th, tests)):
        group.tests = tests
        return group
    return None


def _bind(sql: str, values: Mapping[str, Any]) -> dict[str, Any]:
    wanted = metrics_mod.query_parameters(sql)
    missing = wanted - set(values)
    if missing:
        raise ValueError(f"rule query needs parameters {sorted(missing)} that the rule does not give")
    return {k: values[k] for k in wanted}


def _query_rows(con: duckdb.DuckDBPyConnection, name: str, values: Mapping[str, Any],
                by: str | None = None) -> list[dict[str, Any]]:
    sql = _evidence_sql(name, by)
    if "metric_window" in sql:      # the family's window orders, materialised once per window
        metrics_mod.use_window(con, values["family"], values["window_start"], values["window_end"])
        if "metric_window_items" in sql:
            metrics_mod.window_items(con)
    cur = con.execute(sql, _bind(sql, values))
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    for row in rows:
        row.update(row.pop("measures", None) or {})
    return rows


def _metric_cfg(key: str) -> dict[str, Any]:
    return assets.load_toml("metrics.toml")["metrics"][key]


# --------------------------------------------------------------------------------------------------
# Text


def _pct(x: float | None) -> str:
    if x is None:
        return "n/a"
    if x == 0:
        return "0%"
    return f"{x * 100:.1f}%" if x * 100 < 99.95 else "100%"


def _human_list(items: Sequence[str], limit: int = 6) -> str:
    items = [neutralize_text(str(i)) for i in items if str(i)]
    if not items:
        return ""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _lift_text(g: _Group) -> str:
    lift = g.lift
    if lift is None:
        return "n/a"
    if math.isinf(lift):
        return "none of the other orders"
    return f"{lift:.1f} times the rate of the other orders"


def _fields(rule: Rule, g: _Group, metric: MetricResult, what_if: float | None) -> dict[str, Any]:
    labels = settings()["entity_labels"]
    singular, plural = labels.get(g.kind, [g.kind, g.kind])
    grammar = settings()["grammar"]["one" if len(g.entities) == 1 else "many"]
    values: dict[str, Any] = {
        "count": g.group_defects, "metric_defects": g.metric_defects, "share_pct": _pct(g.share),
        "group_orders": g.group_orders, "rest_orders": g.rest_orders, "rest_defects": g.rest_defects,
        "rate_in_pct": _pct(g.rate_in), "rate_out_pct": _pct(g.rate_out), "lift_text": _lift_text(g),
        "lift_paren": f" ({_lift_text(g)})" if g.lift is not None and not math.isinf(g.lift) else "",
        "entities": _human_list(g.entities), "entity_label": singular if len(g.entities) == 1 else plural,
        "window": f"{metric.window_start.isoformat()} to {metric.window_end.isoformat()}"
        if metric.window_start and metric.window_end else "the window",
        "window_days": (metric.window_end - metric.window_start).days + 1
        if metric.window_start and metric.window_end else "",
        "metric_label": metric.label, "metric_rate_pct": _pct(metric.rate), "what_if_pct": _pct(what_if),
        "sole_defects": g.sole_defects,
        "this": grammar["this"], "its": grammar["its"], "s": grammar["s"],
    }
    for key, value in g.extras.items():
        if key.startswith("ent_"):
            values[key[4:]] = _human_list(value)
        elif key.startswith("top_") and isinstance(value, str):
            values[key] = neutralize_text(value)[:160]
        else:
            values[key] = "n/a" if value is None else value
    products = g.extras.get("ent_products") or []
    values["products_paren"] = f" ({_human_list(products, 2)})" if products else ""
    return values


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"statement or action template uses unknown field {{{key}}}")


def _corrective(text: str) -> str:
    """A corrective action in the Plan of Action's form: ``[[date]]: We <past-tense action>``."""
    return f"[[date]]: We {text[:1].lower()}{text[1:]}"


def _fmt(template: str, values: Mapping[str, Any]) -> str:
    return template.format_map(_Fields(values))


# --------------------------------------------------------------------------------------------------
# Confidence and corroboration


def _confidence(g: _Group, th: Thresholds) -> str:
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


def _shift(level: str, step: int) -> str:
    i = max(0, min(len(_CONFIDENCE) - 1, _CONFIDENCE.index(level) + step))
    return _CONFIDENCE[i]


def _corroborate(con: duckdb.DuckDBPyConnection, rule: Rule, asins: list[str], metric: MetricResult,
                 supplied: set[str]) -> tuple[str | None, int, dict[str, Any]]:
    """(text, confidence step, evidence) from the returns exports about the finding's ASINs."""
    if not rule.corroborate_returns or not asins or not ({"returns_mfn", "returns_fba"} & supplied):
        return None, 0, {}
    rows = _query_rows(con, "rule_returns_corroboration", {
        "asins": list(asins), "window_start": metric.window_start, "window_end": metric.window_end,
        "codes": list(rule.corroborate_returns)})
    total = sum(int(r["returns"]) for r in rows)
    support = [(r["code"], int(r["returns"])) for r in rows if r["supporting"]]
    supporting = sum(n for _, n in support)
    evidence = {"returns": total, "supporting_returns": supporting,
                "supporting_codes": {c: n for c, n in support}}
    who = _human_list(asins)
    if supporting:
        codes = ", ".join(f"{c} ({n})" for c, n in support)
        text = (f"Returns corroborate: {supporting} of {total} returns of {who} from orders in the window "
                f"give {codes}.")
        return text, 1, evidence
    if total >= int(settings()["corroboration"]["min_returns_to_weaken"]):
        text = (f"Returns do not corroborate: none of the {total} returns of {who} from orders in the "
                f"window gives a reason or disposition that matches this cause.")
        return text, -1, evidence
    return None, 0, evidence


# --------------------------------------------------------------------------------------------------
# Prerequisite tables


def _ensure_feedback_themes(con: duckdb.DuckDBPyConnection, params: MetricParams) -> None:
    if not _table_exists(con, "feedback_themes"):
        from . import themes
        themes.theme_table(con)


def _ensure_removable_orders(con: duckdb.DuckDBPyConnection, params: MetricParams) -> None:
    _ensure_feedback_themes(con, params)
    frame = metrics_mod.removable_feedback(con, params)
    table = pd.DataFrame({"order_id": frame["order_id"].astype("object"),
                          "reason_code": frame["reason_code"].astype("object")})
    con.register("__sellerdx_removable", table)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE removable_orders AS "
                    "SELECT CAST(order_id AS VARCHAR) AS order_id, CAST(reason_code AS VARCHAR) AS reason_code "
                    "FROM __sellerdx_removable")
    finally:
        con.unregister("__sellerdx_removable")


_PREREQUISITES = {"feedback_themes": _ensure_feedback_themes, "removable_orders": _ensure_removable_orders}


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $n", {"n": name}).fetchone()[0] > 0


# --------------------------------------------------------------------------------------------------
# Public API


@dataclass(frozen=True)
class _Candidate:
    finding: Finding
    rule: Rule
    preference: tuple[int, int]


def _evaluate(con: duckdb.DuckDBPyConnection, rule: Rule, key: str, metric: MetricResult, as_of: dt.date,
              supplied: set[str]) -> Finding | None:
    cfg = _metric_cfg(key)
    values = {"family": cfg["family"], "window_start": metric.window_start, "window_end": metric.window_end,
              "as_of": as_of, **rule.params}
    rows = _query_rows(con, rule.query, values, rule.by)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kind.setdefault(str(row["entity_kind"]), []).append(row)
    passing = [g for g in (_evaluate_kind(rs, rule.thresholds) for rs in by_kind.values()) if g is not None]
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
    values = _fields(rule, main, metric, what_if)
    confidence = _confidence(main, rule.thresholds)
    corroboration, step, corr_evidence = _corroborate(con, rule, entities.get("asins", []), metric, supplied)
    confidence = _shift(confidence, step)
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
                         "share": g.share, "p_value": _p_value(g) if g.rest_orders > 0 else None,
                         "restates_main": i in restating}
                        for i, g in enumerate(passing) if i > 0],
        "p_value": _p_value(main) if rule.thresholds.min_lift > 0 and main.rest_orders > 0 else None,
        "groups_tested": main.tests,
        "thresholds": vars(rule.thresholds).copy(),
    }
    if corr_evidence:
        evidence["returns"] = corr_evidence
    return Finding(
        code=rule.id, metric=key, title=rule.title, statement=_fmt(rule.statement, values),
        share=main.share, confidence=confidence, entities=entities, order_ids=tuple(main.order_ids),
        corrective_actions=tuple(_corrective(_fmt(a, values)) for a in rule.corrective),
        preventive_actions=tuple(_fmt(p.text(), values) for p in rule.preventive),
        corroboration=corroboration, evidence=evidence,
        chart={"by": chart_by, "metric": key} if chart_by else None)


def _overlap(a: Sequence[str], b: Sequence[str]) -> tuple[float, float]:
    """(overlap over the smaller set, Jaccard) of two order-id lists."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0, 0.0
    inter = len(sa & sb)
    return inter / min(len(sa), len(sb)), inter / len(sa | sb)


def poa_family(metric_key: str) -> str:
    """The metric family a Plan of Action section covers (``odr``, ``pfcr``, ``lsr``, ``vtr``, ``otdr``)."""
    return str(_metric_cfg(metric_key)["query"])


def _dedupe(candidates: list[_Candidate]) -> list[Finding]:
    cfg = settings()["merge"]
    candidates = sorted(candidates, key=lambda c: c.preference)
    kept: list[Finding] = []
    # 1. the same code for several metrics / windows: keep the preferred one
    for c in candidates:
        if any(k.code == c.finding.code and _overlap(k.order_ids, c.finding.order_ids)[0] >= cfg["same_code_overlap"]
               for k in kept):
            continue
        kept.append(c.finding)
    # 2. different codes about (nearly) the same orders of one family: merge into the larger share
    kept.sort(key=lambda f: (-f.share, f.code))
    out: list[Finding] = []
    apart = set(cfg.get("keep_apart", []))
    for f in kept:
        target = next((i for i, o in enumerate(out)
                       if f.code not in apart and o.code not in apart
                       and poa_family(o.metric) == poa_family(f.metric)
                       and _overlap(o.order_ids, f.order_ids)[1] >= cfg["different_code_jaccard"]), None)
        if target is None:
            out.append(f)
            continue
        o = out[target]
        # only the kinds the kept finding names (another code's ASIN on the same orders); a kind it does
        # not name (carriers beside an ASIN) was no concentration of its orders: left in "merged"
        entities = {k: list(v) for k, v in o.entities.items()}
        for k, v in f.entities.items():
            if k in entities:
                entities[k] += [e for e in v if e not in entities[k]]
        merged = list(o.evidence.get("merged", [])) + [{"code": f.code, "title": f.title, "statement": f.statement,
                                                        "entities": {k: list(v) for k, v in f.entities.items()}}]
        out[target] = replace(o, entities=entities, evidence={**o.evidence, "merged": merged},
                              order_ids=tuple(sorted(set(o.order_ids) | set(f.order_ids))))
    return out


def diagnose(con: duckdb.DuckDBPyConnection, metrics: Mapping[str, MetricResult],
             params: MetricParams | None = None, *, rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Findings for every metric that has a window and defects, sorted by metric status then share.

    ``metrics`` is :func:`sellerdx.metrics.compute_metrics`' result on the same connection. Metrics that are
    ``not_computed`` or have no orders are skipped; findings are made for ``ok`` metrics too (the Plan of
    Action keeps only the at-risk ones).
    """
    params = params or MetricParams()
    metrics_mod.prepare(con)
    as_of = metrics_mod.resolve_as_of(con, params.as_of)
    supplied = store.supplied_kinds(con)
    rules = list(rules) if rules is not None else load_rules()
    ready: set[str] = set()
    todo: list[tuple[tuple[Any, ...], int, Rule, int, str, MetricResult]] = []
    for r_index, rule in enumerate(rules):
        for position, key in enumerate(rule.metrics):
            metric = metrics.get(key)
            if metric is None or metric.status not in ("ok", "at_risk") or metric.window_start is None:
                continue
            window = (_metric_cfg(key)["family"], metric.window_start, metric.window_end)
            todo.append((window, r_index, rule, position, key, metric))
    # one window at a time (each rule query reads metric_window), then back in rule order
    found: dict[tuple[int, int], _Candidate] = {}
    for window, r_index, rule, position, key, metric in sorted(todo, key=lambda t: (str(t[0]), t[1], t[3])):
        for req in rule.requires:
            if req not in ready:
                _PREREQUISITES[req](con, params)
                ready.add(req)
        finding = _evaluate(con, rule, key, metric, as_of, supplied)
        if finding is not None:
            found[(r_index, position)] = _Candidate(finding, rule, (_STATUS_ORDER[metric.status], position))
    candidates = [found[k] for k in sorted(found)]
    findings = _dedupe(candidates)
    return sorted(findings, key=lambda f: (_STATUS_ORDER.get(metrics[f.metric].status, 9), -f.share, f.code))


# --------------------------------------------------------------------------------------------------
# Rule test cases: small data sets described in the rule files


_ORDER_COUNTER_START = 1000001


def case_frames(spec: Mapping[str, Any]) -> tuple[dt.date, dict[str, pd.DataFrame]]:
    """Expand a rule test case (``[[rule.fires]]`` entry) into (as_of, frames for ``load_frames``).

    The case has ``as_of`` (default ``settings()['cases']['as_of']``), ``defaults`` (batch values shared by
    the case's batches) and ``batches``: each batch is ``n``
    identical orders purchased on the days ``days = [from, to]`` days before as-of (spread evenly, only on
    ``weekdays`` when given), with ``channel``, ``sku``, ``asin``, ``product``, ``carrier``, ``service``,
    ``tracking`` (false = no tracking id) and counts of defects given to the batch's first orders:
    ``late`` (confirmed ``late_days`` after the expected ship date; ``scan_on_time`` = handed to the
    carrier before it), ``negative`` (``rating``, ``comment``, ``feedback_status``), ``claims``
    (``claim_reason``, ``claim_status``), ``chargebacks`` (``chargeback_reason``, ``chargeback_type``),
    ``returns`` (``return_reason``, ``return_disposition``), ``delivered_late``, ``lost`` (the
    ``lost`` orders after the ``delivered_late`` ones have a promised but no delivered date); ``cancel``
    cancels the batch's last orders (``cancel_reason``, ``cancelled_by``).
    """
    defaults = settings()["cases"]
    as_of = dt.date.fromisoformat(str(spec.get("as_of", defaults["as_of"])))
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "orders", "shipments", "cancellations", "feedback", "claims", "chargebacks")}
    returns_mfn: list[dict[str, Any]] = []
    returns_fba: list[dict[str, Any]] = []
    counter = _ORDER_COUNTER_START
    for b_index, batch in enumerate(spec.get("batches", [])):
        b = {**defaults["batch"], **spec.get("defaults", {}), **batch}
        lo, hi = b["days"]
        days = [as_of - dt.timedelta(days=d) for d in range(lo, hi + 1)]
        if b.get("weekdays"):
            days = [d for d in days if d.strftime("%A") in b["weekdays"]]
        if not days:
            raise ValueError(f"case batch {b_index}: no purchase day matches days/weekdays")
        n = int(b["n"])
        n_cancel = int(b.get("cancel", 0))
        for i in range(n):
            counter += 1
            order_id = f"{111 + b_index % 800:03d}-{counter:07d}-{(counter * 7919) % 10_000_000:07d}"
            day = days[i % len(days)]
            purchase = dt.datetime.combine(day, dt.time(15, 0))
            cancelled = i >= n - n_cancel
            rows["orders"].append({
                "order_id": order_id, "purchase_ts": purchase, "last_updated_ts": purchase,
                "order_status": "Cancelled" if cancelled else "Shipped",
                "fulfillment_channel": "Merchant" if b["channel"] == "MFN" else "Amazon",
                "sales_channel": "Amazon.com", "ship_service_level": b["service"],
                "product_name": b["product"], "sku": b["sku"], "asin": b["asin"],
                "item_status": "Cancelled" if cancelled else "Shipped", "quantity": 1,
                "currency": "USD", "item_price": 20.0, "ship_country": "US", "ship_state": b.get("state")})
            if cancelled:
                rows["cancellations"].append({
                    "order_id": order_id, "cancel_date": day, "cancelled_by": b["cancelled_by"],
                    "cancel_reason": b["cancel_reason"], "sku": b["sku"]})
                continue
            if b["channel"] == "MFN":
                expected = purchase + dt.timedelta(days=int(b["handling_days"]), hours=8)
                late = i < int(b.get("late", 0))
                if late:
                    confirm = expected + dt.timedelta(days=int(b["late_days"]))
                    scan = (expected - dt.timedelta(hours=6)) if b.get("scan_on_time") else confirm + dt.timedelta(hours=3)
                else:
                    confirm = purchase + dt.timedelta(hours=20)
                    scan = confirm + dt.timedelta(hours=3)
                promised = (confirm + dt.timedelta(days=3)).date()
                n_late = int(b.get("delivered_late", 0))
                delivered: dt.date | None = promised + dt.timedelta(days=2 if i < n_late else -1)
                if n_late <= i < n_late + int(b.get("lost", 0)):
                    delivered = None
                rows["shipments"].append({
                    "order_id": order_id, "expected_ship_ts": expected, "ship_confirm_ts": confirm,
                    "carrier": b["carrier"], "shipping_service": b["service"],
                    "tracking_id": f"TRK{counter:09d}" if b["tracking"] else None,
                    "first_scan_ts": scan, "promised_delivery_date": promised, "delivered_date": delivered,
                    "sku": b["sku"], "asin": b["asin"]})
            later = min(day + dt.timedelta(days=5), as_of)
            if i < int(b.get("negative", 0)):
                rows["feedback"].append({
                    "feedback_date": later, "rating": int(b["rating"]), "comments": b["comment"],
                    "order_id": order_id, "status": b.get("feedback_status")})
            if i < int(b.get("claims", 0)):
                rows["claims"].append({
                    "order_id": order_id, "claim_date": later, "claim_reason": b["claim_reason"],
                    "claim_status": b["claim_status"], "amount": 20.0})
            if i < int(b.get("chargebacks", 0)):
                rows["chargebacks"].append({
                    "order_id": order_id, "chargeback_date": later, "chargeback_reason": b["chargeback_reason"],
                    "chargeback_type": b["chargeback_type"]})
            if i < int(b.get("returns", 0)):
                if b["channel"] == "MFN":
                    returns_mfn.append({
                        "order_id": order_id, "order_date": day, "return_request_date": later,
                        "asin": b["asin"], "sku": b["sku"], "item_name": b["product"],
                        "return_quantity": 1, "return_reason": b["return_reason"]})
                else:
                    returns_fba.append({
                        "return_date": dt.datetime.combine(later, dt.time(12)), "order_id": order_id,
                        "sku": b["sku"], "asin": b["asin"], "product_name": b["product"], "quantity": 1,
                        "reason": b["return_reason"], "detailed_disposition": b["return_disposition"]})
    frames = {k: pd.DataFrame(v) for k, v in rows.items()}
    if returns_mfn:
        frames["returns_mfn"] = pd.DataFrame(returns_mfn)
    if returns_fba:
        frames["returns_fba"] = pd.DataFrame(returns_fba)
    return as_of, frames
