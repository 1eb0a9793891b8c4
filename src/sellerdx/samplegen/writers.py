"""Writing a report file: header plus one line per row, in chunks, straight from Arrow buffers, with
deliberately damaged copies of chosen rows; :class:`FolderWriter` records every file for the manifest."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sellerdx.samplegen.columns import Col, join
from sellerdx.samplegen.seller import Seller

_CHUNK = 200_000


@dataclass
class Damage:
    """A damaged copy of data row ``after`` (0-based), inserted right after it."""
    after: int
    reason: str
    column: str | None = None      # header of the field replaced by ``value``
    value: str | None = None
    keep_fields: int = 0           # > 0: truncate the line to this many fields


@dataclass
class Written:
    rows: int
    damaged_lines: list[tuple[int, Damage]] = field(default_factory=list)


def _quote(arr: pa.Array) -> pa.Array:
    return join(["\"", pc.replace_substring(pc.fill_null(arr, ""), "\"", "\"\""), "\""])


def _quote_py(value: str) -> str:
    return "\"" + value.replace("\"", "\"\"") + "\""


def _write_lines(dest: BinaryIO, lines: pa.Array, encoding: str) -> int:
    """Write a slice of newline-terminated lines straight from the Arrow buffer; return how many."""
    if not len(lines):
        return 0
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    data = lines.buffers()[2][offsets[0]:offsets[-1]]
    dest.write(data if encoding == "utf-8" else bytes(data).decode("utf-8").encode(encoding))
    return len(lines)


def write_table(dest: BinaryIO, header: Sequence[str] | None, cols: Sequence[Col], idx: np.ndarray, *,
                encoding: str, delimiter: str = "\t", quote_all: bool = False, newline: str = "\n",
                damages: Sequence[Damage] = (), line_no: int = 1) -> Written:
    """Write header + one line per row of ``idx`` (row selector passed to every column), in chunks.

    ``header`` None appends rows to a file whose last line so far is ``line_no`` (the header is line 1)."""
    def enc(text: str) -> bytes:
        return text.encode(encoding)

    if header is not None:
        head = [(_quote_py(h) if quote_all else h) for h in header]
        dest.write(enc(delimiter.join(head) + newline))
    by_row: dict[int, list[Damage]] = {}
    for d in damages:
        by_row.setdefault(d.after, []).append(d)
    written = Written(rows=len(idx))
    n = len(idx)
    for a in range(0, max(n, 1), _CHUNK):
        b = min(n, a + _CHUNK)
        if b <= a:
            break
        sub = idx[a:b]
        fields = [c(sub) for c in cols]
        if quote_all:
            fields = [_quote(f) for f in fields]
        lines = join([join(fields, delimiter), ""], newline)
        start = a
        for r in sorted(r for r in by_row if a <= r < b):
            line_no += _write_lines(dest, lines.slice(start - a, r + 1 - start), encoding)
            start = r + 1
            for dmg in by_row[r]:
                row = [f[0].as_py() or "" for f in (c(idx[r:r + 1]) for c in cols)]
                if dmg.column is not None and header is not None:
                    row[list(header).index(dmg.column)] = dmg.value or ""
                if dmg.keep_fields:
                    row = row[:dmg.keep_fields]
                text = delimiter.join(_quote_py(v) for v in row) if quote_all else delimiter.join(row)
                dest.write(enc(text + newline))
                line_no += 1
                written.damaged_lines.append((line_no, dmg))
                written.rows += 1
        line_no += _write_lines(dest, lines.slice(start - a, b - start), encoding)
    return written


@dataclass
class _OpenTable:
    """A table file being written: its stream(s), its manifest entry and its last line number."""
    streams: list[BinaryIO]
    entry: dict[str, Any]
    line_no: int


class FolderWriter:
    """Writes the folder's files and records each for the manifest.

    A table stays open until :meth:`close`: the seller of every block of orders appends its rows to the
    same files (``generate`` simulates a big folder block by block, so memory does not grow with it)."""

    def __init__(self, out: Path, seller: Seller) -> None:
        self.out = out
        self.s = seller
        self.spec = seller.spec
        self.enc = seller.v["encoding"]
        self.files: list[dict[str, Any]] = []
        self.damaged: list[dict[str, Any]] = []
        self._open: dict[str, _OpenTable] = {}

    def record(self, path: str, kind: str, written: Written | None, *, encoding: str, delimiter: str | None,
               **extra: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": path, "kind": kind, "encoding": encoding, "delimiter": delimiter,
                                 "rows": None if written is None else written.rows}
        entry.update(extra)
        self.files.append(entry)
        if written is not None:
            self._damaged(path, written)
        return entry

    def _damaged(self, path: str, written: Written) -> None:
        for line, d in written.damaged_lines:
            self.damaged.append({"path": path, "line": line, "reason": d.reason, "column": d.column,
                                 "value": d.value})

    def table(self, name: str, kind: str, header: Sequence[str], cols: Sequence[Col], idx: np.ndarray, *,
              delimiter: str = "\t", quote_all: bool = False, newline: str = "\n",
              damages: Sequence[Damage] = (), compress: str | None = None, **extra: Any) -> Written:
        """Write the rows ``idx`` to the table ``name``: created (with its header) on the first call,
        appended to on the next ones (the next block of orders)."""
        damages = sorted(damages, key=lambda d: d.after)
        table = self._open.get(name)
        if table is None:
            path = self.out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = open(path, "wb")  # closed by close(), after the last block
            streams: list[BinaryIO] = [raw]
            if compress == "gzip":
                streams.insert(0, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6))
            written = write_table(streams[0], header, cols, idx, encoding=self.enc, delimiter=delimiter,
                                  quote_all=quote_all, newline=newline, damages=damages)
            entry = self.record(name, kind, written, encoding=self.enc, delimiter=delimiter, compression=compress,
                                **extra)
            self._open[name] = _OpenTable(streams, entry, 1 + written.rows)
            return written
        written = write_table(table.streams[0], None, cols, idx, encoding=self.enc, delimiter=delimiter,
                              quote_all=quote_all, newline=newline, damages=damages, line_no=table.line_no)
        table.line_no += written.rows
        table.entry["rows"] += written.rows
        self._damaged(name, written)
        if "purchase_dates" in extra and extra["purchase_dates"]:
            have = table.entry.get("purchase_dates")
            new = extra["purchase_dates"]
            table.entry["purchase_dates"] = new if not have else [min(have[0], new[0]), max(have[1], new[1])]
        return written

    def close(self) -> None:
        """Close every table (a gzip stream before its file)."""
        for table in self._open.values():
            for stream in table.streams:
                stream.close()
        self._open.clear()
