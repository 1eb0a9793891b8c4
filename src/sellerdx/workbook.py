"""Excel workbooks (``.xlsx``) read as reports, one sheet at a time.

Sellers open a download in Excel and save it as a workbook. Each sheet is recognised like a text export
(``recognise``) and, when it is a report, read row by row into the same ``raw(line, fields)`` table as a
text file, so validation and quarantine are the same; a line number is the sheet's row number and the
file is named ``book.xlsx [Sheet1]``.

python-calamine reads the workbook: a Rust reader, fast on big sheets, read-only, that returns each cell's
stored value (formulas are never evaluated, macros never run). Cells are typed — numbers as floats, dates as
``datetime`` — and are turned back into the text forms the validators accept without losing information:
``3.0`` becomes ``"3"``, ``12.99`` stays ``"12.99"``, a date ``"2026-09-01"``, a date and time
``"2026-09-01 10:05:00"``; text (an order id) stays exactly as stored.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ingest import Location

SUFFIXES = frozenset({".xlsx", ".xlsm"})


class WorkbookError(Exception):
    """The workbook cannot be opened (damaged, encrypted, not really a workbook)."""


def cell_text(value: Any) -> str:
    """A typed cell as the text an export would have held."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 2 ** 53:
            return str(int(value))          # a quantity 3.0 is "3"; a long number keeps every digit
        text = repr(value)                  # the shortest text that reads back as the same float
        return format(Decimal(text), "f") if "e" in text or "E" in text else text
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="microseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _open(location: Location) -> Any:
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 - only when a folder holds a workbook
    try:
        if location.member is None and not location.gzipped:
            return CalamineWorkbook.from_path(location.disk_path)
        with location.open() as stream:
            return CalamineWorkbook.from_filelike(io.BytesIO(stream.read()))
    except Exception as exc:  # calamine raises its own errors for damaged, encrypted or foreign files
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkbookError(message[:160]) from None


def sheet_names(location: Location) -> list[str]:
    """The names of the workbook's worksheets, in order."""
    return list(_open(location).sheet_names)


def _trimmed(row: list[Any]) -> list[str]:
    cells = [cell_text(v) for v in row]
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def sheet_rows(location: Location, sheet: str) -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cells as text) of every non-blank row; trailing empty cells dropped."""
    book = _open(location)
    try:
        rows = book.get_sheet_by_name(sheet).iter_rows()
    except Exception as exc:
        raise WorkbookError(str(exc)[:160]) from None
    # iter_rows starts at the sheet's first row (row 1), even when the used area starts lower.
    for number, row in enumerate(rows, start=1):
        cells = _trimmed(list(row))
        if cells:
            yield number, cells


def first_rows(location: Location, sheet: str, n: int) -> list[tuple[int, list[str]]]:
    """The first ``n`` non-blank rows of a sheet (for recognition)."""
    out: list[tuple[int, list[str]]] = []
    for item in sheet_rows(location, sheet):
        out.append(item)
        if len(out) >= n:
            break
    return out
