"""The default cache (issue 14 point 4): on by default in the user cache folder ($SELLERDX_CACHE_DIR here),
a hit on an unchanged folder, a miss on a changed byte, least-recently-used eviction under the size bound,
a damaged or half-written entry rebuilt (never trusted), --no-cache, and `sellerdx cache info` / `clear`.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import sellerdx
from sellerdx import cache as cache_module
from sellerdx.cli import main
from test_cache import make_folder

ORDERS_SQL = "SELECT order_id, item_price FROM orders ORDER BY order_id"



def names(folder: Path, kind: str) -> list[str]:
    base = folder / kind
    return sorted(p.name for p in base.iterdir() if not p.name.startswith(".tmp-")) if base.exists() else []


def run(folder: Path, tmp_path: Path, *args: str) -> sellerdx.Analysis:
    analysis = sellerdx.analyze(folder, out=str(tmp_path / "out"), **dict(a.split("=", 1) for a in args))
    analysis.inputs  # noqa: B018 - load
    return analysis


def test_the_cache_is_on_by_default_in_the_user_cache_folder(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    result = CliRunner().invoke(main, ["analyze", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code in (0, 1), result.output
    assert len(names(cache_dir, "folders")) == 1                     # the folder's database
    assert len(names(cache_dir, "files")) == 2                       # orders.txt and claims.txt
    entry = cache_dir / "folders" / names(cache_dir, "folders")[0]
    assert sorted(p.name for p in entry.iterdir()) == ["data.duckdb", "manifest.json", "reports.json", "stat.key"]


def test_a_second_run_is_a_hit_that_reads_nothing(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    first = run(folder, tmp_path)
    assert "read" in first.timings
    second = run(folder, tmp_path)
    assert "read" not in second.timings and "validate" not in second.timings
    assert second.file_cache is not None and second.file_cache.rebuilt == []
    assert second.sql(ORDERS_SQL).values.tolist() == [["111-0000000-0000001", 10.0], ["111-0000000-0000002", 20.0],
                                                       ["111-0000000-0000003", 30.0]]
    assert second.inputs.to_frame().equals(first.inputs.to_frame())
    assert second.inputs.rows_rejected == 1                          # claims.txt line 3, amount 'abc'
    # the analysis writes its own tables (order_facts, ...) beside the cached ones, never into them
    second.metric_results  # noqa: B018
    assert cache_module.verify(cache_dir / "folders" / names(cache_dir, "folders")[0]) is None


def test_one_changed_byte_is_a_miss_for_that_file_only(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    run(folder, tmp_path)
    orders = folder / "orders.txt"
    orders.write_bytes(orders.read_bytes().replace(b"\t20.00\t", b"\t29.00\t"))   # same size, one byte
    again = run(folder, tmp_path)
    assert len(names(cache_dir, "folders")) == 2                     # a new folder key
    assert (again.file_cache.hits, again.file_cache.misses) == (1, 1)  # claims from the cache, orders read
    assert [p for _, p in again.sql(ORDERS_SQL).values.tolist()] == [10.0, 29.0, 30.0]


def test_no_cache_reads_everything_and_stores_nothing(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    result = CliRunner().invoke(main, ["analyze", str(folder), "--out", str(tmp_path / "out"), "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    assert not cache_dir.exists()
    off = run(folder, tmp_path, "cache=")
    assert off.file_cache is None and "read" in off.timings
    assert sellerdx.analyze(folder, cache=False).sql("SELECT count(*) AS n FROM orders")["n"][0] == 3
    assert not cache_dir.exists()


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF                                     # one bit pattern flipped, same size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "no manifest"])
def test_a_damaged_folder_entry_is_rebuilt_not_used(tmp_path, cache_dir, damage):
    folder = make_folder(tmp_path)
    run(folder, tmp_path)
    entry = cache_dir / "folders" / names(cache_dir, "folders")[0]
    database = entry / "data.duckdb"
    if damage == "flip a byte":
        _damage(database)
    elif damage == "truncate":
        database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])
    else:
        (entry / "manifest.json").unlink()                            # a half-written entry
    again = run(folder, tmp_path)
    assert len(again.file_cache.rebuilt) == 1
    assert again.file_cache.rebuilt[0].startswith(f"folders/{entry.name}: ")
    assert cache_module.verify(entry) is None                        # rebuilt in place, intact again
    assert [p for _, p in again.sql(ORDERS_SQL).values.tolist()] == [10.0, 20.0, 30.0]
    # rebuilding the database re-used the two intact per-file entries
    assert (again.file_cache.hits, again.file_cache.misses) == (2, 0)


def test_a_damaged_file_entry_is_read_again(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    run(folder, tmp_path)
    first_entries = names(cache_dir, "files")
    for name in first_entries:
        _damage(cache_dir / "files" / name / "stage.parquet")
    (folder / "orders.txt").rename(folder / "All_Orders.txt")   # a new folder key, the same file keys
    again = run(folder, tmp_path)
    assert len(again.file_cache.rebuilt) == 2
    assert all("stage.parquet does not match its checksum" in r for r in again.file_cache.rebuilt)
    assert again.sql("SELECT count(*) AS n FROM orders")["n"][0] == 3
    for name in first_entries:
        assert cache_module.verify(cache_dir / "files" / name) is None


def test_a_temporary_entry_of_a_killed_run_is_never_used(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    run(folder, tmp_path)
    key = names(cache_dir, "folders")[0]
    entry = cache_dir / "folders" / key
    half = cache_dir / "folders" / ".tmp-killed"
    entry.rename(half)                                               # as if the rename never happened
    again = run(folder, tmp_path)
    assert (again.file_cache.hits, again.file_cache.misses) == (2, 0)   # rebuilt from the file entries
    assert names(cache_dir, "folders") == [key]                      # built again under its key
    assert cache_module.verify(entry) is None


# ------------------------------------------------------------------------------------------------ eviction
def _entry(root: Path, kind: str, name: str, size: int, used: float) -> Path:
    path = root / kind / name
    path.mkdir(parents=True)
    (path / "data.bin").write_bytes(b"x" * size)
    cache_module.write_manifest(path)
    os.utime(path / "manifest.json", (used, used))
    return path


def test_eviction_deletes_the_least_recently_used_first(tmp_path):
    root = tmp_path / "c"
    now = time.time()
    a = _entry(root, "files", "a", 1000, now - 300)      # oldest use
    b = _entry(root, "folders", "b", 1000, now - 200)
    c = _entry(root, "files", "c", 1000, now - 100)
    manifest = (a / "manifest.json").stat().st_size
    size = 1000 + manifest                               # each entry: its data and its manifest
    removed = cache_module.evict(root, 2 * size)
    assert [e.path for e in removed] == [a]
    assert not a.exists() and b.exists() and c.exists()
    # using b makes c the least recently used
    os.utime(b / "manifest.json")
    removed = cache_module.evict(root, size)
    assert [e.path for e in removed] == [c]
    assert b.exists()


def test_eviction_keeps_the_entries_of_the_current_run(tmp_path):
    root = tmp_path / "c"
    now = time.time()
    a = _entry(root, "files", "a", 1000, now - 300)
    b = _entry(root, "files", "b", 1000, now - 200)
    removed = cache_module.evict(root, 10, keep={a})
    assert [e.path for e in removed] == [b]
    assert a.exists()


def test_a_run_keeps_the_cache_under_its_bound(tmp_path, cache_dir, monkeypatch):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = make_folder(tmp_path / "one")
    run(first, tmp_path)
    first_entries = {kind: names(cache_dir, kind) for kind in ("files", "folders")}
    one_run = cache_module.info(cache_dir).size
    second = make_folder(tmp_path / "two", prices=("11.00", "21.00", "31.00"))
    (second / "claims.txt").write_bytes((second / "claims.txt").read_bytes().replace(b"10.00", b"12.00"))
    monkeypatch.setenv("SELLERDX_CACHE_MAX_BYTES", str(one_run + one_run // 2))   # room for one run only
    run(second, tmp_path)
    info = cache_module.info(cache_dir)
    assert info.size <= one_run + one_run // 2
    assert info.entries == 3                                         # the second run's: 2 files + 1 folder
    for kind in ("files", "folders"):
        assert not set(first_entries[kind]) & set(names(cache_dir, kind))   # the first run's are gone


def test_a_bad_size_bound_is_exit_2(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("SELLERDX_CACHE_MAX_BYTES", "a lot")
    result = CliRunner().invoke(main, ["analyze", str(make_folder(tmp_path)), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "error: SELLERDX_CACHE_MAX_BYTES='a lot' is not a size"


@pytest.mark.parametrize(("text", "size"), [("1000", 1000), ("500MB", 500_000_000), ("2GB", 2_000_000_000),
                                            ("1.5 GiB", 1_610_612_736), ("64kb", 64_000)])
def test_sizes(text, size):
    assert cache_module.parse_size(text) == size


# ------------------------------------------------------------------------------------------------ cache info/clear
def test_cache_info_and_clear(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    run(folder, tmp_path)
    history = cache_dir / "history"
    history.mkdir()
    (history / "snapshot.json").write_text("{}")
    size = sum(p.stat().st_size for kind in ("files", "folders") for p in (cache_dir / kind).rglob("*")
               if p.is_file())
    result = CliRunner().invoke(main, ["cache", "info"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [f"location: {cache_dir}", "entries:  3 (1 folders, 2 files)"]
    assert result.stdout.splitlines()[2].startswith("size:     ")
    assert cache_module.info(cache_dir).size == size

    result = CliRunner().invoke(main, ["cache", "clear"])
    assert result.exit_code == 0
    assert result.stdout.startswith("deleted 3 entries (")
    assert not (cache_dir / "files").exists() and not (cache_dir / "folders").exists()
    assert json.loads((history / "snapshot.json").read_text()) == {}   # Amazon's snapshots are not cache
    after = CliRunner().invoke(main, ["cache", "info"])
    assert after.stdout.splitlines()[1] == "entries:  0 (0 folders, 0 files)"


def test_cache_info_of_another_folder(tmp_path, cache_dir):
    other = tmp_path / "elsewhere"
    run(make_folder(tmp_path), tmp_path, f"cache={other}")
    assert not cache_dir.exists()
    result = CliRunner().invoke(main, ["cache", "info", "--cache", str(other)])
    assert result.stdout.splitlines()[:2] == [f"location: {other}", "entries:  3 (1 folders, 2 files)"]
