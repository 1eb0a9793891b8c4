"""More typed fields for :class:`sellerdx.i18n.message.Message` (the pipeline's sentences).

* :class:`Plural` — a number that only chooses a word: ``{n:this|these}`` -> ``this`` / ``these`` (the
  language's plural forms, CLDR order as for :class:`~sellerdx.i18n.message.Count`); a ``#`` in a form
  places the number. Lets a translator make a whole phrase agree ("this carrier" / "these carriers")
  instead of gluing "this"/"these" and "s" onto the sentence.
* :class:`Number` — a plain number with fixed decimals in the locale's form (``3.2`` / ``3,2``).
* :class:`Clause` — a nested message written inside another; ``{action:lower}`` lowers its first letter
  (English "We {action:lower}"; a translation that does not want it leaves ``:lower`` out).
* :class:`Alternatives` — a list joined with "or" (``Monday or Tuesday``, ``月曜日または火曜日``).
* :class:`Joined` — clauses joined by a separator that is the same in every language (``"; "``).
* :class:`Sentence` — a :class:`Message` tidied after filling: an empty field leaves no double space and no
  space before a full stop (the Plan of Action's templates, whose optional fields may be empty).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sellerdx.i18n import formats
from sellerdx.i18n.active import current, use
from sellerdx.i18n.message import Count, Items, Message, Term, _fill, _plural_form, localize, translate


class Plural(int):
    """``{n:this|these}``: the form for the number, without the number (``#`` in a form places it)."""

    def __format__(self, spec: str) -> str:
        if not spec:
            return formats.decimal(int(self))
        form = _plural_form(int(self), spec.split("|"))
        return form.replace("#", formats.decimal(int(self)))


class Ungrouped(Count):
    """A count written without thousands separators, as some of sellerdx's sentences always have ("40 of
    1414"); ``{n:order|orders}`` picks the plural form like :class:`~sellerdx.i18n.message.Count`."""

    def digits(self) -> str:
        return str(int(self))


class Number(float):
    """A number with ``decimals`` fixed digits: ``Number(3.25, 1)`` -> ``3.2`` / ``3,2``."""

    decimals: int

    def __new__(cls, value: float, decimals: int = 1) -> Number:
        obj = super().__new__(cls, value)
        obj.decimals = decimals
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Number, (float(self), self.decimals))

    def __format__(self, spec: str) -> str:
        if formats._english(None):  # noqa: SLF001 - exactly Python's f"{x:.1f}" in English
            return f"{float(self):.{self.decimals}f}"
        return formats.decimal(float(self), self.decimals)


class Clause(str):
    """A message (or text) written inside another: ``{action}`` as it is, ``{action:lower}`` with its first
    letter in lower case."""

    value: Any

    def __new__(cls, value: Any) -> Clause:
        obj = super().__new__(cls, str(value))
        obj.value = value
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Clause, (self.value,))

    def __format__(self, spec: str) -> str:
        text = str(localize(self.value))
        if spec == "lower":
            return text[:1].lower() + text[1:]
        return text


class Alternatives(Items):
    """A list of alternatives: ``a, b or c`` in English, the locale's "or" pattern elsewhere."""

    def __format__(self, spec: str) -> str:
        shown = [format(v, "") if isinstance(v, Message | Term) else str(v) for v in self[: self.limit]]
        if len(self) > self.limit:
            shown.append(localize(Message("{n} more", {"n": Count(len(self) - self.limit)})))
        if not shown:
            return ""
        if formats._english(None):  # noqa: SLF001
            return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
        from babel.lists import format_list  # noqa: PLC0415

        return format_list(shown, style="or", locale=formats._locale(None))  # noqa: SLF001


def _tidy(text: str) -> str:
    return re.sub(r"\s+\.", ".", re.sub(r" {2,}", " ", text)).strip()


class Sentence(Message):
    """A :class:`Message` whose filled text is tidied: whitespace runs of the template are one space, an
    empty field leaves no double space, and no space stays before a full stop."""

    def __new__(cls, template: str, fields: Mapping[str, Any] | None = None, *,
                context: str | None = None) -> Sentence:
        values = dict(fields or {})
        with use("en"):
            english = _tidy(_fill(" ".join(template.split()), values))
        obj = str.__new__(cls, english)
        obj.template, obj.fields, obj.context = template, values, context
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Sentence, (self.template, dict(self.fields)))

    def localized(self) -> str:
        if current() == "en":
            return str.__str__(self)
        return _tidy(_fill(" ".join(translate(self.template, self.context).split()), self.fields))


class Joined(tuple):
    """Parts (messages or text) written one after the other with a separator that is the same in every
    language (``"; "``): independent clauses, each translated on its own."""

    sep: str

    def __new__(cls, values: Any, sep: str = "; ") -> Joined:
        obj = super().__new__(cls, tuple(values))
        obj.sep = sep
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (tuple(self), self.sep))

    def __format__(self, spec: str) -> str:
        return self.sep.join(str(localize(v)) for v in self)

    def __str__(self) -> str:
        return self.sep.join(str(v) for v in self)


class JoinedText(Message):
    """Several messages as one text, joined by ``sep`` in every language (a metric's notes: "a; b")."""

    parts: tuple[Any, ...]
    sep: str

    def __new__(cls, parts: Any, sep: str = "; ") -> JoinedText:
        parts = tuple(parts)
        obj = str.__new__(cls, sep.join(str(p) for p in parts))
        obj.template, obj.fields, obj.context = "", {}, None
        obj.parts, obj.sep = parts, sep
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (JoinedText, (self.parts, self.sep))

    def localized(self) -> str:
        return self.sep.join(str(localize(p)) for p in self.parts)


def joined(parts: Any, sep: str = "; ") -> Any:
    """One part as it is; several as a :class:`JoinedText`; none as None."""
    parts = [p for p in parts if p]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else JoinedText(parts, sep)


__all__ = ["Alternatives", "Clause", "Joined", "JoinedText", "Number", "Plural", "Sentence", "Ungrouped", "joined"]
