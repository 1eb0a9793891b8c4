""".xlsx workbooks are read like text exports: every sheet that is a report is recognised, validated and
quarantined the same way; a line number is the sheet's row number and the file is ``book.xlsx [Sheet]``.
Typed cells (numbers as floats, dates as datetimes) become the text the validators accept without losing
information. The workbooks are written here with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

import sellerdx  # noqa: E402
from sellerdx import ingest  # noqa: E402
from sellerdx.workbook import cell_text  # noqa: E402
from support.exports import FEEDBACK_HEADER, ORDERS_HEADER, oid, order_row, rejected, report, skipped_reasons  # noqa: E402


def _orders_rows() -> list[list[object]]:
    """Two All Orders rows as Excel keeps them: dates typed, quantity and price as numbers."""
    rows = []
    for n, (when, qty, price) in enumerate([(dt.datetime(2026, 9, 1, 10, 5), 3.0, 12.99),
                                            (dt.datetime(2026, 9, 2, 23, 0, 30), 1.0, 20.0)], start=1):
        text = order_row(n)
        row: list[object] = list(text)
        row[ORDERS_HEADER.index("purchase-date")] = when
        row[ORDERS_HEADER.index("last-updated-date")] = when
        row[ORDERS_HEADER.index("quantity")] = qty
        row[ORDERS_HEADER.index("item-price")] = price
        row[ORDERS_HEADER.index("ship-postal-code")] = 98101.0
        rows.append(row)
    return rows


def write_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    orders = book.active
    orders.title = "Orders"
    orders.append(list(ORDERS_HEADER))
    for row in _orders_rows():
        orders.append(row)
    feedback = book.create_sheet("Feedback")
    feedback.append(["Feedback for September"])            # a title row (row 1)
    feedback.append([])                                    # a blank row (row 2)
    feedback.append(list(FEEDBACK_HEADER))                 # the header (row 3)
    feedback.append([dt.date(2026, 9, 10), 1.0, "arrived broken", None, oid(1), "a@example.com"])   # row 4
    feedback.append([dt.date(2026, 9, 11), 5.0, "great", None, oid(2)])                             # row 5: no email
    feedback.append([dt.date(2026, 9, 12), 7.0, "??", None, oid(2), ""])                            # row 6: rating 7
    feedback.append([dt.date(2026, 9, 13), 4.0, "ok", None, oid(1), "", "typed beside"])           # row 7: extra cell
    notes = book.create_sheet("Notes")
    notes.append(["Call the carrier on Monday"])
    book.create_sheet("Empty")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    write_book(tmp_path / "exports" / "book.xlsx")
    return tmp_path / "exports"


def test_every_sheet_is_recognised_or_skipped_with_its_name(folder):
    inventory = ingest.discover(folder)
    assert {(s.path, s.kind) for s in inventory.sources} == {("book.xlsx [Orders]", "orders"),
                                                             ("book.xlsx [Feedback]", "feedback")}
    fb = [s for s in inventory.sources if s.kind == "feedback"][0]
    assert fb.header_line == 3 and fb.mapping["rating"] == 1
    reasons = skipped_reasons(inventory)
    assert reasons["book.xlsx [Empty]"] == "empty sheet"
    assert "book.xlsx [Notes]" in reasons


def test_rows_are_validated_and_quarantined_with_sheet_row_numbers(folder, tmp_path):
    inputs = sellerdx.analyze(folder, out=str(tmp_path / "out")).inputs
    orders = report(inputs, "book.xlsx [Orders]")
    assert (orders.rows_read, orders.rows_loaded, orders.rows_rejected) == (2, 2, 0)
    assert orders.delimiter == "sheet" and orders.encoding == "xlsx"
    fb = report(inputs, "book.xlsx [Feedback]")
    assert (fb.rows_read, fb.rows_loaded, fb.rows_rejected) == (4, 2, 2)
    bad = rejected(inputs, "book.xlsx [Feedback]")
    assert [(line, column) for line, column, _ in bad] == [(6, "Rating"), (7, None)]
    assert "outside 1–5" in bad[0][2]
    assert "line has 7 fields, the header has 6" in bad[1][2]


def test_typed_cells_are_loaded_without_losing_information(folder, tmp_path):
    a = sellerdx.analyze(folder, out=str(tmp_path / "out"))
    rows = a.sql("SELECT order_id, quantity, item_price, purchase_ts, ship_postal_code, source_line "
                  "FROM orders ORDER BY order_id").itertuples(index=False)
    got = [tuple(r) for r in rows]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in got] == [(oid(1), 3, 12.99, "98101", 2),
                                                             (oid(2), 1, 20.0, "98101", 3)]
    assert [r[3].to_pydatetime() for r in got] == [dt.datetime(2026, 9, 1, 10, 5), dt.datetime(2026, 9, 2, 23, 0, 30)]
    fb = a.sql("SELECT order_id, feedback_date, rating, rater_email FROM feedback ORDER BY feedback_date")
    assert [(r.order_id, r.feedback_date.date(), r.rating) for r in fb.itertuples()] == [
        (oid(1), dt.date(2026, 9, 10), 1), (oid(2), dt.date(2026, 9, 11), 5)]


def test_a_workbook_is_analysed_end_to_end(folder, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sellerdx.cli", "analyze", str(folder), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    assert "read 2 files, 6 rows: 4 loaded, 2 rejected; 2 files skipped" in proc.stdout


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), ("111-0000000-0000001", "111-0000000-0000001"), ("  padded ", "  padded "),
    (3.0, "3"), (12.99, "12.99"), (0.1, "0.1"), (-4.5, "-4.5"), (1e20, "100000000000000000000"),
    (953809310861.0, "953809310861"), (2.5e-7, "0.00000025"), (7, "7"), (True, "true"), (False, "false"),
    (dt.date(2026, 9, 1), "2026-09-01"), (dt.datetime(2026, 9, 1, 10, 5), "2026-09-01 10:05:00"),
    (dt.datetime(2026, 9, 1, 10, 5, 0, 250000), "2026-09-01 10:05:00.250000"), (dt.time(23, 59, 59), "23:59:59"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text
