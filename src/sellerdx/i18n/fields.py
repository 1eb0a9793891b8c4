"""More typed fields for :class:`sellerdx.i18n.message.Message` (the pipeline's sentences).

* :class:`Plural` — a number that only chooses a word: ``{n:this|these}`` -> ``this`` / ``these`` (the
  language's plural forms, CLDR order as for :class:`~sellerdx.i18n.message.Count`); a ``#`` in a form
  places the number. Lets a translator make a whole phrase agree ("this carrier" / "these carriers")
  instead of gluing "this"/"these" and "s" onto the sentence.
* :class:`Number` — a plain number with fixed decimals in the locale's form (``3.2`` / ``3,2``).
* :class:`Clause` — a nested message written inside another; ``{action:lower}`` lowers its first letter
  (English "We {action:lower}"; a translation that does not want it leaves ``:lower`` out).
"""

from __future__ import annotations

from typing import Any

from sellerdx.i18n import formats
from sellerdx.i18n.message import _plural_form, localize


class Plural(int):
    """``{n:this|these}``: the form for the number, without the number (``#`` in a form places it)."""

    def __format__(self, spec: str) -> str:
        if not spec:
            return formats.decimal(int(self))
        form = _plural_form(int(self), spec.split("|"))
        return form.replace("#", formats.decimal(int(self)))


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


__all__ = ["Clause", "Number", "Plural"]
