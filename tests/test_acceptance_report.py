"""Acceptance: the report.html of each bundled sample folder shows what was planted, safely.

Static checks (BeautifulSoup on the written file): a ``finding-<code>`` element per planted problem with
its inline SVG chart and an evidence table whose orders are planted orders; the metric cards; the
data-quality section; size, no script, no external URL.

Browser checks (marker ``browser``): the report opened from ``file://`` in Debian's headless Chromium,
driven over the DevTools pipe by ``DevToolsPipe`` of tests/test_browser.py: no console error, no network
request, no dialog, every chart with a size, the hostile product names of the us sample shown as text,
the fonts Chromium used for the Japanese / German text. Saves ``test-artifacts/report-<folder>.png``
(full page) and ``test-artifacts/report-<folder>.json`` (load time and what was observed; nothing is
asserted on time).

"Planted orders" are selected here with plain SQL on the loaded tables from the planted problem's
definition (planted.json: code, entities, metric window), not from sellerdx's findings.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from support.acceptance import FOLDERS, PLANTED, acceptance_run, expected_status, planted_file_path, problem_params

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
MAX_BYTES = 2 * 1024 * 1024
SCRIPT_NAME = "<script>alert(1)</script>"
HYPERLINK_NAME = "=HYPERLINK("
COUNTING_CLAIM = "status_code NOT IN ('denied', 'withdrawn', 'granted_amazon_funded')"
WEEKDAY_NUMBERS = {"Monday": 1, "Tuesday": 2, "Wednesday": 3, "Thursday": 4, "Friday": 5, "Saturday": 6,
                   "Sunday": 0}   # DuckDB dayofweek: Sunday = 0

DATA_QUALITY_REJECTED_ROWS = (
    "the data-quality section gives only the count of rejected rows per file and points to "
    "rejected_rows.csv; it does not list the rejected rows (file, line, reason) "
    "(src/sellerdx/templates/_quality.html.j2)")
DATA_QUALITY_PERFORMANCE_FILE = (
    "the performance JSON (SellerPerformance_GET_V2_SELLER_PERFORMANCE_REPORT.json) is read (its numbers "
    "fill the reconciliation) but is named nowhere in the report: not in the files table of the "
    "data-quality section (src/sellerdx/templates/_quality.html.j2 lists ctx.files only)")

# The SQL selecting the orders a planted problem consists of, in the window of the problem's metric.
PLANTED_ORDERS_SQL = {
    "cancellation.stockout": """
        SELECT DISTINCT c.order_id FROM cancellations AS c JOIN orders AS o USING (order_id)
        WHERE c.reason_code = 'no_inventory' AND o.channel = 'MFN'
          AND (list_contains($skus, o.sku) OR list_contains($skus, c.sku))
          AND o.purchase_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)""",
    "late_shipment.weekend_backlog": """
        SELECT DISTINCT o.order_id FROM orders AS o JOIN shipments AS s USING (order_id)
        WHERE o.channel = 'MFN' AND list_contains($weekdays, dayofweek(o.purchase_date))
          AND o.purchase_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
          AND (coalesce(s.late_flag, false) OR CAST(s.ship_confirm_ts AS DATE) > CAST(s.expected_ship_ts AS DATE)
               OR (s.expected_ship_has_time AND s.ship_confirm_ts > s.expected_ship_ts))""",
    "negative_feedback.damaged": """
        SELECT DISTINCT o.order_id FROM feedback AS f JOIN orders AS o USING (order_id)
        WHERE f.rating <= 2 AND f.feedback_status = 'active' AND o.channel = 'MFN'
          AND list_contains($asins, o.asin)
          AND o.purchase_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)""",
    "claims.item_not_received": f"""
        SELECT DISTINCT o.order_id FROM claims AS c JOIN orders AS o USING (order_id)
          JOIN shipments AS s USING (order_id)
        WHERE c.reason_code = 'item_not_received' AND c.{COUNTING_CLAIM} AND o.channel = 'MFN'
          AND list_contains($carriers, s.carrier)
          AND o.purchase_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)""",
}


def planted_orders(folder: str, problem: dict[str, Any]) -> set[str]:
    """The orders of a planted problem in its metric windows (union over metric and also_metrics)."""
    a = acceptance_run(folder).analysis
    sql = PLANTED_ORDERS_SQL[problem["code"]]
    ents = problem["entities"]
    ids: set[str] = set()
    for key in (problem["metric"], *problem.get("also_metrics", [])):
        start, end = PLANTED[folder]["expected_metrics"][key]["window"]
        params = {"start": start, "end": end}
        for name, values in (("skus", ents["skus"]), ("asins", ents["asins"]), ("carriers", ents["carriers"]),
                             ("weekdays", [WEEKDAY_NUMBERS[d] for d in ents["weekdays"]])):
            if f"${name}" in sql:
                params[name] = values
        ids |= set(a.sql(sql, params)["order_id"])
    return ids


def _soup(folder: str) -> BeautifulSoup:
    return BeautifulSoup(acceptance_run(folder).paths["report"].read_text(encoding="utf-8"), "html.parser")




# --------------------------------------------------------------------------------------- static
@pytest.mark.parametrize(("folder", "code"), problem_params())
def test_each_planted_problem_has_its_finding_chart_and_evidence(folder: str, code: str) -> None:
    problem = next(p for p in PLANTED[folder]["problems"] if p["code"] == code)
    planted = planted_orders(folder, problem)
    assert planted, f"the planted SQL selects no order for {code}"
    soup = _soup(folder)
    article = soup.find(id=f"finding-{code}")
    assert article is not None, f"no finding-{code} in the report"
    svg = article.find("svg")
    assert svg is not None and svg.get("id") == f"chart-finding-{code}"
    assert svg.find("title") is not None and svg.find("title").get_text(strip=True)
    table = article.find("table", id=f"evidence-{code}")
    assert table is not None
    shown = {tr.find("td").get_text(strip=True) for tr in table.select("tbody tr")}
    assert shown, "empty evidence table"
    assert shown <= planted, f"evidence orders that are not planted: {sorted(shown - planted)}"
    text = article.get_text(" ", strip=True)
    for kind in ("asins", "carriers", "weekdays"):
        for entity in problem["entities"][kind]:
            assert entity in text, entity


@pytest.mark.parametrize("folder", FOLDERS)
def test_evidence_rows_of_an_item_finding_show_the_planted_item(folder: str) -> None:
    soup = _soup(folder)
    wrong = []
    for problem in PLANTED[folder]["problems"]:
        items = {"ASIN": set(problem["entities"]["asins"]), "SKU": set(problem["entities"]["skus"])}
        table = soup.find("table", id=f"evidence-{problem['code']}")
        if table is None or not (items["ASIN"] or items["SKU"]):
            continue
        heads = [th.get_text(strip=True).upper() for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            cells = [td.get_text(strip=True) for td in tr.find_all("td")]
            for column, allowed in items.items():
                if allowed and column in heads and cells[heads.index(column)] not in allowed:
                    wrong.append((problem["code"], cells[0], column, cells[heads.index(column)]))
    assert wrong == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_metric_cards_show_the_planted_statuses(folder: str) -> None:
    soup = _soup(folder)
    for key, e in PLANTED[folder]["expected_metrics"].items():
        card = soup.find(id=f"metric-{key}")
        assert card is not None, key
        status = expected_status(e, key)
        assert f"status-{status}" in card.get("class", []), (key, card.get("class"))
        text = card.get_text(" ", strip=True)
        count = card.select_one(".facts dd").get_text(" ", strip=True)   # "12 of 208 orders" (plain words)
        assert count.startswith(f"{e['numerator']:,} of {e['denominator']:,}"), count
        assert f"{e['window'][0]} – {e['window'][1]}" in text, text
    # the headline names an at-risk metric and its main cause, with a link to the finding
    headline = soup.find(id="headline")
    assert headline is not None and "headline-at_risk" in headline.get("class", [])
    link = headline.find("a", href=re.compile(r"^#finding-"))
    assert link is not None and soup.find(id=link["href"][1:]) is not None


@pytest.mark.parametrize("folder", FOLDERS)
def test_data_quality_lists_files_read_and_skipped(folder: str) -> None:
    planted = PLANTED[folder]
    section = _soup(folder).find(id="data-quality")
    assert section is not None
    rows = {tr.find("td").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in section.select("#files-table tbody tr")}
    damaged: dict[str, int] = {}
    for d in planted["damaged_rows"]:
        damaged[d["path"]] = damaged.get(d["path"], 0) + 1
    tables = [f for f in planted["files"] if f["kind"] not in ("skipped", "performance")]
    assert set(rows) == {planted_file_path(f) for f in tables}
    for f in tables:
        cells = rows[planted_file_path(f)]
        bad = damaged.get(f["path"], 0)
        assert cells[1] == f["kind"]
        assert [f"{f['rows']:,}", f"{f['rows'] - bad:,}", f"{bad:,}"] == cells[4:7], cells
    skipped = section.select_one("ul.skipped").get_text(" ", strip=True)
    for f in planted["files"]:
        if f["kind"] == "skipped":
            assert f["path"] in skipped
    assert f"{len(planted['damaged_rows'])} rows rejected" in section.get_text(" ", strip=True)


@pytest.mark.parametrize("folder", FOLDERS)
def test_data_quality_lists_the_rejected_rows(folder: str) -> None:
    text = _soup(folder).find(id="data-quality").get_text(" ", strip=True)
    for d in PLANTED[folder]["damaged_rows"]:
        assert re.search(rf"{re.escape(d['path'])}\W+(line\s+)?{d['line']}\b", text), d


@pytest.mark.parametrize("folder", FOLDERS)
def test_data_quality_names_the_performance_report(folder: str) -> None:
    text = _soup(folder).find(id="data-quality").get_text(" ", strip=True)
    for f in PLANTED[folder]["files"]:
        if f["kind"] == "performance":
            assert f["path"] in text


_LOCAL_REF = re.compile(r"^(#|data:)")


@pytest.mark.parametrize("folder", FOLDERS)
def test_report_is_small_self_contained_and_script_free(folder: str) -> None:
    path = acceptance_run(folder).paths["report"]
    assert path.stat().st_size < MAX_BYTES
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<\s*script", html, re.I)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("iframe") is None and soup.find("object") is None
    refs = []
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            if attr.startswith("on"):
                refs.append((tag.name, attr, value))
            if attr in ("href", "src", "xlink:href", "action", "formaction", "poster", "srcset", "background"):
                if not _LOCAL_REF.match(str(value)):
                    refs.append((tag.name, attr, value))
    css = " ".join(t.get_text() for t in soup.find_all("style")) + " ".join(
        str(t.get("style", "")) for t in soup.find_all(style=True))
    refs += [u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) if not _LOCAL_REF.match(u)]
    refs += re.findall(r"@import", css)
    assert refs == []
    assert soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)}) is None


# --------------------------------------------------------------------------------------- browser
PAGE_FACTS_JS = r"""
(() => {
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top + scrollY, width: r.width, height: r.height}; };
  const headline = document.querySelector('#headline');
  const risky = document.querySelector('.card.status-at_risk');
  const firstFinding = document.querySelector('article.finding');
  return {
    scripts: document.querySelectorAll('script').length,
    onAttributes: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
                    .filter(n => n.startsWith('on')),
    svgs: [...document.querySelectorAll('svg')].filter(s => !s.parentElement.closest('svg'))
            .map(s => ({id: s.id, ...box(s)})),
    findings: [...document.querySelectorAll('article.finding')].map(a => a.id),
    cells: [...document.querySelectorAll('td')].map(td => td.textContent),
    headlineText: headline ? headline.innerText : null,
    headlineTop: headline ? box(headline).top : null,
    riskyCardTop: risky ? box(risky).top : null,
    firstFindingTop: firstFinding ? box(firstFinding).top : null,
    viewportHeight: innerHeight,
    pageHeight: document.documentElement.scrollHeight,
    pageWidth: document.documentElement.scrollWidth,
  };
})()
"""

FIND_TEXT_JS = """
(() => { const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
         for (let n = w.nextNode(); n; n = w.nextNode()) if (n.textContent.includes(%s)) return n.parentElement;
         return null; })()
"""

# the text whose fonts are recorded: a product name of each sample's own language
FONT_PROBES = {"us-seller": "Hand-Blown Glass", "jp-seller": "超音波", "de-seller": "Ultraschall"}


@pytest.fixture(scope="module", params=FOLDERS)
def browser_page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[dict[str, Any]]:
    """Open the folder's report in headless Chromium; record what happened; save the screenshot."""
    from test_browser import CHROMIUM, VIEWPORT, DevToolsPipe, open_page, page_events
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("chromium is not installed (/usr/bin/chromium); run scripts/install-browser.sh")
    folder = request.param
    report = acceptance_run(folder).paths["report"]
    url = report.resolve().as_uri()
    cdp = DevToolsPipe(tmp_path_factory.mktemp(f"chromium-{folder}"))
    try:
        session, load_seconds, facts = open_page(cdp, url, ("DOM", "CSS"), PAGE_FACTS_JS)
        # the fonts Chromium really used for the element holding a product name in the sample's language
        cdp.send("DOM.getDocument", {"depth": 0}, session=session)
        probe = cdp.send("Runtime.evaluate", {"expression": FIND_TEXT_JS % json.dumps(FONT_PROBES[folder])},
                         session=session)["result"]
        fonts: list[dict[str, Any]] = []
        if probe.get("objectId"):
            node = cdp.send("DOM.requestNode", {"objectId": probe["objectId"]}, session=session)["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
        ARTIFACTS.mkdir(exist_ok=True)
        shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                   "clip": {"x": 0, "y": 0, "width": VIEWPORT["width"],
                                                            "height": facts["pageHeight"], "scale": 1}},
                        session=session)
        screenshot = ARTIFACTS / f"report-{folder}.png"
        screenshot.write_bytes(base64.b64decode(shot["data"]))
    finally:
        cdp.close()
    events = cdp.events
    observed = {
        "folder": folder,
        "url": url,
        "report_bytes": report.stat().st_size,
        "load_seconds": round(load_seconds, 3),
        **page_events(events),
        "fonts": fonts,
        "facts": {k: v for k, v in facts.items() if k != "cells"},
        "screenshot": str(screenshot),
    }
    (ARTIFACTS / f"report-{folder}.json").write_text(json.dumps(observed, indent=2, ensure_ascii=False),
                                                    encoding="utf-8")
    observed["facts"] = facts
    yield observed


@pytest.mark.browser
def test_browser_no_request_error_or_dialog(browser_page: dict[str, Any]) -> None:
    assert [u for u in browser_page["requests"] if u != browser_page["url"]] == []
    assert [c for c in browser_page["console"] if c["type"] in ("error", "assert", "warning")] == []
    assert browser_page["exceptions"] == [] and browser_page["log_errors"] == []
    assert browser_page["dialogs"] == []
    facts = browser_page["facts"]
    assert facts["scripts"] == 0 and facts["onAttributes"] == []


@pytest.mark.browser
def test_browser_every_chart_has_a_size(browser_page: dict[str, Any]) -> None:
    facts = browser_page["facts"]
    folder = browser_page["folder"]
    assert facts["svgs"]
    for svg in facts["svgs"]:
        assert svg["width"] > 0 and svg["height"] > 0, svg
    chart_ids = {s["id"] for s in facts["svgs"]}
    found_codes = {f.code for f in acceptance_run(folder).analysis.finding_list}
    for problem in PLANTED[folder]["problems"]:
        if problem["code"] in found_codes:
            assert f"chart-finding-{problem['code']}" in chart_ids
    assert facts["pageWidth"] <= 1280


@pytest.mark.browser
def test_browser_the_at_risk_metric_and_its_cause_come_first(browser_page: dict[str, Any]) -> None:
    facts = browser_page["facts"]
    assert facts["headlineText"] and "main cause" in facts["headlineText"]
    # the headline (metric + main cause) and the first at-risk card are on the first screen
    assert 0 <= facts["headlineTop"] < facts["riskyCardTop"] < facts["viewportHeight"]
    assert (ARTIFACTS / f"report-{browser_page['folder']}.png").stat().st_size > 10_000


@pytest.mark.browser
def test_browser_hostile_product_names_are_text(browser_page: dict[str, Any]) -> None:
    """The samples' product names '<script>alert(1)</script> ...' and '=HYPERLINK(...' are shown as text."""
    cells = browser_page["facts"]["cells"]
    assert any(SCRIPT_NAME in c for c in cells)
    assert any(HYPERLINK_NAME in c for c in cells)
    assert browser_page["dialogs"] == [] and browser_page["facts"]["scripts"] == 0


@pytest.mark.browser
def test_browser_text_of_the_sample_language_has_a_font(browser_page: dict[str, Any]) -> None:
    """Chromium found a real font for the sample's own script (no tofu boxes for Japanese)."""
    fonts = browser_page["fonts"]
    assert fonts, f"the probe text {FONT_PROBES[browser_page['folder']]!r} is not in the report"
    names = " ".join(f["familyName"] for f in fonts)
    if browser_page["folder"] == "jp-seller":
        assert re.search(r"CJK|JP|Japanese|Gothic|Mincho|IPA|Takao|VL", names), fonts
