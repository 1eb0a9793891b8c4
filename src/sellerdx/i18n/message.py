"""Messages composed once and written in any language.

The pipeline (findings, notes, warnings, the Plan of Action) composes its sentences before anyone knows
the reader's language, and a report in Japanese shows a Plan of Action in English. So a composed sentence
is a :class:`Message`: its template (the catalog's msgid: ``"{count:order|orders} were late"``) and typed
fields. It *is* a ``str`` — the English sentence — so code and tests that read it as text see what they
always saw; a renderer writing another language calls :func:`localize` (or the templates' ``t`` filter).

Fields format themselves in the language being written:

* :class:`Count` — ``63,322`` / ``63.322``; ``{count:order|orders}`` picks the plural form of the language
  (forms in CLDR order, ``one|other`` for most of ours; one form for Chinese, Japanese, Vietnamese); a ``#``
  in a form places the number, else it goes first;
* :class:`Rate` (two decimals), :class:`Share` (one decimal), :class:`Percent`;
* :class:`Day`; :class:`Items` (a list joined by the language's pattern);
* :class:`Term` (a word of ours, translated: a metric's name); :class:`Message` (nested, localized);
* anything else (an ASIN, a SKU, a buyer's comment) is data and is never translated.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping
from typing import Any

from sellerdx.i18n import formats
from sellerdx.i18n.active import current, gettext, pgettext, use

_PLURAL_ORDER = ("zero", "one", "two", "few", "many", "other")
# A spec made only of Python's number-format characters (``,``, ``>8``, ``05d``) formats the number; anything
# else is a plural form of the language.
_NUMBER_SPEC = re.compile(r"^[<>=^]?[+\- ]?#?0?\d*[,_]?(\.\d+)?[bcdeEfFgGnoxX%]?$")


class Count(int):
    """A count of things: ``{n}`` -> ``1,234``; ``{n:order|orders}`` -> ``1,234 orders``."""

    def digits(self) -> str:
        """The number as the sentence writes it (thousands separators of the language)."""
        return formats.decimal(int(self))

    def __format__(self, spec: str) -> str:
        number = self.digits()
        if not spec:
            return number
        if "|" not in spec and _NUMBER_SPEC.match(spec):
            return format(int(self), spec)
        forms = spec.split("|")   # one form (Chinese, Japanese, Vietnamese: "{n:件}") or one per plural category
        form = _plural_form(int(self), forms)
        return form.replace("#", number) if "#" in form else f"{number} {form}"


def _plural_form(n: int, forms: list[str]) -> str:
    category = formats.plural_category(n)
    if len(forms) == 1:
        return forms[0]
    if current() == "en":
        return forms[0] if category == "one" else forms[-1]
    from sellerdx.i18n.formats import _babel_locale, _locale  # noqa: PLC0415 - only for plural rules

    tags = [t for t in _PLURAL_ORDER if t in _babel_locale(_locale(None)).plural_form.tags | {"other"}]
    if len(forms) == len(tags):
        return forms[tags.index(category)]
    return forms[0] if category == "one" else forms[-1]


class Rate(float):
    """A rate of orders: two decimals (``2.76%``, ``2,76 %``)."""

    def __format__(self, spec: str) -> str:
        return formats.percent(float(self), 2)


class Share(float):
    """A share of a count, one decimal; 0 is ``0%`` and only what rounds to 100.0 is ``100%``."""

    def __format__(self, spec: str) -> str:
        value = float(self)
        if value == 0:
            return formats.percent(0.0, 0)
        if f"{value * 100:.1f}" == "100.0":
            return formats.percent(1.0, 0)
        return formats.percent(value, 1)


class Percent(float):
    """A percentage with its own decimals: ``Percent(0.04, 2, trim=True)`` -> ``4%``."""

    decimals: int
    trim: bool

    def __new__(cls, value: float, decimals: int = 2, *, trim: bool = False) -> Percent:
        obj = super().__new__(cls, value)
        obj.decimals, obj.trim = decimals, trim
        return obj

    def __format__(self, spec: str) -> str:
        return formats.percent(float(self), self.decimals, trim=self.trim)


class Day(dt.date):
    """A day: ISO in English, the locale's medium form elsewhere."""

    @classmethod
    def of(cls, value: dt.date) -> Day:
        return cls(value.year, value.month, value.day)

    def __format__(self, spec: str) -> str:
        return formats.date(self)


class Items(tuple):
    """A list shown as one phrase: ``a, b and c`` / ``a、b和c``; beyond ``limit`` items "and N more"."""

    limit: int

    def __new__(cls, values: Iterable[Any], limit: int = 6) -> Items:
        obj = super().__new__(cls, tuple(values))
        obj.limit = limit
        return obj

    def __format__(self, spec: str) -> str:
        shown = [format(v, "") if isinstance(v, Message | Term) else str(v) for v in self[: self.limit]]
        if len(self) > self.limit:
            more = Message("{n} more", {"n": Count(len(self) - self.limit)})
            shown.append(localize(more))
        return formats.items(shown)


class Term(str):
    """A word of sellerdx's own (a metric's name, a status): translated where it is shown."""

    context: str | None

    def __new__(cls, value: str, context: str | None = None) -> Term:
        obj = super().__new__(cls, value)
        obj.context = context
        return obj

    def __format__(self, spec: str) -> str:
        return translate(str(self), self.context)


def translate(message: str, context: str | None = None) -> str:
    return pgettext(context, message) if context else gettext(message)


class Message(str):
    """A sentence: a catalog template and typed fields; its ``str`` value is the English sentence."""

    template: str
    fields: Mapping[str, Any]
    context: str | None

    def __new__(cls, template: str, fields: Mapping[str, Any] | None = None, *,
                context: str | None = None) -> Message:
        values = dict(fields or {})
        with use("en"):
            english = _fill(template, values)
        obj = super().__new__(cls, english)
        obj.template, obj.fields, obj.context = template, values, context
        return obj

    def __format__(self, spec: str) -> str:
        return localize(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.fields), self.context))

    def localized(self) -> str:
        if current() == "en":
            return str.__str__(self)
        return _fill(translate(self.template, self.context), self.fields)


def _rebuild(template: str, fields: dict[str, Any], context: str | None) -> Message:
    return Message(template, fields, context=context)


def localize(value: Any) -> Any:
    """A :class:`Message` or :class:`Term` in the language being written; anything else unchanged."""
    if isinstance(value, Message):
        return value.localized()
    if isinstance(value, Term):
        return translate(str(value), value.context)
    return value


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"message template uses unknown field {{{key}}}")


def _fill(template: str, fields: Mapping[str, Any]) -> str:
    return template.format_map(_Fields(fields))


def placeholders(template: str) -> set[str]:
    """The field names a template uses (``{count:order|orders}`` -> ``count``), for the catalog checks."""
    names: set[str] = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None and name != "":
            names.add(name.split(".")[0].split("[")[0])
    return names


__all__ = ["Count", "Day", "Items", "Message", "Percent", "Rate", "Share", "Term", "localize", "placeholders",
           "translate"]
