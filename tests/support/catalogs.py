"""Message-catalog helpers the language tests share: a fake catalog built in memory, and every msgid the
sources mark (scripts/i18n.py's own extraction, run once per test session)."""

from __future__ import annotations

import functools
import gettext
import importlib.util
import io
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo

ROOT = Path(__file__).resolve().parent.parent.parent


def fake_catalog(entries: dict[Any, Any], locale: str) -> gettext.GNUTranslations:
    """A compiled catalog of ``entries`` (msgid -> msgstr) for ``locale``, without touching the .po files."""
    catalog = Catalog(locale=locale)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@functools.cache
def marked_messages() -> frozenset[tuple[str, str | None]]:
    """Every (msgid, context) the sources mark today, by the repository's own workflow (scripts/i18n.py)."""
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    found = set()
    for _, _, message, _, context in extract_from_dir(ROOT, script.METHOD_MAP, script.OPTIONS_MAP,
                                                      keywords=script.KEYWORDS, comment_tags=("TRANSLATORS:",)):
        singular = message[0] if isinstance(message, tuple) else message
        if singular and singular.strip():
            found.add((singular, context))
    return frozenset(found)
