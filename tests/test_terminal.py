"""What `sellerdx analyze` prints (issue 17 points 3 and 4): skipped files and why, the first rejected rows
and the file with all of them, every warning that changes a number (the date order chosen, rows counted
once, upper bounds), how many findings the report has; at 80 columns nothing is split inside a word, no
date wraps, and numbers have one format.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from click.testing import CliRunner
from rich.console import Console

from sellerdx.cli import main
from sellerdx.model import FileReport, Finding, MetricResult, SkippedFile
from sellerdx.terminal import print_analysis
from support.exports import oid, order_row, table, write_orders, write_text

DATES = re.compile(r"\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}")


def _render(analysis, paths, width: int = 80) -> str:
    buf = io.StringIO()
    print_analysis(Console(file=buf, width=width, highlight=False, color_system=None), analysis, paths)
    return buf.getvalue()


def _metric(key: str, label: str, num: int, den: int, **kw) -> MetricResult:
    return MetricResult(key=key, label=label, rate=num / den if den else None, numerator=num, denominator=den,
                        window_start=dt.date(2026, 8, 19), window_end=dt.date(2026, 10, 17), target=0.01,
                        direction="below", status="at_risk" if den and num / den >= 0.01 else "ok", **kw)


def _fake_analysis() -> SimpleNamespace:
    files = (FileReport("orders.txt", "orders", "utf-8", "tab", 63_322, 63_317, 5, rows_duplicate=1_204),
             FileReport("claims.txt", "claims", "utf-8", "tab", 12, 12, 0,
                        warnings=("dates in 'Claim Date' fit several formats; read as MM/DD/YYYY "
                                  "(pass --marketplace to choose)",)))
    rejected = pd.DataFrame({"path": ["orders.txt"] * 5, "line": [4, 9, 10, 11, 12],
                             "column_name": [None, "quantity", "quantity", "sku", "sku"],
                             "value": ["", "-1", "-2", "", ""],
                             "reason": ["line has 9 fields, the header has 33 (a truncated or shifted line)",
                                        "quantity below 0", "quantity below 0", "sku is empty", "sku is empty"]})
    inputs = SimpleNamespace(files=files, skipped=(SkippedFile("inventory.txt", "not a report sellerdx knows"),),
                             rejected=rejected, rows_read=63_334, rows_loaded=63_329, rows_rejected=5)
    metrics = {"odr_mfn": _metric("odr_mfn", "Order Defect Rate (MFN)", 590, 59_652),
               "pfcr": _metric("pfcr", "Pre-fulfilment Cancel Rate", 8, 164,
                               note="the cancellations export was not supplied: this rate is an upper bound")}
    findings = [Finding(code=f"c{i}", metric="odr_mfn", title=f"t{i}", share=0.5, confidence="high",
                        statement=f"Finding number {i}: 19 of the 39 order defects (48.7%) in the 60-day window "
                                  f"2026-08-19 to 2026-10-17 are negative feedback on the ASIN B0D1GLV5X7.")
                for i in range(1, 8)]
    return SimpleNamespace(inputs=inputs, metric_results=metrics, finding_list=findings,
                           folder=Path("exports"), as_of=dt.date(2026, 10, 31))


PATHS = {"summary": Path("out/summary.json"), "poa": Path("out/poa.md"), "evidence": Path("out/evidence.csv"),
         "rejected_rows": Path("out/rejected_rows.csv"), "report": Path("out/report.html")}


def test_the_summary_says_what_was_skipped_rejected_and_warned_and_how_many_findings():
    text = _render(_fake_analysis(), PATHS, width=100)
    lines = text.splitlines()
    assert lines[:2] == ["sellerdx 0.1.0 — exports — as of 2026-10-31",
                         "read 2 files, 63,334 rows: 63,329 loaded, 5 rejected; 1 file skipped"]
    i = lines.index("skipped (not read):")
    assert lines[i + 1] == "  inventory.txt: not a report sellerdx knows"
    i = lines.index("rejected rows (not counted):")
    assert lines[i + 1:i + 5] == [
        "  orders.txt:4: line has 9 fields, the header has 33 (a truncated or shifted line)",
        "  orders.txt:9 (quantity): quantity below 0",
        "  orders.txt:10 (quantity): quantity below 0",
        "  and 2 more; all rejected rows: out/rejected_rows.csv"]
    i = lines.index("warnings (they change the numbers):")
    assert lines[i + 1:i + 4] == [
        "  claims.txt: dates in 'Claim Date' fit several formats; read as MM/DD/YYYY (pass --marketplace to",
        "  choose)",
        "  orders.txt: 1,204 rows also in a newer export (counted once)"]
    assert lines[i + 4] == ("  Pre-fulfilment Cancel Rate: the cancellations export was not supplied: this rate "
                            "is an upper bound")
    assert "findings (7 in the report):" in lines
    assert sum(line.startswith("• Finding number") for line in lines) == 5
    assert "  and 2 more in the report" in lines
    assert lines[-2:] == ["report: out/report.html",
                          "also written: out/summary.json, out/poa.md, out/evidence.csv, out/rejected_rows.csv"]


def test_at_80_columns_no_word_is_split_and_dates_do_not_wrap(us_analysis, tmp_path):
    paths = {k: tmp_path / name for k, name in (("summary", "summary.json"), ("report", "report.html"),
                                                  ("rejected_rows", "rejected_rows.csv"))}
    text = _render(us_analysis, paths, width=80)
    lines = text.splitlines()
    # no line is wider than 80 columns, except a single word (a long path) that cannot be split
    assert all(len(line) <= 80 or len(line.split()) == 1 for line in lines), lines
    # every metric row is one line holding its whole window
    for m in us_analysis.metric_results.values():
        window = f"{m.window_start:%Y-%m-%d} – {m.window_end:%Y-%m-%d}"
        assert any(window in line and f"{m.numerator:,} / {m.denominator:,}" in line for line in lines), window
    # every finding printed is its statement, wrapped between words only: joining the lines gives it back
    bullets = [i for i, line in enumerate(lines) if line.startswith("• ")]
    assert len(bullets) == min(5, len(us_analysis.finding_list)) > 0
    for n, start in enumerate(bullets):
        block = [lines[start][2:]]
        for line in lines[start + 1:]:
            if not line.startswith("  ") or line.startswith("  and "):
                break
            block.append(line[2:])
        assert " ".join(block) == us_analysis.finding_list[n].statement


def test_numbers_have_one_format(us_analysis, tmp_path):
    text = _render(us_analysis, {"report": tmp_path / "report.html"}, width=80)
    lsr = us_analysis.metric("lsr_30d")
    assert (lsr.numerator, lsr.denominator) == (84, 686)            # the US sample's planted late shipments
    assert "12.24%" in text and "12.2%" not in text                 # 84 / 686 = 12.2449%
    # counts of four digits or more always have a thousands separator (findings and table alike)
    findings = "\n".join(line for line in text.splitlines() if not DATES.search(line) or line.startswith(("•", " ")))
    without_years = re.sub(r"\b20\d\d\b", "", findings)          # years ("since September 2024") are not counts
    assert not re.search(r"(?<![\d,.\-/:])\d{4,}(?![\d\-/])", without_years), findings
    assert "1,333 other orders" in " ".join(text.split())           # 1,414 MFN orders - 81 of the ASIN
    # rates in the table and in the findings have two decimals
    table_rates = re.findall(r"(\d+\.\d+)%", "\n".join(line for line in text.splitlines() if DATES.search(line)))
    assert table_rates and all(len(r.split(".")[1]) == 2 for r in table_rates)


def _folder_with_warnings(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    rows = [order_row(i, f"2026-09-0{1 + i % 5}T10:00:00+00:00", quantity="-1" if i == 3 else "1")
            for i in range(1, 9)]                              # order 3 (line 4) is quarantined
    write_orders(folder, rows)
    write_text(folder / "claims.txt", table(("Order ID", "Claim Date", "Claim Status"),
                                            [[oid(1), "03/04/2026", "Open"], [oid(2), "05/06/2026", "Open"]]))
    write_text(folder / "notes.txt", "call the carrier on monday\n")
    return folder


def test_analyze_prints_the_date_order_chosen_and_the_skipped_file(tmp_path):
    folder = _folder_with_warnings(tmp_path)
    result = CliRunner().invoke(main, ["analyze", str(folder), "--out", str(tmp_path / "out")], env={"COLUMNS": "200"})
    assert result.exit_code in (0, 1), result.output
    lines = result.stdout.splitlines()
    assert "  notes.txt: not a delimited table (one column only)" in lines
    i = lines.index("rejected rows (not counted):")
    assert lines[i + 1:i + 3] == ["  orders.txt:4 (quantity): quantity below 0",
                                  f"  all rejected rows: {tmp_path / 'out' / 'rejected_rows.csv'}"]
    assert ("  claims.txt: dates in 'Claim Date' fit several formats; read as MM/DD/YYYY "
            "(pass --marketplace to choose)") in lines
