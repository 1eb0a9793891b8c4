"""Render a :class:`~sellerdx.render.context.ReportContext` into one self-contained HTML file.

One Jinja2 :class:`~jinja2.Environment` (built once by :func:`environment`) with ``autoescape=True``
and ``StrictUndefined``; every filter, test and global the templates use is registered there. The
templates live in the packaged ``templates`` folder, found through :func:`sellerdx.assets.asset_dir`.
No markup is built in Python: the only HTML that does not come from a template is the charts' SVG,
drawn by matplotlib from numbers (its text escaped by matplotlib; see :mod:`sellerdx.render.charts`).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup

from sellerdx.assets import asset_dir
from sellerdx.i18n import Message, Term, formats, localize
from sellerdx.i18n.active import _, current, gettext, ngettext, npgettext, pgettext, use
from sellerdx.i18n.languages import get as get_language
from sellerdx.model import MetricResult
from sellerdx.render import charts
from sellerdx.render.context import (
    FindingView,
    ReportContext,
    assemble,
    code_words,
    column_spec,
    count_words,
    defect_noun,
    delimiter_name,
    gap_text,
    group_order,
    status_label,
    upper_bound_text,
    upper_bound_why,
    weekday_name,
)
from sellerdx.result import AnalysisResult
from sellerdx.text import EMPTY


# --------------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------------
def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def pct(value: Any, digits: int | None = None) -> str:
    """A fraction as a percentage: 0.072 -> "7.2%", 0.0123 -> "1.23%", 0.12245 -> "12.24%", 0.01 -> "1%";
    None -> "—".

    Without ``digits``: two decimals, as every text sellerdx writes (sellerdx.text.rate); trailing zeros are
    dropped in the report's prose and cards.
    """
    if _missing(value):
        return EMPTY
    number = float(value) * 100
    if digits is None:
        digits = 2
    if current() != "en":
        return formats.percent(float(value), digits, trim=True)
    text = f"{number:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def number(value: Any, digits: int = 0) -> str:
    """A number with thousands separators: 12345 -> "12,345"; None -> "—"."""
    if _missing(value):
        return EMPTY
    if current() != "en":
        return formats.decimal(float(value), digits)
    return f"{float(value):,.{digits}f}"


def date(value: Any, fmt: str = "%Y-%m-%d") -> str:
    """A date (``date``, ``datetime``, ``Timestamp`` or ISO text) as text; None/NaT -> "—"."""
    if _missing(value):
        return EMPTY
    if isinstance(value, str):
        try:
            value = pd.Timestamp(value)
        except ValueError:
            return value
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        if current() != "en" and fmt == "%Y-%m-%d":
            return formats.date(value)
        return value.strftime(fmt)
    return str(value)


def datetime(value: Any) -> str:
    """A timestamp as "YYYY-MM-DD HH:MM" (a zone suffix when it has one); None -> "—"."""
    if _missing(value):
        return EMPTY
    stamp = pd.Timestamp(value)
    if current() != "en":
        return f"{formats.date(stamp)} {stamp.strftime('%H:%M %Z')}".strip()
    return stamp.strftime("%Y-%m-%d %H:%M %Z").strip()


def cell(value: Any, column: str) -> str:
    """One table cell as text, formatted by the column's declared format or by the value's type."""
    if _missing(value):
        return EMPTY
    if isinstance(value, Message | Term):
        return localize(value)
    spec = column_spec(column)
    fmt = spec["format"]
    if fmt == "pct":
        return pct(value)
    if fmt == "int":
        return number(value)
    if fmt == "number":
        return number(value, 2)
    if fmt == "date":
        return date(value)
    if fmt == "datetime":
        return datetime(value)
    if fmt == "code":
        return code_words(value)
    if fmt == "weekday":
        return weekday_name(value)
    if spec["translate"] and isinstance(value, str):
        return gettext(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return datetime(value) if (value.hour, value.minute) != (0, 0) else date(value)
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return number(value, 0 if value.is_integer() else 2)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def column_label(column: str) -> str:
    """The header of a table column ("order_id" -> "Order"), in the language being written."""
    return gettext(column_spec(column)["label"])


def t(value: Any) -> Any:
    """The ``t`` filter: a :class:`~sellerdx.i18n.Message` or :class:`~sellerdx.i18n.Term` in the language being
    written; a string of sellerdx's data files (a metric's label, a definition) through the catalog (its msgid is
    the English text); anything else unchanged. Never for data values (ASINs, SKUs, buyer text)."""
    if isinstance(value, Message | Term):
        return localize(value)
    if isinstance(value, str) and value:
        return gettext(value)
    return value


def _template_gettext(message: str) -> str:
    """gettext for the templates. A ``{% trans %}`` block without variables reaches newstyle gettext with its
    ``%`` doubled (``95%% interval``) while Babel extracts it with one: look that msgid up too."""
    text = gettext(message)
    if text == message and "%%" in message:
        plain = message.replace("%%", "%")
        translated = gettext(plain)
        if translated != plain:
            return translated.replace("%", "%%")
    return text


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` output: a Message or Term printed without ``|t`` is still written in the active language."""
    return localize(value) if isinstance(value, Message | Term) else value


def html_lang() -> str:
    """The ``<html lang>`` value of the language being written (data/languages.toml)."""
    return get_language(current()).html


def language_tag(code: str) -> str:
    """The ``lang`` attribute of a text written in language ``code`` ("zh" -> "zh-Hans")."""
    return get_language(code).html


def language_name(code: str) -> str:
    """Language ``code`` named in the language being written ("de" -> "German" / "ドイツ語"; CLDR through Babel)."""
    from babel import Locale  # noqa: PLC0415 - Babel only where a language is named (a POA in another language)

    name = Locale.parse(get_language(current()).locale).languages.get(code)
    return str(name) if name else get_language(code).name


def numeric_column(frame: pd.DataFrame, column: str) -> bool:
    """Whether a column holds numbers (right-aligned in tables)."""
    return column_spec(column)["format"] in ("pct", "int", "number") or (
        pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]))


def column_class(frame: pd.DataFrame, column: str) -> str:
    """CSS class of a column's cells: "num" (right-aligned, one line), "nowrap" (ids, dates) or ""."""
    if numeric_column(frame, column):
        return "num"
    spec = column_spec(column)
    if spec["nowrap"] or spec["format"] in ("date", "datetime") or \
            pd.api.types.is_datetime64_any_dtype(frame[column]):
        return "nowrap"
    return ""


def column_classes(frame: pd.DataFrame) -> list[str]:
    """:func:`column_class` of every column of ``frame``, in order."""
    return [column_class(frame, c) for c in frame.columns]


def rows(frame: pd.DataFrame, limit: int | None = None, start: int = 0) -> list[list[Any]]:
    """Rows ``start`` to ``limit`` (exclusive; all when None) of ``frame`` as lists of Python values (NaN -> None)."""
    head = frame.iloc[start:limit]
    out = []
    for record in head.itertuples(index=False, name=None):
        out.append([None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in record])
    return out


def nonempty(value: Any) -> bool:
    """Jinja test: not ``None`` and has at least one row/item (DataFrames have no truth value)."""
    return value is not None and len(value) > 0


def window(metric: MetricResult) -> str:
    """"2026-09-02 – 2026-10-31 (60 days)" for a metric's window; "—" when it has none."""
    if metric.window_start is None or metric.window_end is None:
        return EMPTY
    days = (metric.window_end - metric.window_start).days + 1
    # TRANSLATORS: a metric's window: "2026-09-02 – 2026-10-31 (60 days)"
    return ngettext("{start} – {end} ({days} day)", "{start} – {end} ({days} days)", days).format(
        start=date(metric.window_start), end=date(metric.window_end), days=number(days))


def target_text(metric: MetricResult) -> str:
    """"< 4%" or "> 95%": the target with its direction."""
    return f"{'<' if metric.direction == 'below' else '>'} {pct(metric.target)}"


# --------------------------------------------------------------------------------------------------
# Chart globals (return Markup built by matplotlib from numbers; see charts.py)
# --------------------------------------------------------------------------------------------------
def trend_chart(series: pd.DataFrame, metric: MetricResult) -> Markup | None:
    """The daily trend chart of one metric."""
    return charts.daily_chart(series, metric)


def finding_chart(view: FindingView) -> Markup | None:
    """The chart of a finding's breakdown (Pareto or bars, chosen in definitions.toml)."""
    label = view.metric.label if view.metric else view.finding.metric
    by_label = column_label(view.chart_by) if view.chart_by else None
    return charts.breakdown_chart(view.breakdown, view.chart_by, label, kind=view.chart_kind,
                                  chart_id=f"chart-{view.anchor}", by_label=by_label,
                                  highlight=view.highlighted, order=group_order(view.chart_by))


# --------------------------------------------------------------------------------------------------
# Environment
# --------------------------------------------------------------------------------------------------
def _load_template(name: str) -> tuple[str, None, Any]:
    source = (asset_dir("templates") / name).read_text(encoding="utf-8")
    return source, None, lambda: True


_ENVIRONMENT_LOCK = threading.Lock()


def environment() -> Environment:
    """The one Jinja2 environment of sellerdx's HTML output (built once; see :func:`_build_environment`)."""
    with _ENVIRONMENT_LOCK:
        return _build_environment()


def warm() -> None:
    """Compile the report's templates now (~0.15 s): :class:`sellerdx.Analysis` calls it in a background
    thread while DuckDB works, so rendering finds them compiled (Jinja keeps them in the environment)."""
    env = environment()
    for name in sorted(p.name for p in asset_dir("templates").glob("*.html.j2")):
        env.get_template(name)


@functools.cache
def _build_environment() -> Environment:
    """The one Jinja2 environment of sellerdx's HTML output, with all filters, tests and globals.

    Jinja's i18n extension (newstyle gettext, ``{% trans %}`` trimmed by default) with the gettext functions of
    :mod:`sellerdx.i18n.active`: a template is written in the language of the ``with use(lang):`` block it is
    rendered in (English outside any). ``finalize`` writes a Message or Term printed as ``{{ x }}`` in that
    language too."""
    env = Environment(
        loader=FunctionLoader(_load_template),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        finalize=_finalize,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_template_gettext, ngettext=ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
    env.filters.update(
        pct=pct, number=number, date=date, datetime=datetime, cell=cell, column_label=column_label,
        status_label=status_label, defect_noun=defect_noun, count_words=count_words,
        upper_bound_text=upper_bound_text, gap_text=gap_text, upper_bound_why=upper_bound_why, delimiter_name=delimiter_name, rows=rows, window=window, target_text=target_text,
        t=t, language_tag=language_tag, language_name=language_name,
    )
    env.tests["nonempty"] = nonempty
    env.globals.update(trend_chart=trend_chart, finding_chart=finding_chart, column_classes=column_classes)
    return env


TEMPLATE = "report.html.j2"


def render_html(ctx: ReportContext) -> str:
    """The report as one HTML document (inline CSS and SVG; no script, no external resource), written in
    ``ctx.lang``."""
    with use(ctx.lang), charts.frozen():   # one freeze for every chart of the report
        return environment().get_template(TEMPLATE).render(ctx=ctx, html_lang=html_lang())


CARDS_TEMPLATE = "_notebook.html.j2"


def render_cards(result: AnalysisResult) -> str:
    """The headline banner and metric cards alone, with scoped CSS: ``Analysis._repr_html_`` in Jupyter."""
    ctx = assemble(seller=result.folder, metrics=result.metrics, as_of=result.as_of,
                   findings=[FindingView(f) for f in result.finding_list], definitions=(),
                   missing_exports=result.missing_exports, gaps=result.gaps, lang=result.options.lang)
    with use(ctx.lang):
        return environment().get_template(CARDS_TEMPLATE).render(ctx=ctx, html_lang=html_lang())


def write_html(ctx: ReportContext, path: str | Path) -> Path:
    """Render ``ctx`` and write it to ``path`` (UTF-8), creating the parent folder; returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html(ctx), encoding="utf-8")
    return target


__all__ = ["environment", "render_html", "render_cards", "write_html", "pct", "number", "date", "cell", "t",
           "html_lang", "TEMPLATE", "EMPTY"]

