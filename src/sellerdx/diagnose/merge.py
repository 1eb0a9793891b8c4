"""Merging candidate findings: the same code for several metrics kept once, findings about (nearly) the
same orders merged into the larger one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sellerdx.diagnose.evaluate import metric_config
from sellerdx.diagnose.rules import Rule, settings
from sellerdx.model import Finding

STATUS_ORDER = {"at_risk": 0, "not_enforced": 1, "ok": 2, "no_orders": 3, "not_computed": 4}
"""Metric status -> rank: findings of at-risk metrics first."""


@dataclass(frozen=True)
class Candidate:
    finding: Finding
    rule: Rule
    preference: tuple[int, int]




def overlap(a: Sequence[str], b: Sequence[str]) -> tuple[float, float]:
    """(overlap over the smaller set, Jaccard) of two order-id lists."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0, 0.0
    inter = len(sa & sb)
    return inter / min(len(sa), len(sb)), inter / len(sa | sb)


def poa_family(metric_key: str) -> str:
    """The metric family a Plan of Action section covers (``odr``, ``pfcr``, ``lsr``, ``vtr``, ``otdr``)."""
    return str(metric_config(metric_key)["query"])


def dedupe(candidates: list[Candidate]) -> list[Finding]:
    cfg = settings()["merge"]
    candidates = sorted(candidates, key=lambda c: c.preference)
    kept: list[Finding] = []
    # 1. the same code for several metrics / windows: keep the preferred one
    for c in candidates:
        if any(k.code == c.finding.code and overlap(k.order_ids, c.finding.order_ids)[0] >= cfg["same_code_overlap"]
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
                       and overlap(o.order_ids, f.order_ids)[1] >= cfg["different_code_jaccard"]), None)
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


