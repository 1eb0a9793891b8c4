"""`sellerdx validate FOLDER`: the per-file table, warnings, skipped files and rejected rows; exit 0 clean,
1 rows rejected, 2 unusable input; `--json` and `--rejected FILE`.
"""

from __future__ import annotations

import csv
import json

from support.exports import FEEDBACK_HEADER, ORDERS_HEADER, oid, order_row, run_cli, table, write_orders, write_text


def row_of(stdout: str, path: str) -> list[str]:
    """The table row of one file, split on runs of spaces (the date range keeps its ' – ')."""
    for line in stdout.splitlines():
        if line.startswith(path + " "):
            return line.split()
    raise AssertionError(f"no row for {path} in:\n{stdout}")


def test_clean_folder_exits_0_and_prints_the_table(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1, "2026-09-01T10:00:00+00:00"), order_row(2, "2026-09-30T23:30:00-07:00")])
    write_text(folder / "claims.csv", "Order ID;Claim Date;Claim Status;Claim Amount\n"
                                      f"{oid(1)};2026-09-10;Offen;12,99\n", encoding="cp1252")
    result = run_cli("validate", str(folder))
    assert result.exit_code == 0, result.stdout + result.stderr
    header = result.stdout.splitlines()[0].split()
    assert header == ["file", "kind", "encoding", "delimiter", "read", "loaded", "rejected", "dates"]
    # 2026-09-30 23:30 at -07:00 is 06:30 UTC on Oct 1: the range ends on Oct 1
    assert row_of(result.stdout, "orders.txt") == ["orders.txt", "orders", "utf-8", "tab", "2", "2", "0",
                                                   "2026-09-01", "–", "2026-10-01"]
    claims = row_of(result.stdout, "claims.csv")
    assert claims[:7] == ["claims.csv", "claims", "utf-8", "semicolon", "1", "1", "0"]
    assert "total: 3 rows read = 3 loaded + 0 rejected" in result.stdout
    assert result.stderr == ""


def test_cp1252_file_is_listed_with_its_encoding(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1, product_name="Größe 5€")], encoding="cp1252")
    result = run_cli("validate", str(folder))
    assert result.exit_code == 0
    assert row_of(result.stdout, "orders.txt")[2] == "cp1252"


def test_rejected_rows_exit_1_and_are_listed(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1), order_row(2, quantity="-1"), order_row(3)])
    write_text(folder / "fb.txt", table(FEEDBACK_HEADER, [["9/13/26", "7", "", "", oid(1), ""]]))
    result = run_cli("validate", str(folder))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert row_of(result.stdout, "orders.txt")[4:7] == ["3", "2", "1"]
    assert row_of(result.stdout, "fb.txt")[4:7] == ["1", "0", "1"]
    assert "rejected: fb.txt:2 (Rating): Rating outside 1–5" in result.stdout
    assert "rejected: orders.txt:3 (quantity): " in result.stdout
    assert "total: 4 rows read = 2 loaded + 2 rejected" in result.stdout


def test_warnings_skipped_files_and_duplicates_are_printed(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1, last_updated="2026-09-05T00:00:00+00:00")], name="a.txt")
    write_orders(folder, [order_row(1), order_row(2)], name="b.txt")
    write_text(folder / "claims.txt", table(("Order ID", "Claim Status", "Notes"), [[oid(1), "Open", "x"]]))
    write_text(folder / "phone-list.txt", table(("Name", "Phone"), [["Ann", "555"]]))
    result = run_cli("validate", str(folder))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "warning: claims.txt: 1 column sellerdx does not use: Notes" in result.stdout
    assert "skipped: phone-list.txt: not a report sellerdx knows" in result.stdout
    assert "note: b.txt: 1 rows also in a newer export (counted once)" in result.stdout


def test_more_than_20_rejected_rows_are_summarised(tmp_path):
    folder = tmp_path / "exports"
    rows = [order_row(1)] + [order_row(i, quantity="-1") for i in range(2, 27)]   # 25 bad rows
    write_orders(folder, rows)
    result = run_cli("validate", str(folder))
    assert result.exit_code == 1
    assert sum(line.startswith("rejected: ") for line in result.stdout.splitlines()) == 20
    assert "… 5 more rejected rows (use --rejected FILE)" in result.stdout


def test_rejected_option_writes_the_csv(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1), order_row(2, amazon_order_id="=1+1")])
    out = tmp_path / "rej.csv"
    result = run_cli("validate", str(folder), "--rejected", str(out))
    assert result.exit_code == 1
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["file", "line", "column", "value", "reason"]
    assert rows[1][:4] == ["orders.txt", "3", "amazon-order-id", "'=1+1"]


def test_json_output(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1), order_row(2, purchase_date="soon")])
    write_text(folder / "notes.txt", table(("Name", "Phone"), [["Ann", "555"]]))
    result = run_cli("validate", str(folder), "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) == {"files", "skipped", "rejected"}
    (f,) = doc["files"]
    assert {k: f[k] for k in ("path", "kind", "encoding", "delimiter", "rows_read", "rows_loaded",
                              "rows_rejected", "date_min", "date_max")} == {
        "path": "orders.txt", "kind": "orders", "encoding": "utf-8", "delimiter": "tab", "rows_read": 2,
        "rows_loaded": 1, "rows_rejected": 1, "date_min": "2026-09-01", "date_max": "2026-09-01"}
    assert f["columns_mapped"]["purchase_ts"] == "purchase-date"
    assert doc["skipped"] == [{"path": "notes.txt", "reason": doc["skipped"][0]["reason"]}]
    assert doc["skipped"][0]["reason"].startswith("not a report sellerdx knows")
    assert doc["rejected"] == [{"path": "orders.txt", "line": 3, "column_name": "purchase-date", "value": "soon",
                                "reason": doc["rejected"][0]["reason"]}]


def test_json_null_for_a_field_count_problem(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1), order_row(2)[:3]])
    result = run_cli("validate", str(folder), "--json")
    doc = json.loads(result.stdout)
    assert doc["rejected"][0]["line"] == 3 and doc["rejected"][0]["column_name"] is None
    assert "3 fields" in doc["rejected"][0]["reason"] and str(len(ORDERS_HEADER)) in doc["rejected"][0]["reason"]


def test_unusable_input_exits_2(tmp_path):
    result = run_cli("validate", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "folder not found" in result.stderr
    assert result.stdout == ""


def test_json_on_unusable_input_prints_no_json(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    result = run_cli("validate", str(folder), "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "no All Orders report" in result.stderr
