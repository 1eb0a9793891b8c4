"""Group statistics: does a group (an ASIN, a carrier, a weekday) stand out from the other orders?

A one-sided Fisher exact test (exact hypergeometric tail in log space) with a Bonferroni correction over
the groups examined, a minimum lift and minimum counts; groups of one kind are chosen greedily and combined."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sellerdx.diagnose.rules import Thresholds, settings


@dataclass
class Group:
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


def p_value(g: Group) -> float:
    return fisher_one_sided(g.group_defects, g.group_orders, g.rest_defects, g.rest_orders)


def lift_ok(g: Group, th: Thresholds, tests: int = 1) -> bool:
    """The group stands out: its rate is ``min_lift`` times the others', it is not most of the window, and
    a one-sided Fisher exact test against the other orders gives p < ``alpha`` / ``tests`` (Bonferroni
    correction for the number of groups examined), so it is not one of many groups high by chance."""
    if th.min_lift <= 0:
        return True
    if not g.total_orders or g.group_orders / g.total_orders > th.max_group_fraction:
        return False
    if not (g.rest_orders > 0 and g.lift is not None and g.lift >= th.min_lift):
        return False
    return p_value(g) < th.alpha / max(tests, 1)


def row_group(row: Mapping[str, Any]) -> Group:
    return Group(kind=row["entity_kind"], entities=[str(row["entity"])],
                  group_orders=int(row["group_orders"]), group_defects=int(row["group_defects"]),
                  rest_orders=max(int(row["rest_orders"]), 0), rest_defects=max(int(row["rest_defects"]), 0),
                  metric_defects=int(row["metric_defects"]), order_ids=list(row["order_ids"] or []),
                  sole_defects=int(row.get("sum_sole_defects", row["group_defects"]) or 0),
                  extras={}, rows=[dict(row)])


def combine(rows: list[Mapping[str, Any]]) -> Group:
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
    return Group(kind=str(first["entity_kind"]), entities=[str(r["entity"]) for r in rows],
                  group_orders=group_orders, group_defects=group_defects,
                  rest_orders=total_orders - group_orders, rest_defects=max(total_pattern - group_defects, 0),
                  metric_defects=int(first["metric_defects"]), order_ids=order_ids,
                  sole_defects=int(extras.get("sum_sole_defects", group_defects)), extras=extras,
                  rows=[dict(r) for r in rows])


def evaluate_kind(rows: list[dict[str, Any]], th: Thresholds) -> Group | None:
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
        g = row_group(row)
        ids = set(g.order_ids)
        if g.group_orders < th.min_group_orders or len(ids - covered) < th.min_entity_defects:
            continue
        if chosen and th.min_lift > 0:
            before = combine(chosen)
            g = replace(g, rest_orders=max(before.rest_orders - g.group_orders, 0),
                        rest_defects=max(g.group_defects + g.rest_defects - len(covered | ids), 0))
        if not lift_ok(g, th, tests):
            continue
        chosen.append(row)
        covered |= ids
    if not chosen:
        return None
    order = settings().get("entity_order", {}).get(str(chosen[0]["entity_kind"]))
    if order:
        chosen.sort(key=lambda r: order.index(r["entity"]) if r["entity"] in order else len(order))
    group = combine(chosen)
    if (group.group_defects >= th.min_defects and group.share >= th.min_share
            and group.group_orders >= th.min_group_orders
            and lift_ok(group, th, tests)):
        group.tests = tests
        return group
    return None


