"""The rendered report in a real browser: Debian's headless Chromium, driven over the DevTools protocol.

Chromium is started with ``--remote-debugging-pipe``: it reads DevTools commands (JSON, each ended by a
NUL byte) on file descriptor 3 and writes replies and events on descriptor 4. That needs no websocket
library and no browser download. The page is opened from ``file://``; the test records every network
request, console message, exception and JavaScript dialog, measures the charts, and saves
``test-artifacts/report.png`` (full page), ``test-artifacts/report-print.png`` (print media) and
``test-artifacts/browser.json`` (what was observed, including timings; no timing is asserted).

Skipped only when ``/usr/bin/chromium`` is not installed (``scripts/install-browser.sh`` installs it).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sellerdx.render import write_html
from support.render_fixtures import HOSTILE, IMG, JS_URL, SCRIPT, make_context

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe")
TIMEOUT_S = 60.0
VIEWPORT = {"width": 1280, "height": 900}
A4_WIDTH_PX = 794


class DevToolsPipe:
    """A minimal DevTools-protocol client over Chromium's ``--remote-debugging-pipe``."""

    def __init__(self, user_data_dir: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds() -> None:  # in the child, before exec: fd 3 = commands in, fd 4 = replies out
            commands, replies = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={user_data_dir}", "about:blank"],
            preexec_fn=wire_fds, close_fds=False,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send a command and return its result; events read meanwhile are kept in :attr:`events`."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        """Wait for the next event ``method`` (or return one already received)."""
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (EOFError, OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


PAGE_FACTS_JS = """
(() => {
  const svgs = [...document.querySelectorAll('svg')].map(s => {
    const r = s.getBoundingClientRect();
    return {id: s.id, width: r.width, height: r.height, title: (s.querySelector('title') || {}).textContent};
  });
  const textOf = sel => [...document.querySelectorAll(sel)].map(e => e.textContent);
  const headline = document.querySelector('.headline');
  const risky = document.querySelector('.card.status-at_risk');
  return {
    title: document.title,
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img').length,
    onAttributes: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
                    .filter(n => n.startsWith('on')),
    svgs,
    evidenceCells: textOf('table td'),
    entities: textOf('code.entity'),
    headlineTop: headline.getBoundingClientRect().top,
    headlineText: headline.innerText,
    riskyCardTop: risky.getBoundingClientRect().top,
    viewportHeight: window.innerHeight,
    pageHeight: document.documentElement.scrollHeight,
    pageWidth: document.documentElement.scrollWidth,
    headlineColor: getComputedStyle(headline).borderLeftColor,
    timing: (() => { const n = performance.getEntriesByType('navigation')[0];
                     return n ? {domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd} : null; })(),
  };
})()
"""


PRINT_SIZE_JS = """
(() => ({height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
         widest: Math.max(...[...document.querySelectorAll('table, pre, svg, .card')]
                              .map(e => e.getBoundingClientRect().right))}))()
"""


def open_page(cdp: DevToolsPipe, url: str, domains: tuple[str, ...] = (), facts_js: str | None = None
              ) -> tuple[str, float, dict[str, Any]]:
    """Open ``url`` in a new tab at the test viewport.

    Returns (session id, seconds to the load event, the value of ``facts_js`` — default PAGE_FACTS_JS).
    """
    target = cdp.send("Target.createTarget", {"url": "about:blank"})
    session = cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Network", "Log", *domains):
        cdp.send(f"{domain}.enable", session=session)
    cdp.send("Emulation.setDeviceMetricsOverride", {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False},
             session=session)
    opened = time.perf_counter()
    cdp.send("Page.navigate", {"url": url}, session=session)
    cdp.wait_for("Page.loadEventFired")
    load_seconds = time.perf_counter() - opened
    facts = cdp.send("Runtime.evaluate", {"expression": facts_js or PAGE_FACTS_JS, "returnByValue": True},
                     session=session)["result"]["value"]
    return session, load_seconds, facts


def page_events(events: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """What the page did, from the DevTools events: requests, console messages, exceptions, errors, dialogs."""
    return {
        "requests": [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"],
        "console": [{"type": e["params"]["type"],
                     "text": " ".join(str(a.get("value", a.get("description", ""))) for a in e["params"]["args"])}
                    for e in events if e.get("method") == "Runtime.consoleAPICalled"],
        "exceptions": [e["params"]["exceptionDetails"].get("text") for e in events
                       if e.get("method") == "Runtime.exceptionThrown"],
        "log_errors": [e["params"]["entry"]["text"] for e in events
                       if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"],
        "dialogs": [e["params"].get("message") for e in events if e.get("method") == "Page.javascriptDialogOpening"],
    }


@pytest.fixture(scope="module")
def browser_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("chromium is not installed (/usr/bin/chromium); run scripts/install-browser.sh")
    work = tmp_path_factory.mktemp("browser")
    started = time.perf_counter()
    report = write_html(make_context(), work / "report.html")
    render_seconds = time.perf_counter() - started
    url = report.resolve().as_uri()

    cdp = DevToolsPipe(work / "profile")
    try:
        session, load_seconds, facts = open_page(cdp, url)

        ARTIFACTS.mkdir(exist_ok=True)
        shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                   "clip": {"x": 0, "y": 0, "width": VIEWPORT["width"],
                                                            "height": facts["pageHeight"], "scale": 1}},
                        session=session)
        (ARTIFACTS / "report.png").write_bytes(base64.b64decode(shot["data"]))
        # Print media at the width of an A4 page (210 mm at 96 px/in = 794 px): nothing may be wider.
        cdp.send("Emulation.setDeviceMetricsOverride",
                 {"width": A4_WIDTH_PX, "height": VIEWPORT["height"], "deviceScaleFactor": 1, "mobile": False},
                 session=session)
        cdp.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        print_size = cdp.send("Runtime.evaluate", {"expression": PRINT_SIZE_JS, "returnByValue": True},
                              session=session)["result"]["value"]
        print_shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                         "clip": {"x": 0, "y": 0, "width": A4_WIDTH_PX,
                                                                  "height": print_size["height"], "scale": 1}},
                              session=session)
        (ARTIFACTS / "report-print.png").write_bytes(base64.b64decode(print_shot["data"]))
        cdp.send("Emulation.setEmulatedMedia", {"media": ""}, session=session)
        pdf = cdp.send("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}, session=session)
        pdf_bytes = base64.b64decode(pdf["data"])
        (ARTIFACTS / "report.pdf").write_bytes(pdf_bytes)
    finally:
        cdp.close()

    events = cdp.events
    run = {
        "url": url,
        "report_bytes": report.stat().st_size,
        "render_seconds": round(render_seconds, 3),
        "load_seconds": round(load_seconds, 3),
        **page_events(events),
        "print": print_size,
        "pdf_bytes": len(pdf_bytes),
        "pdf_pages": pdf_bytes.count(b"/Type /Page") - pdf_bytes.count(b"/Type /Pages"),
        "facts": {k: v for k, v in facts.items() if k != "evidenceCells"},
    }
    (ARTIFACTS / "browser.json").write_text(json.dumps(run, indent=2, ensure_ascii=False), encoding="utf-8")
    run["facts"] = facts
    yield run


def test_no_request_other_than_the_file_itself(browser_run: dict[str, Any]) -> None:
    others = [u for u in browser_run["requests"] if u != browser_run["url"] and not u.startswith("data:")]
    assert others == []
    assert browser_run["url"] in browser_run["requests"]


def test_no_console_error_exception_or_dialog(browser_run: dict[str, Any]) -> None:
    assert [c for c in browser_run["console"] if c["type"] in ("error", "assert")] == []
    assert browser_run["exceptions"] == []
    assert browser_run["log_errors"] == []
    assert browser_run["dialogs"] == []


def test_every_chart_has_a_size_and_a_title(browser_run: dict[str, Any]) -> None:
    svgs = browser_run["facts"]["svgs"]
    # the fixture charts: two trends (LSR, ODR) and two findings (weekday bars, ASIN Pareto)
    assert [s["id"] for s in svgs] == ["chart-trend-lsr_10d", "chart-trend-odr_mfn",
                                       "chart-finding-late_shipment.weekend_backlog",
                                       "chart-finding-late_shipment.slow_asins"]
    for svg in svgs:
        assert svg["width"] > 300 and svg["height"] > 100, svg
        assert svg["title"], svg


def test_hostile_text_is_text_in_the_live_dom(browser_run: dict[str, Any]) -> None:
    facts = browser_run["facts"]
    assert facts["scripts"] == 0 and facts["images"] == 0 and facts["onAttributes"] == []
    assert SCRIPT in facts["evidenceCells"] and IMG in facts["evidenceCells"]
    assert JS_URL in facts["entities"]
    assert all(any(h in cell for cell in facts["evidenceCells"] + facts["entities"]) for h in HOSTILE)


def test_the_at_risk_metric_and_its_cause_are_seen_first(browser_run: dict[str, Any]) -> None:
    facts = browser_run["facts"]
    # the headline and the at-risk card are inside the first screen (900 px), headline above the card
    assert 0 <= facts["headlineTop"] < facts["riskyCardTop"] < facts["viewportHeight"]
    assert "Late Shipment Rate (10 days) 7.2%" in facts["headlineText"]
    assert "Weekend backlog (64% of late orders)" in facts["headlineText"]
    assert facts["pageWidth"] <= VIEWPORT["width"]          # nothing wider than the window
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000


def test_print_output_fits_the_page(browser_run: dict[str, Any]) -> None:
    # at A4 width with print media, no table, pre, chart or card sticks out of the page
    assert browser_run["print"]["width"] <= A4_WIDTH_PX
    assert browser_run["print"]["widest"] <= A4_WIDTH_PX
    # sections flow on (no page break before each, folded rows print as a pointer): the fixture's 9
    # sections and 72 evidence rows fit in fewer pages than it has sections
    assert 1 < browser_run["pdf_pages"] < 9


# --- every language (issue 15): a screenshot each, <html lang>, CJK text drawn with a real CJK font -----------
LANGUAGES = {"en": "en", "zh": "zh-Hans", "ja": "ja", "de": "de", "fr": "fr", "it": "it", "es": "es", "vi": "vi"}
CJK_SELLER = "山田商店 测试"   # a seller folder named in Japanese/Chinese: CJK text on every page, whatever the catalogs
# The CJK family the page's font stack reaches first for CJK text (report.css): Japanese glyph forms on a
# Japanese page, Simplified Chinese ones on a Chinese page and on every other page (the default order).
CJK_FAMILY = {"ja": "Noto Sans CJK JP", "zh": "Noto Sans CJK SC"}
LANG_FACTS_JS = """
(() => ({lang: document.documentElement.lang, h1: document.querySelector('h1').textContent,
         h1Width: document.querySelector('h1').getBoundingClientRect().width,
         pageWidth: document.documentElement.scrollWidth, pageHeight: document.documentElement.scrollHeight}))()
"""


def _noto_cjk_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    families = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout
    return all(family in families for family in CJK_FAMILY.values())


@pytest.fixture(scope="module")
def language_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("chromium is not installed (/usr/bin/chromium); run scripts/install-browser.sh")
    if not _noto_cjk_installed():
        pytest.skip("fonts-noto-cjk is not installed (Noto Sans CJK JP/SC); run scripts/install-browser.sh")
    work = tmp_path_factory.mktemp("languages")
    cdp = DevToolsPipe(work / "profile")
    runs: dict[str, dict[str, Any]] = {}
    try:
        for lang in LANGUAGES:
            report = write_html(make_context(seller=CJK_SELLER, lang=lang), work / f"report-{lang}.html")
            cdp.events.clear()   # wait_for("Page.loadEventFired") must see this page's event, not the last one's
            session, _, facts = open_page(cdp, report.resolve().as_uri(), ("DOM", "CSS"), LANG_FACTS_JS)
            root = cdp.send("DOM.getDocument", {"depth": -1}, session=session)["root"]["nodeId"]
            h1 = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"}, session=session)["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": h1}, session=session)["fonts"]
            ARTIFACTS.mkdir(exist_ok=True)
            shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                       "clip": {"x": 0, "y": 0, "width": VIEWPORT["width"],
                                                                "height": min(facts["pageHeight"], 4000), "scale": 1}},
                            session=session)
            (ARTIFACTS / f"report-{lang}.png").write_bytes(base64.b64decode(shot["data"]))
            runs[lang] = {**facts, "fonts": fonts}
    finally:
        cdp.close()
    (ARTIFACTS / "browser-languages.json").write_text(json.dumps(runs, indent=2, ensure_ascii=False), encoding="utf-8")
    yield runs


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_each_language_renders_with_its_lang_and_a_screenshot(language_runs: dict[str, dict[str, Any]],
                                                              lang: str) -> None:
    run = language_runs[lang]
    assert run["lang"] == LANGUAGES[lang]
    assert run["h1"] == CJK_SELLER and run["h1Width"] > 0
    assert run["pageWidth"] <= VIEWPORT["width"]
    assert (ARTIFACTS / f"report-{lang}.png").stat().st_size > 10_000


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_cjk_text_is_drawn_with_a_real_cjk_font(language_runs: dict[str, dict[str, Any]], lang: str) -> None:
    # Chromium's own account of the fonts that drew the heading's glyphs: the six CJK characters come from a
    # CJK font of the stack (not a fallback box), in the glyph forms of the page's language
    fonts = language_runs[lang]["fonts"]
    cjk = [f for f in fonts if "CJK" in f["familyName"]]
    assert cjk, fonts
    assert sum(f["glyphCount"] for f in cjk) >= len([c for c in CJK_SELLER if ord(c) > 0x2E80])
    assert cjk[0]["familyName"] == CJK_FAMILY.get(lang, "Noto Sans CJK SC"), fonts
    assert not any(f["isCustomFont"] for f in fonts)    # system fonts only: no web font
