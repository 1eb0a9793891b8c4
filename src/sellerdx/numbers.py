"""One number format for every text sellerdx writes (terminal, findings, Plan of Action).

* counts: thousands separators — ``63,322``;
* rates of orders (ODR, cancel, late, a group's defect rate): two decimals — ``2.76%``, ``12.24%``, ``0.00%``;
* shares of a count (the share of a metric's defects a root cause explains): one decimal — ``48.7%``.

``None`` is written ``—``. Python's own formatting (no locale): the report is in English.
"""

from __future__ import annotations

from typing import Any

EMPTY = "—"


def count(value: Any) -> str:
    """``63322`` -> ``"63,322"``; text and ``None`` pass through (``None`` as ``—``)."""
    if value is None:
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return f"{value:,}"


def rate(value: float | None) -> str:
    """A rate as a fraction: ``0.1224`` -> ``"12.24%"`` (always two decimals)."""
    return EMPTY if value is None else f"{value * 100:,.2f}%"


def share(value: float | None) -> str:
    """A share as a fraction: ``0.487`` -> ``"48.7%"``; exactly 0 and 1 are ``0%`` and ``100%``."""
    if value is None:
        return EMPTY
    if value == 0:
        return "0%"
    text = f"{value * 100:.1f}"
    return "100%" if text == "100.0" else f"{text}%"
