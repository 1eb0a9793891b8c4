"""The words of a finding: the fields its statement and action templates may use, and filling them.

A filled statement or action is a :class:`sellerdx.i18n.Message`: its template (the rule's TOML text, the
catalog's msgid) and typed fields — counts :class:`Count`, rates :class:`Rate`, shares :class:`Share`, days
:class:`Day`, entity lists :class:`Items`, our own words :class:`Term`, words agreeing with the number of
entities :class:`Plural` (``{entities_n:this|these}``). Its ``str`` is the English sentence sellerdx has
always written; a renderer writes it in the reader's language (``sellerdx.i18n.localize``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from sellerdx.diagnose.rules import PreventiveAction, Rule, settings
from sellerdx.diagnose.stats import Group
from sellerdx.i18n import Count, Day, Items, Message, Rate, Share, Term
from sellerdx.i18n.fields import Clause, Number, Plural
from sellerdx.model import MetricResult
from sellerdx.text import neutralize_text

NOT_AVAILABLE = "n/a"


def _rate(x: float | None) -> Any:
    """A rate in a statement: two decimals (:class:`Rate`); n/a when there is none."""
    return Term(NOT_AVAILABLE) if x is None else Rate(x)


def human_list(items: Sequence[str], limit: int = 6) -> Items:
    """Entities named in a sentence (untrusted values made inert): ``a, b and c`` / ``a、b和c``, beyond
    ``limit`` "and N more" (:class:`Items`)."""
    return Items([neutralize_text(str(i)) for i in items if str(i)], limit=limit)


def lift_text(g: Group) -> Any:
    lift = g.lift
    if lift is None:
        return Term(NOT_AVAILABLE)
    if math.isinf(lift):
        return Message("none of the other orders")
    # TRANSLATORS: {lift} is a number with one decimal, e.g. "3.2 times the rate of the other orders"
    return Message("{lift} times the rate of the other orders", {"lift": Number(lift, 1)})


def _value(value: Any) -> Any:
    """A value of the evidence query as a typed field: an integer is a :class:`Count`, a rounded figure a
    :class:`Number` with its decimals; text is data."""
    if value is None:
        return Term(NOT_AVAILABLE)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Count(value)
    if isinstance(value, float) and math.isfinite(value):
        text = repr(value)
        if "e" not in text and "." in text:
            return Number(value, len(text.partition(".")[2]))
    return value


def template_fields(rule: Rule, g: Group, metric: MetricResult, what_if: float | None) -> dict[str, Any]:
    labels = settings()["entity_labels"]
    singular, plural = labels.get(g.kind, [g.kind, g.kind])
    window = (Message("{start} to {end}", {"start": Day.of(metric.window_start), "end": Day.of(metric.window_end)})
              if metric.window_start and metric.window_end else Message("the window"))
    values: dict[str, Any] = {
        "count": Count(g.group_defects), "metric_defects": Count(g.metric_defects), "share_pct": Share(g.share),
        "group_orders": Count(g.group_orders), "rest_orders": Count(g.rest_orders),
        "rest_defects": Count(g.rest_defects),
        "rate_in_pct": _rate(g.rate_in), "rate_out_pct": _rate(g.rate_out), "lift_text": lift_text(g),
        # TRANSLATORS: a comparison added after a sentence, e.g. " (3.2 times the rate of the other orders)"
        "lift_paren": Message(" ({lift_text})", {"lift_text": lift_text(g)})
        if g.lift is not None and not math.isinf(g.lift) else "",
        "entities": human_list(g.entities), "entity_label": Term(singular if len(g.entities) == 1 else plural),
        "entities_n": Plural(len(g.entities)),
        "window": window,
        "window_days": Count((metric.window_end - metric.window_start).days + 1)
        if metric.window_start and metric.window_end else "",
        "metric_label": Term(metric.label), "metric_rate_pct": _rate(metric.rate), "what_if_pct": _rate(what_if),
        "sole_defects": Count(g.sole_defects),
    }
    for key, value in g.extras.items():
        if key.startswith("ent_"):
            values[key[4:]] = human_list(value)
        elif key.startswith("top_") and isinstance(value, str):
            values[key] = neutralize_text(value)[:160]
        else:
            values[key] = _value(value)
    products = g.extras.get("ent_products") or []
    values["products_paren"] = Message(" ({products})", {"products": human_list(products, 2)}) if products else ""
    return values


def corrective_text(action: Message | str) -> Message:
    """A corrective action in the Plan of Action's form: ``[[date]]: We <past-tense action>``."""
    # TRANSLATORS: {action:lower} is a corrective action ("Confirmed the shipment of …") with its first letter
    # lowered; write {action} instead where your language keeps the capital. [[date]] is a blank the seller fills.
    return Message("[[date]]: We {action:lower}", {"action": Clause(action)})


def fill(template: str, values: Mapping[str, Any]) -> Message:
    """A statement or action template filled with typed fields (:class:`sellerdx.i18n.Message`)."""
    return Message(template, values)


def preventive_text(action: PreventiveAction, values: Mapping[str, Any]) -> Message:
    """A preventive action in the Plan of Action's form: ``<action> — Owner: … · Frequency: … · Measure: …``."""
    return Message("{action} — Owner: {owner} · Frequency: {frequency} · Measure: {measure}", {
        "action": fill(action.action.rstrip("."), values), "owner": fill(action.owner, values),
        "frequency": fill(action.frequency, values), "measure": fill(action.measure.rstrip("."), values)})
