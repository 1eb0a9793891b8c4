"""Unusable input: the library raises the specific exception; the CLI exits 2 with one `error:` line naming
the file (and line when there is one), a `  hint:` line, and never a traceback.
"""

from __future__ import annotations

import gzip
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import sellerdx
from sellerdx import ingest
from sellerdx.errors import BadOptionError, MissingColumnError, NoInputError, SellerdxError, UnreadableFileError
from support.command import SELLERDX
from support.exports import (
    FEEDBACK_HEADER,
    ORDERS_HEADER,
    inputs_of,
    oid,
    order_row,
    run_cli,
    table,
    write_orders,
    write_text,
)


# Each case builds a folder under tmp_path and returns (folder argument, extra CLI args).
def _missing(tmp: Path) -> Path:
    return tmp / "does-not-exist"


def _is_a_file(tmp: Path) -> Path:
    return write_orders(tmp / "exports")


def _no_orders(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_text(folder / "feedback.txt", table(FEEDBACK_HEADER, [["9/13/26", "5", "", "", oid(1), ""]]))
    return folder


def _empty_folder(tmp: Path) -> Path:
    folder = tmp / "exports"
    folder.mkdir()
    return folder


def _orders_without_purchase_date(tmp: Path) -> Path:
    folder = tmp / "exports"
    header = tuple(h for h in ORDERS_HEADER if h != "purchase-date")
    write_orders(folder, [order_row(1, header=header)], header=header)
    return folder


def _orders_without_order_status(tmp: Path) -> Path:
    folder = tmp / "exports"
    header = tuple(h for h in ORDERS_HEADER if h != "order-status")
    write_orders(folder, [order_row(1, header=header)], header=header)
    return folder


def _claims_without_order_id(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_orders(folder)
    write_text(folder / "claims.txt", table(("Claim Date", "Claim Reason", "Claim Status", "Claim Amount"),
                                            [["2026-09-10", "Item not received", "Granted", "12.99"]]))
    return folder


def _undecodable_text(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_orders(folder)
    # bytes none of UTF-8, cp1252 (0x81 is undefined), cp932, gb18030, big5 accept (0xFF is no trail byte)
    junk = b"\x81\xff" * 100
    for enc in ("utf-8", "cp1252", "cp932", "gb18030", "big5"):
        with pytest.raises(UnicodeDecodeError):
            junk.decode(enc)
    (folder / "claims.txt").write_bytes(junk)
    return folder


def _bad_utf16_line(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_orders(folder)
    good = table(FEEDBACK_HEADER, [["9/13/26", "5", "ok", "", oid(1), ""]]).encode("utf-16-le")
    bad = "9/14/26\t1\t".encode("utf-16-le") + b"\x00\xd8" + f"\t\t{oid(2)}\t\n".encode("utf-16-le")  # lone surrogate
    (folder / "feedback.txt").write_bytes(b"\xff\xfe" + good + bad)
    return folder


def _damaged_zip(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_orders(folder)
    (folder / "download.zip").write_bytes(b"PK\x03\x04\x14\x00 this is not the rest of a zip")
    return folder


def _damaged_gzip_header(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_orders(folder)
    (folder / "orders-2.txt.gz").write_bytes(b"\x1f\x8b\x08\x00 not deflate data at all")
    return folder


def _truncated_gzip(tmp: Path) -> Path:
    # the first 256 KiB decompress fine (so the header is recognised), the stream ends early
    folder = tmp / "exports"
    write_orders(folder)
    body = table(ORDERS_HEADER, [order_row(i) for i in range(3, 6000)]).encode()
    (folder / "orders-2.txt.gz").write_bytes(gzip.compress(body)[:-200])
    return folder


def _bad_mapping_syntax(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_orders(folder)
    write_text(folder / "sellerdx-mapping.toml", '[claims\norder_id = ["Bestellnr."]\n')
    return folder


def _bad_mapping_kind(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_orders(folder)
    write_text(folder / "sellerdx-mapping.toml", '[claimz]\norder_id = ["Bestellnr."]\n')
    return folder


def _bad_mapping_field(tmp: Path) -> Path:
    folder = tmp / "exports"
    write_orders(folder)
    write_text(folder / "sellerdx-mapping.toml", '[claims]\nbestellnummer = ["Bestellnr."]\n')
    return folder


# (id, builder, exception class, text the file/location part must contain, line or None)
DISCOVERY_CASES: list[tuple[str, Callable[[Path], Path], type[SellerdxError], str, int | None]] = [
    ("folder-missing", _missing, NoInputError, "does-not-exist", None),
    ("folder-is-a-file", _is_a_file, NoInputError, "orders.txt", None),
    ("empty-folder", _empty_folder, NoInputError, "exports", None),
    ("no-orders", _no_orders, NoInputError, "exports", None),
    ("orders-without-purchase-date", _orders_without_purchase_date, MissingColumnError, "orders.txt", None),
    ("orders-without-order-status", _orders_without_order_status, MissingColumnError, "orders.txt", None),
    ("claims-without-order-id", _claims_without_order_id, MissingColumnError, "claims.txt", None),
    ("undecodable-text", _undecodable_text, UnreadableFileError, "claims.txt", None),
    ("damaged-zip", _damaged_zip, UnreadableFileError, "download.zip", None),
    ("damaged-gzip-header", _damaged_gzip_header, UnreadableFileError, "orders-2.txt.gz", None),
    ("mapping-syntax", _bad_mapping_syntax, UnreadableFileError, "sellerdx-mapping.toml", None),
    ("mapping-kind", _bad_mapping_kind, UnreadableFileError, "sellerdx-mapping.toml", None),
    ("mapping-field", _bad_mapping_field, UnreadableFileError, "sellerdx-mapping.toml", None),
]
# Damage found only while reading the rows (after discovery).
LOADING_CASES: list[tuple[str, Callable[[Path], Path], type[SellerdxError], str, int | None]] = [
    ("truncated-gzip", _truncated_gzip, UnreadableFileError, "orders-2.txt.gz", None),
    ("utf16-bad-line", _bad_utf16_line, UnreadableFileError, "feedback.txt", 3),
]
ALL_CASES = DISCOVERY_CASES + LOADING_CASES


@pytest.mark.parametrize(("build", "exc_class", "where", "line"), [c[1:] for c in DISCOVERY_CASES],
                         ids=[c[0] for c in DISCOVERY_CASES])
def test_discovery_raises_the_specific_error(tmp_path, build, exc_class, where, line):
    folder = build(tmp_path)
    with pytest.raises(exc_class) as info:
        ingest.discover(folder)
    err = info.value
    assert where in (err.path or "")
    assert err.hint, "every unusable-input error carries a hint"
    assert "\n" not in str(err)


@pytest.mark.parametrize(("build", "exc_class", "where", "line"), [c[1:] for c in LOADING_CASES],
                         ids=[c[0] for c in LOADING_CASES])
def test_loading_raises_the_specific_error(tmp_path, build, exc_class, where, line):
    folder = build(tmp_path)
    with pytest.raises(exc_class) as info:
        inputs_of(folder)
    err = info.value
    assert where in (err.path or "") and err.hint
    if line is not None:
        assert err.line == line


def test_missing_column_error_names_the_column(tmp_path):
    with pytest.raises(MissingColumnError) as info:
        ingest.discover(_orders_without_order_status(tmp_path))
    assert info.value.column == "order_status"
    assert "order-status" in (info.value.hint or "")


def test_orders_without_purchase_date_names_the_column(tmp_path):
    # The file is plainly an All Orders report (amazon-order-id, order-status, fulfillment-channel, ...):
    # the user must hear that its purchase-date column is missing, not that there is no orders report.
    with pytest.raises(MissingColumnError) as info:
        ingest.discover(_orders_without_purchase_date(tmp_path))
    assert info.value.column == "purchase_ts"
    assert "purchase-date" in (info.value.hint or "") + info.value.message


def assert_cli_error(result, where: str, line: int | None) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.rstrip("\n").split("\n")
    assert 1 <= len(lines) <= 2, lines
    assert lines[0].startswith("error: ") and where in lines[0], lines
    if line is not None:
        assert f"{where}:{line}: " in lines[0], lines
    assert lines[-1].startswith("  hint: "), lines


@pytest.mark.parametrize(("build", "exc_class", "where", "line"), [c[1:] for c in ALL_CASES],
                         ids=[c[0] for c in ALL_CASES])
def test_cli_validate_exit_2_with_one_error_line_and_hint(tmp_path, build, exc_class, where, line):
    folder = build(tmp_path)
    result = run_cli("validate", str(folder))
    assert_cli_error(result, where, line)


def test_cli_bad_as_of(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder)
    result = run_cli("analyze", str(folder), "--as-of", "2026-13-01", "--out", str(tmp_path / "out"))
    assert_cli_error(result, "--as-of", None)
    assert "YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["31/10/2026", "yesterday", "2026-02-30"])
def test_library_bad_as_of(tmp_path, value):
    with pytest.raises(BadOptionError):
        sellerdx.analyze(tmp_path, as_of=value)


@pytest.mark.parametrize("command", ["validate", "analyze"])
def test_cli_unknown_marketplace(tmp_path, command):
    folder = tmp_path / "exports"
    write_orders(folder)
    result = run_cli(command, str(folder), "--marketplace", "XX", *(
        ["--out", str(tmp_path / "out")] if command == "analyze" else []))
    assert_cli_error(result, "--marketplace", None)
    assert "US" in result.stderr and "JP" in result.stderr


def test_library_unknown_marketplace(tmp_path):
    with pytest.raises(BadOptionError):
        sellerdx.analyze(tmp_path, marketplace="Atlantis")
    # lower case is accepted and normalised
    assert sellerdx.analyze(tmp_path, marketplace="de").options.marketplace == "DE"


@pytest.mark.parametrize("build", [_missing, _truncated_gzip, _bad_mapping_syntax],
                         ids=["folder-missing", "truncated-gzip", "mapping-syntax"])
def test_real_command_prints_no_traceback(tmp_path, build):
    folder = build(tmp_path)
    env = {**os.environ, "CI": "1"}
    env.pop("SELLERDX_DEBUG", None)
    proc = subprocess.run([*SELLERDX, "validate", str(folder)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.rstrip("\n").split("\n")
    assert lines[0].startswith("error: ") and 1 <= len(lines) <= 2, lines
    assert lines[-1].startswith("  hint: ")
    assert proc.stdout == ""
