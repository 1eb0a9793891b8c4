"""The words of a finding: the fields its statement and action templates may use, and filling them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from sellerdx.diagnose.rules import Rule, settings
from sellerdx.diagnose.stats import Group
from sellerdx.model import MetricResult
from sellerdx.text import count, neutralize_text, rate, share


def _rate(x: float | None) -> str:
    """A rate in a statement: two decimals (sellerdx.text.rate); n/a when there is none."""
    return rate(x, missing="n/a")


def human_list(items: Sequence[str], limit: int = 6) -> str:
    items = [neutralize_text(str(i)) for i in items if str(i)]
    if not items:
        return ""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def lift_text(g: Group) -> str:
    lift = g.lift
    if lift is None:
        return "n/a"
    if math.isinf(lift):
        return "none of the other orders"
    return f"{lift:.1f} times the rate of the other orders"


def template_fields(rule: Rule, g: Group, metric: MetricResult, what_if: float | None) -> dict[str, Any]:
    labels = settings()["entity_labels"]
    singular, plural = labels.get(g.kind, [g.kind, g.kind])
    grammar = settings()["grammar"]["one" if len(g.entities) == 1 else "many"]
    values: dict[str, Any] = {
        "count": g.group_defects, "metric_defects": g.metric_defects, "share_pct": share(g.share),
        "group_orders": g.group_orders, "rest_orders": g.rest_orders, "rest_defects": g.rest_defects,
        "rate_in_pct": _rate(g.rate_in), "rate_out_pct": _rate(g.rate_out), "lift_text": lift_text(g),
        "lift_paren": f" ({lift_text(g)})" if g.lift is not None and not math.isinf(g.lift) else "",
        "entities": human_list(g.entities), "entity_label": singular if len(g.entities) == 1 else plural,
        "window": f"{metric.window_start.isoformat()} to {metric.window_end.isoformat()}"
        if metric.window_start and metric.window_end else "the window",
        "window_days": (metric.window_end - metric.window_start).days + 1
        if metric.window_start and metric.window_end else "",
        "metric_label": metric.label, "metric_rate_pct": _rate(metric.rate), "what_if_pct": _rate(what_if),
        "sole_defects": g.sole_defects,
        "this": grammar["this"], "its": grammar["its"], "s": grammar["s"],
    }
    for key, value in g.extras.items():
        if key.startswith("ent_"):
            values[key[4:]] = human_list(value)
        elif key.startswith("top_") and isinstance(value, str):
            values[key] = neutralize_text(value)[:160]
        else:
            values[key] = "n/a" if value is None else value
    products = g.extras.get("ent_products") or []
    values["products_paren"] = f" ({human_list(products, 2)})" if products else ""
    return values


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"statement or action template uses unknown field {{{key}}}")


def corrective_text(text: str) -> str:
    """A corrective action in the Plan of Action's form: ``[[date]]: We <past-tense action>``."""
    return f"[[date]]: We {text[:1].lower()}{text[1:]}"


def fill(template: str, values: Mapping[str, Any]) -> str:
    """A statement or action template filled; counts get thousands separators (one number format)."""
    return template.format_map(_Fields({k: count(v) if isinstance(v, int) and not isinstance(v, bool) else v
                                        for k, v in values.items()}))


