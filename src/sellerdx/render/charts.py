"""Charts for the HTML report: matplotlib figures (object API, no pyplot state) as inline SVG strings.

Figures are built with :class:`matplotlib.figure.Figure` (no pyplot, no global backend change, so a
Jupyter session keeps its own backend) from numbers and labels only, inside :func:`matplotlib.rc_context` so the caller's
matplotlib settings are untouched, with ``svg.fonttype = 'none'`` (text stays text: small files, the
browser's fonts, selectable labels). Matplotlib escapes every text it writes into SVG (``<`` becomes
``&lt;``), so a hostile product name used as a tick label cannot create an element; the accessible
``<title>`` that this module adds is escaped by :class:`markupsafe.Markup`. The functions return
:class:`markupsafe.Markup` (or ``None`` when there is nothing to draw), ready for the template.

Each chart is drawn once: :func:`fit` decides the figure's size and margins in Python from the texts around
the plot (tick labels, axis labels, title, legend), measured with matplotlib's own text metrics, so the
plot keeps a fixed size and no label is cut off, without the second draw that ``bbox_inches="tight"``
costs. matplotlib is imported when the first chart is drawn, so nothing else pays for its import.
"""
# ruff: noqa: PLC0415 - matplotlib is imported inside the functions that draw: only a run that draws a chart pays for it
from __future__ import annotations

import gc
import io
import re
import warnings
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pandas as pd
from markupsafe import Markup

from sellerdx.i18n import formats
from sellerdx.i18n.active import _, current, gettext, ngettext
from sellerdx.model import MetricResult
from sellerdx.render.context import weekday_name
from sellerdx.text import percent

# Palette shared with report.css (status colours and neutrals).
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"
BAR = "#3e6fb0"
BAR_HOT = "#c0392b"
LINE = "#1d4f91"
TARGET = "#c0392b"
WINDOW = "#f2c94c"
CUMULATIVE = "#e67e22"

MAX_BARS = 15           # a Pareto chart shows the top groups; the rest are summed into one bar
MAX_LABEL_CHARS = 24    # long labels (product names) are shortened on the axis

CHART_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlecolor": INK,
    "axes.labelsize": 9,
    "axes.labelcolor": MUTED,
    "axes.edgecolor": GRID,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": 72,
    "savefig.bbox": None,         # the layout is fixed by fit(): one draw, no tight-box pass
}

PAD = 0.08 * 72   # points of white around everything drawn (what savefig.pad_inches was with the tight box)
# The plot area (Axes) of each kind of chart, in points: the size it had in the tight-box layout.
DAILY_PLOT = (585.9, 138.6)
PARETO_PLOT = (585.9, 182.952)
BARS_PLOT = (585.9, 144.144)

# Text stays text in the SVG (svg.fonttype none): the browser draws it, falling back family by family for a
# glyph DejaVu Sans lacks. Outside English the chart's font list goes on with CJK system fonts (the language's own
# glyph forms first: JP for Japanese, SC for Chinese), so the browser picks a real CJK font, and matplotlib
# measures CJK labels with it where it is installed (fonts-noto-cjk); English charts are unchanged.
CJK_FONTS: dict[str, tuple[str, ...]] = {
    "ja": ("Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", "Noto Sans CJK SC", "PingFang SC"),
    "zh": ("Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK JP", "Hiragino Sans"),
    "default": ("Noto Sans CJK SC", "Noto Sans CJK JP", "PingFang SC", "Hiragino Sans", "Microsoft YaHei",
                "Yu Gothic"),
}


def chart_rc() -> dict[str, Any]:
    """:data:`CHART_RC` for the language being written (CJK fonts after the Latin ones outside English)."""
    code = current()
    if code == "en":
        return CHART_RC
    return {**CHART_RC, "font.sans-serif": [*CHART_RC["font.sans-serif"],
                                            *CJK_FONTS.get(code, CJK_FONTS["default"])]}


_SVG_START = re.compile(r"<svg\b")
_SVG_OPEN_TAG = re.compile(r"<svg\b[^>]*>")
_BLANK_RUNS = re.compile(r"\n\s*")
_LABEL_COLUMNS = ("value", "group", "label", "key")
_SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}   # no creator URL, no date


def _short(label: Any) -> str:
    text = "—" if label is None or (isinstance(label, float) and pd.isna(label)) else weekday_name(label)
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


_FROZEN: ContextVar[bool] = ContextVar("sellerdx_charts_frozen", default=False)


@contextmanager
def frozen() -> Iterator[None]:
    """The objects of the program frozen for the garbage collector while charts are drawn (nested: once).

    A chart allocates thousands of small objects, enough to set off the garbage collector's full pass, which
    would scan the whole analysis (every frame and table held) while a chart is drawn: the objects that exist
    when this starts are frozen (left out of collections) until it ends, unless the program froze some
    itself (then its freeze is left alone; the sellerdx command freezes its own). The report wraps its whole
    rendering in it, so the check (``gc.get_freeze_count`` walks the frozen objects) runs once per report."""
    if _FROZEN.get():
        yield
        return
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    token = _FROZEN.set(True)
    try:
        yield
    finally:
        _FROZEN.reset(token)
        if freeze:
            gc.unfreeze()


@contextmanager
def drawing() -> Iterator[None]:
    """The context a chart is built and written in: :func:`chart_rc` over the caller's matplotlib settings
    (restored on exit), missing-glyph warnings silenced (CJK labels: the browser draws that text with its own
    fonts), the objects of the program :func:`frozen`."""
    with frozen():
        import matplotlib  # the first chart imports it (frozen objects: its import does not scan them either)

        with matplotlib.rc_context(chart_rc()), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield


def preload() -> None:
    """Import what drawing a chart needs (matplotlib's figure, ticks, dates and SVG writer: ~0.3 s).

    :class:`sellerdx.Analysis` calls it in a background thread while the data is read and diagnosed (DuckDB
    works with the GIL released), so the first chart does not wait for the import. Never raises: a failing
    import fails again, with its message, where the first chart imports it."""
    try:
        import matplotlib.backends.backend_svg
        import matplotlib.dates
        import matplotlib.figure
        import matplotlib.ticker  # noqa: F401
    except Exception:  # noqa: BLE001, S110 - reported by the chart's own import, not by a background thread
        pass


def new_figure() -> tuple[Any, Any]:
    """A :class:`~matplotlib.figure.Figure` (no pyplot) with one Axes; :func:`fit` sizes both."""
    from matplotlib.figure import Figure

    fig = Figure()
    return fig, fig.add_subplot()


def to_svg(fig: Any, chart_id: str, alt: str) -> Markup:
    """Serialise ``fig`` to an inline ``<svg role="img">`` with an escaped ``<title>`` (the alt text).

    One draw at the figure's own size (laid out by :func:`fit`), inside :func:`drawing`."""
    import matplotlib

    buffer = io.StringIO()
    # hashsalt = chart id: ids of clip paths and markers are reproducible and differ between the charts
    # that share one HTML page. No metadata: no creator URL, no date.
    salt = matplotlib.rcParams["svg.hashsalt"]
    matplotlib.rcParams["svg.hashsalt"] = chart_id
    try:
        fig.savefig(buffer, format="svg", metadata=_SVG_METADATA)
    finally:
        matplotlib.rcParams["svg.hashsalt"] = salt
    svg = buffer.getvalue()
    start = _SVG_START.search(svg)
    if start is None:  # pragma: no cover - matplotlib always writes an <svg> element
        raise RuntimeError("matplotlib produced no <svg> element")
    svg = _BLANK_RUNS.sub("\n", svg[start.start():]).strip()   # drop the XML prolog and DOCTYPE
    open_tag = _SVG_OPEN_TAG.match(svg)
    assert open_tag is not None
    title_id = f"{chart_id}-title"
    head = Markup('<svg role="img" aria-labelledby="{0}" class="chart" id="{1}"{2}><title id="{0}">{3}</title>').format(
        title_id, chart_id, Markup(open_tag.group(0)[4:-1]), alt)
    # The rest is matplotlib's output: drawn from numbers, its text escaped by matplotlib itself.
    return head + Markup(svg[open_tag.end():])


# --------------------------------------------------------------------------------------------------
# Layout: the figure sized around a plot of fixed size, from the texts drawn around it (one draw)
# --------------------------------------------------------------------------------------------------
_RENDERERS: dict[str, Any] = {}


def _renderer() -> Any:
    """An SVG renderer that only measures text (the metrics savefig's renderer uses), one per language: text
    metrics are cached per renderer, and a CJK label measures differently where CJK fonts follow the Latin ones."""
    code = current()
    if code not in _RENDERERS:
        from matplotlib.backends.backend_svg import RendererSVG

        _RENDERERS[code] = RendererSVG(100, 100, io.StringIO())
    return _RENDERERS[code]


def _ticks(axis: Any, low: float, high: float) -> tuple[list[float], list[str]]:
    """The major ticks ``axis`` draws between ``low`` and ``high`` and their labels, as its draw makes them: every
    tick of the locator formatted together (a formatter may look at all of them), those in view drawn. The
    locator runs once: the axis keeps its ticks (a FixedLocator), so the draw does not compute them again."""
    from matplotlib.ticker import FixedLocator

    locs = [float(v) for v in axis.get_major_locator()()]
    labels = list(axis.get_major_formatter().format_ticks(locs))
    axis.set_major_locator(FixedLocator(locs))
    lo, hi = min(low, high), max(low, high)
    slack = (hi - lo) * 1e-9
    shown = [(v, text) for v, text in zip(locs, labels) if lo - slack <= v <= hi + slack]
    return [v for v, _text in shown], [text for _v, text in shown]


def fit(fig: Any, ax: Any, plot: tuple[float, float], *, twin: Any = None, title_pad: float | None = None,
        x_rotation: float = 0.0, x_ha: str = "center", legend: Any = None) -> None:
    """Size ``fig`` so that the plot area of ``ax`` (and its ``twin``) is ``plot`` (width, height in points)
    and every text around it — tick labels, axis labels, title, ``legend`` — lies inside the figure with
    :data:`PAD` to spare.

    The texts are placed as matplotlib places them at draw time (tick length and pad, label pad, title pad;
    ``x_rotation`` / ``x_ha`` of the x tick labels) and measured with the SVG renderer's text metrics, so the
    figure is laid out before its only draw. Call it last, when everything is on the Axes."""
    import matplotlib
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    rc = matplotlib.rcParams
    renderer = _renderer()
    width, height = plot
    # provisional: the figure is the plot area, so display coordinates are plot-relative (the legend's box)
    fig.set_size_inches(width / 72, height / 72)
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    boxes = [Bbox.from_extents(0, 0, width, height)]

    def place(text: str, x: float, y: float, like: Any = None, **props: Any) -> Any:
        if not text:
            return None
        if like is not None:
            props = {"fontproperties": like.get_fontproperties(), "rotation": like.get_rotation(),
                     "ha": like.get_ha(), "va": like.get_va(), "rotation_mode": like.get_rotation_mode(), **props}
        label = Text(x, y, text, **props)
        label.set_figure(fig)
        box = label.get_window_extent(renderer)
        boxes.append(box)
        return box

    x0, x1 = ax.get_xlim()
    offset = rc["xtick.major.size"] + rc["xtick.major.pad"]
    below = [place(text, (v - x0) / (x1 - x0) * width, -offset, size=rc["xtick.labelsize"],
                   rotation=x_rotation, ha=x_ha, va="top")
             for v, text in zip(*_ticks(ax.xaxis, x0, x1))]
    bottom_edge = min([b.y0 for b in below if b is not None] + [-rc["xtick.major.size"]])
    place(ax.get_xlabel(), width / 2, bottom_edge - ax.xaxis.labelpad, like=ax.xaxis.label)
    ax.xaxis.set_label_coords(0.5, (bottom_edge - ax.xaxis.labelpad) / height)   # placed: the draw measures no ticks for it

    y0, y1 = ax.get_ylim()
    offset = rc["ytick.major.size"] + rc["ytick.major.pad"]
    left = [place(text, -offset, (v - y0) / (y1 - y0) * height, size=rc["ytick.labelsize"], ha="right",
                  va="center_baseline") for v, text in zip(*_ticks(ax.yaxis, y0, y1))]
    left_edge = min([b.x0 for b in left if b is not None] + [-rc["ytick.major.size"]])
    place(ax.get_ylabel(), left_edge - ax.yaxis.labelpad, height / 2, like=ax.yaxis.label)
    ax.yaxis.set_label_coords((left_edge - ax.yaxis.labelpad) / width, 0.5)
    if twin is not None:
        t0, t1 = twin.get_ylim()
        right = [place(text, width + offset, (v - t0) / (t1 - t0) * height, size=rc["ytick.labelsize"], ha="left",
                       va="center_baseline") for v, text in zip(*_ticks(twin.yaxis, t0, t1))]
        right_edge = max([b.x1 for b in right if b is not None] + [width + rc["ytick.major.size"]])
        place(twin.get_ylabel(), right_edge + twin.yaxis.labelpad, height / 2, like=twin.yaxis.label)
        twin.yaxis.set_label_coords((right_edge + twin.yaxis.labelpad) / width, 0.5)

    pad = rc["axes.titlepad"] if title_pad is None else title_pad
    for loc, anchor in (("left", 0.0), ("center", width / 2), ("right", width)):   # the three titles of an Axes
        title = {"left": ax._left_title, "center": ax.title, "right": ax._right_title}[loc]
        place(title.get_text(), anchor, height + pad, like=title)
    if legend is not None:
        boxes.append(legend.get_window_extent(renderer))

    drawn = Bbox.union(boxes)
    left_m, bottom_m = PAD - drawn.x0, PAD - drawn.y0
    fig_w = left_m + drawn.x1 + PAD
    fig_h = bottom_m + drawn.y1 + PAD
    fig.set_size_inches(fig_w / 72, fig_h / 72)
    fig.subplots_adjust(left=left_m / fig_w, right=(left_m + width) / fig_w,
                        bottom=bottom_m / fig_h, top=(bottom_m + height) / fig_h)


def _pct(value: float) -> str:
    return percent(value, trim=True)


# Tick labels in the reader's conventions (sellerdx.i18n.formats); English keeps matplotlib's own formatters,
# so its charts are unchanged.
def percent_formatter(decimals: int | None = None) -> Any:
    """A y-axis of fractions as percentages: ``4%`` / ``4 %`` / ``4,5 %``."""
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    if current() == "en":
        return PercentFormatter(xmax=1, decimals=decimals)
    if decimals is None:
        return FuncFormatter(lambda value, _pos: formats.percent(value, 2, trim=True))
    return FuncFormatter(lambda value, _pos: formats.percent(value, decimals))


def count_formatter() -> Any | None:
    """Whole counts with the locale's grouping (``1.000``); ``None`` in English (matplotlib's default)."""
    from matplotlib.ticker import FuncFormatter

    if current() == "en":
        return None
    return FuncFormatter(lambda value, _pos: formats.decimal(int(round(value))))


def date_formatter(ax: Any, english: str | None = None) -> None:
    """Day ticks: ``english`` (a strftime pattern) or matplotlib's default in English; the locale's short
    month-day elsewhere (``19. Aug.``, ``8月19日``)."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    if current() == "en":
        if english:
            ax.xaxis.set_major_formatter(mdates.DateFormatter(english))
        return
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: formats.month_day(mdates.num2date(value).date())))


def _counts_axis(ax: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))   # whole orders: no 0.25 ... 1.75 ticks
    formatter = count_formatter()
    if formatter is not None:
        ax.yaxis.set_major_formatter(formatter)


def daily_chart(series: pd.DataFrame | None, metric: MetricResult) -> Markup | None:
    """Line chart of ``series.rate`` by ``series.date`` with the metric's target and its window shaded.

    ``series`` has columns ``date`` and ``rate`` (a fraction; NaN/None where no orders). Returns ``None``
    when there is no rate to draw.
    """
    if series is None or len(series) == 0 or "date" not in series or "rate" not in series:
        return None
    frame = series[["date", "rate"]].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["rate"] = pd.to_numeric(frame["rate"], errors="coerce")
    frame = frame.sort_values("date")
    if frame["rate"].notna().sum() == 0:
        return None
    label = gettext(metric.label)
    values = {"metric": label, "start": formats.date(frame["date"].min()), "end": formats.date(frame["date"].max()),
              "target": _pct(metric.target)}
    if metric.window_start and metric.window_end:
        alt = _("{metric} by purchase date from {start} to {end}, with Amazon's target of {target} and the window "
                "{window_start} to {window_end} shaded").format(
            **values, window_start=formats.date(metric.window_start), window_end=formats.date(metric.window_end))
    else:
        alt = _("{metric} by purchase date from {start} to {end}, with Amazon's target of {target}").format(**values)
    with drawing():
        return to_svg(daily_figure(frame, metric), f"chart-trend-{metric.key}", alt)


def daily_figure(frame: pd.DataFrame, metric: MetricResult) -> Any:
    """The figure of :func:`daily_chart` (``frame``: ``date`` as datetimes, ascending; ``rate``), laid out;
    build it inside :func:`drawing`."""
    dates = frame["date"].to_numpy()
    rates = frame["rate"].to_numpy(dtype=float)
    fig, ax = new_figure()
    if metric.window_start and metric.window_end:
        ax.axvspan(pd.Timestamp(metric.window_start) - pd.Timedelta(hours=12),
                   pd.Timestamp(metric.window_end) + pd.Timedelta(hours=12),
                   color=WINDOW, alpha=0.18, lw=0, label=_("metric window"))
    ax.plot(dates, rates, color=LINE, lw=1.6, label=_("rate"))
    ax.axhline(metric.target, color=TARGET, lw=1.1, ls=(0, (4, 3)),
               label=_("target {target}").format(
                   target=f"{'<' if metric.direction == 'below' else '>'} {_pct(metric.target)}"))
    top = max(float(frame["rate"].max()), metric.target)
    if metric.direction == "below":
        ax.set_ylim(0, top * 1.18 if top > 0 else 0.05)
    ax.yaxis.set_major_formatter(percent_formatter(1 if top < 0.1 else 0))
    date_formatter(ax, "%d %b")
    ax.set_title(_("{metric}: daily trend").format(metric=gettext(metric.label)), pad=26, y=1)
    ax.set_xlabel(_("Purchase date (UTC)"))
    ax.set_ylabel(_("Rate"))
    legend = ax.legend(loc="lower left", ncols=3, bbox_to_anchor=(0, 1.06), borderaxespad=0)
    fit(fig, ax, DAILY_PLOT, title_pad=26, legend=legend)
    return fig


def _label_column(frame: pd.DataFrame, by: str | None) -> str | None:
    for name in ((by,) if by else ()) + _LABEL_COLUMNS:
        if name and name in frame.columns:
            return name
    return None


def breakdown_chart(frame: pd.DataFrame | None, by: str | None, metric_label: str,
                    kind: str = "pareto", chart_id: str = "breakdown",
                    by_label: str | None = None, highlight: Collection[str] = (),
                    order: Sequence[str] | None = None) -> Markup | None:
    """Bar chart of a breakdown (rows = groups such as ASINs, weekdays, carriers).

    The defect count is the ``defects`` (or ``count``) column. ``kind='pareto'``: defects per group, largest first (top :data:`MAX_BARS`, the rest summed into one
    bar), with the cumulative share of all defects as a line on a second axis (the breakdown's
    ``cumulative_share`` over distinct defect orders when it has one; ``overlap`` says so in the title). ``kind='bars'``: the
    defect rate per group (``rate``; ``defects`` when there is no rate) in the breakdown's own order
    (weekday order, for example), bars of the groups with the most defects highlighted.
    ``by_label`` names the key on the axis ("ASIN"); it defaults to ``by``. Bars of the groups in
    ``highlight`` (the finding's entities) are drawn in the alert colour. ``order`` (weekdays) puts
    the bars of a ``'bars'`` chart in that order; groups not in it follow.
    Returns ``None`` when the breakdown has no label column or no defects column.
    """
    if frame is None or len(frame) == 0:
        return None
    label_col = _label_column(frame, by)
    value_col = next((c for c in ("defects", "count") if c in frame.columns), None)
    if label_col is None or value_col is None:
        return None
    data = frame.copy()
    data[value_col] = pd.to_numeric(data[value_col], errors="coerce").fillna(0)
    metric_label = gettext(metric_label)
    by_text = by_label or (by or label_col).replace("_", " ")
    # "ASIN" stays, "Weekday" -> "weekday" (in English; other languages keep their capitals: German nouns)
    by_words = by_text if by_text.isupper() or current() != "en" else by_text.lower()
    if kind == "pareto":
        data = data[data[value_col] > 0]   # a Pareto chart shows where the defects are
        if data.empty:
            return None
        overlapping = "overlap" in data.columns and bool(data["overlap"].any())
        values = {"metric": metric_label, "by": by_words, "groups": formats.decimal(len(data)),
                  "defects": formats.decimal(int(data[value_col].sum()))}
        alt = (_("Pareto chart of {metric} defects by {by}: {groups} groups, {defects} defects (groups overlap: "
                 "an order can count in several), largest first, with the cumulative share") if overlapping else
               _("Pareto chart of {metric} defects by {by}: {groups} groups, {defects} defects, largest first, "
                 "with the cumulative share")).format(**values)
        with drawing():
            return to_svg(_pareto(data, label_col, value_col, by_text, by_words, metric_label, set(highlight)),
                          chart_id, alt)
    if order:
        rank = {name: i for i, name in enumerate(order)}
        data = data.assign(_rank=[rank.get(str(v), len(rank)) for v in data[label_col]])
        data = data.sort_values("_rank", kind="stable").drop(columns="_rank")
    alt = _("Bar chart of {metric} by {by} for {groups} groups").format(
        metric=metric_label, by=by_words, groups=formats.decimal(len(data)))
    with drawing():
        return to_svg(_bars(data, label_col, value_col, by_text, by_words, metric_label, set(highlight)),
                      chart_id, alt)


def _pareto(data: pd.DataFrame, label_col: str, value_col: str, by_text: str, by_words: str,
            metric_label: str, highlight: set[str]) -> Any:
    data = data.sort_values(value_col, ascending=False, kind="stable")
    total = float(data[value_col].sum())
    shown = list(data[label_col].head(MAX_BARS))
    labels = [_short(v) for v in shown]
    colours = [BAR_HOT if str(v) in highlight else BAR for v in shown]
    counts = [float(v) for v in data[value_col]]
    values = counts[:MAX_BARS]
    rest = counts[MAX_BARS:]
    if rest:
        labels.append(ngettext("{n} other", "{n} others", len(rest)).format(n=formats.decimal(len(rest))))
        colours.append(BAR)
        values.append(sum(rest))
    if "cumulative_share" in data.columns and data["cumulative_share"].notna().all():
        # over distinct defect orders (sellerdx.metrics.breakdown): an order in two groups counts once,
        # so the line ends at 100% of the window's defects and agrees with the statements
        shares = [float(v) for v in data["cumulative_share"]]
        cumulative = shares[:MAX_BARS] + ([shares[-1]] if rest else [])
    else:
        running = 0.0
        cumulative = []
        for value in values:
            running += value
            cumulative.append(running / total if total else 0.0)
    overlap = bool("overlap" in data.columns and data["overlap"].any())
    fig, ax = new_figure()
    positions = list(range(len(values)))
    rotated = len(labels) > 5
    ax.bar(positions, values, color=colours, width=0.7)
    ax.set_xticks(positions, labels, rotation=35 if rotated else 0, ha="right" if rotated else "center")
    ax.set_ylabel(_("Defective orders"))
    _counts_axis(ax)
    ax.set_xlabel(by_text)
    ax.set_title((_("{metric}: defects by {by} (groups overlap: a defect that names no item counts under each item "
                    "of its order)") if overlap else _("{metric}: defects by {by}")).format(metric=metric_label,
                                                                                           by=by_words), y=1)
    ax2 = ax.twinx()
    ax2.plot(positions, cumulative, color=CUMULATIVE, marker="o", ms=3.5, lw=1.4)
    ax2.set_ylim(0, 1.05)
    ax2.yaxis.set_major_formatter(percent_formatter(0))
    ax2.set_ylabel(_("Cumulative share"), color=CUMULATIVE)
    ax2.tick_params(axis="y", colors=CUMULATIVE)
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax2.spines["right"].set_color(GRID)
    fit(fig, ax, PARETO_PLOT, twin=ax2, x_rotation=35 if rotated else 0, x_ha="right" if rotated else "center")
    return fig


def _bars(data: pd.DataFrame, label_col: str, value_col: str, by_text: str, by_words: str,
          metric_label: str, highlight: set[str]) -> Any:
    use_rate = "rate" in data.columns and pd.to_numeric(data["rate"], errors="coerce").notna().any()
    heights = pd.to_numeric(data["rate"], errors="coerce").fillna(0) if use_rate else data[value_col]
    colours = [BAR_HOT if str(v) in highlight else BAR for v in data[label_col]]
    labels = [_short(v) for v in data[label_col]]
    fig, ax = new_figure()
    positions = list(range(len(labels)))
    rotated = len(labels) > 8
    ax.bar(positions, [float(v) for v in heights], color=colours, width=0.65)
    ax.set_xticks(positions, labels, rotation=30 if rotated else 0, ha="right" if rotated else "center")
    if use_rate:
        ax.yaxis.set_major_formatter(percent_formatter())
        ax.set_ylabel(_("Defect rate"))
        ax.set_title(_("{metric}: defect rate by {by}").format(metric=metric_label, by=by_words), y=1)
    else:
        ax.set_ylabel(_("Defective orders"))
        _counts_axis(ax)   # whole orders
        ax.set_title(_("{metric}: defects by {by}").format(metric=metric_label, by=by_words), y=1)
    ax.set_xlabel(by_text)
    fit(fig, ax, BARS_PLOT, x_rotation=30 if rotated else 0, x_ha="right" if rotated else "center")
    return fig


__all__ = ["daily_chart", "daily_figure", "breakdown_chart", "chart_rc", "count_formatter", "date_formatter",
           "drawing", "fit", "new_figure", "percent_formatter", "to_svg", "MAX_BARS"]
