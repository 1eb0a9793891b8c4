"""Hashing a folder's files side by side (paths.hash_files) gives each file the SHA-256 it had one by one,
so content keys (duplicates, the cache's entries) do not change. Expected digests are hashlib's of the
same bytes, computed here directly."""

from __future__ import annotations

import hashlib

import pytest

from sellerdx import ingest, paths


def test_every_file_gets_its_own_sha256_whatever_the_number_of_threads(tmp_path):
    contents = {"empty.txt": b"", "small.txt": b"order-id\tsku\n", "big.txt": b"x" * (3 * (1 << 20) + 7),
                "other.txt": bytes(range(256)) * 5000}
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    want = {str(tmp_path / n): hashlib.sha256(d).hexdigest() for n, d in contents.items()}
    assert want[str(tmp_path / "empty.txt")] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    for workers in (1, 2, 4, None):
        futures = paths.hash_files(list(want), workers=workers)
        assert {p: f.result() for p, f in futures.items()} == want
    assert {p: paths.file_sha256(p) for p in want} == want      # one by one: the same keys
    assert paths.hash_files([]) == {}


def test_an_unreadable_file_raises_its_error_from_its_result(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"a")
    futures = paths.hash_files([tmp_path / "a.txt", tmp_path / "gone.txt"])
    assert futures[str(tmp_path / "a.txt")].result() == hashlib.sha256(b"a").hexdigest()
    with pytest.raises(FileNotFoundError):
        futures[str(tmp_path / "gone.txt")].result()


ORDERS = ("amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t"
          "fulfillment-channel\tsales-channel\tship-service-level\tproduct-name\tsku\tasin\titem-status\t"
          "quantity\tcurrency\titem-price\n"
          "111-0000000-0000001\t\t2026-09-01T10:00:00+00:00\t2026-09-02T10:00:00+00:00\tShipped\tMerchant\t"
          "Amazon.com\tStandard\tMug\tSKU-1\tB000000001\tShipped\t1\tUSD\t10.00\n")


def test_discovery_keys_files_by_the_same_hash_and_still_skips_identical_copies(tmp_path):
    folder = tmp_path / "exports"
    (folder / "older").mkdir(parents=True)
    (folder / "orders.txt").write_text(ORDERS, encoding="utf-8")
    (folder / "older" / "orders copy.txt").write_text(ORDERS, encoding="utf-8")   # the same bytes
    (folder / ".hidden.txt").write_text(ORDERS, encoding="utf-8")
    inventory = ingest.discover(folder)
    [src] = inventory.sources
    assert src.path == "orders.txt"
    assert src.content_hash == hashlib.sha256(ORDERS.encode()).hexdigest()
    assert [(s.path, s.reason) for s in inventory.skipped] == [
        (".hidden.txt", "hidden or system file"), ("older/orders copy.txt", "identical copy of orders.txt")]


def test_a_cache_entry_manifest_holds_each_files_sha256_and_a_changed_byte_in_any_file_is_caught(tmp_path):
    import json

    from sellerdx import cache

    entry = tmp_path / "entry"
    entry.mkdir()
    files = {"data.duckdb": b"D" * 300_000, "reports.json": b"[]", "stage.parquet": b"P" * 5000}
    for name, data in files.items():
        (entry / name).write_bytes(data)
    cache.write_manifest(entry)
    manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert manifest == {n: {"size": len(d), "sha256": hashlib.sha256(d).hexdigest()} for n, d in files.items()}
    assert cache.verify(entry) is None
    (entry / "stage.parquet").write_bytes(b"P" * 4999 + b"Q")      # same size, one byte changed
    assert cache.verify(entry) == "stage.parquet does not match its checksum"
