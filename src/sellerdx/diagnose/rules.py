"""Rules as data: ``data/rules/*.toml`` read into :class:`Rule` values, and their evidence queries
(``queries/rules/rule_<evidence>.sql``, ``__BY__`` replaced by a whitelisted grouping column, or
``$grouping`` naming a grouping of the window's group counts, ``metric_window_groups``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sellerdx import assets
from sellerdx import metrics as metrics_stage
from sellerdx.errors import BadOptionError

RULES_FOLDER = "rules"
SETTINGS_FILE = "_settings.toml"


@dataclass(frozen=True)
class Thresholds:
    """When a rule fires (see :mod:`sellerdx.diagnose`)."""
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


def rule_files() -> list[str]:
    folder = assets.asset_dir("data") / RULES_FOLDER
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith(".toml") and not p.name.startswith("_") and p.is_file())


def rule_cases(raw: Sequence[Mapping[str, Any]]) -> tuple[RuleCase, ...]:
    out = []
    for case in raw:
        spec = {k: v for k, v in case.items() if k not in ("name", "expect")}
        out.append(RuleCase(name=str(case["name"]), spec=spec,
                            expect={k: list(v) for k, v in case.get("expect", {}).items()}))
    return tuple(out)


_BY_PLACEHOLDER = "__BY__"
_GROUPING_DEFAULTS: dict[str, Any] = {"groups": [], "measures": []}


def group_column(by: str) -> str:
    """The whitelisted column of grouping ``by`` (``data/breakdowns.toml``), checked to be m./f.<col>."""
    try:
        cfg = assets.load_toml("breakdowns.toml")["by"][by]
    except KeyError:
        raise ValueError(f"rules: unknown grouping by = {by!r} (not a [by.<name>] of breakdowns.toml)") from None
    try:
        column = metrics_stage.breakdown_column(by)
    except BadOptionError as exc:
        raise ValueError(str(exc)) from None
    if cfg.get("defects_only"):
        raise ValueError(f"rules: grouping {by!r} is an attribute of the defects only, not of every order")
    if metrics_stage.is_item_column(column):
        raise ValueError(f"rules: grouping {by!r} is an attribute of the order's items; rules group by item "
                         "with their own query (e.g. rule_late_sku.sql reads metric_window_items)")
    return column


def grouping_params(rule_id: str, by: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """A grouped rule's query parameters: the rule's ``params`` over the defaults, plus ``[group.<by>]``."""
    try:
        group = {k: settings()["group"][by][k] for k in ("entity_kind", "blank")}
    except KeyError:
        raise ValueError(f"rules: {rule_id} groups by {by!r}, which needs [group.{by}] with entity_kind "
                         f"and blank in {SETTINGS_FILE}") from None
    if set(group) & set(params):
        raise ValueError(f"rules: {rule_id} sets {sorted(set(group) & set(params))} in params; "
                         f"they come from [group.{by}] of {SETTINGS_FILE}")
    if "grouping" in params:
        raise ValueError(f"rules: {rule_id} sets 'grouping' in params; it is the rule's by = {by!r}")
    return {**_GROUPING_DEFAULTS, **params, **group, "grouping": by}


def _grouped(query: str, sql: str) -> bool:
    """Whether an evidence query groups by a rule's ``by``: it holds ``__BY__`` (the column) or reads
    ``$grouping`` (the grouping's name in metric_window_groups), alone or in its ``[batch]`` list."""
    batched = settings().get("batch", {}).get(query, {}).get("params", ())
    return _BY_PLACEHOLDER in sql or "grouping" in metrics_stage.query_parameters(sql) or "grouping" in batched


def evidence_sql(query: str, by: str | None) -> str:
    """The text of ``queries/<query>.sql``, its ``__BY__`` replaced by the column of grouping ``by``."""
    sql = assets.load_query(query)
    if _grouped(query, sql) != (by is not None):
        raise ValueError(f"rules: {query}.sql {'needs' if by is None else 'takes no'} grouping (by = ...)")
    if by is None:
        return sql
    column = metrics_stage.window_column(group_column(by))   # checked even where the query only names it
    return sql.replace(_BY_PLACEHOLDER, column)


QUERY_GROUPINGS: dict[str, tuple[str, ...]] = {"rule_claims_reason": ("carrier", "shipping_service")}
"""Evidence query -> the groupings of metric_window_groups it reads by name (beside a rule's ``by``)."""


def rule_groupings(query: str, by: str | None) -> frozenset[str]:
    """The groupings of the window's group counts (metric_window_groups) that ``query`` reads for a rule
    grouped by ``by``."""
    return frozenset({*QUERY_GROUPINGS.get(query, ()), *([by] if by is not None else [])})


def grouping_columns(names: frozenset[str] | set[str]) -> dict[str, str]:
    """Grouping name -> its ``w.<col>`` column of metric_window (``[by.<name>]`` of data/breakdowns.toml),
    for :func:`sellerdx.metrics.window_groups`."""
    return {by: metrics_stage.window_column(group_column(by)) for by in sorted(names)}


def load_rules() -> list[Rule]:
    """Every rule of ``data/rules/*.toml`` (files starting with ``_`` hold settings), in file order."""
    defaults = settings()["thresholds"]
    rules: list[Rule] = []
    seen: set[str] = set()
    for filename in rule_files():
        data = assets.load_toml(f"{RULES_FOLDER}/{filename}")
        for raw in data.get("rule", []):
            if raw["id"] in seen:
                raise ValueError(f"rules: duplicate rule id {raw['id']!r} in {filename}")
            seen.add(raw["id"])
            th = {**defaults, **raw.get("thresholds", {})}
            if "evidence" not in raw:
                raise ValueError(f"rules: {raw['id']} in {filename} names no evidence query (evidence = ...)")
            query, by = f"rule_{raw['evidence']}", raw.get("by")
            evidence_sql(query, by)
            params = dict(raw.get("params", {}))
            if by is not None:
                params = grouping_params(raw["id"], by, params)
            rules.append(Rule(
                id=raw["id"], metrics=tuple(raw["metrics"]), title=raw["title"], query=query, by=by,
                thresholds=Thresholds(**th), statement=" ".join(raw["statement"].split()),
                corrective=tuple(" ".join(c.split()) for c in raw["corrective"]),
                preventive=tuple(PreventiveAction(**p) for p in raw["preventive"]),
                params=params, requires=tuple(raw.get("requires", ())),
                corroborate_returns=tuple(c.upper() for c in raw.get("corroborate_returns", ())),
                description=" ".join(raw.get("description", "").split()),
                fires=rule_cases(raw.get("fires", [])), does_not_fire=rule_cases(raw.get("does_not_fire", [])),
                source=filename))
    return rules


