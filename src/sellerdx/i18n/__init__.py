"""sellerdx in the reader's language: gettext catalogs (compiled by Babel), the language being written,
messages composed once and localized where they are shown, numbers and dates in the locale's conventions.

Contributor guide: docs/i18n.md. In short:

* Python: ``from sellerdx.i18n import _`` for a fixed text shown now; ``N_`` to mark a text translated later;
  :class:`Message` (``Message("{count:order|orders} were late", {"count": Count(n)})``) for a sentence the
  pipeline composes and a renderer writes.
* Templates: Jinja's i18n extension (``{% trans %}``, ``_()``) and the ``t`` filter for a Message or a Term.
* Data (TOML): the keys listed in ``data/i18n.toml`` are extracted into the catalog by
  :func:`sellerdx.i18n.extract.extract_toml` and translated where they are shown.
"""

from __future__ import annotations

from sellerdx.i18n.active import N_, _, current, gettext, language, ngettext, npgettext, pgettext, use
from sellerdx.i18n.languages import Choice, Language, codes, languages, poa_codes, resolve
from sellerdx.i18n.message import (
    Count,
    Day,
    Items,
    Message,
    Percent,
    Rate,
    Share,
    Term,
    localize,
    placeholders,
    translate,
)

__all__ = [
    "N_", "Choice", "Count", "Day", "Items", "Language", "Message", "Percent", "Rate", "Share", "Term", "_",
    "codes", "current", "gettext", "language", "languages", "localize", "ngettext", "npgettext", "pgettext",
    "placeholders", "poa_codes", "resolve", "translate", "use",
]
