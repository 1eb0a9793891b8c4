"""A report kind that was supplied but yielded no usable row counts as missing — for every metric note,
the headline and the exit status — and says why ("feedback.csv: 2 rows read, 2 rejected"). An All Orders
report whose every row was rejected is named with the first reasons and the rejected-rows file, never
"add an All Orders report". Messages use proper plurals and articles.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import sellerdx
from sellerdx import store
from sellerdx.errors import MissingColumnError, NoInputError
from support.exports import FEEDBACK_HEADER, ORDERS_HEADER, oid, order_row, table, write_orders, write_text

AS_OF = "2026-09-16"        # ODR window 2026-07-05 .. 2026-09-02: both default orders (Sep 1 and 2, MFN)
CLAIMS_HEADER = ("Order ID", "Claim Date", "Claim Reason", "Claim Status")
# rating 9 is outside 1-5 (line 2); "not-an-order" is no order id (line 3): every row is rejected
BAD_FEEDBACK = [["9/10/26", "9", "late", "", oid(1), ""], ["9/11/26", "1", "late", "", "not-an-order", ""]]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sellerdx.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


def _folder(tmp_path: Path, name: str, *, feedback: list[list[str]] | None, claims: bool) -> Path:
    folder = tmp_path / name
    write_orders(folder)
    if feedback is not None:
        write_text(folder / "feedback.csv", table(FEEDBACK_HEADER, feedback))
    if claims:
        write_text(folder / "claims.txt", table(CLAIMS_HEADER, []))      # header only: no claim in the period
    return folder


def test_feedback_whose_every_row_is_rejected_is_missing_with_the_reason(tmp_path):
    a = sellerdx.analyze(_folder(tmp_path, "x", feedback=BAD_FEEDBACK, claims=True), as_of=AS_OF,
                         out=str(tmp_path / "out"))
    odr = a.metric("odr_mfn")
    # the claims export (no claim at all) is usable: ODR is computed over both orders, without feedback
    assert (odr.status, odr.numerator, odr.denominator) == ("ok", 0, 2)
    assert "computed without the feedback export" in odr.note
    assert "feedback.csv: 2 rows read, 2 rejected (line 2, 'Rating': Rating outside 1–5)" in odr.note
    assert store.supplied_kinds(a.con) == {"orders", "claims"}
    assert set(store.unusable_kinds(a.con)) == {"feedback"}


def test_an_export_with_no_data_row_is_supplied_not_unusable(tmp_path):
    a = sellerdx.analyze(_folder(tmp_path, "x", feedback=[], claims=True), as_of=AS_OF, out=str(tmp_path / "out"))
    odr = a.metric("odr_mfn")
    assert (odr.status, odr.denominator) == ("ok", 2)
    assert "feedback" not in odr.note          # only the chargebacks export is missing
    assert "chargebacks" in odr.note
    assert store.supplied_kinds(a.con) == {"orders", "feedback", "claims"}


def test_unusable_feedback_gives_the_notes_headline_and_exit_status_of_missing_feedback(tmp_path):
    """Feedback whose every row is rejected is a missing feedback export: with no claims or chargebacks either,
    ODR is not computed (never "0 of 2, ok"), and as no other metric of these two orders can be computed
    (PFCR's 7-day window holds no order, no shipments export), the run stops with exit 2 naming why — exactly
    as when no feedback file is there at all (exit 0 only ever means metrics were computed)."""
    bad = _folder(tmp_path, "bad", feedback=BAD_FEEDBACK, claims=False)
    none = _folder(tmp_path, "none", feedback=None, claims=False)
    bad_proc = _cli("analyze", str(bad), "--as-of", AS_OF, "--out", str(tmp_path / "out-bad"))
    none_proc = _cli("analyze", str(none), "--as-of", AS_OF, "--out", str(tmp_path / "out-none"))
    assert bad_proc.returncode == none_proc.returncode == 2, bad_proc.stdout + bad_proc.stderr
    for proc in (bad_proc, none_proc):
        assert "Traceback" not in proc.stderr
        assert "error: no metric could be computed" in proc.stderr
        assert "LSR, VTR and OTDR need shipments" in proc.stderr                 # the hint says what to add
    assert "no defect export has a usable row" in bad_proc.stderr
    assert "none of the defect exports was supplied" in none_proc.stderr
    # the unusable file is named with why, the absent one is simply "not supplied"
    assert "feedback.csv: 2 rows read, 2 rejected (line 2, 'Rating': Rating outside 1–5)" in bad_proc.stderr
    assert "feedback.csv" not in none_proc.stderr


# --------------------------------------------------------------------------------------------- All Orders unusable
def _orders_all_rejected(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "exports"
    rows = [order_row(i, "not a date") for i in range(1, n + 1)]
    write_orders(folder, rows)
    return folder


def test_all_orders_rows_rejected_names_the_file_the_reasons_and_the_rejected_rows_file(tmp_path):
    folder = _orders_all_rejected(tmp_path, 2)
    out = tmp_path / "out"
    proc = _cli("analyze", str(folder), "--out", str(out))
    assert proc.returncode == 2, proc.stdout + proc.stderr          # as when the orders are missing
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in proc.stderr
    assert lines[0].startswith("error: orders.txt: All Orders report found, but all 2 rows were rejected; "
                               "first: line 2 ('purchase-date'): Purchase date (UTC) is not a date")
    assert "line 3 ('purchase-date')" in lines[0]
    assert "add an All Orders report" not in proc.stderr
    assert lines[1].startswith(f"  hint: every rejected row is listed in {out / 'rejected_rows.csv'}")
    with open(out / "rejected_rows.csv", encoding="utf-8-sig", newline="") as fh:
        listed = list(csv.DictReader(fh))
    assert [(r["file"], r["line"]) for r in listed] == [("orders.txt", "2"), ("orders.txt", "3")]


def test_one_rejected_order_row_is_said_in_the_singular(tmp_path):
    proc = _cli("analyze", str(_orders_all_rejected(tmp_path, 1)), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "All Orders report found, but the row was rejected; first: line 2 " in proc.stderr


def test_library_names_the_unusable_orders_and_how_to_list_the_rejected_rows(tmp_path):
    a = sellerdx.analyze(_orders_all_rejected(tmp_path, 2), out=str(tmp_path / "out"))
    with pytest.raises(NoInputError) as info:
        a.metric_results  # noqa: B018
    assert info.value.path == "orders.txt"
    assert "all 2 rows were rejected" in info.value.message
    assert "sellerdx validate FOLDER --rejected" in info.value.hint


def test_orders_missing_and_orders_unusable_have_the_same_exit_status(tmp_path):
    missing = tmp_path / "missing"
    write_text(missing / "feedback.txt", table(FEEDBACK_HEADER, [["9/10/26", "5", "ok", "", oid(1), ""]]))
    assert _cli("analyze", str(missing), "--out", str(tmp_path / "o1")).returncode == 2
    assert _cli("analyze", str(_orders_all_rejected(tmp_path, 2)), "--out", str(tmp_path / "o2")).returncode == 2


# --------------------------------------------------------------------------------------------- plurals
def test_terminal_counts_use_proper_plurals(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1)])
    proc = _cli("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert "read 1 file, 1 row: 1 loaded, 0 rejected; 0 files skipped" in proc.stdout


def test_missing_column_error_uses_the_right_article(tmp_path):
    folder = tmp_path / "exports"
    header = tuple(h for h in ORDERS_HEADER if h != "order-status")
    write_orders(folder, [order_row(1, header=header)], header=header)
    with pytest.raises(MissingColumnError) as info:
        sellerdx.analyze(folder).inventory  # noqa: B018
    assert info.value.message == "All Orders report without an 'order status' column"
    header = tuple(h for h in ORDERS_HEADER if h != "purchase-date")
    write_orders(folder, [order_row(1, header=header)], header=header)
    with pytest.raises(MissingColumnError) as info:
        sellerdx.analyze(folder).inventory  # noqa: B018
    assert info.value.message == "All Orders report without a 'Purchase date (UTC)' column"
