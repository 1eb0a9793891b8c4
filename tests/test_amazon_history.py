"""The snapshot history of Amazon's performance reports: stored once per content, read back, never fatal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sellerdx import paths
from sellerdx.amazon.history import digest, load_snapshots, store_all, store_report, trends

MP = "A1PA6795UKMFR9"


def report(end: str, late: int) -> dict:
    return {"accountStatuses": [{"marketplaceId": MP, "status": "NORMAL"}],
            "performanceMetrics": [{"marketplaceId": MP, "lateShipmentRate": {
                "reportingDateRange": {"reportingDateFrom": "2026-10-01T00:00Z", "reportingDateTo": f"{end}T23:59Z"},
                "orderCount": 100, "lateShipmentCount": late}}]}


def test_the_same_content_is_stored_once_whatever_its_key_order_or_file(tmp_path: Path) -> None:
    first = report("2026-10-10", 3)
    reordered = json.loads(json.dumps(first, sort_keys=True))
    reordered["performanceMetrics"][0] = dict(reversed(list(reordered["performanceMetrics"][0].items())))
    assert digest(first) == digest(reordered)
    path, new = store_report(first, tmp_path, source="a/SellerPerformance.json",
                             now=dt.datetime(2026, 10, 11, 8, 0, tzinfo=dt.UTC))
    assert new and path.name == f"{MP}_2026-10-01_2026-10-10_{digest(first)[:16]}.json"
    again, new_again = store_report(reordered, tmp_path, source="b/renamed.json")
    assert (again, new_again) == (path, False)
    envelope = json.loads(path.read_text(encoding="utf-8"))
    assert (envelope["stored_at"], envelope["source"], envelope["report"]) == (
        "2026-10-11T08:00:00+00:00", "SellerPerformance.json", first)


def test_snapshots_are_read_back_in_reporting_order_and_give_one_point_each(tmp_path: Path) -> None:
    store_report(report("2026-10-17", 5), tmp_path)
    store_report(report("2026-10-10", 3), tmp_path)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    pairs, skipped = load_snapshots(tmp_path)
    assert [s.period_end for s, _ in pairs] == [dt.date(2026, 10, 10), dt.date(2026, 10, 17)]
    assert pairs[0][0].account_statuses == {MP: "NORMAL"} and pairs[0][0].marketplaces == (MP,)
    assert skipped == ["broken.json: not a readable snapshot (JSONDecodeError)"]
    points = trends(pairs)[(MP, "lsr_10d")]
    assert [(p.date, p.numerator, p.rate) for p in points] == [
        (dt.date(2026, 10, 10), 3, 0.03), (dt.date(2026, 10, 17), 5, 0.05)]


def test_a_history_folder_that_cannot_be_written_is_a_warning_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "history"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    new, warnings = store_all([("perf.json", report("2026-10-10", 3))], blocker)
    assert new == 0 and len(warnings) == 1
    assert warnings[0].startswith("perf.json: could not keep this report in the history folder")
    assert "--cache DIR" in warnings[0]


def test_history_lives_in_the_cache_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SELLERDX_CACHE_DIR", str(tmp_path / "user"))
    assert paths.history_dir() == tmp_path / "user" / "history"
    assert paths.history_dir(tmp_path / "mine") == tmp_path / "mine" / "history"
