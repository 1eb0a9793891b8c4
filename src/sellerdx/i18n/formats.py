"""Numbers, percentages, dates and lists in the reader's conventions (Babel / CLDR).

English keeps the exact forms sellerdx has always written (``63,322``, ``2.76%``, ``48.7%``, ISO dates,
"a, b and c"), without importing Babel; every other language follows its locale: ``2,76 %`` and ``63.322`` in
German, ``2,76 %`` with a narrow no-break space in French, ``2026/08/19`` in Japanese, ``2026年8月19日`` in
Chinese. The functions take the active language (:func:`sellerdx.i18n.active.current`) unless told.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from sellerdx.i18n.active import current
from sellerdx.i18n.languages import get


def _locale(code: str | None) -> str:
    return get(code or current()).locale


def _english(code: str | None) -> bool:
    return (code or current()) == "en"


@functools.cache
def _percent_pattern(locale: str, decimals: int) -> Any:
    from babel.numbers import parse_pattern  # noqa: PLC0415 - Babel only for a language other than English

    pattern = parse_pattern(_babel_locale(locale).percent_formats[None].pattern)
    pattern.frac_prec = (decimals, decimals)
    return pattern


def decimal(value: float | int, decimals: int = 0, code: str | None = None) -> str:
    """``63322`` -> ``63,322`` (en) / ``63.322`` (de); ``decimals`` fixed digits after the separator."""
    if _english(code):
        return f"{value:,.{decimals}f}" if decimals or not isinstance(value, int) else f"{value:,}"
    from babel.numbers import format_decimal  # noqa: PLC0415

    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=fmt, locale=_locale(code))


def percent(fraction: float, decimals: int = 2, *, trim: bool = False, code: str | None = None) -> str:
    """A fraction as a percentage with ``decimals`` digits: 0.02764 -> ``2.76%`` / ``2,76 %``.

    ``trim`` drops trailing zeros (``4%``, ``12.5%``)."""
    if _english(code):
        text = f"{fraction * 100:,.{decimals}f}"
        if trim and "." in text:
            text = text.rstrip("0").rstrip(".")
        return f"{text}%"
    if trim:
        text = f"{fraction * 100:.{decimals}f}"
        decimals = len(text.rstrip("0").rstrip(".").partition(".")[2])
    return _percent_pattern(_locale(code), decimals).apply(fraction, _babel_locale(_locale(code)))


@functools.cache
def _babel_locale(locale: str) -> Any:
    from babel import Locale  # noqa: PLC0415

    return Locale.parse(locale)


def date(value: dt.date | dt.datetime, code: str | None = None, *, width: str = "medium") -> str:
    """A day: ISO ``2026-08-19`` in English (what sellerdx has always written); the locale's ``medium``
    form elsewhere (``19.08.2026``, ``2026/08/19``, ``2026年8月19日``)."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if _english(code):
        return day.isoformat()
    from babel.dates import format_date  # noqa: PLC0415

    return format_date(day, format=width, locale=_locale(code))


def month_day(value: dt.date, code: str | None = None) -> str:
    """A short day for chart ticks: ``Aug 19`` / ``19. Aug.`` / ``8月19日``."""
    from babel.dates import format_skeleton  # noqa: PLC0415

    return format_skeleton("MMMd", value, locale="en_US" if _english(code) else _locale(code))


def items(values: Sequence[str], code: str | None = None, *, style: str = "standard") -> str:
    """``a, b and c`` in English; the locale's list pattern elsewhere (``a、b和c``, ``a, b und c``)."""
    values = [str(v) for v in values]
    if not values:
        return ""
    if _english(code):
        return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]
    from babel.lists import format_list  # noqa: PLC0415

    return format_list(values, style=style, locale=_locale(code))


def plural_category(n: float, code: str | None = None) -> str:
    """CLDR plural category of ``n`` in the language (``one``, ``other``, …)."""
    if _english(code):
        return "one" if n == 1 else "other"
    return _babel_locale(_locale(code)).plural_form(n)


__all__ = ["date", "decimal", "items", "month_day", "percent", "plural_category"]
