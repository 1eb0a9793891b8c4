"""The report's charts (sellerdx.render.charts): drawn once at a fixed layout, nothing cut off, text escaped.

Every chart is captured as a matplotlib figure where it is handed to ``to_svg``, then drawn into an SVG renderer
to ask matplotlib where everything it drew ended up (``Figure.get_tightbbox``): that box must lie inside the
figure (no label cut off) and leave no more than the 0.08 in pad of white on any side (the chart's size is that
of the tight box the report used to crop to).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from sellerdx.i18n import use
from sellerdx.model import MetricResult
from sellerdx.render import amazon, charts

PAD = 0.08 * 72          # points of white around the drawing
LANGS = ("en", "de", "ja", "zh")
LSR = MetricResult(key="lsr_10d", label="Late Shipment Rate (10 days)", rate=0.072, numerator=36, denominator=500,
                   window_start=dt.date(2026, 10, 22), window_end=dt.date(2026, 10, 31), target=0.04,
                   direction="below", status="at_risk")
VTR = MetricResult(key="vtr", label="Valid Tracking Rate", rate=0.85, numerator=850, denominator=1000,
                   window_start=dt.date(2026, 10, 2), window_end=dt.date(2026, 10, 31), target=0.95,
                   direction="above", status="at_risk")
HOSTILE = '<script>alert("x")</script>'
LONG_CJK = "ステンレス製の保温マグカップ 大容量 食洗機対応 ギフト"        # wider than 24 Latin characters
LONG_LATIN = "Stainless steel travel mug, 500 ml, dishwasher safe"


def daily_series(days: int = 60) -> pd.DataFrame:
    start = dt.date(2026, 9, 2)
    return pd.DataFrame({"date": [start + dt.timedelta(days=i) for i in range(days)],
                         "rate": [0.02 + (i % 7) * 0.01 for i in range(days)]})


def asins(n: int, *, first: str = HOSTILE) -> pd.DataFrame:
    groups = [first, LONG_CJK, LONG_LATIN] + [f"B0ASIN{i:04d}" for i in range(n - 3)]
    defects = [30, 20, 10] + [2] * (n - 3)
    return pd.DataFrame({"value": groups[:n], "defects": defects[:n], "orders": [100] * n,
                         "rate": [d / 100 for d in defects[:n]]})


WEEKDAYS = pd.DataFrame({"weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
                         "defects": [1, 1, 1, 2, 3, 12, 10], "orders": [50] * 7,
                         "rate": [0.02, 0.02, 0.02, 0.04, 0.06, 0.24, 0.2]})


def snapshot_points(counts: bool = False) -> list[Any]:
    return [SimpleNamespace(date=dt.date(2026, 7, 1) + dt.timedelta(days=30 * i), rate=None if counts else 0.01 * i,
                            numerator=i * 1000, denominator=None if counts else 100_000, status="GOOD")
            for i in range(1, 5)]


# Every kind of chart, drawn through the public functions: (name, plot size in points, draw()).
CHARTS = {
    "daily, target below": (charts.DAILY_PLOT, lambda: charts.daily_chart(daily_series(), LSR)),
    "daily, target above": (charts.DAILY_PLOT, lambda: charts.daily_chart(
        daily_series().assign(rate=lambda f: 1 - f["rate"]), VTR)),
    "pareto, 20 groups rotated": (charts.PARETO_PLOT, lambda: charts.breakdown_chart(
        asins(20), "asin", "Late Shipment Rate", kind="pareto", chart_id="p20", by_label="ASIN")),
    "pareto, 4 groups upright": (charts.PARETO_PLOT, lambda: charts.breakdown_chart(
        asins(4, first=LONG_CJK), "asin", "ODR", kind="pareto", chart_id="p4", by_label="ASIN")),
    "pareto, overlapping groups (long title)": (charts.PARETO_PLOT, lambda: charts.breakdown_chart(
        asins(8).assign(overlap=True), "asin", "Order Defect Rate (MFN)", kind="pareto", chart_id="po")),
    "bars, weekdays": (charts.BARS_PLOT, lambda: charts.breakdown_chart(
        WEEKDAYS, "weekday", "Late Shipment Rate (10 days)", kind="bars", chart_id="w")),
    "bars, 12 groups rotated, counts": (charts.BARS_PLOT, lambda: charts.breakdown_chart(
        asins(12).drop(columns="rate"), "asin", "ODR", kind="bars", chart_id="b12")),
    "amazon snapshots, rates": (amazon.SNAPSHOT_PLOT, lambda: amazon.snapshot_chart(
        snapshot_points(), "Order Defect Rate", "chart-amazon-0")),
    "amazon snapshots, counts": (amazon.SNAPSHOT_PLOT, lambda: amazon.snapshot_chart(
        snapshot_points(counts=True), "Policy violations", "chart-amazon-1")),
}


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The figures handed to to_svg (then written as usual)."""
    figures: list[Any] = []
    real = charts.to_svg

    def capture(fig: Any, chart_id: str, alt: str) -> Any:
        figures.append(fig)
        return real(fig, chart_id, alt)

    monkeypatch.setattr(charts, "to_svg", capture)
    monkeypatch.setattr(amazon, "to_svg", capture)
    return figures


def drawn_extent(fig: Any) -> tuple[float, float, float, float]:
    """Points of white left, bottom, right and top between what the figure draws and its edges."""
    from matplotlib.backends.backend_svg import RendererSVG

    with charts.drawing():
        renderer = RendererSVG(fig.bbox.width, fig.bbox.height, io.StringIO())
        fig.draw(renderer)
        box = fig.get_tightbbox(renderer)   # inches
    width, height = fig.get_size_inches() * 72
    return box.x0 * 72, box.y0 * 72, width - box.x1 * 72, height - box.y1 * 72


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_everything_drawn_is_inside_the_figure_with_the_pad_around_it(name: str, lang: str,
                                                                      captured: list[Any]) -> None:
    plot, draw = CHARTS[name]
    with use(lang):   # tick labels are formatted in the language of the draw
        svg = draw()
        assert svg is not None and len(captured) == 1
        fig = captured[0]
        sides = drawn_extent(fig)
    # the plot area keeps its fixed size: what the figure grows by is the labels around it
    ax = fig.axes[0]
    assert (ax.bbox.width, ax.bbox.height) == pytest.approx(plot, abs=1e-6)
    # every side: the labels end inside the figure, with the 5.76 pt pad (not less: cut off; not more: wasted)
    assert sides == pytest.approx((PAD, PAD, PAD, PAD), abs=0.05), (name, lang, sides)
    # the SVG has the figure's size
    width, height = fig.get_size_inches() * 72
    size = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', str(svg))
    assert size is not None
    assert (float(size.group(1)), float(size.group(2))) == pytest.approx((width, height), abs=0.01)


def test_the_english_charts_keep_the_size_of_their_former_tight_box(captured: list[Any]) -> None:
    # the sizes the tight box gave these charts before (report.html of the US sample): the daily chart
    # 585.9 x 138.6 pt of plot + its labels = 637.74 x 212.10 pt with percent ticks "0%".."8%" ("0.0%" is wider)
    def size(svg: Any) -> tuple[float, float]:
        found = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', str(svg))
        assert found is not None
        return float(found.group(1)), float(found.group(2))

    tall = charts.daily_chart(daily_series().assign(rate=lambda f: f["rate"] * 1.8), LSR)   # up to 14.4%: "0%".."16%"
    assert size(tall)[1] == pytest.approx(212.10, abs=0.01)
    # the print layout depends on the aspect ratio: a daily chart stays about 3:1
    assert 2.9 < size(tall)[0] / size(tall)[1] < 3.1


def test_each_chart_is_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.figure import Figure

    draws: list[int] = []
    real = Figure.draw

    def counting(self: Any, renderer: Any) -> None:
        draws.append(1)
        real(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    for _plot, draw in CHARTS.values():
        draws.clear()
        assert draw() is not None
        assert len(draws) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_titles_and_axis_labels_are_text_in_the_svg(lang: str) -> None:
    with use(lang):
        svg = BeautifulSoup(str(charts.breakdown_chart(asins(6), "asin", "ODR", kind="pareto", chart_id="t",
                                                       by_label="ASIN")), "html.parser")
    texts = [t.get_text() for t in svg.find_all("text")]
    title = {"en": "ODR: defects by ASIN", "de": "ODR: Mängel nach ASIN"}.get(lang)
    if title:
        assert title in texts
    assert "ASIN" in texts                                    # the x axis label
    assert LONG_CJK[:23] + "…" in texts                       # shortened to 24 characters, drawn as text
    assert svg.select_one("svg > title").get_text().startswith(
        {"en": "Pareto chart of ODR defects", "de": "Pareto"}.get(lang, ""))


@pytest.mark.parametrize("lang", ("en", "ja"))
def test_a_hostile_label_stays_text(lang: str) -> None:
    with use(lang):
        svg = str(charts.breakdown_chart(asins(6), "asin", HOSTILE, kind="bars", chart_id="h", by_label=HOSTILE))
    soup = BeautifulSoup(svg, "html.parser")
    assert soup.find("script") is None
    assert "&lt;script&gt;" in svg
    assert HOSTILE in [t.get_text() for t in soup.find_all("text")]   # the tick label, as text
    assert HOSTILE in soup.select_one("svg > title").get_text()       # the alt text, escaped by Markup


def test_ids_are_reproducible_and_differ_between_charts() -> None:
    def ids(svg: Any) -> set[str]:   # what one element points to: clip paths, markers
        return set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', str(svg))) - {("", "")}

    first = charts.daily_chart(daily_series(), LSR)
    again = charts.daily_chart(daily_series(), LSR)
    assert str(first) == str(again)
    other = charts.daily_chart(daily_series(), dataclass_replace(LSR, key="odr_mfn"))
    clip_first = {a or b for a, b in ids(first)}
    clip_other = {a or b for a, b in ids(other)}
    assert clip_first and clip_other and not clip_first & clip_other   # one page holds both


def dataclass_replace(metric: MetricResult, **changes: Any) -> MetricResult:
    import dataclasses

    return dataclasses.replace(metric, **changes)


def test_the_callers_matplotlib_settings_are_left_alone() -> None:
    import matplotlib

    before = {key: matplotlib.rcParams[key] for key in ("svg.hashsalt", "font.size", "svg.fonttype", "savefig.bbox")}
    charts.breakdown_chart(WEEKDAYS, "weekday", "LSR", kind="bars", chart_id="w")
    assert {key: matplotlib.rcParams[key] for key in before} == before


def test_matplotlib_is_imported_only_when_a_chart_is_drawn() -> None:
    code = ("import sys, sellerdx.analysis, sellerdx.render.html, sellerdx.render.amazon\n"
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_garbage_collector_is_left_as_it_was() -> None:
    import gc

    assert gc.get_freeze_count() == 0 or pytest.skip("objects frozen by the test runner")
    charts.daily_chart(daily_series(), LSR)
    assert gc.get_freeze_count() == 0            # the chart's freeze is undone
    kept = [object() for _ in range(10)]
    gc.freeze()                                  # a program that froze its objects (before forking, say)
    try:
        frozen = gc.get_freeze_count()
        charts.daily_chart(daily_series(), LSR)
        assert gc.get_freeze_count() > frozen // 2   # still frozen (unfreeze would empty it; objects freed leave it)
    finally:
        gc.unfreeze()
    assert kept


def test_a_report_decides_its_freeze_once_for_all_its_charts(monkeypatch) -> None:
    # gc.get_freeze_count walks every frozen object (the sellerdx command freezes its imports): the report
    # asks once, and each chart's drawing() inside it does not ask again.
    import gc

    from sellerdx.render.html import render_html
    from support.render_fixtures import make_context

    calls = []
    real = gc.get_freeze_count
    monkeypatch.setattr(gc, "get_freeze_count", lambda: calls.append(1) or real())
    html = render_html(make_context())
    assert html.count('class="chart"') >= 2 and len(calls) == 1
