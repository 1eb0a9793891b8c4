"""The Plan of Action skeleton (Markdown) and the evidence CSV, rendered from an ``AnalysisResult``.

``render_poa`` fills ``templates/poa.md.j2`` from the result's metrics and findings; ``write_evidence_csv``
lists every order behind the findings, from the same evidence rows the HTML report shows. Strings that come
from the seller's files (product names, comments, carrier names) are passed through
:func:`sellerdx.text.neutralize_text` before they enter the Markdown.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping
from typing import Any

import jinja2

from sellerdx import assets
from sellerdx.catalog import metric_family, metric_wording
from sellerdx.model import MetricResult
from sellerdx.result import AnalysisResult, CauseSection, MetricFigure, PreventiveStep
from sellerdx.safecsv import write_csv
from sellerdx.text import is_missing, neutralize_text, percent

# --------------------------------------------------------------------------------------------------
# The Plan of Action

MARKDOWN_TEMPLATE = "poa.md.j2"
TEXT_TEMPLATE = "poa.txt.j2"
EVIDENCE_COLUMNS = ("order_id", "purchase_date", "channel", "asin", "sku", "defect_type", "finding_code",
                    "poa_section", "detail")
REASON_IDS_SHOWN = 3   # an "other" reason with more orders points to Annex A instead of listing them
INTRO = {
    "amazon": "The metrics this plan answers, as Amazon's Account Health shows them:",
    "notice": "The metrics named in Amazon's notice, as Amazon's Account Health shows them:",
    "at_risk": "The metrics this plan answers:",
    "none": "The metrics this plan answers:",
}


@functools.cache
def _environment() -> jinja2.Environment:
    """The Jinja environment of the POA: Markdown and plain text, so no HTML autoescape; ``md`` neutralises."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: assets.read_text("templates", name)),
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined)
    env.filters["md"] = neutralize_text
    return env


def _pct(x: float | None) -> str:
    return percent(x, missing="no orders")


def _window(start: dt.date | None, end: dt.date | None) -> str:
    return f"{start.isoformat()} to {end.isoformat()}" if start and end else "no window"


def figure_line(f: MetricFigure, upper_bound: str | None = None) -> str:
    """One metric as the plan quotes it: Amazon's figure first, the recomputation only where it differs.
    ``upper_bound`` names the missing export that makes the recomputed rate only an upper bound."""
    m = f.metric
    noun, dated = metric_wording(m.key)
    side = "under" if m.direction == "below" else "above"
    target = f"target {side} {_pct(m.target)}"
    if f.amazon_rate is None:
        rate = f"at most {_pct(m.rate)}" if upper_bound else _pct(m.rate)
        bound = f"; an upper bound: without the {upper_bound} export every cancelled order is counted" \
            if upper_bound else ""
        return (f"{m.label}: {rate} ({m.numerator:,} of {m.denominator:,} {noun} {dated} "
                f"{_window(m.window_start, m.window_end)}; {target}{bound})")
    counts = (f"{f.amazon_numerator:,} of {f.amazon_denominator:,} {noun}, "
              if f.amazon_numerator is not None and f.amazon_denominator is not None else "")
    line = (f"{m.label}: {_pct(f.amazon_rate)} ({counts}"
            f"{_window(f.amazon_window_start or m.window_start, f.amazon_window_end or m.window_end)}; {target})")
    if f.differs:
        line += (f". Recomputed from our order reports: {_pct(m.rate)} ({m.numerator:,} of {m.denominator:,}); "
                 f"{f.reason}")
    return line


def category_of(label: str) -> str | None:
    """The POA category marker of a defect label (``data/poa.toml`` ``[defects]``)."""
    spec = assets.load_toml("poa.toml")["defects"].get(label)
    return spec["category"] if spec else None


def preventive_line(step: PreventiveStep) -> str:
    """``Effective [[date]]: <action> — Owner: <role> · Frequency: … · Measure: …``."""
    return (f"Effective [[date]]: {step.action.rstrip('.')} — Owner: {step.owner} · Frequency: {step.frequency} · "
            f"Measure: {step.target.rstrip('.')}")


def _answers(s: CauseSection, metrics: Mapping[str, MetricResult]) -> str:
    labels = [metrics[k].label for k in s.metrics if k in metrics]
    words = assets.load_toml("poa.toml")["defects"]
    parts = [f"{n:,} {words[d]['one'] if n == 1 else words[d]['many']}" if d in words else f"{n:,} {d}"
             for d, n in s.defect_counts.items()]
    return f"This cause explains: {', '.join(parts)} ({'; '.join(labels)})."


def _section_view(s: CauseSection, metrics: Mapping[str, MetricResult]) -> dict[str, Any]:
    categories = list(dict.fromkeys(c for d in s.defect_counts if (c := category_of(d))))
    return {
        "title": s.title, "categories": categories, "answers": _answers(s, metrics),
        "root_cause": s.root_cause, "facts": list(s.facts),
        "reasons": [f"{label}: {len(ids):,} order{'s' if len(ids) != 1 else ''} "
                    f"({', '.join(ids) if len(ids) <= REASON_IDS_SHOWN else 'listed in Annex A'})"
                    for label, ids in s.reasons],
        "corrective": list(s.corrective), "preventive": [preventive_line(p) for p in s.preventive],
        "attachments": list(s.attachments), "orders": list(s.orders),
    }


def _context(result: AnalysisResult) -> dict[str, Any]:
    plan = result.plan
    marketplace = result.options.marketplace
    if plan is None:
        return {"required": [], "figures": [], "intro": "", "sections": [], "also": [],
                "as_of": result.as_of.isoformat(), "marketplace": marketplace}
    sections = [_section_view(s, result.metrics) for s in plan.sections]
    required = list(dict.fromkeys(c for s in sections for c in s["categories"]))
    bounds = {k: g.upper_bound for k, g in result.gaps.items() if g.upper_bound}
    also = [figure_line(f, bounds.get(f.metric.key)) + " (see the sections above that concern it)"
            for f in plan.also_improving]
    return {"required": required, "figures": [figure_line(f, bounds.get(f.metric.key)) for f in plan.figures],
            "intro": INTRO.get(plan.scope_source, INTRO["none"]), "sections": sections, "also": also,
            "as_of": result.as_of.isoformat(), "marketplace": marketplace}


def render_poa(result: AnalysisResult) -> str:
    """The Plan of Action as Markdown (poa.md): one section per root cause, its three answers, the annex;
    category markers for ``sellerdx poa check`` (docs/poa-format.md)."""
    return _environment().get_template(MARKDOWN_TEMPLATE).render(**_context(result))


def poa_text(result: AnalysisResult) -> str:
    """The same plan as plain text for Amazon's appeal form (poa.txt): numbered sections, no Markdown, no
    comment, no file name."""
    return _environment().get_template(TEXT_TEMPLATE).render(**_context(result))


# --------------------------------------------------------------------------------------------------
# Evidence CSV


def _iso_date(value: Any) -> str | None:
    if is_missing(value):
        return None
    return (value.date() if hasattr(value, "date") else value).isoformat()


def evidence_rows(result: AnalysisResult) -> list[list[Any]]:
    """The rows of ``evidence.csv``, columns :data:`EVIDENCE_COLUMNS`: one per (finding, order), read from the
    result's evidence orders (the same item per order as the HTML report), then one per counted defect the
    Plan of Action answers that no finding lists; ``poa_section`` names the plan section answering the order
    (a cause's code, ``account.<theme>`` or ``other``; empty when the order is outside the plan's windows)."""
    rows: list[list[Any]] = []
    listed: set[tuple[str | None, str]] = set()
    sections: dict[tuple[str | None, str], str] = {}
    if result.plan is not None:
        sections = {(metric_family(a.metric), a.order_id): a.section for a in result.plan.answered}
    for item in result.findings:
        f = item.finding
        if not f.order_ids:
            continue
        found: dict[str, dict[str, Any]] = {}
        if item.evidence is not None:
            found = {r["order_id"]: r for r in item.evidence.to_dict("records")}
        detail = f"{f.metric}: {f.title}"
        for order_id in f.order_ids:
            r = found.get(order_id)
            section = sections.get((metric_family(f.metric), order_id), "")
            listed.add((metric_family(f.metric), order_id))
            if r is None:
                rows.append([order_id, None, None, None, None, None, f.code, section, detail])
                continue
            rows.append([r["order_id"], _iso_date(r.get("purchase_date")), r.get("channel"), r.get("asin"),
                         r.get("sku"), r.get("defect_type"), f.code, section, detail])
    if result.plan is not None:
        for a in result.plan.answered:
            if (metric_family(a.metric), a.order_id) in listed:
                continue
            listed.add((metric_family(a.metric), a.order_id))
            rows.append([a.order_id, None, None, None, None, a.defect, "", a.section, f"{a.metric}: {a.reason}"])
    return rows


def write_evidence_csv(path: str | os.PathLike[str], result: AnalysisResult) -> int:
    """Write ``evidence.csv``: one row per (finding, order) with the columns of :data:`EVIDENCE_COLUMNS`.

    Formula-injection safe (a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
    ``'``) and UTF-8 with a BOM (:func:`sellerdx.safecsv.write_csv`). Returns the number of rows written.
    """
    return write_csv(path, EVIDENCE_COLUMNS, evidence_rows(result))
