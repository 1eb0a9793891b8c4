"""Amazon's report is not trusted blindly: impossible counts and windows are named, never used as a rate.

Amazon's own published example has a valid-tracking count (896,462) above its shipment count (878,443),
an on-time count above the shipments with tracking, and a document-request range that ends before it
starts. :func:`check_figure` returns the problems of one figure in words; a figure with impossible counts
keeps its numbers for display but has no usable rate, and one with an impossible window is not
reconciled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Checked:
    """The problems of one of Amazon's figures, and what they rule out."""
    problems: tuple[str, ...] = ()
    counts_valid: bool = True       # False: the rate must not be used
    window_valid: bool = True       # False: the figure cannot be compared on its window


def _n(value: int) -> str:
    return f"{value:,}"


def check_figure(label: str, *, numerator: tuple[str, int | None] | None = None,
                 denominator: tuple[str, int | None] | None = None,
                 parts: Mapping[str, int] | None = None, rate: float | None = None,
                 window: tuple[dt.date | None, dt.date | None] = (None, None)) -> Checked:
    """The impossibilities of one figure: a negative count, a count above its denominator, a part above
    its total, a rate outside 0..1, a reporting range that ends before it starts.

    ``numerator`` / ``denominator`` are ``(Amazon's field name, value)``; ``parts`` are named sub-counts
    of the numerator (ODR: claims, chargebacks, negative feedback; IDR: missing, late invoices).
    """
    problems: list[str] = []
    counts_valid = window_valid = True
    num_name, num = numerator or ("", None)
    den_name, den = denominator or ("", None)
    for name, value in [(num_name, num), (den_name, den), *((k, v) for k, v in (parts or {}).items())]:
        if value is not None and value < 0:
            problems.append(f"{label}: {name} is negative ({_n(value)}), which is impossible")
            counts_valid = False
    if num is not None and den is not None and num > den >= 0:
        problems.append(f"{label}: {num_name} {_n(num)} exceeds {den_name} {_n(den)} — impossible counts "
                        "(a part larger than its whole), so Amazon's rate is not used")
        counts_valid = False
    if num is not None and num >= 0:
        for name, value in (parts or {}).items():
            if value is not None and value > num:
                problems.append(f"{label}: {name} {_n(value)} exceeds {num_name} {_n(num)} — impossible counts")
                counts_valid = False
    if rate is not None and not 0 <= rate <= 1:
        problems.append(f"{label}: rate {rate:g} is outside 0..1 (rates are fractions), which is impossible")
        counts_valid = False
    start, end = window
    if start is not None and end is not None and end < start:
        problems.append(f"{label}: the reporting range ends on {end.isoformat()}, before it starts on "
                        f"{start.isoformat()} — an impossible window, so it is not compared")
        window_valid = False
    return Checked(tuple(problems), counts_valid, window_valid)


__all__ = ["Checked", "check_figure"]
