"""Reading a file's physical lines into ``raw(line, fields)``: the first step of validation.

Amazon's tab-separated files are read by DuckDB directly: by default the fast way of :mod:`.fields`
(DuckDB's CSV parser splits the fields, a line read numbers them); the exact way, used when the two reads
disagree, reads one text value per physical line with no quote character and splits it on tabs in a
view. Text encodings DuckDB cannot read offline (cp1252, Shift-JIS,
UTF-16) are transcoded to UTF-8 in a streaming pass first; comma/semicolon files re-saved by Excel
(quoted, possibly multi-line) are read with Python's csv module, and workbook sheets cell by cell, both
inserted in batches. Either way ``line`` is the physical line (or sheet row) a record starts on.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

import duckdb
import pyarrow as pa

from sellerdx import workbook
from sellerdx.errors import UnreadableFileError
from sellerdx.ingest import SourceFile
from sellerdx.validate import fields

_BATCH = 50_000              # records per insert when rows are read in Python (quoted CSV, workbook sheets)


def _transcode_to_temp(src: SourceFile, encoding: str, tmpdir: str) -> str:
    """Stream ``src`` decoded from ``encoding`` into a UTF-8 temp file; errors name the line."""
    out_path = os.path.join(tmpdir, f"transcoded-{abs(hash(src.path))}.txt")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with src.location.open() as stream, open(out_path, "w", encoding="utf-8", newline="") as out:
        while True:
            try:
                chunk = stream.read(1 << 20)
            except (OSError, EOFError, zlib.error) as exc:
                raise UnreadableFileError(f"is damaged after line {line} ({exc})", path=src.path,
                                          hint="download the report again from Seller Central") from None
            final = not chunk
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                good = chunk[: exc.start]
                bad_line = line + good.count(b"\n")
                raise UnreadableFileError(
                    f"byte 0x{chunk[exc.start]:02x} cannot be read as {encoding}", path=src.path, line=bad_line,
                    hint="the file mixes encodings or is damaged; download it again from Seller Central") from None
            line += chunk.count(b"\n")
            out.write(text.lstrip("\ufeff") if out.tell() == 0 else text)
            if final:
                break
    return out_path


def _load_tsv_lines(con: duckdb.DuckDBPyConnection, path: str, gzipped: bool) -> None:
    """Every physical line of a UTF-8 file as one text value; ``rowid`` + 1 is its line number."""
    # Insertion order is kept for this statement (the session drops it, store._configure): without it a
    # big file's lines are stored in the order the threads finish, and rowid is no longer the line.
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw_lines AS SELECT line AS text FROM read_csv($path, "
            "columns = {'line': 'VARCHAR'}, delim = $delim, header = false, quote = '', escape = '', "
            "auto_detect = false, strict_mode = false, compression = $comp)",
            {"path": path, "delim": "\x00", "comp": "gzip" if gzipped else "none"})
    finally:
        con.execute("SET preserve_insertion_order = false")
    # A view, not a table: the fields are split once, straight into ``parsed`` (one full copy fewer).
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT rowid + 1 AS line, "
                "string_split(text, chr(9)) AS fields FROM raw_lines "
                "WHERE text IS NOT NULL AND trim(text) <> ''")


def drop_header(con: duckdb.DuckDBPyConnection, header_line: int) -> None:
    """Remove the header (and any blank lines before it) so ``raw`` holds data lines only."""
    table = "raw_lines" if table_exists(con, "raw_lines") else "raw"
    where = "rowid + 1 <= $h" if table == "raw_lines" else "line <= $h"
    con.execute(f"DELETE FROM {table} WHERE {where}", {"h": header_line})


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $n",
                            {"n": name}).fetchone()[0])


def drop_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Drop ``raw`` (a view over ``raw_lines`` for TSV files, a table for quoted CSV) and ``raw_lines``."""
    for name, kind in con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                  "WHERE table_name IN ('raw', 'raw_lines') ORDER BY table_name").fetchall():
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")


def _csv_records(src: SourceFile, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, fields) of each record of a quoted comma/semicolon file."""
    with src.location.open() as stream:
        text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text, delimiter=src.delimiter, quotechar='"')
        start = 1
        try:
            for record in reader:
                if any(cell.strip() for cell in record):
                    yield start, record
                start = reader.line_num + 1
        except UnicodeDecodeError:
            raise UnreadableFileError(f"cannot be read as {encoding}", path=src.path, line=start,
                                      hint="download the report again or save it as 'CSV UTF-8'") from None
        except csv.Error as exc:
            raise UnreadableFileError(f"is not valid CSV ({exc})", path=src.path, line=start,
                                      hint="an unclosed quote? save it again from Excel as CSV") from None


def _load_csv_lines(con: duckdb.DuckDBPyConnection, src: SourceFile, encoding: str) -> None:
    _load_records(con, _csv_records(src, encoding))


def _sheet_records(src: SourceFile) -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cells as text) of a workbook sheet; a row is padded with empty cells to the
    header's width (a spreadsheet drops trailing empty cells), never cut (extra cells stay a problem)."""
    width = len(src.header)
    try:
        for line, cells in workbook.sheet_rows(src.location, src.location.sheet or ""):
            yield line, cells + [""] * (width - len(cells))
    except workbook.WorkbookError as exc:
        raise UnreadableFileError(f"cannot be read ({exc})", path=src.path,
                                  hint="open the workbook in Excel and save it again") from None


def _load_records(con: duckdb.DuckDBPyConnection, records: Iterator[tuple[int, list[str]]]) -> None:
    """Fill ``raw(line, fields)`` from (line, fields) records, in batches."""
    con.execute("CREATE OR REPLACE TEMP TABLE raw (line BIGINT, fields VARCHAR[])")
    lines: list[int] = []
    fields: list[list[str]] = []

    def flush() -> None:
        if lines:
            batch = pa.table({"line": pa.array(lines, pa.int64()), "fields": pa.array(fields, pa.list_(pa.string()))})
            con.register("_batch", batch)
            con.execute("INSERT INTO raw SELECT line, fields FROM _batch")
            con.unregister("_batch")
            lines.clear()
            fields.clear()

    for line, record in records:
        lines.append(line)
        fields.append(record)
        if len(lines) >= _BATCH:
            flush()
    flush()


@dataclass(frozen=True)
class RawRead:
    """How a file was read. ``fast``: a UTF-8 tab file whose fields DuckDB's parser splits
    (:mod:`.fields`; only ``raw_lines`` is loaded so far); otherwise ``raw(line, fields)`` holds every
    record. ``path``/``gzipped``: the UTF-8 file DuckDB reads; ``temp``: that file is a transcoded copy,
    deleted by :func:`release`. ``lines``: a fast file's physical lines when none is empty or blank (the
    parser alone can number them; nothing is loaded yet), else None (``raw_lines`` is loaded)."""
    encoding: str
    fast: bool = False
    path: str = ""
    gzipped: bool = False
    temp: bool = False
    lines: int | None = None


def release(read: RawRead) -> None:
    """Delete the transcoded copy of a file, if one was made."""
    if read.temp:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(read.path)


def read_exact(con: duckdb.DuckDBPyConnection, read: RawRead) -> RawRead:
    """Re-read a tab file of the fast path the exact way (one record per physical line, split in SQL)."""
    drop_raw(con)
    _load_tsv_lines(con, read.path, read.gzipped)
    return replace(read, fast=False)


def read_raw(con: duckdb.DuckDBPyConnection, src: SourceFile, tmpdir: str, *, exact: bool = False) -> RawRead:
    """Read one file: the fast path for UTF-8 (or transcoded) tab files unless ``exact``, else ``raw``.

    The caller calls :func:`release` when done with the file.
    """
    drop_raw(con)
    encoding = src.encoding
    if src.location.sheet is not None:
        _load_records(con, _sheet_records(src))
        return RawRead(encoding)
    if src.delimiter != "\t":
        _load_csv_lines(con, src, "utf-8-sig" if encoding == "utf-8" else encoding)
        return RawRead(encoding)
    loc = src.location
    width = len(src.header)
    if encoding in ("utf-8", "utf-8-sig") and loc.member is None:
        read = RawRead(encoding, fast=not exact, path=loc.disk_path, gzipped=loc.gzipped)
        try:
            if exact:
                _load_tsv_lines(con, loc.disk_path, loc.gzipped)
                return read
            return _fast_lines(con, read, width)
        except duckdb.InterruptException:
            raise                # Ctrl-C during the read: not a damaged file
        except duckdb.Error as exc:
            if "unicode" not in str(exc).lower() and "utf" not in str(exc).lower():
                raise UnreadableFileError(f"cannot be read ({str(exc).splitlines()[0]})", path=src.path,
                                          hint="download the report again from Seller Central") from None
            # Valid UTF-8 at the start, not further on: the file is in a legacy encoding after all.
            encoding = "cp1252"
    try:
        path = _transcode_to_temp(src, encoding, tmpdir)
    except UnreadableFileError:
        if not encoding.startswith("utf-8"):
            raise
        # Valid UTF-8 in the sample, not further on: the file is in a legacy encoding after all.
        encoding = "cp1252"
        path = _transcode_to_temp(src, encoding, tmpdir)
    read = RawRead(encoding, fast=not exact, path=path, temp=True)
    try:
        if exact:
            _load_tsv_lines(con, path, gzipped=False)
            return read
        return _fast_lines(con, read, width)
    except BaseException:
        release(read)
        raise


def _fast_lines(con: duckdb.DuckDBPyConnection, read: RawRead, width: int) -> RawRead:
    """Count a fast file's lines (one read will do when none is empty or blank), else load ``raw_lines``."""
    small = os.path.getsize(read.path) < fields.ONE_READ_MIN_BYTES
    lines = None if small else fields.count_lines(con, read.path, read.gzipped, width)
    if lines is None:
        fields.load_lines(con, read.path, read.gzipped, width)
    return replace(read, lines=lines)


def load_lines(con: duckdb.DuckDBPyConnection, read: RawRead, width: int) -> RawRead:
    """The fast file's line read (``raw_lines``), for the two-read path when the one-read path cannot take it."""
    fields.load_lines(con, read.path, read.gzipped, width)
    return replace(read, lines=None)
