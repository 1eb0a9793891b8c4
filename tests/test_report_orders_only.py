"""The report of the commonest first run: a folder holding only an All Orders export.

The folder (written here): 50 seller-fulfilled orders bought 2026-10-25..2026-10-31 (the 7-day PFCR window
ending on the as-of date 2026-10-31, the latest purchase date), two of them with status Cancelled on
2026-10-30, and 20 older orders. Without a cancellations export every Cancelled order counts, so the
Pre-fulfilment Cancel Rate is at most 2 / 50 = 4% (target < 2.5%): an upper bound. Without the feedback,
claims, chargebacks and shipments exports the ODR, LSR, VTR and OTDR are not computed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sellerdx.render.context import ReportContext, assemble
from sellerdx.render.html import render_html
from sellerdx.result import MetricGaps
from support.exports import order_row, write_orders

WINDOW_DAYS = ("25", "26", "27", "28", "29", "30", "31")


def _orders() -> list[list[str]]:
    rows = []
    n = 0
    for i in range(50):                                  # 50 in the window, 7 or 8 a day
        n += 1
        day = WINDOW_DAYS[i % 7]
        cancelled = n in (3, 10)                         # i = 2 and i = 9: both bought on 2026-10-27
        rows.append(order_row(n, f"2026-10-{day}T10:00:00+00:00",
                              **({"order_status": "Cancelled", "item_status": "Cancelled"} if cancelled else {})))
    for i in range(20):                                  # older orders, outside the 7-day window
        n += 1
        rows.append(order_row(n, f"2026-10-{10 + i % 10:02d}T09:00:00+00:00"))
    return rows


@pytest.fixture(scope="module")
def soup(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    import sellerdx
    root = tmp_path_factory.mktemp("orders-only")
    folder = root / "orders-only"
    write_orders(folder, _orders())
    analysis = sellerdx.analyze(folder, out=str(root / "out"))
    paths = analysis.write(root / "out")
    return BeautifulSoup(Path(paths["report"]).read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def inline_text(node) -> str:
    return " ".join(node.get_text().split())


def test_one_checklist_names_each_missing_export_once_with_where_to_find_it(soup: BeautifulSoup) -> None:
    lists = soup.select(".checklist")
    assert len(lists) == 1 and lists[0]["id"] == "checklist"
    items = lists[0].select("li")
    assert [li["id"] for li in items] == ["export-feedback", "export-claims", "export-chargebacks",
                                          "export-cancellations", "export-shipments"]
    text = {li["id"]: text_of(li) for li in items}
    assert "Performance > Feedback" in text["export-feedback"]
    assert "A-to-z Guarantee Claims" in text["export-claims"]
    assert "Late Shipment Rate" in text["export-shipments"]
    assert "Makes Pre-fulfilment Cancel Rate exact" in text["export-cancellations"]
    # the checklist is the only place saying where an export is; the old repeated sentence is gone
    page = text_of(soup.select_one("main"))
    assert "none of the defect exports was supplied" not in page
    assert page.count("Performance > Feedback > Feedback Manager") == 1
    assert "was not supplied" not in page


def test_cards_point_to_the_checklist_in_one_short_sentence(soup: BeautifulSoup) -> None:
    def note(key: str) -> str:
        return text_of(soup.select_one(f"#metric-{key} .card-note"))
    for key in ("odr_mfn", "odr_afn", "odr_all"):
        assert note(key) == "Needs the feedback, A-to-z claims or chargebacks export (see the checklist above)."
    for key in ("lsr_10d", "lsr_30d", "vtr", "otdr"):
        assert note(key) == "Needs the shipments export (see the checklist above)."


def test_the_upper_bound_is_qualified_on_the_card_and_promises_no_date(soup: BeautifulSoup) -> None:
    card = soup.select_one("#metric-pfcr")
    assert "upper-bound" in card["class"]
    assert inline_text(card.select_one(".badge")) == "Possibly at risk"
    assert inline_text(card.select_one(".rate")).startswith("at most 4%")   # 2 / 50
    assert "Upper bound: no cancellations export" in text_of(card.select_one(".card-qualifier"))
    facts = dict(zip([text_of(dt) for dt in card.select(".facts dt")], [text_of(dd) for dd in card.select(".facts dd")]))
    assert facts["Cancelled by the seller"] == "2 of 50 seller-fulfilled orders"
    assert facts["Back under target"] == "no date: the rate is an upper bound"
    assert not re.search(r"Back under target \d{4}-\d{2}-\d{2}", text_of(card))


def test_the_banner_says_may_be_above_for_an_upper_bound(soup: BeautifulSoup) -> None:
    banner = soup.select_one("#headline")
    assert inline_text(banner.select_one(".headline-label")) == "Possibly at risk"
    assert inline_text(banner.select_one(".headline-text")) == (
        "Pre-fulfilment Cancel Rate at most 4% (upper bound: no cancellations export) (7 days to 2026-10-31) "
        "may be above Amazon's 2.5% target.")
    assert banner.select_one('a[href="#checklist"]') is not None


def test_recovery_calendar_and_trend_qualify_the_upper_bound(soup: BeautifulSoup) -> None:
    cells = [text_of(td) for td in soup.select("#recovery-pfcr td")]
    # both cancelled orders were bought on 2026-10-27 (orders 3 and 10): they leave the 7-day window
    # when the as-of date reaches 2026-10-27 + 7 days = 2026-11-03
    assert cells == ["Pre-fulfilment Cancel Rate", "at most 4% (upper bound: no cancellations export)", "2",
                     "2 on 2026-11-03", "no date: the rate is an upper bound"]
    caption = text_of(soup.select_one("#trend-pfcr figcaption"))
    assert "at most 4% (upper bound: no cancellations export)" in caption
    assert "every point of this line is an upper bound" in caption


# --- an exact at-risk rate heads the banner before an upper bound ----------------------------------
def test_an_exact_at_risk_rate_heads_the_banner_before_an_upper_bound() -> None:
    from sellerdx.model import MetricResult
    from support.render_fixtures import LSR  # 7.2% late, exact
    pfcr = MetricResult(key="pfcr", label="Pre-fulfilment Cancel Rate", rate=0.08, numerator=4, denominator=50,
                        window_start=None, window_end=None, target=0.025, direction="below", status="at_risk")
    ctx: ReportContext = assemble(seller="x", metrics=[pfcr, LSR], definitions=(),
                                  gaps={"pfcr": MetricGaps(upper_bound="cancellations")})
    banner = BeautifulSoup(render_html(ctx), "html.parser").select_one("#headline")
    assert inline_text(banner.select_one(".headline-label")) == "At risk"
    assert inline_text(banner.select_one(".headline-text")).startswith("Late Shipment Rate (10 days) 7.2%")
    assert inline_text(banner.select_one(".headline-also")) == (
        "Also at risk: Pre-fulfilment Cancel Rate at most 8% (upper bound: no cancellations export).")
