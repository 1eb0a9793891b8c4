"""samplegen at scale: a folder bigger than ``BLOCK_ORDERS`` is simulated block by block, each block's rows
appended to the same files, so memory stays flat in the number of orders (docs/performance.md,
"samplegen at scale"). These tests shrink the block to a few hundred orders and check that the folder is
still one consistent folder: one header per file, every order once, the manifest's counts adding up over
the blocks and sellerdx recomputing exactly the expected metrics the generator summed block by block.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pytest

import sellerdx
import sellerdx.samplegen as samplegen
from sellerdx.samplegen import ORDERS_HEADER, SampleSpec, generate

ORDERS = 1000
BLOCK = 300                     # -> blocks of 300, 300, 300, 100 orders


def _text(folder: Path, entry: dict) -> str:
    path = folder / entry["path"]
    if entry.get("member"):
        with zipfile.ZipFile(path) as zf:
            data = zf.read(entry["member"])
    else:
        data = path.read_bytes()
        if entry.get("compression") == "gzip":
            data = gzip.decompress(data)
    return data.decode(entry["encoding"])


def _rows(folder: Path, entry: dict) -> list[list[str]]:
    text = _text(folder, entry)
    if entry["delimiter"] == "\t":
        return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=entry["delimiter"]))


@pytest.fixture(scope="module")
def blocked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("blocks")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(samplegen, "BLOCK_ORDERS", BLOCK)
        manifest = generate(folder, SampleSpec(n_orders=ORDERS, damaged_rows=2))
    return folder, manifest


def test_one_header_per_file_and_rows_add_up_over_blocks(blocked: tuple[Path, dict]) -> None:
    folder, manifest = blocked
    tables = [e for e in manifest["files"] if e["rows"] is not None]
    assert len({e["path"] for e in manifest["files"]}) == len(manifest["files"])     # each file listed once
    for entry in tables:
        rows = _rows(folder, entry)
        assert len(rows) - 1 == entry["rows"], entry["path"]
        assert rows.count(rows[0]) == 1, entry["path"]                                  # the header once


def test_every_order_once_with_a_unique_id(blocked: tuple[Path, dict]) -> None:
    folder, manifest = blocked
    assert manifest["orders"]["orders"] == ORDERS
    ids: set[str] = set()
    # with two overlapping exports an order may be in both; the newer one holds every order of its period
    for entry in (e for e in manifest["files"] if e["kind"] == "orders"):
        rows = _rows(folder, entry)
        col = rows[0].index(ORDERS_HEADER[0])
        ids |= {r[col] for r in rows[1:] if len(r) == len(rows[0]) and r[col] != "123-45"}
    assert len(ids) == ORDERS
    assert manifest["orders"]["orders_in_both_exports"] > 0
    # the damaged copies come from the first block only
    assert len(manifest["damaged_rows"]) == 2
    assert {d["path"] for d in manifest["damaged_rows"]} <= {e["path"] for e in manifest["files"]}


def test_counts_of_the_manifest_are_sums_over_blocks(blocked: tuple[Path, dict]) -> None:
    _, manifest = blocked
    # every planted problem still counts its orders (each block plants its share)
    for problem in manifest["problems"]:
        assert all(isinstance(v, int) and v >= 0 for v in problem["counts"].values()), problem["code"]
    stockout = next(p for p in manifest["problems"] if p["code"] == "cancellation.stockout")
    assert stockout["counts"]["orders_with_sku"] >= stockout["counts"]["cancelled_no_inventory"] > 0
    for key, m in manifest["expected_metrics"].items():
        assert m["rate"] == (m["numerator"] / m["denominator"] if m["denominator"] else None), key


def test_sellerdx_recomputes_the_summed_expected_metrics(blocked: tuple[Path, dict], tmp_path: Path) -> None:
    folder, manifest = blocked
    analysis = sellerdx.analyze(folder, out=str(tmp_path), cache=False)
    for key, expected in manifest["expected_metrics"].items():
        m = analysis.metric(key)
        assert (m.numerator, m.denominator) == (expected["numerator"], expected["denominator"]), key
        assert [str(m.window_start), str(m.window_end)] == expected["window"], key
