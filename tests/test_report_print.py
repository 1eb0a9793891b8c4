"""The report is short on paper and every section stays reachable on screen.

Printed (headless Chromium, ``Page.printToPDF``, Letter and A4, the report's own print stylesheet), the
report of the US sample folder fits in at most 8 pages: folded table rows print as a one-line pointer
("67 more orders in evidence.csv"), the Plan of Action as a pointer to poa.txt, trends in a grid. On screen,
every link of the table of contents leads to an element that exists outside any fold.

The PDF is saved as ``test-artifacts/report-us-seller-<paper>.pdf`` to look at.
"""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support.acceptance import acceptance_run

MAX_PAGES = 8
PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}   # inches
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF written by Chromium (its page objects are not compressed into object streams)."""
    return len(PAGE.findall(data))


def test_table_of_contents_links_resolve_outside_any_fold() -> None:
    soup = BeautifulSoup(acceptance_run("us-seller").paths["report"].read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("nav.toc a")]
    assert links == ["#metrics", "#trends", "#root-causes", "#removable", "#recovery", "#reconciliation",
                     "#data-quality", "#definitions", "#poa"]
    for href in links:
        target = soup.find(id=href[1:])
        assert target is not None, href
        assert target.find_parent("details") is None, href
    # the banner's links (the main cause, the other at-risk metrics) resolve too
    for a in soup.select("#headline a[href^='#']"):
        assert soup.find(id=a["href"][1:]) is not None, a["href"]


@pytest.mark.browser
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_the_us_sample_prints_in_at_most_8_pages(paper: str, tmp_path: Path) -> None:
    from test_browser import CHROMIUM, DevToolsPipe, open_page
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("chromium is not installed (/usr/bin/chromium); run scripts/install-browser.sh")
    report = acceptance_run("us-seller").paths["report"]
    cdp = DevToolsPipe(tmp_path / "profile")
    try:
        session, _, _ = open_page(cdp, report.resolve().as_uri(), facts_js="1")
        width, height = PAPERS[paper]
        pdf = cdp.send("Page.printToPDF", {"paperWidth": width, "paperHeight": height, "printBackground": True,
                                           "displayHeaderFooter": False}, session=session)
    finally:
        cdp.close()
    data = base64.b64decode(pdf["data"])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"report-us-seller-{paper}.pdf").write_bytes(data)
    pages = pdf_pages(data)
    assert 1 < pages <= MAX_PAGES, f"{pages} {paper} pages"
