"""What the HTML report shows, decided in Python: :class:`ReportContext` and the values it holds.

The templates decide *how* things look; everything about *what* is shown (which metric heads the page,
which finding is its main cause, the order of findings, how many evidence rows, the definitions text) is
decided here. :func:`assemble` turns the computed values (metrics, findings, breakdowns, tables
as DataFrames or lists of records) into one frozen :class:`ReportContext`.

The report's own words (definitions, status labels, defect nouns, column headers, chart kinds) are data
in ``src/sellerdx/data/definitions.toml``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sellerdx.assets import load_toml
from sellerdx.i18n import formats
from sellerdx.i18n.active import current, gettext
from sellerdx.i18n.languages import get as get_language
from sellerdx.model import FileReport, Finding, MetricResult, SkippedFile
from sellerdx.result import ExportNeeded, MetricGaps, WhatIf
from sellerdx.version import __version__

DEFINITIONS_FILE = "definitions.toml"
DEFAULT_EVIDENCE_LIMIT = 50
EVIDENCE_FILE = "evidence.csv"   # written next to report.html by Analysis.write
POA_FILE = "poa.txt"             # written next to report.html by Analysis.write (the text shown here)
DEFAULT_FOLD_ROWS = 5       # rows of a long table shown before the rest is folded into <details>
# The recovery calendar's per-defect list: a big account counts tens of thousands of defects (30,000 at a
# million order items, a 6 MB report that took seconds to render); its summary per metric counts them all.
RECOVERY_LIMIT = 1000


# --------------------------------------------------------------------------------------------------
# Vocabulary (data/definitions.toml)
# --------------------------------------------------------------------------------------------------
@functools.cache
def vocabulary() -> dict[str, Any]:
    """The parsed ``definitions.toml``: definitions, status labels, defect nouns, columns, charts."""
    return load_toml(DEFINITIONS_FILE)


def default_definitions(include: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """The Definitions section as ``(term, text)`` pairs, in display order; an entry with a ``when`` (e.g.
    ``several_marketplaces``) only when ``include`` names it."""
    shown = set(include)
    return tuple((item["term"], item["text"]) for item in vocabulary()["definition"]
                 if item.get("when") is None or item["when"] in shown)


# The words below come from definitions.toml (in the catalog: data/i18n.toml) and are written in the language
# being written (sellerdx.i18n.active): the renderers call them inside ``with use(lang):``.


def status_label(status: str) -> str:
    """Words for a :data:`sellerdx.model.Status` code ("at_risk" -> "At risk")."""
    return gettext(vocabulary()["status_labels"].get(status, status.replace("_", " ").capitalize()))


def defect_noun(metric_key: str) -> str:
    """What one defect of ``metric_key`` is called ("lsr_10d" -> "late orders")."""
    nouns = vocabulary()["defect_nouns"]
    return gettext(nouns.get(metric_key) or nouns.get(metric_key.split("_")[0]) or nouns["default"])


def count_words(metric_key: str) -> dict[str, str]:
    """``{"label", "of"}``: a card's count line in plain words ("Shipped late: 12 of 208 orders")."""
    words = vocabulary()["count_words"]
    chosen = words.get(metric_key) or words.get(metric_key.split("_")[0]) or words["default"]
    return {key: gettext(value) for key, value in chosen.items()}


def column_spec(name: str) -> dict[str, Any]:
    """``{"label", "format", "nowrap"}`` of a table column; unknown columns get a label from the name."""
    spec = vocabulary()["columns"].get(str(name), {})
    return {"label": spec.get("label", str(name).replace("_", " ").capitalize()),
            "format": spec.get("format", "auto"),
            "nowrap": bool(spec.get("nowrap", False)),
            "translate": bool(spec.get("translate", False))}


def delimiter_name(delimiter: str | None) -> str:
    """A field separator as a word ("\\t" -> "tab"); unknown ones as they are, none as "—"."""
    if not delimiter:
        return "—"
    return gettext(vocabulary()["delimiters"].get(delimiter, delimiter))


def code_words(code: str) -> str:
    """A code as words ("a_to_z_claim" -> "A-to-z claim"; "x+y" -> "X + Y")."""
    words = vocabulary()["codes"]
    return " + ".join(gettext(words.get(part, part.replace("_", " "))) for part in str(code).split("+"))


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_name(value: Any) -> str:
    """An English weekday name (the breakdowns' and evidence's ``weekday`` values) in the language being written
    (CLDR's wide day names: ``Freitag``, ``金曜日``); anything else as it is."""
    text = str(value)
    if current() == "en" or text not in WEEKDAYS:
        return text
    from babel.dates import get_day_names  # noqa: PLC0415 - Babel only outside English

    return str(get_day_names("wide", locale=get_language(current()).locale)[WEEKDAYS.index(text)])


def group_order(by: str | None) -> list[str] | None:
    """The natural order of a breakdown's groups (weekdays), or ``None`` to keep biggest first."""
    return vocabulary()["charts"]["order"].get(by or "")


def chart_kind(by: str | None) -> str:
    """``"pareto"`` or ``"bars"``: how a breakdown by ``by`` is drawn."""
    charts = vocabulary()["charts"]
    return charts["by"].get(by or "", charts["default"])


# --------------------------------------------------------------------------------------------------
# Missing exports in words (definitions.toml [exports_wording])
def export_noun(kind: str) -> str:
    """A report kind as the report names it in a sentence ("claims" -> "A-to-z claims")."""
    return gettext(vocabulary()["exports_wording"]["nouns"].get(kind, kind.replace("_", " ")))


def _exports(kinds: Sequence[str], conjunction: str) -> str:
    nouns = [export_noun(k) for k in kinds]
    if current() != "en":   # the language's own list pattern ("A、B和C", "A, B oder C")
        return formats.items(nouns, style="standard" if conjunction == "and" else "or")
    return nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + f" {conjunction} " + nouns[-1]


def gap_text(gaps: MetricGaps) -> str | None:
    """The one sentence a metric card says about its missing exports (pointing to the checklist), or None."""
    words = vocabulary()["exports_wording"]
    if gaps.needs:
        return gettext(words["needs"]).format(exports=_exports(gaps.needs, "and"))
    if gaps.needs_any:
        return gettext(words["needs_any"]).format(exports=_exports(gaps.needs_any, "or"))
    if gaps.uncounted:
        return gettext(words["uncounted"]).format(exports=_exports(gaps.uncounted, "and"))
    return None


def upper_bound_text(kind: str) -> str:
    """Why a rate is only an upper bound, in a few words ("upper bound: no cancellations export")."""
    return gettext(vocabulary()["exports_wording"]["upper_bound"]).format(export=export_noun(kind))


def upper_bound_why(kind: str) -> str:
    """What an upper bound counts that the missing export would rule out ("" when not worded)."""
    return gettext(vocabulary()["exports_wording"]["upper_bound_why"].get(kind, ""))


@dataclass(frozen=True)
class RecoveryLine:
    """One metric of the recovery calendar's summary.

    Attributes:
        metric: the metric.
        defects: its counted defects in the current window (rows of the calendar).
        first: the first days defects leave the window, ``(date, how many)``, earliest first (at most 3).
        later: defects leaving after those days, and ``last``: the day the last one leaves.
    """
    metric: MetricResult
    defects: int
    first: tuple[tuple[Any, int], ...]
    later: int
    last: Any


# --------------------------------------------------------------------------------------------------
# Values held by the context
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class FindingView:
    """One root cause as the report shows it.

    Attributes:
        finding: the :class:`~sellerdx.model.Finding` (statement, share, entities, actions, chart).
        metric: the metric it explains (``None`` when that metric was not computed).
        breakdown: the breakdown named by ``finding.chart`` (columns such as ``group``/``value``,
            ``orders``, ``defects``, ``rate``, ``share``), or ``None``.
        evidence: its evidence orders, one row each (order id, dates, product, ...), or ``None``.
    """
    finding: Finding
    metric: MetricResult | None = None
    breakdown: pd.DataFrame | None = None
    evidence: pd.DataFrame | None = None

    @property
    def anchor(self) -> str:
        """The element id of this finding in the page: ``finding-<code>``."""
        return f"finding-{self.finding.code}"

    @property
    def chart_by(self) -> str | None:
        """The breakdown key named by the finding's chart (``"asin"``, ``"weekday"``, ...)."""
        return (self.finding.chart or {}).get("by")

    @property
    def chart_kind(self) -> str:
        """How its breakdown is drawn: ``"pareto"`` or ``"bars"``."""
        return chart_kind(self.chart_by)

    @property
    def highlighted(self) -> frozenset[str]:
        """The groups the finding names (its entities): their bars are drawn in the alert colour."""
        return frozenset(v for values in self.finding.entities.values() for v in values)


@dataclass(frozen=True, eq=False)
class Headline:
    """The one line at the top of the page: the worst at-risk metric and its main cause.

    Attributes:
        metric: the most pressing at-risk metric (lowest tier, then furthest from its target relative
            to the defects the target allows), or ``None`` when no metric is at risk.
        finding: the finding with the largest share of that metric's defects, or ``None``.
        window_days: the length of the metric's window in days.
        defect_noun: what one defect of the metric is called ("late orders").
        others_at_risk: the other at-risk metrics, worst first.
        not_computed: metrics that could not be computed (named so nobody reads silence as "fine").
        upper_bound: when ``metric``'s rate is only an upper bound, the export kind that would make it exact
            (the banner then says "may be above" and promises no date).
    """
    metric: MetricResult | None
    finding: Finding | None
    window_days: int | None
    defect_noun: str
    others_at_risk: tuple[MetricResult, ...] = ()
    not_computed: tuple[MetricResult, ...] = ()
    upper_bound: str | None = None


def tier(metric_key: str) -> int:
    """The headline tier of a metric (``definitions.toml`` ``[headline.tiers]``): lower heads the page."""
    tiers = vocabulary()["headline"]["tiers"]
    return int(tiers.get(metric_key) or tiers.get(_family(metric_key)) or tiers["default"])


def severity(metric: MetricResult) -> float:
    """How far a metric is from its target, as defect rate / allowed defect rate (1.0 = at the target).

    For a "below" metric the defect rate is the rate itself; for an "above" metric (tracking, delivery)
    it is ``1 - rate`` against ``1 - target``. So LSR 8% vs 4% and VTR 90% vs 95% both score 2.0.
    """
    if metric.rate is None:
        return 0.0
    if metric.direction == "below":
        return metric.rate / metric.target if metric.target else float("inf")
    allowed = 1.0 - metric.target
    return (1.0 - metric.rate) / allowed if allowed else float("inf")


def _family(key: str) -> str:
    return key.split("_")[0]


@dataclass(frozen=True, eq=False)
class ReportContext:
    """Everything the HTML report shows (see ``templates/report.html.j2``).

    Attributes:
        seller: label of the seller or of the analysed folder, shown in the title.
        as_of: the day the metric windows end (``None`` when there were no orders).
        generated_at: when the report was made (local time of the machine, timezone-aware if given so).
        version: the sellerdx version that made it.
        metrics: the metrics in display order (one headline card each).
        daily: metric key -> daily series (columns ``date``, ``numerator``, ``denominator``, ``rate``),
            only for metrics worth a trend chart (those with a rate).
        findings: root causes, at-risk metrics first, largest share first, each with its breakdown and
            evidence rows.
        removable: negative feedback Amazon would remove or strike through (one row each: order id,
            date, rating, comment, why removable, request-by date), or ``None`` when not assessed.
        what_if: per metric with removable defects, the rate without them.
        recovery: the recovery calendar (one row per counted defect: metric, order, the date it leaves
            the window), or ``None``.
        reconciliation: Amazon's numbers beside the recomputed ones with an explanation per metric, or
            ``None`` when Amazon's performance report was not in the folder.
        files: what was read from each input file.
        skipped: files in the folder that are not known reports, and why.
        unmatched: defects whose order is not in the orders data (kind, order id, date), or ``None``.
        warnings: data-quality warnings to show as a list (already in words).
        rejected_count: rows quarantined by validation (all files).
        rejected_path: where the quarantined rows were written (``rejected_rows.csv``), or ``None``.
        rejected: the quarantined rows themselves (file, line, column, value, reason), or ``None``.
        performance_files: Amazon performance reports (JSON) read for the reconciliation.
        definitions: ``(term, text)`` pairs for the Definitions section, every rule and [choice].
        poa: the Plan of Action skeleton (Markdown text, shown verbatim).
        evidence_limit: the most rows any long table shows; the rest are counted.
        fold_rows: rows of a long table shown before the rest is folded into ``<details>``.
        recovery_limit: the most rows of the recovery calendar's per-defect list (its summary counts all).
        missing_exports: the exports to download to complete the picture (the checklist), in order.
        gaps: metric key -> what the missing exports do to it (cards say it in one sentence).
        evidence_path: the file next to the report holding every evidence order (``evidence.csv``).
        poa_path: the file next to the report holding the Plan of Action as shown (``poa.txt``).
        amazon: Amazon's own verdict and snapshot trends (:class:`sellerdx.render.amazon.AmazonBanner`),
            shown first, or ``None`` without Amazon's performance report.
        lang: the language the report is written in (``Options.lang``).
        poa_lang: the language of the Plan of Action (``Options.poa_lang``); ``poa`` is written in it.
        poa_pairs: when ``poa_lang`` differs from ``lang``: each line of the plan in the POA's language with
            its translation into the report's language (``None`` where both read the same).
        poa_blanks: the plan's ``[[blanks]]`` in the POA's language with their meaning in the report's.
        marketplaces: when the orders hold several marketplaces, each one
            (:class:`sellerdx.render.marketplaces.MarketplaceView`, the top-level one marked); empty with one.
    """
    seller: str
    as_of: dt.date | None
    generated_at: dt.datetime
    version: str
    metrics: tuple[MetricResult, ...]
    daily: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    findings: tuple[FindingView, ...] = ()
    removable: pd.DataFrame | None = None
    what_if: tuple[WhatIf, ...] = ()
    recovery: pd.DataFrame | None = None
    reconciliation: pd.DataFrame | None = None
    files: tuple[FileReport, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    unmatched: pd.DataFrame | None = None
    warnings: tuple[str, ...] = ()
    rejected_count: int = 0
    rejected_path: str | None = None
    rejected: pd.DataFrame | None = None
    performance_files: tuple[str, ...] = ()
    definitions: tuple[tuple[str, str], ...] = ()
    poa: str = ""
    evidence_limit: int = DEFAULT_EVIDENCE_LIMIT
    fold_rows: int = DEFAULT_FOLD_ROWS
    recovery_limit: int = RECOVERY_LIMIT
    missing_exports: tuple[ExportNeeded, ...] = ()
    gaps: Mapping[str, MetricGaps] = field(default_factory=dict)
    evidence_path: str = EVIDENCE_FILE
    poa_path: str = POA_FILE
    amazon: Any = None
    lang: str = "en"
    poa_lang: str = "en"
    poa_pairs: tuple[tuple[str, str | None], ...] = ()
    poa_blanks: tuple[tuple[str, str], ...] = ()
    marketplaces: tuple[Any, ...] = ()

    @property
    def at_risk(self) -> tuple[MetricResult, ...]:
        """At-risk metrics, most pressing first: an exact rate before an upper bound, then by :func:`tier`,
        then furthest from target (:func:`severity`)."""
        risky = [m for m in self.metrics if m.status == "at_risk"]
        return tuple(sorted(risky, key=lambda m: (self.upper_bound(m) is not None, tier(m.key), -severity(m))))

    @property
    def metric_labels(self) -> dict[str, str]:
        """Metric key -> label."""
        return {m.key: m.label for m in self.metrics}

    def upper_bound(self, metric: MetricResult) -> str | None:
        """The export kind whose absence makes ``metric``'s rate an upper bound, or ``None`` when it is exact."""
        gaps = self.gaps.get(metric.key)
        return gaps.upper_bound if gaps is not None and metric.rate is not None else None

    @property
    def recovery_summary(self) -> tuple[RecoveryLine, ...]:
        """The recovery calendar per metric (display order): how many defects leave the window on which days."""
        frame = self.recovery
        day = next((c for c in ("leaves_window_on", "leaves_window") if frame is not None and c in frame.columns),
                   None)
        if frame is None or not len(frame) or day is None or "metric" not in frame.columns:
            return ()
        by_label = {m.label: m for m in self.metrics}
        lines = []
        for metric in self.metrics:
            rows = frame[frame["metric"].isin([metric.label, metric.key])]
            if not len(rows) or by_label.get(metric.label) is None:
                continue
            counts = rows.groupby(day, sort=True).size()
            first = tuple((day, int(n)) for day, n in counts.head(3).items())
            lines.append(RecoveryLine(metric, len(rows), first, len(rows) - sum(n for _, n in first),
                                      counts.index[-1]))
        return tuple(lines)

    @property
    def headline(self) -> Headline:
        """The banner at the top: the worst at-risk metric and the finding that explains most of it."""
        risky = self.at_risk
        not_computed = tuple(m for m in self.metrics if m.status == "not_computed")
        if not risky:
            return Headline(None, None, None, defect_noun(""), (), not_computed)
        top = risky[0]
        candidates = [v.finding for v in self.findings if v.finding.metric == top.key]
        if not candidates:
            candidates = [v.finding for v in self.findings if _family(v.finding.metric) == _family(top.key)]
        main = max(candidates, key=lambda f: f.share) if candidates else None
        days = ((top.window_end - top.window_start).days + 1
                if top.window_start and top.window_end else None)
        return Headline(top, main, days, defect_noun(top.key), risky[1:], not_computed, self.upper_bound(top))


# --------------------------------------------------------------------------------------------------
# Builder
# --------------------------------------------------------------------------------------------------
def as_frame(rows: pd.DataFrame | Iterable[Any] | None) -> pd.DataFrame | None:
    """A DataFrame from a DataFrame, a list of mappings or a list of dataclasses; ``None`` stays ``None``."""
    if rows is None or isinstance(rows, pd.DataFrame):
        return rows
    records = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) and not isinstance(r, type)
               else dict(r) for r in rows]
    return pd.DataFrame.from_records(records)


def _with_metric_labels(frame: pd.DataFrame | None, labels: Mapping[str, str]) -> pd.DataFrame | None:
    """Replace metric keys ("lsr_10d") in a ``metric`` column by their labels."""
    if frame is None or "metric" not in frame.columns:
        return frame
    out = frame.copy()
    out["metric"] = [labels.get(v, v) if isinstance(v, str) else v for v in out["metric"]]
    return out


def _finding_order(metrics: Sequence[MetricResult]) -> Any:
    position = {m.key: i for i, m in enumerate(metrics)}
    status = {m.key: m.status for m in metrics}

    def key(view: FindingView) -> tuple[int, int, float, str]:
        f = view.finding
        return (0 if status.get(f.metric) == "at_risk" else 1, position.get(f.metric, len(position)),
                -f.share, f.code)
    return key


def assemble(
    *,
    seller: str,
    metrics: Mapping[str, MetricResult] | Sequence[MetricResult],
    as_of: dt.date | None = None,
    daily: Mapping[str, pd.DataFrame] | None = None,
    findings: Iterable[Finding | FindingView] = (),
    breakdowns: Mapping[str, pd.DataFrame] | None = None,
    evidence: Mapping[str, pd.DataFrame | Iterable[Any]] | None = None,
    removable: pd.DataFrame | Iterable[Any] | None = None,
    what_if: Iterable[WhatIf] = (),
    recovery: pd.DataFrame | Iterable[Any] | None = None,
    reconciliation: pd.DataFrame | Iterable[Any] | None = None,
    files: Iterable[FileReport] = (),
    skipped: Iterable[SkippedFile] = (),
    unmatched: pd.DataFrame | Iterable[Any] | None = None,
    warnings: Iterable[str] = (),
    rejected_count: int | None = None,
    rejected_path: str | None = None,
    rejected: pd.DataFrame | Iterable[Any] | None = None,
    performance_files: Iterable[str] = (),
    definitions: Iterable[tuple[str, str]] | None = None,
    poa: str = "",
    generated_at: dt.datetime | None = None,
    version: str = __version__,
    evidence_limit: int = DEFAULT_EVIDENCE_LIMIT,
    missing_exports: Iterable[ExportNeeded] = (),
    gaps: Mapping[str, MetricGaps] | None = None,
    amazon: Any = None,
    lang: str = "en",
    poa_lang: str = "en",
    poa_pairs: Iterable[tuple[str, str | None]] = (),
    poa_blanks: Iterable[tuple[str, str]] = (),
) -> ReportContext:
    """Assemble a :class:`ReportContext` from the pipeline's outputs.

    ``metrics`` is ``compute_metrics``'s dict (or a list) in display order. ``findings`` are
    :class:`~sellerdx.model.Finding` (their breakdown and evidence looked up by finding code in
    ``breakdowns`` and ``evidence``; without evidence rows, a table of ``order_ids``) or ready
    :class:`FindingView`. ``what_if`` is a list of :class:`~sellerdx.result.WhatIf`. Tables may be
    DataFrames or lists of records (mappings or dataclasses). ``rejected_count`` defaults to the sum of
    the files' rejected rows; metric keys in a table's ``metric`` column become labels; ``definitions`` to the packaged Definitions text; ``as_of`` to the latest
    window end among the metrics.
    """
    metric_list = tuple(metrics.values() if isinstance(metrics, Mapping) else metrics)
    by_key = {m.key: m for m in metric_list}
    labels = {m.key: m.label for m in metric_list}
    breakdowns = breakdowns or {}
    evidence = evidence or {}
    views = []
    for item in findings:
        if isinstance(item, FindingView):
            views.append(item)
            continue
        rows = as_frame(evidence.get(item.code))
        if rows is None and item.order_ids:   # no evidence table given: at least list the orders
            rows = pd.DataFrame({"order_id": list(item.order_ids)})
        views.append(FindingView(item, by_key.get(item.metric), as_frame(breakdowns.get(item.code)), rows))
    views.sort(key=_finding_order(metric_list))
    charted = {k: v for k, v in (daily or {}).items()
               if k in by_key and by_key[k].rate is not None and v is not None and len(v)}
    file_list = tuple(files)
    if as_of is None:
        # Unlagged windows end on as-of and lagged ones (ODR) earlier, so the latest end is as-of.
        ends = [m.window_end for m in metric_list if m.window_end]
        as_of = max(ends) if ends else None
    return ReportContext(
        seller=seller,
        as_of=as_of,
        generated_at=generated_at or dt.datetime.now().astimezone().replace(microsecond=0),
        version=version,
        metrics=metric_list,
        daily=charted,
        findings=tuple(views),
        removable=_with_metric_labels(as_frame(removable), labels),
        what_if=tuple(what_if),
        recovery=_with_metric_labels(as_frame(recovery), labels),
        reconciliation=_with_metric_labels(as_frame(reconciliation), labels),
        files=file_list,
        skipped=tuple(skipped),
        unmatched=as_frame(unmatched),
        warnings=tuple(warnings),
        rejected_count=(sum(f.rows_rejected for f in file_list) if rejected_count is None
                        else rejected_count),
        rejected_path=rejected_path,
        rejected=as_frame(rejected),
        performance_files=tuple(performance_files),
        definitions=tuple(definitions) if definitions is not None else default_definitions(),
        poa=poa,
        evidence_limit=evidence_limit,
        missing_exports=tuple(missing_exports),
        gaps=dict(gaps or {}),
        amazon=amazon,
        lang=lang,
        poa_lang=poa_lang,
        poa_pairs=tuple(poa_pairs),
        poa_blanks=tuple(poa_blanks),
    )
