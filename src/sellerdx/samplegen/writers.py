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


def write_table(dest: BinaryIO, header: Sequence[str], cols: Sequence[Col], idx: np.ndarray, *,
                 encoding: str, delimiter: str = "\t", quote_all: bool = False, newline: str = "\n",
                 damages: Sequence[Damage] = ()) -> Written:
    """Write header + one line per row of ``idx`` (row selector passed to every column), in chunks."""
    def enc(text: str) -> bytes:
        return text.encode(encoding)

    head = [(_quote_py(h) if quote_all else h) for h in header]
    dest.write(enc(delimiter.join(head) + newline))
    by_row: dict[int, list[Damage]] = {}
    for d in damages:
        by_row.setdefault(d.after, []).append(d)
    written = Written(rows=len(idx))
    line_no = 1
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
                if dmg.column is not None:
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



class FolderWriter:
    def __init__(self, out: Path, seller: Seller) -> None:
        self.out = out
        self.s = seller
        self.spec = seller.spec
        self.enc = seller.v["encoding"]
        self.files: list[dict[str, Any]] = []
        self.damaged: list[dict[str, Any]] = []

    def record(self, path: str, kind: str, written: Written | None, *, encoding: str, delimiter: str | None,
                **extra: Any) -> None:
        entry: dict[str, Any] = {"path": path, "kind": kind, "encoding": encoding, "delimiter": delimiter,
                                 "rows": None if written is None else written.rows}
        entry.update(extra)
        self.files.append(entry)
        if written is not None:
            for line, d in written.damaged_lines:
                self.damaged.append({"path": path, "line": line, "reason": d.reason, "column": d.column,
                                     "value": d.value})

    def table(self, name: str, kind: str, header: Sequence[str], cols: Sequence[Col], idx: np.ndarray, *,
              delimiter: str = "\t", quote_all: bool = False, newline: str = "\n",
              damages: Sequence[Damage] = (), compress: str | None = None, **extra: Any) -> Written:
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        damages = sorted(damages, key=lambda d: d.after)
        if compress == "gzip":
            with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                         compresslevel=6) as gz:
                written = write_table(gz, header, cols, idx, encoding=self.enc, delimiter=delimiter,
                                       quote_all=quote_all, newline=newline, damages=damages)
        else:
            with open(path, "wb") as fh:
                written = write_table(fh, header, cols, idx, encoding=self.enc, delimiter=delimiter,
                                       quote_all=quote_all, newline=newline, damages=damages)
        self.record(name, kind, written, encoding=self.enc, delimiter=delimiter, compression=compress,
                     **extra)
        return written
