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
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import jinja2
import numpy as np

from sellerdx import assets
from sellerdx.catalog import metric_family, metric_wording
from sellerdx.frames import records
from sellerdx.i18n import Message, Term, formats, localize
from sellerdx.i18n.active import N_, _, gettext, ngettext, npgettext, pgettext, use
from sellerdx.model import MetricResult
from sellerdx.result import AnalysisResult, CauseSection, MetricFigure, PreventiveStep
from sellerdx.safecsv import write_csv
from sellerdx.text import is_missing, neutralize_text, percent

if TYPE_CHECKING:
    import pandas as pd

# --------------------------------------------------------------------------------------------------
# The Plan of Action

MARKDOWN_TEMPLATE = "poa.md.j2"
TEXT_TEMPLATE = "poa.txt.j2"
EVIDENCE_COLUMNS = ("order_id", "purchase_date", "channel", "asin", "sku", "defect_type", "finding_code",
                    "poa_section", "detail")
REASON_IDS_SHOWN = 3   # an "other" reason with more orders points to Annex A instead of listing them
INTRO = {
    "amazon": N_("The metrics this plan answers, as Amazon's Account Health shows them:"),
    "notice": N_("The metrics named in Amazon's notice, as Amazon's Account Health shows them:"),
    "at_risk": N_("The metrics this plan answers:"),
    "none": N_("The metrics this plan answers:"),
}


def tx(value: Any) -> str:
    """A text of the plan in the language being written: a Message or Term localized, a string of sellerdx's
    data (a rule's action, a section title) through the catalog; ``""`` stays ``""``."""
    if isinstance(value, Message | Term):
        return str(localize(value))
    return gettext(value) if isinstance(value, str) and value else value


def warm() -> None:
    """Compile the Plan of Action's templates now (see :func:`sellerdx.render.html.warm`)."""
    env = _environment()
    for name in (MARKDOWN_TEMPLATE, TEXT_TEMPLATE):
        env.get_template(name)


_ENVIRONMENT_LOCK = threading.Lock()


def _environment() -> jinja2.Environment:
    """The Plan of Action's Jinja environment (built once; a second thread asking meanwhile waits for it)."""
    with _ENVIRONMENT_LOCK:
        return _build_environment()


@functools.cache
def _build_environment() -> jinja2.Environment:
    """The Jinja environment of the POA: Markdown and plain text, so no HTML autoescape; ``md`` neutralises."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: assets.read_text("templates", name)),
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=gettext, ngettext=ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
    env.filters["md"] = neutralize_text
    env.filters["t"] = tx
    return env


def _pct(x: float | None) -> str:
    return percent(x, missing=_("no orders"))


def _n(value: int) -> str:
    return formats.decimal(value)


def _window(start: dt.date | None, end: dt.date | None) -> str:
    if not (start and end):
        return _("no window")
    # TRANSLATORS: a metric's window in the Plan of Action: "2026-09-02 to 2026-10-31"
    return _("{start} to {end}").format(start=formats.date(start), end=formats.date(end))


def figure_line(f: MetricFigure, upper_bound: str | None = None) -> str:
    """One metric as the plan quotes it: Amazon's figure first, the recomputation only where it differs.
    ``upper_bound`` names the missing export that makes the recomputed rate only an upper bound."""
    m = f.metric
    noun, dated = (gettext(w) for w in metric_wording(m.key))
    target = (_("target under {rate}") if m.direction == "below" else _("target above {rate}")).format(
        rate=_pct(m.target))
    label = tx(m.label)
    if f.amazon_rate is None:
        rate = _("at most {rate}").format(rate=_pct(m.rate)) if upper_bound else _pct(m.rate)
        bound = _("; an upper bound: without the {export} export every cancelled order is counted").format(
            export=gettext(upper_bound)) if upper_bound else ""
        # TRANSLATORS: "Order Defect Rate: 2.5% (5 of 200 orders purchased 2026-01-01 to 2026-02-29; target
        # under 1%)"; {noun} is what the metric counts ("orders"), {dated} how its window is dated ("purchased")
        return _("{label}: {rate} ({numerator} of {denominator} {noun} {dated} {window}; {target}{bound})").format(
            label=label, rate=rate, numerator=_n(m.numerator), denominator=_n(m.denominator), noun=noun,
            dated=dated, window=_window(m.window_start, m.window_end), target=target, bound=bound)
    counts = (_("{numerator} of {denominator} {noun}, ").format(
        numerator=_n(f.amazon_numerator), denominator=_n(f.amazon_denominator), noun=noun)
        if f.amazon_numerator is not None and f.amazon_denominator is not None else "")
    line = _("{label}: {rate} ({counts}{window}; {target})").format(
        label=label, rate=_pct(f.amazon_rate), counts=counts,
        window=_window(f.amazon_window_start or m.window_start, f.amazon_window_end or m.window_end), target=target)
    if f.differs:
        line += _(". Recomputed from our order reports: {rate} ({numerator} of {denominator}); {reason}").format(
            rate=_pct(m.rate), numerator=_n(m.numerator), denominator=_n(m.denominator), reason=tx(f.reason))
    return line


def category_of(label: str) -> str | None:
    """The POA category marker of a defect label (``data/poa.toml`` ``[defects]``)."""
    spec = assets.load_toml("poa.toml")["defects"].get(label)
    return spec["category"] if spec else None


def preventive_line(step: PreventiveStep) -> str:
    """``Effective [[date]]: <action> — Owner: <role> · Frequency: … · Measure: …``."""
    return _("Effective [[date]]: {action} — Owner: {owner} · Frequency: {frequency} · Measure: {measure}").format(
        action=tx(step.action).rstrip("."), owner=tx(step.owner), frequency=tx(step.frequency),
        measure=tx(step.target).rstrip("."))


def _answers(s: CauseSection, metrics: Mapping[str, MetricResult]) -> str:
    labels = [tx(metrics[k].label) for k in s.metrics if k in metrics]
    words = assets.load_toml("poa.toml")["defects"]
    parts = [f"{_n(n)} {gettext(words[d]['one'] if n == 1 else words[d]['many'])}" if d in words
             else f"{_n(n)} {d}" for d, n in s.defect_counts.items()]
    return _("This cause explains: {defects} ({metrics}).").format(defects=", ".join(parts), metrics="; ".join(labels))


def _reason(label: Any, ids: Any) -> str:
    listed = ", ".join(ids) if len(ids) <= REASON_IDS_SHOWN else _("listed in Annex A")
    return ngettext("{label}: {count} order ({orders})", "{label}: {count} orders ({orders})", len(ids)).format(
        label=tx(label), count=_n(len(ids)), orders=listed)


def _section_view(s: CauseSection, metrics: Mapping[str, MetricResult]) -> dict[str, Any]:
    categories = list(dict.fromkeys(c for d in s.defect_counts if (c := category_of(d))))
    return {
        "title": tx(s.title), "categories": categories, "answers": _answers(s, metrics),
        "root_cause": tx(s.root_cause), "facts": [tx(x) for x in s.facts],
        "reasons": [_reason(label, ids) for label, ids in s.reasons],
        "corrective": [tx(x) for x in s.corrective], "preventive": [preventive_line(p) for p in s.preventive],
        "attachments": [tx(x) for x in s.attachments], "orders": list(s.orders),
    }


def _context(result: AnalysisResult) -> dict[str, Any]:
    plan = result.plan
    marketplace = result.options.marketplace
    if plan is None:
        return {"required": [], "figures": [], "intro": "", "sections": [], "also": [],
                "as_of": formats.date(result.as_of), "marketplace": marketplace}
    sections = [_section_view(s, result.metrics) for s in plan.sections]
    required = list(dict.fromkeys(c for s in sections for c in s["categories"]))
    bounds = {k: g.upper_bound for k, g in result.gaps.items() if g.upper_bound}
    also = [_("{figure} (see the sections above that concern it)").format(
        figure=figure_line(f, bounds.get(f.metric.key))) for f in plan.also_improving]
    return {"required": required, "figures": [figure_line(f, bounds.get(f.metric.key)) for f in plan.figures],
            "intro": gettext(INTRO.get(plan.scope_source, INTRO["none"])), "sections": sections, "also": also,
            "as_of": formats.date(result.as_of), "marketplace": marketplace}


def _poa_lang(result: AnalysisResult, lang: str | None) -> str:
    return lang or getattr(result.options, "poa_lang", None) or "en"


def render_poa(result: AnalysisResult, lang: str | None = None) -> str:
    """The Plan of Action as Markdown (poa.md): one section per root cause, its three answers, the annex;
    category markers for ``sellerdx poa check`` (docs/poa-format.md). Written in the POA's language
    (``result.options.poa_lang``: English unless ``--poa-lang``) or in ``lang``."""
    with use(_poa_lang(result, lang)):
        return _environment().get_template(MARKDOWN_TEMPLATE).render(**_context(result))


def poa_text(result: AnalysisResult, lang: str | None = None) -> str:
    """The same plan as plain text for Amazon's appeal form (poa.txt): numbered sections, no Markdown, no
    comment, no file name; in the POA's language (or ``lang``)."""
    with use(_poa_lang(result, lang)):
        return _environment().get_template(TEXT_TEMPLATE).render(**_context(result))


# --------------------------------------------------------------------------------------------------
# Evidence CSV


def _iso_date(value: Any) -> str | None:
    if is_missing(value):
        return None
    return (value.date() if hasattr(value, "date") else value).isoformat()


def _iso_dates(series: pd.Series) -> list[str | None]:
    """:func:`_iso_date` of every value of a column; a plain datetime64 column at once (numpy's day of a
    timestamp is ``Timestamp.date()``'s: both floor), instead of a Timestamp made per value."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        values = series.to_numpy()
        days = values.astype("datetime64[D]").astype(str)
        return np.where(np.isnat(values), None, days).tolist()
    return [_iso_date(r["v"]) for r in records(series.to_frame("v"))]


_EVIDENCE_FIELDS = ("order_id", "purchase_date", "channel", "asin", "sku", "defect_type")


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
        found: dict[str, tuple[dict[str, Any], str | None]] = {}
        if item.evidence is not None:   # only the columns written (every column: 1 s at 1M items)
            ev = item.evidence
            frame = ev[[c for c in _EVIDENCE_FIELDS if c in ev.columns and c != "purchase_date"]]
            dates = _iso_dates(ev["purchase_date"]) if "purchase_date" in ev.columns else [None] * len(ev)
            found = {r["order_id"]: (r, day) for r, day in zip(records(frame), dates, strict=True)}
        detail = f"{f.metric}: {f.title}"
        fam = metric_family(f.metric)
        for order_id in f.order_ids:
            hit = found.get(order_id)
            section = sections.get((fam, order_id), "")
            listed.add((fam, order_id))
            if hit is None:
                rows.append([order_id, None, None, None, None, None, f.code, section, detail])
                continue
            r, day = hit
            rows.append([r["order_id"], day, r.get("channel"), r.get("asin"),
                         r.get("sku"), r.get("defect_type"), f.code, section, detail])
    if result.plan is not None:
        for a in result.plan.answered:
            key = (metric_family(a.metric), a.order_id)
            if key in listed:
                continue
            listed.add(key)
            rows.append([a.order_id, None, None, None, None, a.defect, "", a.section, f"{a.metric}: {a.reason}"])
    return rows


def write_evidence_csv(path: str | os.PathLike[str], result: AnalysisResult) -> int:
    """Write ``evidence.csv``: one row per (finding, order) with the columns of :data:`EVIDENCE_COLUMNS`.

    Formula-injection safe (a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
    ``'``) and UTF-8 with a BOM (:func:`sellerdx.safecsv.write_csv`). Returns the number of rows written.
    """
    return write_csv(path, EVIDENCE_COLUMNS, evidence_rows(result))
