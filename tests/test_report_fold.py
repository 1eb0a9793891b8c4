"""Long tables are folded: the first rows shown, the rest in a <details> (no script), a pointer to the file
holding every row. From the hand-built fixture context (tests/support/render_fixtures.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
from bs4 import BeautifulSoup

from sellerdx.render.html import render_html
from support.render_fixtures import WEEKEND, evidence_rows, make_context

TABLE = "#evidence-late_shipment\\.weekend_backlog"


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def _finding(rows: int) -> BeautifulSoup:
    ctx = make_context(evidence={WEEKEND.code: evidence_rows().head(rows)})
    return BeautifulSoup(render_html(ctx), "html.parser").select_one("#finding-late_shipment\\.weekend_backlog")


def test_twelve_evidence_orders_show_five_and_fold_seven() -> None:
    finding = _finding(12)
    shown = finding.select(f"{TABLE} tbody tr")
    assert len(shown) == 5 and all(tr.find_parent("details") is None for tr in shown)
    details = finding.select("details.fold")
    assert len(details) == 1
    assert text_of(details[0].select_one("summary")) == "Show 7 more orders"
    folded = details[0].select(f"{TABLE}-more tbody tr")
    assert len(folded) == 7
    # rows 1-5 shown, 6-12 folded, in order, none twice
    ids = [text_of(tr.select_one("td")) for tr in shown + folded]
    assert ids == [f"114-{i:07d}-0000001" for i in range(12)]
    # the printed pointer, and no "showing ... of" line: every row is in the page
    assert text_of(finding.select_one(".fold-pointer")) == "7 more orders in evidence.csv."
    assert "All 12 are also in evidence.csv." in text_of(finding)
    assert "Showing" not in text_of(finding)


def test_five_evidence_orders_are_not_folded() -> None:
    finding = _finding(5)
    assert len(finding.select(f"{TABLE} tbody tr")) == 5
    assert finding.select("details") == [] and finding.select(".fold-pointer") == []


def test_more_rows_than_the_page_holds_are_counted_and_pointed_to() -> None:
    finding = _finding(72)       # the page holds 50: 5 shown, 45 folded, 22 only in evidence.csv
    assert len(finding.select(f"{TABLE} tbody tr")) == 5
    assert len(finding.select(f"details {TABLE}-more tbody tr")) == 45
    assert text_of(finding.select_one("details summary")) == "Show 45 more orders (of 67)"
    assert text_of(finding.select_one(".fold-pointer")) == "67 more orders in evidence.csv."
    assert "Showing 50 of 72 orders; 22 more not shown; all 72 are in evidence.csv." in text_of(finding)


def test_rejected_rows_point_to_their_file_and_the_recovery_list_is_folded_whole() -> None:
    rejected = pd.DataFrame({"file": ["orders.txt"] * 8, "line": range(2, 10), "column": ["purchase-date"] * 8,
                             "value": ["x"] * 8, "reason": ["not a date"] * 8})
    soup = BeautifulSoup(render_html(make_context(rejected=rejected)), "html.parser")
    assert len(soup.select("#rejected-table tbody tr")) == 5
    assert len(soup.select("details #rejected-table-more tbody tr")) == 3
    assert text_of(soup.select_one("#rejected-table-fold + .fold-pointer")) == "3 more rows in out/rejected_rows.csv."
    # the recovery calendar's list (2 defects in the fixture) is entirely inside its fold
    recovery = soup.select_one("#recovery-table")
    assert recovery.find_parent("details") is not None and len(recovery.select("tbody tr")) == 2
    assert text_of(soup.select_one("#recovery-table").find_parent("details").select_one("summary")) == (
        "Show all 2 defects with the day each leaves its window")



def test_a_recovery_list_longer_than_its_limit_shows_the_first_rows_and_counts_the_rest() -> None:
    # A big account counts tens of thousands of defects; the page lists the first `recovery_limit` (by the
    # day they leave their window) and says, on screen and in print, how many it leaves out.
    rows = pd.DataFrame([{"metric": "lsr_10d", "order_id": f"114-{i:07d}-0000001",
                          "purchase_date": dt.date(2026, 10, 24), "leaves_window": dt.date(2026, 11, 3)}
                         for i in range(12)])
    ctx = dataclasses.replace(make_context(recovery=rows), recovery_limit=4)
    soup = BeautifulSoup(render_html(ctx), "html.parser")
    listed = soup.select("#recovery-table tbody tr")
    assert [text_of(tr.select("td")[1]) for tr in listed] == [f"114-{i:07d}-0000001" for i in range(4)]
    details = soup.select_one("#recovery-table").find_parent("details")
    assert text_of(details.select_one("summary")) == (
        "Show all 4 defects with the day each leaves its window (of 12)")
    # printed: the rows on screen, and the count left out (not a screen-only line: no file holds the rest)
    assert text_of(details.find_next_sibling("p")) == "4 defects with the day each leaves its window on screen " \
        "(open this file in a browser)."
    showing = details.find_next_sibling("p").find_next_sibling("p")
    assert text_of(showing) == ("Showing 4 of 12 defects with the day each leaves its window; "
                                "8 more not shown.")
    assert "screen-only" not in showing["class"]
