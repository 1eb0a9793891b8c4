"""Amazon's verdict end to end: terminal headline first, exit status, report banner, summary.json, and the
snapshot history (stored once per content, trend over two weeks, ``sellerdx history``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

import sellerdx
from support.exports import write_orders

_HERE = Path(sys.executable).parent / "sellerdx"
SELLERDX = str(_HERE) if _HERE.exists() else "sellerdx"
MP = "ATVPDKIKX0DER"


def run(*args: str, cache_env: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "SELLERDX_CACHE_DIR": str(cache_env)}
    return subprocess.run([SELLERDX, *args], capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=300)


def rng(start: str, end: str) -> dict:
    return {"reportingDateFrom": f"{start}T00:00:00Z", "reportingDateTo": f"{end}T23:59:59Z"}


def weekly(end: str, start10: str, late: int, violations: int, status: str = "NORMAL") -> dict:
    return {"accountStatuses": [{"marketplaceId": MP, "status": status}],
            "performanceMetrics": [{
                "marketplaceId": MP,
                "lateShipmentRate": {"reportingDateRange": rng(start10, end), "orderCount": 40,
                                     "lateShipmentCount": late, "status": "GOOD" if late < 2 else "BAD"},
                "listingPolicyViolations": {"reportingDateRange": rng("2026-03-10", end), "defectsCount": violations,
                                            "status": "BAD", "targetValue": 0, "targetCondition": "EQUALS"}}]}


def folder_with(tmp_path: Path, name: str, report: dict | None) -> Path:
    folder = tmp_path / name
    write_orders(folder)               # two shipped MFN orders, Sep 1 and Sep 2 2026: nothing at risk
    if report is not None:
        (folder / "SellerPerformance.json").write_text(json.dumps(report), encoding="utf-8")
    return folder


SUSPENDED = {"accountStatuses": [{"marketplaceId": MP, "status": "SUSPENDED"}],
             "performanceMetrics": [{"marketplaceId": MP, "accountHealthRating": {"ahrStatus": "WARNED", "ahrScore": 90},
                                     "invoiceDefectRate": {"reportingDateRange": rng("2026-08-20", "2026-08-26"),
                                                           "orderCount": 50, "invoiceDefect": {"count": 4},
                                                           "missingInvoice": {"count": 3}, "lateInvoice": {"count": 1},
                                                           "status": "BAD", "rate": 0.08}}]}


def test_a_suspended_account_exits_1_with_amazons_status_first(tmp_path: Path) -> None:
    history = tmp_path / "cache"
    fine = run("analyze", str(folder_with(tmp_path, "fine", None)), "--out", str(tmp_path / "o1"), cache_env=history)
    assert fine.returncode == 0, fine.stdout + fine.stderr                 # sellerdx's own metrics are fine
    c = run("analyze", str(folder_with(tmp_path, "suspended", SUSPENDED)), "--out", str(tmp_path / "o2"),
            cache_env=history)
    assert c.returncode == 1, c.stdout + c.stderr
    lines = c.stdout.splitlines()
    assert lines[1] == ("Amazon says: account SUSPENDED in Amazon.com; Account Health Rating WARNED, 90 points "
                        "(unhealthy); 1 metric marked bad by Amazon: Invoice Defect Rate.")
    assert lines[2].startswith("  Account Health Rating (Amazon.com): WARNED, 90 points (unhealthy) — Amazon's figure "
                               "— not recomputable from these exports")
    assert lines[3].startswith("  • Invoice Defect Rate: 4 of 50 (8.00%) (missing invoice 3, late invoice 1), "
                               "Amazon's status BAD, 2026-08-20 – 2026-08-26 [bad] — Amazon's figure — not "
                               "recomputable from these exports: it would take an invoice-upload export")
    assert "Traceback" not in c.stderr
    doc = json.loads((tmp_path / "o2" / "summary.json").read_text(encoding="utf-8"))
    amazon = doc["amazon"]
    assert amazon["at_risk"] is True
    assert amazon["account_statuses"] == [{"marketplace_id": MP, "marketplace": "Amazon.com", "status": "SUSPENDED",
                                           "bad": True}]
    assert amazon["account_health_rating"][0]["score"] == 90 and amazon["account_health_rating"][0]["band"] == "unhealthy"
    assert [f["key"] for f in amazon["marked_bad"]] == ["idr"]
    assert amazon["invoice_defect_rate"][0]["parts"] == {"missing_invoice": 3, "late_invoice": 1}
    assert json.loads((tmp_path / "o1" / "summary.json").read_text(encoding="utf-8"))["amazon"] is None
    # the report: Amazon's verdict comes before sellerdx's headline, which does not contradict it
    soup = BeautifulSoup((tmp_path / "o2" / "report.html").read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main")
    first = main.find("div")
    assert first["id"] == "amazon-verdict" and "amazon-verdict-at_risk" in first["class"]
    assert first.select_one(".amazon-verdict-text").get_text(" ", strip=True).startswith(
        "Amazon says: account SUSPENDED in Amazon.com")
    assert "Amazon's own verdict above says otherwise" in soup.select_one("#headline .headline-label").get_text()
    assert first.select_one(".amazon-bad-list").get_text(" ", strip=True) == (
        "Invoice Defect Rate : 4 of 50 (8.00%) (missing invoice 3, late invoice 1), Amazon's status BAD, "
        "2026-08-20 – 2026-08-26 [1] .")
    assert first.select_one("#amazon-note-1").get_text(" ", strip=True).startswith(
        "[1] Amazon's figure — not recomputable from these exports: it would take an invoice-upload export")


def test_two_weekly_reports_give_a_two_point_trend_and_the_same_report_is_stored_once(tmp_path: Path,
                                                                                      monkeypatch) -> None:
    cache = tmp_path / "user-cache"
    monkeypatch.setenv("SELLERDX_CACHE_DIR", str(cache))           # data cache off: history still kept
    week1 = weekly("2026-09-02", "2026-08-24", late=1, violations=3)
    week2 = weekly("2026-09-09", "2026-08-31", late=2, violations=5)
    a1 = sellerdx.analyze(folder_with(tmp_path, "w1", week1), out=str(tmp_path / "o1"))
    assert a1.amazon.stored == 1 and len(a1.amazon.snapshots) == 1
    folder2 = folder_with(tmp_path, "w2", week2)
    (folder2 / "copy-of-week1.json").write_text(json.dumps(week1, indent=4), encoding="utf-8")   # same content
    a2 = sellerdx.analyze(folder2, out=str(tmp_path / "o2"))
    assert a2.amazon.stored == 1                                      # week 2 new, week 1 again: not stored
    stored = sorted(p.name for p in (cache / "history").iterdir())
    assert len(stored) == 2
    assert stored[0].startswith("ATVPDKIKX0DER_2026-03-10_2026-09-02_")
    points = a2.amazon.trends[(MP, "lsr_10d")]
    assert [(p.date.isoformat(), p.numerator, p.denominator, p.rate) for p in points] == [
        ("2026-09-02", 1, 40, 0.025), ("2026-09-09", 2, 40, 0.05)]
    assert [p.numerator for p in a2.amazon.trends[(MP, "listing_policy_violations")]] == [3, 5]
    a2.write(tmp_path / "o2")
    soup = BeautifulSoup((tmp_path / "o2" / "report.html").read_text(encoding="utf-8"), "html.parser")
    hist = soup.select_one("#amazon-history")
    assert "2 snapshots" in hist.select_one("summary").get_text()
    figures = hist.select("figure.amazon-trend")
    captions = [f.select_one("figcaption").get_text(" ", strip=True) for f in figures]
    assert "Late Shipment Rate (10 days): 2026-09-02 2.50% (1 of 40) (GOOD); 2026-09-09 5.00% (2 of 40) (BAD)." in captions
    assert "Listing policy violations: 2026-09-02 3 (BAD); 2026-09-09 5 (BAD)." in captions
    assert all(f.select_one("svg[role=img]") is not None for f in figures)
    terms = [dt_.get_text(" ", strip=True) for dt_ in soup.select("#definitions dt")]
    assert "Snapshot history" in terms and "Amazon's figures" in terms
    # the same report a third time: nothing new
    a3 = sellerdx.analyze(folder2, out=str(tmp_path / "o3"))
    assert a3.amazon.stored == 0 and len(list((cache / "history").iterdir())) == 2
    # sellerdx history lists both, with --cache naming the same folder
    c = run("history", "--cache", str(cache), cache_env=tmp_path / "elsewhere")
    assert c.returncode == 0, c.stderr
    assert c.stdout.splitlines()[0] == f"2 snapshots of Amazon's performance report in {cache / 'history'}:"
    assert "2026-03-10 – 2026-09-02" in c.stdout and "2026-03-10 – 2026-09-09" in c.stdout
    j = json.loads(run("history", "--json", cache_env=cache).stdout)
    assert [s["period_end"] for s in j["snapshots"]] == ["2026-09-02", "2026-09-09"]
    empty = run("history", cache_env=tmp_path / "nothing")
    assert empty.returncode == 0 and empty.stdout.startswith("no snapshot of Amazon's performance report")


def test_history_goes_to_the_cache_folder_when_one_is_given(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SELLERDX_CACHE_DIR", str(tmp_path / "default"))
    a = sellerdx.analyze(folder_with(tmp_path, "w1", weekly("2026-09-02", "2026-08-24", 1, 3)),
                         out=str(tmp_path / "o"), cache=str(tmp_path / "mine"))
    assert a.amazon.stored == 1
    assert len(list((tmp_path / "mine" / "history").iterdir())) == 1
    assert not (tmp_path / "default").exists()


def test_impossible_counts_and_another_period_in_the_terminal(tmp_path: Path) -> None:
    old = {"accountStatuses": [{"marketplaceId": MP, "status": "NORMAL"}],
           "performanceMetrics": [{"marketplaceId": MP,
                                   "validTrackingRate": {"reportingDateRange": rng("2024-07-01", "2024-07-30"),
                                                         "shipmentCount": 878443, "validTrackingCount": 896462,
                                                         "status": "GOOD", "rate": 0.9529}}]}
    c = run("analyze", str(folder_with(tmp_path, "old", old)), "--out", str(tmp_path / "o"),
            cache_env=tmp_path / "cache")
    assert "impossible in Amazon's report: Valid Tracking Rate: validTrackingCount 896,462 exceeds shipmentCount " \
           "878,443" in c.stdout
    assert ("Amazon's performance report covers another period (2024-07-01 to 2024-07-30) than the exports' orders "
            "(2026-09-01 to 2026-09-02)") in c.stdout
    assert "lag of" not in c.stdout
    doc = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert doc["amazon"]["period_notes"][0].startswith("Amazon's performance report covers another period")
    assert "896,462 exceeds" in doc["amazon"]["problems"][0]
    vtr = next(f for f in doc["amazon"]["metrics"] if f["key"] == "vtr")
    assert vtr["value"] == "896,462 of 878,443 — impossible counts, rate not used"
