"""CSV output that is safe to open in a spreadsheet.

A cell from hostile input (a buyer comment, a product name) that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would run as a formula in Excel, LibreOffice or Google Sheets. Such cells are
prefixed with an apostrophe, which spreadsheets show as text. Files are UTF-8 with a BOM so Excel reads
non-ASCII text (Japanese, German) correctly.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralize(value: Any) -> Any:
    """The cell as it may be written: text starting with a formula trigger gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def write_csv(path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a formula-safe CSV; returns the number of data rows written."""
    count = 0
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            # neutralize() inline: a call per cell is most of the time of a big file (evidence.csv)
            writer.writerow(["" if v is None else "'" + v if isinstance(v, str) and v.startswith(_TRIGGERS)
                             else v for v in row])
            count += 1
    return count
