"""The message catalogs: gettext ``.po`` sources in ``src/sellerdx/locale/<lang>/LC_MESSAGES/sellerdx.po``,
compiled by Babel.

``scripts/i18n.py compile`` (run by ``scripts/setup.sh`` and by the wheel build) writes each ``sellerdx.mo``
beside its ``.po``; a catalog whose ``.mo`` is missing or older than its ``.po`` (a source checkout after an
edit) is compiled in memory with Babel instead, so a translator sees an edit at once. English is the source
language and has no catalog: its messages are the msgids.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
from importlib import resources
from importlib.resources.abc import Traversable

DOMAIN = "sellerdx"


def locale_dir() -> Traversable:
    return resources.files("sellerdx") / "locale"


def po_file(code: str) -> Traversable:
    return locale_dir() / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _mtime(entry: Traversable) -> float | None:
    try:
        return os.stat(str(entry)).st_mtime
    except OSError:
        return None


def compile_po(data: bytes) -> bytes:
    """A ``.po`` file's bytes compiled to ``.mo`` bytes with Babel (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - Babel only when a catalog is compiled
    from babel.messages.pofile import read_po  # noqa: PLC0415

    catalog = read_po(io.BytesIO(data), abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalog of language ``code``; English (and a language with no catalog) is the identity."""
    po = po_file(code)
    if not po.is_file():
        return gettext.NullTranslations()
    mo = po.parent / f"{DOMAIN}.mo"
    po_time, mo_time = _mtime(po), _mtime(mo) if mo.is_file() else None
    if mo_time is not None and (po_time is None or mo_time >= po_time):
        data = mo.read_bytes()
    else:
        data = compile_po(po.read_bytes())
    return gettext.GNUTranslations(io.BytesIO(data))


__all__ = ["DOMAIN", "compile_po", "locale_dir", "po_file", "translations"]
