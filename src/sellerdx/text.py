"""Small text helpers shared by every stage: one number format and neutralising untrusted text.

In English (the default, and outside any ``sellerdx.i18n.use`` block) one number format for every text
sellerdx writes; in another language the same functions follow its locale (``sellerdx.i18n.formats``:
``63.322``, ``2,76 %``) (terminal, findings, Plan of Action, report):

* counts: thousands separators — ``63,322`` (:func:`count`);
* rates of orders (ODR, cancel, late, a group's defect rate): two decimals — ``2.76%``, ``12.24%`` (:func:`rate`);
* shares of a count (the share of a metric's defects a root cause explains): one decimal — ``48.7%``
  (:func:`share`).

Nothing here knows about the pipeline; it sits in the bottom layer beside ``model`` and ``assets`` so that
diagnose (statements), render (HTML, POA), the terminal and the CLI format numbers and untrusted values
the same way.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from sellerdx.i18n import formats
from sellerdx.i18n.active import current
from sellerdx.i18n.message import Share

EMPTY = "—"   # shown for a missing value (never 0)
_SIZE_UNITS = {"": 1, "B": 1, "BYTES": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
               "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")
_MARKDOWN = re.compile(r"[`*#|\[\]\\~<>{}]")
_LONE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LEADING = re.compile(r"^[\s\-+=>!:.]+")


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA/NaT are missing (checked without importing pandas)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def percent(value: float | None, digits: int = 2, *, trim: bool = False, missing: str = EMPTY) -> str:
    """A fraction as a percentage with ``digits`` decimals: ``percent(0.02764) -> "2.76%"``.

    ``trim`` drops trailing zeros (``0.04 -> "4%"``, ``0.125 -> "12.5%"``); a missing value gives ``missing``.
    """
    if is_missing(value):
        return missing
    if current() != "en":
        return formats.percent(float(value), digits, trim=trim)  # type: ignore[arg-type]
    text = f"{float(value) * 100:.{digits}f}"  # type: ignore[arg-type]
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def count(value: Any) -> str:
    """``63322`` -> ``"63,322"``; text passes through, ``None`` is ``—``."""
    if value is None:
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return f"{value:,}" if current() == "en" else formats.decimal(value)


def rate(value: float | None, *, missing: str = EMPTY) -> str:
    """A rate as a fraction: ``0.1224`` -> ``"12.24%"`` (always two decimals)."""
    if is_missing(value):
        return missing
    return f"{value * 100:,.2f}%" if current() == "en" else formats.percent(value, 2)  # type: ignore[operator]


def share(value: float | None, *, missing: str = EMPTY) -> str:
    """A share as a fraction, one decimal: ``0.487`` -> ``"48.7%"``; 0 is "0%", and only a share that
    rounds to 100.0 is "100%" (never a misleading "100.0%")."""
    if is_missing(value):
        return missing
    if current() != "en":
        return format(Share(value), "")
    if value == 0:
        return "0%"
    text = f"{value * 100:.1f}"  # type: ignore[operator]
    return "100%" if text == "100.0" else f"{text}%"


def neutralize_text(value: Any, max_len: int = 200) -> str:
    """An untrusted value made inert inside Markdown or plain text: one line, no markup characters.

    Newlines and control characters become spaces; backticks, ``*``, ``#``, ``|``, brackets, braces,
    backslashes, ``~``, ``<`` and ``>`` are removed; underscores survive only inside words (``GL_VASE``);
    list / quote / heading starters at the front are removed; the text is cut to ``max_len`` characters.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL.sub(" ", text)
    text = _MARKDOWN.sub("", text)
    text = _LONE_UNDERSCORE.sub("", text)
    text = " ".join(text.split())
    text = _LEADING.sub("", text)
    if len(text) > max_len:
        text = text[: max_len - 1].rstrip() + "…"
    return text


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 file"``, ``"3 files"``: a count with its noun in the right number."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


__all__ = ["EMPTY", "count", "is_missing", "neutralize_text", "percent", "plural", "rate", "share"]


def parse_size(text: str) -> int:
    """A size in bytes: ``"2GB"`` -> 2000000000, ``"512MiB"``, ``"1000"``; DuckDB's own settings read the
    same way (``"572.2 MiB"``, ``"512 bytes"``). Raises ValueError."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    if not match or match.group(2).upper() not in _SIZE_UNITS:
        raise ValueError(text)
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).upper()])
