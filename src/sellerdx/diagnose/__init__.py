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
``[by.<name>]`` column of ``data/breakdowns.toml`` (checked to be ``m.<col>`` or ``f.<col>``, as
:func:`sellerdx.metrics.breakdown` does) is one grouping of the window's group counts
(:func:`sellerdx.metrics.window_groups`, counted once per window for every rule that reads them; the query
gets ``grouping = <name>``), and ``[group.<name>]`` of ``data/rules/_settings.toml`` gives the query
parameters ``entity_kind`` and ``blank``; ``groups`` and ``measures`` default to ``[]`` and may be set in
the rule's ``params``. A query may instead hold ``__BY__``, replaced by that column. The rules of a window
that share a query listed under ``[batch]`` of ``_settings.toml`` run it once (:class:`.evaluate.RuleRows`).

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

The package holds one concern per module: :mod:`.rules` (rules as data), :mod:`.stats` (group
statistics), :mod:`.wording` (statement and action fields), :mod:`.evaluate` (one rule on one window),
:mod:`.merge` (keeping and merging candidates) and :mod:`.testing` (the rule-case language of the
``fires`` / ``does_not_fire`` cases).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from sellerdx import metrics as metrics_stage
from sellerdx import store
from sellerdx.diagnose.evaluate import PREREQUISITES, RuleRows, evaluate_rule, metric_config, rule_values
from sellerdx.diagnose.merge import STATUS_ORDER, Candidate, dedupe, poa_family
from sellerdx.diagnose.rules import PreventiveAction, Rule, RuleCase, Thresholds, load_rules, settings
from sellerdx.diagnose.stats import fisher_one_sided, hypergeom_sf
from sellerdx.metrics import MetricParams
from sellerdx.model import Finding, MetricResult


def diagnose(con: duckdb.DuckDBPyConnection, metrics: Mapping[str, MetricResult],
             params: MetricParams | None = None, *, rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Findings for every metric that has a window and defects, sorted by metric status then share.

    ``metrics`` is :func:`sellerdx.metrics.compute_metrics`' result on the same connection. Metrics that are
    ``not_computed`` or have no orders are skipped; findings are made for ``ok`` metrics too (the Plan of
    Action keeps only the at-risk ones).
    """
    params = params or MetricParams()
    metrics_stage.prepare(con)
    as_of = metrics_stage.resolve_as_of(con, params.as_of)
    supplied = store.supplied_kinds(con)
    rules = list(rules) if rules is not None else load_rules()
    ready: set[str] = set()
    todo: list[tuple[tuple[Any, ...], int, Rule, int, str, MetricResult]] = []
    for r_index, rule in enumerate(rules):
        for position, key in enumerate(rule.metrics):
            metric = metrics.get(key)
            if metric is None or metric.status not in ("ok", "at_risk", "not_enforced") or metric.window_start is None:
                continue
            window = (metric_config(key)["family"], metric.window_start, metric.window_end)
            todo.append((window, r_index, rule, position, key, metric))
    # one window at a time (each rule query reads metric_window), then back in rule order; the queries that
    # answer several rules of a window at once ([batch]) run once for all of them
    evidence_rows = RuleRows()
    for _window, _r, rule, _p, key, metric in todo:
        evidence_rows.plan(rule, rule_values(rule, key, metric, as_of))
    found: dict[tuple[int, int], Candidate] = {}
    for _window, r_index, rule, position, key, metric in sorted(todo, key=lambda t: (str(t[0]), t[1], t[3])):
        for req in rule.requires:
            if req not in ready:
                PREREQUISITES[req](con, params)
                ready.add(req)
        finding = evaluate_rule(con, rule, key, metric, as_of, supplied, evidence_rows)
        if finding is not None:
            found[(r_index, position)] = Candidate(finding, rule, (STATUS_ORDER[metric.status], position))
    candidates = [found[k] for k in sorted(found)]
    findings = dedupe(candidates)
    return sorted(findings, key=lambda f: (STATUS_ORDER.get(metrics[f.metric].status, 9), -f.share, f.code))




__all__ = ["PreventiveAction", "Rule", "RuleCase", "Thresholds", "diagnose", "fisher_one_sided", "hypergeom_sf",
           "load_rules", "poa_family", "settings"]
