"""The Plan of Action skeleton (Markdown) and the evidence CSV.

``render_poa`` fills ``templates/poa.md.j2`` from the metrics and findings; ``write_evidence_csv`` lists
every order behind the findings. Strings that come from the seller's files (product names, comments,
carrier names) are passed through :func:`neutralize_text` before they enter the Markdown.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2

from . import assets
from .model import Finding, MetricResult

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")
_MARKDOWN = re.compile(r"[`*#|\[\]\\~<>{}]")
_LONE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LEADING = re.compile(r"^[\s\-+=>!:.]+")


def neutralize_text(value: Any, max_len: int = 200) -> str:
    """An untrusted value made inert inside Markdown: one line, no markup characters, no ``<``.

    Newlines and control characters become spaces; backticks, ``*``, ``#``, ``|``, brackets, braces,
    backslashes, ``~``, ``<`` and ``>`` are removed; underscores survive only inside words (``GL_VASE``);
    list / quote / heading starters at the front are removed; the text is cut to ``max_len`` characters.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL.sub(" ", text)
    text = _MARKDOWN.sub("", text)
    text = _LONE_UNDERSCORE.sub("", text)
    text = " ".join(text.split())
    text = _LEADING.sub("", text)
    if len(text) > max_len:
        text = text[: max_len - 1].rstrip() + "…"
    return text


# --------------------------------------------------------------------------------------------------
# The Plan of Action skeleton

TEMPLATE = "poa.md.j2"
EVIDENCE_COLUMNS = ("order_id", "purchase_date", "channel", "asin", "sku", "defect_type", "finding_code", "detail")


def _poa_settings() -> dict[str, Any]:
    return assets.load_toml("rules/_settings.toml")["poa"]


@functools.cache
def _environment() -> jinja2.Environment:
    """The one Jinja environment of the POA: Markdown, so no HTML autoescape; the ``md`` filter neutralises."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: assets.read_text("templates", name)),
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined)
    env.filters["md"] = neutralize_text
    return env


def _pct(x: float | None) -> str:
    if x is None:
        return "no orders"
    return f"{x * 100:.2f}%"


def metric_line(m: MetricResult) -> str:
    """``Late Shipment Rate (30 days): 10.00% (15 of 150 orders purchased 2026-03-01 to 2026-03-30; target under 4.00%)``."""
    from .metrics import metric_wording
    noun, dated = metric_wording(m.key)
    window = (f" {dated} {m.window_start.isoformat()} to {m.window_end.isoformat()}"
              if m.window_start and m.window_end else "")
    side = "under" if m.direction == "below" else "above"
    return (f"{m.label}: {_pct(m.rate)} ({m.numerator} of {m.denominator} {noun}{window}; "
            f"target {side} {_pct(m.target)})")


def _category_of(code: str, cfg: Mapping[str, Any]) -> str | None:
    return cfg["code_categories"].get(code.split(".", 1)[0])


def _required(metrics: Mapping[str, MetricResult], cfg: Mapping[str, Any]) -> dict[str, list[str]]:
    """Category -> at-risk metric keys, in metric order."""
    out: dict[str, list[str]] = {}
    for key, m in metrics.items():
        if m.status != "at_risk":
            continue
        if key in cfg["metric_categories"]:
            cats = list(cfg["metric_categories"][key])
        else:  # ODR: one category per defect type it has
            cats = [cat for extra, cat in cfg["odr_categories"].items() if int(m.extras.get(extra, 0) or 0) > 0]
            if not cats:
                cats = list(cfg["odr_categories"].values())
        for cat in cats:
            out.setdefault(cat, [])
            if key not in out[cat]:
                out[cat].append(key)
    return out


def _covered(finding: Finding, at_risk: Sequence[str], cfg: Mapping[str, Any]) -> bool:
    return finding.metric in at_risk or any(finding.metric in cfg["covers"].get(k, []) for k in at_risk)


def _finding_section(f: Finding, category: str, metrics: Mapping[str, MetricResult],
                     keys: Sequence[str], cfg: Mapping[str, Any]) -> dict[str, Any]:
    facts = [metric_line(metrics[k]) for k in keys]
    if f.metric not in keys and f.metric in metrics:
        facts.append(metric_line(metrics[f.metric]))
    labels = {"asins": "ASINs under review", "skus": "SKUs", "carriers": "Carriers",
              "shipping_services": "Shipping services", "weekdays": "Purchase weekdays (local time)",
              "dates": "Purchase dates", "reasons": "Reasons", "tracking": "Group"}
    for kind, values in f.entities.items():
        if values:
            facts.append(f"{labels.get(kind, kind)}: " + ", ".join(neutralize_text(v) for v in values))
    facts.append(f"Orders concerned: {len(f.order_ids)}, listed in evidence.csv under {f.code}")
    if f.corroboration:
        facts.append(neutralize_text(f.corroboration, 400))
    return {
        "heading": f"{cfg['category_labels'][category]}: {neutralize_text(f.title)}",
        "category": category, "code": f.code, "confidence": f.confidence, "share": f"{f.share:.0%}",
        "root_cause": neutralize_text(f.statement, 1200), "facts": facts,
        "corrective": list(f.corrective_actions), "preventive": list(f.preventive_actions),
    }


def _blank_section(category: str, metrics: Mapping[str, MetricResult], keys: Sequence[str],
                   cfg: Mapping[str, Any]) -> dict[str, Any]:
    facts = [metric_line(metrics[k]) for k in keys]
    extra = next((e for e, c in cfg["odr_categories"].items() if c == category), None)
    if extra is not None:
        facts += [f"{metrics[k].label}, orders with {extra.replace('_', ' ')} in the window: "
                  f"{int(metrics[k].extras.get(extra, 0) or 0)}" for k in keys]
    facts.append("sellerdx found no pattern in the data that explains these defects; "
                 "evidence.csv does not list them under a finding")
    return {
        "heading": f"{cfg['category_labels'][category]}: [[root cause]]", "category": category,
        "code": None, "confidence": None, "share": None,
        "root_cause": "[[Root cause not identified from the data: state what caused these defects, with numbers.]]",
        "facts": facts, "corrective": ["[[date]]: We [[action taken, with its evidence]]"],
        "preventive": ["[[step]] — Owner: [[name]] · Frequency: [[how often]] · Measure: [[measure]]"],
    }


def poa_sections(metrics: Mapping[str, MetricResult], findings: Sequence[Finding]) -> tuple[list[str], list[dict[str, Any]]]:
    """(required categories, sections) of the Plan of Action: every at-risk category, each root cause found
    for it its own section, a blank section for a category without one."""
    cfg = _poa_settings()
    required = _required(metrics, cfg)
    sections: list[dict[str, Any]] = []
    for category, keys in required.items():
        mine = [f for f in findings if _category_of(f.code, cfg) == category and _covered(f, keys, cfg)]
        if mine:
            sections += [_finding_section(f, category, metrics, keys, cfg) for f in mine]
        else:
            sections.append(_blank_section(category, metrics, keys, cfg))
    return list(required), sections


def render_poa(metrics: Mapping[str, MetricResult], findings: Sequence[Finding], *, as_of: dt.date,
               marketplace: str | None = None) -> str:
    """The Plan of Action skeleton (Markdown, the structure of docs/poa-format.md).

    Covers every at-risk metric: each finding for it is a section with Amazon's three answers (root cause
    with the numbers, corrective actions in the past tense, preventive measures with owner, frequency and
    measure); an at-risk category without a finding gets a section whose root cause is a marked blank.
    Everything only the seller knows is a ``[[…]]`` blank, so ``poa check`` fails until they are filled.
    """
    required, sections = poa_sections(metrics, findings)
    return _environment().get_template(TEMPLATE).render(
        required=required, sections=sections, as_of=as_of.isoformat(), marketplace=marketplace)


# --------------------------------------------------------------------------------------------------
# Evidence CSV


def write_evidence_csv(path: str | os.PathLike[str], con: Any, findings: Sequence[Finding]) -> int:
    """Write ``evidence.csv``: one row per (finding, order) with the columns of :data:`EVIDENCE_COLUMNS`.

    Formula-injection safe (a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
    ``'``) and UTF-8 with a BOM (:func:`sellerdx.safecsv.write_csv`). Returns the number of rows written.
    ``asin`` / ``sku`` are the order's items of the finding's ASINs / SKUs (``Finding.entities``), not
    the order's first item (queries/rule_evidence_orders.sql).
    """
    from .safecsv import write_csv
    metric_cfg = assets.load_toml("metrics.toml")["metrics"]
    sql = assets.load_query("rule_evidence_orders")
    rows: list[list[Any]] = []
    for f in findings:
        if not f.order_ids:
            continue
        family = metric_cfg[f.metric]["family"] if f.metric in metric_cfg else f.metric
        result = con.execute(sql, {"order_ids": list(f.order_ids), "family": family,
                                   "asins": list(f.entities.get("asins", [])),
                                   "skus": list(f.entities.get("skus", []))}).fetchall()
        found = {r[0]: r for r in result}
        detail = f"{f.metric}: {f.title}"
        for order_id in f.order_ids:
            r = found.get(order_id)
            if r is None:
                rows.append([order_id, None, None, None, None, None, f.code, detail])
            else:
                rows.append([r[0], r[1].isoformat() if r[1] else None, r[2], r[3], r[4], r[5], f.code, detail])
    return write_csv(path, EVIDENCE_COLUMNS, rows)
