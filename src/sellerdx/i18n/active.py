"""The language being written now, and the gettext functions that follow it.

The language is a context variable (like Django's ``translation.override`` or Flask-Babel's locale): the
pipeline composes its messages once, language-neutrally (:class:`sellerdx.i18n.message.Message`), and each
renderer writes inside ``with use("ja"):``. Outside any ``use`` block the language is English, so the
library, the tests and every existing output read exactly as before.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from sellerdx.i18n.catalogs import translations
from sellerdx.i18n.languages import Language, default_code, get

_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("sellerdx_lang", default=None)


def current() -> str:
    """The code of the language being written (``"en"`` outside any :func:`use`)."""
    return _CURRENT.get() or default_code()


def language() -> Language:
    return get(current())


@contextlib.contextmanager
def use(code: str | None) -> Iterator[Language]:
    """Write in ``code`` inside the block (``None`` keeps the current language)."""
    token = _CURRENT.set(code or current())
    try:
        yield language()
    finally:
        _CURRENT.reset(token)


def gettext(message: str) -> str:
    if current() == "en" or not message:
        return message
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if current() == "en":
        return singular if n == 1 else plural
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    if current() == "en" or not message:
        return message
    return translations(current()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    if current() == "en":
        return singular if n == 1 else plural
    return translations(current()).npgettext(context, singular, plural, n)


def _(message: str) -> str:
    """Mark and translate a message (the name xgettext and Babel look for)."""
    return gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it now (translated where it is shown)."""
    return message


__all__ = ["N_", "_", "current", "gettext", "language", "ngettext", "npgettext", "pgettext", "use"]
