"""The content-keyed cache of parsed files (``--cache DIR``, ``sellerdx.cache.FileCache``).

Every test writes a tiny folder byte for byte, loads it through ``validate.load_inventory`` with a
cache, changes something and loads it again, and states by hand what must have been read from the
cache (hits) and what from the file (misses), and which values the tables then hold.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

import sellerdx
from sellerdx import cache as cache_module
from sellerdx import ingest, store, validate
from sellerdx.cache import FileCache
from support.exports import ORDERS_HEADER

CLAIMS_HEADER = ("Order ID", "Claim Date", "Claim Reason", "Claim Status", "Claim Amount", "Funded By")


def order_line(n: int, price: str = "10.00", day: int = 1) -> str:
    values = {"amazon-order-id": f"111-0000000-000000{n}", "purchase-date": f"2026-09-0{day}T10:00:00+00:00",
              "last-updated-date": f"2026-09-0{day}T12:00:00+00:00", "order-status": "Shipped",
              "fulfillment-channel": "Merchant", "sales-channel": "Amazon.com", "ship-service-level": "Standard",
              "product-name": "Widget", "sku": f"SKU-{n}", "asin": "B000000001", "item-status": "Shipped",
              "quantity": "1", "currency": "USD", "item-price": price, "ship-country": "US",
              "is-business-order": "false"}
    return "\t".join(values.get(h, "") for h in ORDERS_HEADER)


def make_folder(root: Path, prices: tuple[str, ...] = ("10.00", "20.00", "30.00")) -> Path:
    folder = root / "exports"
    folder.mkdir()
    lines = ["\t".join(ORDERS_HEADER)] + [order_line(i + 1, p) for i, p in enumerate(prices)]
    (folder / "orders.txt").write_bytes(("\n".join(lines) + "\n").encode())
    claims = ["\t".join(CLAIMS_HEADER),
              "111-0000000-0000001\t09/05/2026\tItem not received\tGranted\t10.00\tSeller",
              # line 3 is quarantined: the amount is not a number
              "111-0000000-0000002\t09/06/2026\tItem damaged\tPending\tabc\t"]
    (folder / "claims.txt").write_bytes(("\n".join(claims) + "\n").encode())
    return folder


def load(folder: Path, cache: FileCache) -> tuple[duckdb.DuckDBPyConnection, validate.LoadResult]:
    con = store.connect()
    result = validate.load_inventory(con, ingest.discover(folder), cache=cache)
    return con, result


def table_rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


ORDERS_SQL = "SELECT order_id, sku, item_price, quantity, purchase_ts, source_file, source_line FROM orders ORDER BY 1, 2"
CLAIMS_SQL = "SELECT order_id, claim_date, amount, status_code, source_file, source_line FROM claims ORDER BY 1"
REJECTED_SQL = "SELECT path, line, column_name, value, reason FROM rejected_rows ORDER BY 1, 2"


def entries(folder: Path) -> list[Path]:
    """Per-file cache entries (folders under files/); the whole-folder databases are checked by databases()."""
    base = folder / "files"
    return sorted(p for p in base.iterdir()) if base.exists() else []


def databases(folder: Path) -> list[Path]:
    base = folder / "folders"
    return sorted(p for p in base.iterdir() if not p.name.startswith(".tmp-")) if base.exists() else []


def test_first_run_fills_the_cache_and_the_second_run_reads_it_identically(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"

    first_cache = FileCache(cache_dir, marketplace=None)
    con1, res1 = load(folder, first_cache)
    assert (first_cache.hits, first_cache.misses) == (0, 2)
    # one complete entry per file: the staged rows, the quarantined rows, the report
    assert len(entries(cache_dir)) == 2
    for entry in entries(cache_dir):
        assert sorted(p.name for p in entry.iterdir()) == ["manifest.json", "rejected.parquet", "report.json",
                                                           "stage.parquet"]

    second_cache = FileCache(cache_dir, marketplace=None)
    con2, res2 = load(folder, second_cache)
    assert (second_cache.hits, second_cache.misses) == (2, 0)

    orders = table_rows(con2, ORDERS_SQL)
    assert orders == table_rows(con1, ORDERS_SQL)
    assert [(o[0], o[2], o[6]) for o in orders] == [("111-0000000-0000001", 10.0, 2),
                                                    ("111-0000000-0000002", 20.0, 3),
                                                    ("111-0000000-0000003", 30.0, 4)]
    assert table_rows(con2, CLAIMS_SQL) == table_rows(con1, CLAIMS_SQL)
    assert len(table_rows(con2, CLAIMS_SQL)) == 1
    rejected = table_rows(con2, REJECTED_SQL)
    assert rejected == table_rows(con1, REJECTED_SQL)
    assert [(r[0], r[1], r[2], r[3]) for r in rejected] == [("claims.txt", 3, "Claim Amount", "abc")]
    # the per-file reports (counts, dates, warnings) are the same
    assert sorted(res1.files, key=lambda f: f.path) == sorted(res2.files, key=lambda f: f.path)
    by_path = {f.path: f for f in res2.files}
    assert (by_path["orders.txt"].rows_read, by_path["orders.txt"].rows_loaded) == (3, 3)
    assert (by_path["claims.txt"].rows_read, by_path["claims.txt"].rows_loaded,
            by_path["claims.txt"].rows_rejected) == (2, 1, 1)


def test_changing_one_byte_of_a_value_loads_the_new_value(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    load(folder, FileCache(cache_dir, marketplace=None))

    path = folder / "orders.txt"
    data = path.read_bytes()
    assert data.count(b"\t20.00\t") == 1
    path.write_bytes(data.replace(b"\t20.00\t", b"\t29.00\t"))          # same size, one byte differs

    again = FileCache(cache_dir, marketplace=None)
    con, _ = load(folder, again)
    assert (again.hits, again.misses) == (1, 1)                          # claims from the cache, orders read
    prices = [row[0] for row in con.execute("SELECT item_price FROM orders ORDER BY order_id").fetchall()]
    assert prices == [10.0, 29.0, 30.0]


def test_an_appended_row_is_counted(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    load(folder, FileCache(cache_dir, marketplace=None))

    with open(folder / "orders.txt", "ab") as fh:
        fh.write((order_line(4, "40.00") + "\n").encode())

    again = FileCache(cache_dir, marketplace=None)
    con, res = load(folder, again)
    assert again.misses == 1 and again.hits == 1
    assert con.execute("SELECT count(*), sum(item_price) FROM orders").fetchone() == (4, 100.0)
    assert {f.path: f.rows_read for f in res.files}["orders.txt"] == 4


def test_touching_a_file_without_changing_it_is_a_cache_hit(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    con1, _ = load(folder, FileCache(cache_dir, marketplace=None))

    later = (folder / "orders.txt").stat().st_mtime + 3600
    for name in ("orders.txt", "claims.txt"):
        os.utime(folder / name, (later, later))

    again = FileCache(cache_dir, marketplace=None)
    con2, _ = load(folder, again)
    assert (again.hits, again.misses) == (2, 0)
    assert table_rows(con2, ORDERS_SQL) == table_rows(con1, ORDERS_SQL)


def test_a_renamed_file_is_a_hit_and_reports_its_new_name(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    load(folder, FileCache(cache_dir, marketplace=None))
    (folder / "orders.txt").rename(folder / "All_Orders_september.txt")

    again = FileCache(cache_dir, marketplace=None)
    con, _ = load(folder, again)
    assert (again.hits, again.misses) == (2, 0)
    assert {r[0] for r in con.execute("SELECT DISTINCT source_file FROM orders").fetchall()} == \
        {"All_Orders_september.txt"}


def test_another_marketplace_option_does_not_reuse_the_entry(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    load(folder, FileCache(cache_dir, marketplace=None))
    other = FileCache(cache_dir, marketplace="DE")
    load(folder, other)
    assert (other.hits, other.misses) == (0, 2)
    assert len(entries(cache_dir)) == 4


def test_a_failed_write_leaves_no_entry_and_the_run_still_loads(tmp_path, monkeypatch):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module.os, "replace", refuse)
    failing = FileCache(cache_dir, marketplace=None)
    con, _ = load(folder, failing)
    assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 3
    assert entries(cache_dir) == []                                      # nothing half-written left behind
    monkeypatch.undo()

    after = FileCache(cache_dir, marketplace=None)
    load(folder, after)
    assert (after.hits, after.misses) == (0, 2)


def test_a_failed_parquet_copy_leaves_no_entry(tmp_path, monkeypatch):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    # COPY ... TO a folder that does not exist: DuckDB raises its own IOException, not OSError
    monkeypatch.setattr(cache_module, "_sql_path", lambda path: str(path.parent / "missing" / path.name))
    failing = FileCache(cache_dir, marketplace=None)
    con, _ = load(folder, failing)
    assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 3
    assert entries(cache_dir) == []


def test_an_entry_without_its_manifest_is_a_miss(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    load(folder, FileCache(cache_dir, marketplace=None))
    for entry in entries(cache_dir):
        (entry / "manifest.json").unlink()
    again = FileCache(cache_dir, marketplace=None)
    con, _ = load(folder, again)
    assert (again.hits, again.misses) == (0, 2)
    assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 3


def test_analyze_with_cache_gives_the_same_inputs_twice(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    first = sellerdx.analyze(folder, out=str(tmp_path / "out"), cache=str(cache_dir))
    frame1 = first.inputs.to_frame()
    second = sellerdx.analyze(folder, out=str(tmp_path / "out"), cache=str(cache_dir))
    frame2 = second.inputs.to_frame()
    assert frame1.equals(frame2)
    assert second.inputs.rows_read == 5 and second.inputs.rows_rejected == 1
    assert second.sql("SELECT count(*) AS n FROM orders")["n"][0] == 3
    assert len(entries(cache_dir)) == 2


@pytest.mark.parametrize("kind", ["orders", "claims"])
def test_the_key_changes_with_the_content_only(tmp_path, kind):
    folder = make_folder(tmp_path)
    cache = FileCache(tmp_path / "cache", marketplace=None)
    src = next(s for s in ingest.discover(folder).sources if s.kind == kind)
    assert cache.key(src) == cache.key(src)
    path = Path(src.location.disk_path)
    path.write_bytes(path.read_bytes() + b"\n")                          # a trailing blank line
    changed = next(s for s in ingest.discover(folder).sources if s.kind == kind)
    assert cache.key(changed) != cache.key(src)


def test_second_run_of_the_same_folder_opens_the_cached_database_and_reads_nothing(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    first = sellerdx.analyze(folder, cache=str(cache_dir))
    first_frame = first.inputs.to_frame()
    assert "read" in first.timings
    assert len(databases(cache_dir)) == 1
    second = sellerdx.analyze(folder, cache=str(cache_dir))
    assert second.inputs.to_frame().equals(first_frame)
    assert "read" not in second.timings and "validate" not in second.timings   # nothing was read
    assert second.sql("SELECT count(*) AS n FROM orders")["n"][0] == first.sql("SELECT count(*) AS n FROM orders")["n"][0]


def test_a_changed_file_gives_a_new_folder_database(tmp_path):
    folder = make_folder(tmp_path)
    cache_dir = tmp_path / "cache"
    assert sellerdx.analyze(folder, cache=str(cache_dir)).inputs.rows_read   # loads and caches the folder
    orders = next(p for p in folder.iterdir() if "rders" in p.name)
    orders.write_bytes(orders.read_bytes().replace(b"Shipped", b"Pending", 1))
    second = sellerdx.analyze(folder, cache=str(cache_dir))
    assert second.inputs.rows_read
    assert len(databases(cache_dir)) == 2                      # a new key, the old database unused
    assert "validate" in second.timings                        # the changed file was read again
    assert second.sql("SELECT count(*) AS n FROM orders WHERE order_status = 'Pending'")["n"][0] >= 1
