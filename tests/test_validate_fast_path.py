"""The fast read of tab files (sellerdx.validate.fields): DuckDB's CSV parser splits the fields, a line read
numbers them. Every row keeps its physical line, damaged lines are quarantined exactly as the exact path
(string_split of each line) quarantines them, and a file whose two reads disagree is read the exact way.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from sellerdx import ingest, store
from sellerdx.validate import fields, load, raw
from support.exports import ORDERS_HEADER, oid, order_row

WIDTH = len(ORDERS_HEADER)   # 33


def tsv(*lines: list[str] | str, eol: str = "\n") -> str:
    return eol.join(line if isinstance(line, str) else "\t".join(line) for line in lines) + eol


def write(folder: Path, text: str, name: str = "orders.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def load_folder(folder: Path, monkeypatch: pytest.MonkeyPatch, *, expect: str = "fast", on_disk: bool = False):
    """Load ``folder`` into an in-memory store; fail if it took another path than ``expect``
    ("fast": never re-read the exact way; "fallback": re-read the exact way at least once; "exact": forced)."""
    exact_reads: list[str] = []
    real_exact = raw.read_exact

    def spy(con, read):
        exact_reads.append(read.path)
        return real_exact(con, read)

    monkeypatch.setattr(load, "read_exact", spy)
    if expect == "exact":
        monkeypatch.setattr(load, "read_raw", functools.partial(raw.read_raw, exact=True))
    # On disk as in an analysis: DuckDB then writes a big table's row groups in parallel.
    con = store.connect(str(folder.parent / "work.duckdb"), temp_directory=str(folder.parent)) if on_disk \
        else store.connect()
    result = load.load_inventory(con, ingest.discover(folder))
    if expect == "fast":
        assert exact_reads == []
    elif expect == "fallback":
        assert exact_reads
    for f in result.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
        n_rejected = con.execute("SELECT count(*) FROM rejected_rows WHERE path = $p", {"p": f.path}).fetchone()[0]
        assert n_rejected == f.rows_rejected, f
    return con, result


def staged_lines(con) -> list[tuple[int, str]]:
    return con.execute("SELECT source_line, order_id FROM orders ORDER BY source_line").fetchall()


def rejects(con) -> list[tuple[int, str | None, str, str]]:
    return con.execute("SELECT line, column_name, value, reason FROM rejected_rows ORDER BY line").fetchall()


def test_line_numbers_after_empty_and_blank_lines(tmp_path, monkeypatch):
    # Lines: 1 header, 2 row 1, 3 empty, 4 empty, 5 spaces only, 6 row 2 (bad quantity), 7 empty, 8 row 3.
    text = tsv(list(ORDERS_HEADER), order_row(1), "", "", "   ", order_row(2, quantity="-3"), "", order_row(3),
               eol="\r\n")
    con, result = load_folder(write(tmp_path / "x", text), monkeypatch)
    assert staged_lines(con) == [(2, oid(1)), (8, oid(3))]
    assert [(line, col) for line, col, _, _ in rejects(con)] == [(6, "quantity")]
    (rep,) = result.files
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (3, 2, 1)


def test_embedded_tab_shifts_the_line_and_quotes_are_literal(tmp_path, monkeypatch):
    # A product name with a tab inside: 34 fields on line 3. Quotes in a TSV field are plain characters.
    shifted = order_row(2, product_name="Mug\tblue")
    text = tsv(list(ORDERS_HEADER), order_row(1, product_name='Box "XL" 12" wide'), shifted,
               order_row(3, product_name='"unclosed'))
    con, _ = load_folder(write(tmp_path / "x", text), monkeypatch)
    assert staged_lines(con) == [(2, oid(1)), (4, oid(3))]
    names = con.execute("SELECT product_name FROM orders ORDER BY source_line").fetchall()
    assert names == [('Box "XL" 12" wide',), ('"unclosed',)]
    ((line, column, value, reason),) = rejects(con)
    assert (line, column) == (3, None)
    assert reason == "line has 34 fields, the header has 33 (a truncated or shifted line)"
    assert value == "\t".join(shifted)[:200]


def test_short_lines_are_padded_by_the_parser_but_still_rejected(tmp_path, monkeypatch):
    # Line 3 stops after 20 fields (the parser pads it with NULLs); line 4 is one order id alone.
    short = order_row(2)[:20]
    text = tsv(list(ORDERS_HEADER), order_row(1), short, [oid(9)], order_row(4))
    con, result = load_folder(write(tmp_path / "x", text), monkeypatch)
    assert staged_lines(con) == [(2, oid(1)), (5, oid(4))]
    assert [(line, reason) for line, _, _, reason in rejects(con)] == [
        (3, "line has 20 fields, the header has 33 (a truncated or shifted line)"),
        (4, "line has 1 fields, the header has 33 (a truncated or shifted line)")]
    assert rejects(con)[1][2] == oid(9)
    (rep,) = result.files
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (4, 2, 2)


def test_extra_fields_are_rejected_even_when_empty(tmp_path, monkeypatch):
    # The parser drops extra fields silently; the line read counts them (a trailing tab is a 34th field).
    text = tsv(list(ORDERS_HEADER), order_row(1) + ["surplus"], order_row(2) + [""], order_row(3))
    con, _ = load_folder(write(tmp_path / "x", text), monkeypatch)
    assert staged_lines(con) == [(4, oid(3))]
    assert [(line, reason.split(" (")[0]) for line, _, _, reason in rejects(con)] == [
        (2, "line has 34 fields, the header has 33"), (3, "line has 34 fields, the header has 33")]


def test_fast_and_exact_paths_stage_and_quarantine_the_same_rows(tmp_path, monkeypatch):
    lines = [list(ORDERS_HEADER), order_row(1), "", order_row(2, quantity="x"), order_row(3)[:5],
             order_row(4, purchase="2026-13-45T00:00:00"), order_row(5, asin="b0short", item_price="abc"),
             order_row(6, product_name='say "hi"\tthere'), "  ", order_row(7) + [""], order_row(8, order_status=""),
             order_row(9, purchase="2026-09-03T08:00:00-07:00")]
    folder = write(tmp_path / "x", tsv(*lines))
    every = "SELECT * EXCLUDE (source_file) FROM orders ORDER BY source_line"
    fast_con, fast = load_folder(folder, monkeypatch, expect="fast")
    exact_con, exact = load_folder(folder, monkeypatch, expect="exact")
    assert fast_con.execute(every).fetchall() == exact_con.execute(every).fetchall()
    assert rejects(fast_con) == rejects(exact_con)
    # Lines 3 and 9 are blank; 2 and 12 are the valid rows.
    assert [line for line, *_ in rejects(fast_con)] == [4, 5, 6, 7, 8, 10, 11]
    assert [line for line, _ in staged_lines(fast_con)] == [2, 12]
    assert [(f.rows_read, f.rows_loaded, f.rows_rejected) for f in fast.files] == \
        [(f.rows_read, f.rows_loaded, f.rows_rejected) for f in exact.files] == [(9, 2, 7)]


def test_reads_that_disagree_fall_back_to_the_exact_path(tmp_path, monkeypatch):
    # Simulate a file the two reads see differently: the line read loses line 3, so the parser has one
    # record more than there are non-empty lines. The file must be read again the exact way, not misnumbered.
    real = fields.load_lines

    def lossy(con, path, gzipped, width):
        real(con, path, gzipped, width)
        con.execute("DELETE FROM raw_lines WHERE rowid = 2")

    monkeypatch.setattr(fields, "load_lines", lossy)
    monkeypatch.setattr(fields, "count_lines", lambda *args: None)    # the two reads, not the one-read path
    text = tsv(list(ORDERS_HEADER), order_row(1), order_row(2), order_row(3, quantity="-1"), order_row(4))
    con, result = load_folder(write(tmp_path / "x", text), monkeypatch, expect="fallback")
    assert staged_lines(con) == [(2, oid(1)), (3, oid(2)), (5, oid(4))]
    assert [(line, col) for line, col, _, _ in rejects(con)] == [(4, "quantity")]
    (rep,) = result.files
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (4, 3, 1)


@pytest.mark.parametrize("blank", [False, True])
def test_parser_with_a_record_fewer_than_the_line_read_falls_back(tmp_path, monkeypatch, blank):
    # The other direction: the parser has one record fewer than the line read (padded on the parser side),
    # even when the line the parser lacks is a blank one (left out of the rows, but not of the check).
    real = fields.load_lines

    def extra(con, path, gzipped, width):
        real(con, path, gzipped, width)
        con.execute("INSERT INTO raw_lines VALUES (false, $b, $w, NULL)", {"w": width, "b": blank})

    monkeypatch.setattr(fields, "load_lines", extra)
    monkeypatch.setattr(fields, "count_lines", lambda *args: None)    # the two reads, not the one-read path
    text = tsv(list(ORDERS_HEADER), order_row(1), order_row(2))
    con, result = load_folder(write(tmp_path / "x", text), monkeypatch, expect="fallback")
    assert staged_lines(con) == [(2, oid(1)), (3, oid(2))]
    assert rejects(con) == []


def test_physical_lines_of_a_file_read_by_several_threads(tmp_path, monkeypatch):
    # Big enough for DuckDB to read in parallel: the line number of a row is still its place in the file,
    # the header is never taken for a data row, and no row is lost. Lines 30,002 and 30,003 are empty and
    # line 70,004 (order 70,001) is cut after 20 fields, so a line read stored out of order would misplace
    # them.
    n = 120_000
    base = "\t".join(order_row(0))
    rows = [base.replace(oid(0), oid(i)) for i in range(1, n + 1)]
    rows[70_000] = "\t".join(rows[70_000].split("\t")[:20])
    rows[30_000:30_000] = ["", ""]
    folder = write(tmp_path / "x", tsv("\t".join(ORDERS_HEADER), *rows))
    con, result = load_folder(folder, monkeypatch, on_disk=True)
    (rep,) = result.files
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (n, n - 1, 1)
    assert [(line, reason.split(" (")[0]) for line, _, _, reason in rejects(con)] == [
        (70_004, "line has 20 fields, the header has 33")]
    picked = con.execute("SELECT source_line, order_id FROM orders WHERE source_line IN (2, 30001, 30004, "
                         "120003) ORDER BY 1").fetchall()
    assert picked == [(2, oid(1)), (30_001, oid(30_000)), (30_004, oid(30_001)), (120_003, oid(120_000))]
    # Every row: order n sits on line n + 1 before the empty lines, n + 3 after them.
    misplaced = con.execute(
        "SELECT count(*) FROM orders WHERE order_id <> printf('111-0%06d-%07d', 0, "
        "source_line - CASE WHEN source_line <= 30001 THEN 1 ELSE 3 END)").fetchone()[0]
    assert misplaced == 0


def test_a_clean_file_is_read_once_and_numbered_in_file_order(tmp_path, monkeypatch):
    # No empty, blank, short or long line: DuckDB's parser alone reads it (the line read never runs), by
    # several threads; every row keeps its physical line (order n on line n + 1) and none is lost.
    n = 120_000
    base = "\t".join(order_row(0))
    rows = [base.replace(oid(0), oid(i)) for i in range(1, n + 1)]
    rows[50_000] = rows[50_000].replace("\t1\t", "\tone\t", 1)     # quantity "one": line 50,002 fails
    line_reads: list[str] = []
    real = fields.load_lines
    monkeypatch.setattr(fields, "load_lines", lambda con, path, *a: (line_reads.append(path), real(con, path, *a)))
    folder = write(tmp_path / "x", tsv("\t".join(ORDERS_HEADER), *rows))
    con, result = load_folder(folder, monkeypatch, on_disk=True)
    assert line_reads == []
    (rep,) = result.files
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (n, n - 1, 1)
    assert [(line, column) for line, column, _, _ in rejects(con)] == [(50_002, "quantity")]
    misplaced = con.execute("SELECT count(*) FROM orders WHERE order_id <> printf('111-0%06d-%07d', 0, "
                            "source_line - 1)").fetchone()[0]
    assert misplaced == 0


@pytest.mark.parametrize("line", ["", "   ", "\t".join(order_row(9)) + "\t"])
def test_a_line_the_one_read_path_cannot_number_sends_the_file_to_the_two_reads(tmp_path, monkeypatch, line):
    # An empty or blank line (the parser skips it) or a long line ending in a tab (the strict parser takes
    # it for a trailing delimiter): the line read numbers the lines instead.
    monkeypatch.setattr(fields, "ONE_READ_MIN_BYTES", 0)     # a small file tries the one read too
    line_reads: list[str] = []
    real = fields.load_lines
    monkeypatch.setattr(fields, "load_lines", lambda con, path, *a: (line_reads.append(path), real(con, path, *a)))
    text = tsv(list(ORDERS_HEADER), order_row(1), line, order_row(3))
    con, result = load_folder(write(tmp_path / "x", text), monkeypatch)
    assert len(line_reads) == 1
    assert [source_line for source_line, _ in staged_lines(con)] == [2, 4]
    expected = [(3, "line has 34 fields, the header has 33")] if line.strip() else []
    assert [(n, reason.split(" (")[0]) for n, _, _, reason in rejects(con)] == expected


def test_ctrl_c_replaced_by_the_parsers_error_still_stops_the_read(tmp_path, monkeypatch):
    # DuckDB runs Python's SIGINT handler while a query waits; when the query then fails (the strict parser
    # refusing a line), its error replaces the KeyboardInterrupt. The read must stop, not fall back and go on.
    import os
    import signal
    import time

    import duckdb

    real = load._insert
    calls: list[int] = []

    def interrupted_then_refused(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:                  # the two-read path, if the read went on: loads normally
            return real(*args, **kwargs)
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)                   # the handler runs here and raises KeyboardInterrupt
        except KeyboardInterrupt:
            pass                            # ... which DuckDB's own error replaces
        raise duckdb.InvalidInputException("CSV Error on Line: 3")

    monkeypatch.setattr(load, "_insert", interrupted_then_refused)
    monkeypatch.setattr(fields, "ONE_READ_MIN_BYTES", 0)     # the one-read path tries this small file
    folder = write(tmp_path / "x", tsv(list(ORDERS_HEADER), order_row(1), order_row(2)))
    with pytest.raises(KeyboardInterrupt):
        load.load_inventory(store.connect(), ingest.discover(folder))
    assert calls == [1]                                                     # no second attempt
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler    # the usual handler is back
