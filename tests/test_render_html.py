"""The HTML report's structure, checked through selectors (BeautifulSoup), from a hand-built context.

The fixture (tests/support/render_fixtures.py) states the numbers: LSR 10 days = 72 / 1,000 = 7.2% (at risk,
target < 4%), 46 of the 72 late orders at the weekend (64%); ODR MFN = 3 / 600 = 0.5% (ok).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sellerdx.assets import asset_dir
from sellerdx.model import MetricResult
from sellerdx.render import ReportContext, render_html, write_html
from sellerdx.render.charts import breakdown_chart
from sellerdx.render.context import default_definitions, severity
from sellerdx.render.html import environment, number, pct
from support.render_fixtures import (
    AFN_EMPTY,
    ASIN_CAUSE,
    EVIDENCE_ROWS,
    HOSTILE,
    IMG,
    JS_URL,
    LSR,
    ODR,
    POA_TEXT,
    SCRIPT,
    VTR_MISSING,
    WEEKDAYS,
    WEEKEND,
    asin_breakdown,
    make_context,
    make_result,
    weekday_breakdown,
)

SECTION_TITLES = [
    "Account health metrics", "Trends", "Root causes", "Removable defects and what-if",
    "Recovery calendar", "Amazon vs recomputed", "Data quality", "Definitions", "Plan of Action",
]
TWO_MB = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(make_context())


@pytest.fixture(scope="module")
def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def text_of(node) -> str:
    """Text with whitespace collapsed and a space between elements (cells, dt/dd)."""
    return " ".join(node.get_text(" ").split())


def inline_text(node) -> str:
    """Text as read in a line of prose (no space added at inline element boundaries)."""
    return " ".join(node.get_text().split())


# --- page structure ------------------------------------------------------------------------------
def test_sections_appear_in_the_required_order(soup: BeautifulSoup) -> None:
    assert [text_of(h) for h in soup.select("main section > h2")] == SECTION_TITLES
    assert [s["id"] for s in soup.select("main > section")] == [
        "metrics", "trends", "root-causes", "removable", "recovery", "reconciliation", "data-quality",
        "definitions", "poa"]


def test_headline_banner_comes_first_and_names_the_at_risk_metric_and_main_cause(soup: BeautifulSoup) -> None:
    first = soup.select_one("main").find(True)
    assert first is not None and "headline" in first["class"] and "headline-at_risk" in first["class"]
    assert inline_text(first.select_one(".headline-text")) == (
        "Late Shipment Rate (10 days) 7.2% (10 days to 2026-10-31) is above Amazon's 4% target; "
        "main cause: Weekend backlog (64% of late orders).")
    assert first.select_one("a")["href"] == "#finding-late_shipment.weekend_backlog"


def test_one_card_per_metric_with_its_status_class(soup: BeautifulSoup) -> None:
    cards = soup.select("#metrics article.card")
    assert [c["id"] for c in cards] == ["metric-lsr_10d", "metric-odr_mfn"]
    lsr, odr = cards
    assert "status-at_risk" in lsr["class"] and "status-ok" in odr["class"]
    lsr_text = text_of(lsr)
    assert "7.2%" in lsr_text and "target < 4%" in lsr_text
    assert "72 of 1,000" in lsr_text
    assert "2026-10-22 – 2026-10-31 (10 days)" in lsr_text
    assert "5.75% – 8.98%" in lsr_text           # the 95% interval
    assert "7.3%" in lsr_text                      # one more defect: 73 / 1000
    assert "Back under target 2026-11-09" in lsr_text
    odr_text = text_of(odr)
    assert "0.5%" in odr_text and "3 of 600" in odr_text and "(60 days)" in odr_text
    assert "A-to-z claims 1" in odr_text and "Negative feedback 2" in odr_text
    assert "Back under target" not in odr_text


def test_no_orders_and_not_computed_are_shown_as_such_never_zero() -> None:
    soup = BeautifulSoup(render_html(make_context(metrics=(LSR, ODR, AFN_EMPTY, VTR_MISSING))), "html.parser")
    afn = soup.select_one("#metric-odr_afn")
    vtr = soup.select_one("#metric-vtr")
    assert "status-no_orders" in afn["class"] and "status-not_computed" in vtr["class"]
    assert text_of(afn.select_one(".rate")) == "No orders"
    assert text_of(vtr.select_one(".rate")) == "Not computed"
    assert "no tracking ids or carriers" in text_of(vtr)
    for card in (afn, vtr):
        assert not re.search(r"\b0(\.0+)?%", text_of(card))


def test_trend_charts_only_for_metrics_with_a_series(soup: BeautifulSoup) -> None:
    figures = soup.select("#trends figure")
    assert [f["id"] for f in figures] == ["trend-lsr_10d", "trend-odr_mfn"]
    for figure in figures:
        svg = figure.select_one("svg")
        assert svg["role"] == "img"
        assert svg.select_one("title").get_text().startswith(("Late Shipment Rate", "Order Defect Rate"))


def test_findings_have_ids_order_charts_and_capped_evidence(soup: BeautifulSoup) -> None:
    findings = soup.select("#root-causes article.finding")
    # the weekend backlog explains 64% of late orders, the ASINs 42%: largest share first
    assert [f["id"] for f in findings] == ["finding-late_shipment.weekend_backlog",
                                           "finding-late_shipment.slow_asins"]
    weekend, asins = findings
    assert "64% of late orders" in text_of(weekend) and "high confidence" in text_of(weekend)
    assert text_of(weekend.select_one(".statement")) == WEEKEND.statement
    # the page holds 50 of the 72 orders: the first 5 shown, 45 folded; all 72 are in evidence.csv
    assert len(weekend.select("table tbody tr")) == 50
    assert len(weekend.select("#evidence-late_shipment\\.weekend_backlog tbody tr")) == 5
    assert len(weekend.select("details #evidence-late_shipment\\.weekend_backlog-more tbody tr")) == 45
    assert "Showing 50 of 72 orders; 22 more not shown; all 72 are in evidence.csv." in text_of(weekend)
    assert EVIDENCE_ROWS - 50 == 22
    for finding in findings:
        svg = finding.select_one("figure svg")
        assert svg is not None and svg["role"] == "img" and svg.select_one("title").get_text()
    assert weekend.select_one("svg title").get_text() == (
        "Bar chart of Late Shipment Rate (10 days) by weekday (local time) for 7 groups")
    assert "Pareto chart" in asins.select_one("svg title").get_text()
    # a finding without evidence rows shows no evidence table
    assert asins.select("table") == []


def test_findings_without_evidence_table_list_their_order_ids() -> None:
    ctx = make_context(evidence={})
    soup = BeautifulSoup(render_html(ctx), "html.parser")
    rows = soup.select("#finding-late_shipment\\.weekend_backlog table tbody tr")
    assert len(rows) == 50      # 5 shown, 45 folded
    assert text_of(rows[0]) == WEEKEND.order_ids[0]


def test_removable_and_what_if(soup: BeautifulSoup) -> None:
    what_if = soup.select("#what-if-table tbody tr")
    assert len(what_if) == 1
    # ODR MFN 3/600 = 0.5%; without the removable one: 2/600 = 0.33%; removable = 3 - 2 = 1
    assert [text_of(td) for td in what_if[0].select("td")] == [
        "Order Defect Rate (MFN)", "0.5%", "1", "0.33%", "Meets target"]
    assert len(soup.select("#removable-table tbody tr")) == 2


def test_recovery_and_reconciliation_tables(soup: BeautifulSoup) -> None:
    recovery = soup.select("#recovery-table tbody tr")
    assert [text_of(r.select_one("td")) for r in recovery] == ["Late Shipment Rate (10 days)",
                                                               "Order Defect Rate (MFN)"]
    # per metric: LSR's one defect leaves on 2026-11-03, back under target on 2026-11-09 (its recovery date)
    assert [text_of(td) for td in soup.select("#recovery-lsr_10d td")] == [
        "Late Shipment Rate (10 days)", "7.2%", "1", "1 on 2026-11-03", "2026-11-09"]
    assert [text_of(td) for td in soup.select("#recovery-odr_mfn td")] == [
        "Order Defect Rate (MFN)", "0.5%", "1", "1 on 2026-11-14", "meets target now"]
    # the full list is folded
    assert soup.select_one("#recovery-table").find_parent("details") is not None
    headers = [text_of(th) for th in soup.select("#reconciliation-table thead th")]
    assert headers[:3] == ["Metric", "Amazon rate", "Recomputed rate"]
    cells = [text_of(td) for td in soup.select("#reconciliation-table tbody td")]
    assert cells[1:3] == ["6.9%", "7.2%"]


def test_reconciliation_section_absent_without_amazon_numbers() -> None:
    soup = BeautifulSoup(render_html(make_context(reconciliation=None)), "html.parser")
    assert soup.select_one("#reconciliation") is None
    assert "Amazon vs recomputed" not in [text_of(h) for h in soup.select("main section > h2")]


def test_data_quality(soup: BeautifulSoup) -> None:
    quality = soup.select_one("#data-quality")
    summary = inline_text(quality.select_one(".quality-summary"))
    assert summary == "2 files read · 1 skipped · 2 rows rejected (listed in out/rejected_rows.csv)."
    assert len(quality.select("#files-table tbody tr")) == 2
    assert "2 rows had an unparseable purchase date" in text_of(quality.select_one("#files-table"))
    first, second = ([text_of(td) for td in tr.select("td")] for tr in quality.select("#files-table tbody tr"))
    assert first[1:] == ["orders", "utf-8", "tab", "1,650", "1,648", "2", "0", "2026-07-01 – 2026-10-31"]
    assert second[1:] == ["shipments", "cp1252", "comma", "1,000", "1,000", "0", "0", "—"]
    assert "notes.docx" in text_of(quality.select_one(".skipped"))
    assert len(quality.select("#unmatched-table tbody tr")) == 1
    assert "upper bound" in text_of(quality.select_one(".warnings"))


def test_definitions_state_every_metric_and_the_choices(soup: BeautifulSoup) -> None:
    terms = [text_of(dt_) for dt_ in soup.select("#definitions dl.definitions dt")]
    assert len(terms) == len(default_definitions())
    for name in ("Order Defect Rate", "Pre-fulfilment Cancel Rate", "Late Shipment Rate",
                 "Valid Tracking Rate", "On-Time Delivery Rate", "Negative feedback",
                 "A-to-z Guarantee claim", "Chargeback", "Window", "As-of date", "Recovery calendar"):
        assert any(t.startswith(name) for t in terms), name
    text = text_of(soup.select_one("#definitions dl"))
    assert text.count("[choice]") >= 8 and "[Amazon]" in text
    assert "14 days" in text and "upper bound" in text


def test_poa_is_verbatim_in_a_pre(soup: BeautifulSoup) -> None:
    pre = soup.select_one("#poa pre.poa")
    assert pre.get_text() == POA_TEXT
    assert "copy" in text_of(soup.select_one("#poa .hint"))


# --- self-containment ----------------------------------------------------------------------------
def test_self_contained_no_script_no_external_resource(html: str, soup: BeautifulSoup) -> None:
    assert soup.find_all("script") == []
    assert soup.find_all("img") == [] and soup.find_all("iframe") == []
    for element in soup.find_all(True):
        for attribute in ("src", "href", "action", "srcset", "data"):
            value = element.get(attribute)
            if value:
                assert not re.match(r"\s*(https?:)?//", value), (element.name, value)
                assert not value.strip().lower().startswith("javascript:"), (element.name, value)
    style = soup.select_one("head style").get_text()
    assert "@import" not in style and "url(" not in style and "@font-face" not in style
    assert soup.select("link[rel=stylesheet]") == []
    assert len(html.encode("utf-8")) < TWO_MB


def test_hostile_text_is_rendered_as_text_and_creates_no_element(html: str, soup: BeautifulSoup) -> None:
    assert soup.find_all("script") == [] and soup.find_all("img") == []
    assert not any(attr.startswith("on") for el in soup.find_all(True) for attr in el.attrs)
    page_text = soup.get_text()
    for hostile in HOSTILE:
        assert hostile in page_text, hostile
    # where each one is: a product name (evidence), a buyer comment (removable), a finding entity
    evidence_cells = [text_of(td) for td in soup.select("#evidence-late_shipment\\.weekend_backlog td")]
    assert SCRIPT in evidence_cells
    assert IMG in [td.get_text() for td in soup.select("#removable-table td")]
    entities = [c.get_text() for c in soup.select("#finding-late_shipment\\.weekend_backlog code.entity")]
    assert entities == ["B0HOSTILE1", JS_URL, SCRIPT, "Saturday", "Sunday"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_a_hostile_tick_label_is_escaped_in_the_svg() -> None:
    svg = str(breakdown_chart(asin_breakdown(), "asin", "Late Shipment Rate", kind="pareto",
                              chart_id="t", by_label="ASIN"))
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;alert(1)" in svg
    node = BeautifulSoup(svg, "html.parser")
    assert node.find_all("script") == []
    assert any(t.get_text().startswith("<script>alert(1)") for t in node.find_all("text"))
    assert svg.startswith('<svg role="img"') and "<?xml" not in svg and "<!DOCTYPE" not in svg
    # a hostile metric label in the accessible title is escaped too
    hostile = breakdown_chart(asin_breakdown(), "asin", IMG, kind="bars", chart_id="u")
    assert "<img" not in str(hostile)
    assert BeautifulSoup(str(hostile), "html.parser").select_one("title").get_text().startswith(
        "Bar chart of " + IMG)


def test_count_axes_have_whole_number_ticks() -> None:
    import pandas as pd
    small = pd.DataFrame({"value": ["B0VASE0001", "B0MAT00001", "B0JAR00001"], "count": [2, 1, 1],
                          "denominator": [30, 50, 40]})
    pareto = BeautifulSoup(str(breakdown_chart(small, "asin", "ODR", kind="pareto", chart_id="p")), "html.parser")
    texts = [t.get_text() for t in pareto.find_all("text")]
    # the left axis counts 0, 1, 2 defective orders: no 0.25 ... 1.75 ticks
    assert not [t for t in texts if re.fullmatch(r"\d+\.\d+", t)], texts
    assert {"0", "1", "2"} <= set(texts)
    no_rate = small.drop(columns="denominator")
    bars = BeautifulSoup(str(breakdown_chart(no_rate, "asin", "ODR", kind="bars", chart_id="b")), "html.parser")
    texts = [t.get_text() for t in bars.find_all("text")]
    assert not [t for t in texts if re.fullmatch(r"\d+\.\d+", t)], texts


# --- the context and the environment -------------------------------------------------------------
def test_every_context_field_is_documented_and_used_by_the_templates() -> None:
    sources = "".join((asset_dir("templates") / name).read_text(encoding="utf-8")
                      for name in ("report.html.j2", "_cards.html.j2", "_finding.html.j2", "_headline.html.j2",
                                   "_trends.html.j2", "_removable.html.j2", "_recovery.html.j2",
                                   "_quality.html.j2", "_table.html.j2", "_poa_translation.html.j2",
                                   "_marketplaces.html.j2"))
    doc = ReportContext.__doc__ or ""
    for f in dataclasses.fields(ReportContext):
        assert f"ctx.{f.name}" in sources, f"field {f.name} is not used by any template"
        assert f"{f.name}:" in doc, f"field {f.name} is not documented"


def test_environment_autoescapes_and_registers_the_filters() -> None:
    env = environment()
    assert env is environment()
    assert env.autoescape is True
    for name in ("pct", "number", "date", "datetime", "cell", "column_label", "status_label", "rows"):
        assert name in env.filters
    assert env.from_string("{{ x }}").render(x=SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_number_formats() -> None:
    assert pct(0.072) == "7.2%"
    assert pct(0.0123) == "1.23%"
    assert pct(0.01) == "1%"
    assert pct(0.95) == "95%"
    assert pct(2 / 600) == "0.33%"
    assert pct(0.0) == "0%"
    assert pct(None) == "—"
    assert pct(46 / 72, 0) == "64%"
    assert number(12345) == "12,345"
    assert number(None) == "—"


def test_headline_picks_by_tier_then_by_distance_from_target() -> None:
    # VTR 85% vs > 95%: 15% untracked vs 5% allowed = 3.0 times the allowed rate;
    # LSR 7.2% vs < 4%: 0.072 / 0.04 = 1.8 times. LSR is tier 2, VTR tier 3: LSR still heads the page.
    vtr = MetricResult(key="vtr", label="Valid Tracking Rate", rate=0.85, numerator=850, denominator=1000,
                       window_start=dt.date(2026, 10, 2), window_end=dt.date(2026, 10, 31), target=0.95,
                       direction="above", status="at_risk")
    assert severity(LSR) == pytest.approx(1.8)
    assert severity(vtr) == pytest.approx(3.0)
    soup = BeautifulSoup(render_html(make_context(metrics=(LSR, ODR, vtr))), "html.parser")
    assert inline_text(soup.select_one(".headline-text")).startswith("Late Shipment Rate (10 days) 7.2%")
    assert inline_text(soup.select_one(".headline-also")) == "Also at risk: Valid Tracking Rate 85%."
    # within tier 2, PFCR 10 / 100 = 10% vs < 2.5% (4.0 times) beats LSR (1.8 times); no PFCR finding
    pfcr = MetricResult(key="pfcr", label="Pre-fulfilment Cancel Rate", rate=0.1, numerator=10,
                        denominator=100, window_start=dt.date(2026, 10, 25), window_end=dt.date(2026, 10, 31),
                        target=0.025, direction="below", status="at_risk")
    soup = BeautifulSoup(render_html(make_context(metrics=(LSR, ODR, pfcr))), "html.parser")
    assert inline_text(soup.select_one(".headline-text")) == (
        "Pre-fulfilment Cancel Rate 10% (7 days to 2026-10-31) is above Amazon's 2.5% target.")
    assert inline_text(soup.select_one(".headline-also")) == "Also at risk: Late Shipment Rate (10 days) 7.2%."


def test_headline_when_no_metric_is_at_risk() -> None:
    soup = BeautifulSoup(render_html(make_context(metrics=(ODR, VTR_MISSING), findings=[])), "html.parser")
    banner = soup.select_one(".headline")
    assert "headline-ok" in banner["class"]
    assert "Not computed (exports missing): Valid Tracking Rate." in inline_text(banner)
    assert "No root cause stands out" in text_of(soup.select_one("#root-causes"))


def test_write_html(tmp_path) -> None:
    path = write_html(make_context(findings=[ASIN_CAUSE]), tmp_path / "out" / "report.html")
    assert path == tmp_path / "out" / "report.html"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    assert len(BeautifulSoup(text, "html.parser").select("article.finding")) == 1


def test_weekday_bars_follow_the_week_and_codes_read_as_words() -> None:
    from sellerdx.render.html import cell
    shuffled = weekday_breakdown().sort_values("defects", ascending=False)   # biggest first, as metrics gives
    svg = str(breakdown_chart(shuffled, "weekday", "LSR", kind="bars", chart_id="w",
                              order=["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
                              highlight={"Saturday", "Sunday"}))
    ticks = [t.get_text() for t in BeautifulSoup(svg, "html.parser").find_all("text")
             if t.get_text() in WEEKDAYS]
    assert ticks == list(WEEKDAYS)
    assert cell("negative_feedback+a_to_z_claim", "defect") == "Negative feedback + A-to-z claim"
    assert cell("item_not_received", "claim_reason_code") == "Item not received"
    assert cell("something_new", "defect") == "something new"


# --- the real sample folder through the Analysis facade ---------------------------------------------
SAMPLE = Path(__file__).resolve().parent.parent / "sample_reports" / "us-seller"


@pytest.fixture(scope="module")
def sample_soup(tmp_path_factory: pytest.TempPathFactory) -> tuple[BeautifulSoup, int, dict]:
    import sellerdx
    planted = json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8"))
    path = sellerdx.analyze(SAMPLE).to_html(tmp_path_factory.mktemp("sample") / "report.html")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"), path.stat().st_size, planted


def test_sample_report_renders_the_planted_story(sample_soup) -> None:
    soup, size, planted = sample_soup
    assert size < TWO_MB
    assert soup.find_all("script") == [] and soup.find_all("img") == []
    cards = soup.select("#metrics article.card")
    assert [c["id"] for c in cards] == [f"metric-{k}" for k in
                                        ("odr_mfn", "odr_afn", "odr_all", "pfcr", "lsr_10d", "lsr_30d", "vtr", "otdr", "otdr_units")]
    # planted: ODR MFN 39 / 1,414 = 2.76% over 2026-08-19 .. 2026-10-17, above the 1% target
    odr = planted["expected_metrics"]["odr_mfn"]
    assert (odr["numerator"], odr["denominator"]) == (39, 1414)
    odr_card = soup.select_one("#metric-odr_mfn")
    assert "status-at_risk" in odr_card["class"]
    assert "2.76%" in text_of(odr_card) and "39 of 1,414" in text_of(odr_card)
    assert "2026-08-19 – 2026-10-17 (60 days)" in text_of(odr_card)
    # ODR is the first tier: it heads the page, its main cause one of the problems planted for it
    headline = soup.select_one("main .headline")
    assert inline_text(headline.select_one(".headline-text")).startswith(
        "Order Defect Rate (MFN) 2.76% (60 days to 2026-10-17) is above Amazon's 1% target; main cause:")
    planted_odr = {p["code"] for p in planted["problems"] if p["metric"] == "odr_mfn"}
    cause = headline.select_one("a")["href"].removeprefix("#finding-")
    assert cause in planted_odr
    assert soup.select_one(f"[id='finding-{cause}']") is not None
    # every planted problem that was diagnosed has its section with a chart
    found = {a["id"].removeprefix("finding-") for a in soup.select("article.finding")}
    assert {"negative_feedback.damaged", "claims.item_not_received"} <= found
    for finding in soup.select("article.finding"):
        assert finding.select_one("figure svg[role=img] title") is not None, finding["id"]
    # the sample's hostile product name is text, never an element
    assert "<script>alert(1)</script>" in soup.get_text()
    assert soup.select_one("#reconciliation-table") is not None   # Amazon's JSON is in the folder


def test_render_cards_for_jupyter_is_scoped() -> None:
    from sellerdx.render.html import render_cards
    soup = BeautifulSoup(render_cards(make_result((LSR, ODR), folder=SCRIPT)), "html.parser")
    root = soup.find(True)
    assert root.name == "div" and root["class"] == ["sellerdx-cards"]
    assert [c["id"] for c in soup.select("article.card")] == ["metric-lsr_10d", "metric-odr_mfn"]
    assert soup.find_all("script") == []
    css = soup.select_one("style").get_text()
    rules = [r.strip() for r in css.split("}") if r.strip()]
    assert all(r.startswith(".sellerdx-cards") for r in rules)       # never styles the notebook itself
    assert SCRIPT in soup.select_one(".nb-title").get_text()
