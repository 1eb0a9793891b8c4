"""Babel extraction method for sellerdx's data files: the strings a person reads (``data/i18n.toml``).

Named in ``scripts/i18n.py`` METHOD_MAP for ``src/sellerdx/data/**.toml``;
``python scripts/i18n.py extract`` runs it with Python's and Jinja's extractors into ``locale/sellerdx.pot``.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from sellerdx.assets import load_toml

_IDENTIFIER = re.compile(r"^[^\s]+$")


_WORD = re.compile(r"^[^\W\d_][^\s_./@:]*$")   # one word of a language ("Damaged", "tab"), not a code


def _rules_for(filename: str) -> tuple[list[str], list[str], bool] | None:
    files = load_toml("i18n.toml")["files"]
    path = PurePosixPath(filename.replace("\\", "/"))
    parts = path.parts
    relative = "/".join(parts[parts.index("data") + 1:]) if "data" in parts else path.name
    for pattern, spec in files.items():
        if fnmatch.fnmatch(relative, pattern):
            return list(spec.get("include", [])), list(spec.get("exclude", [])), bool(spec.get("words", False))
    return None


def strings(document: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every string of a TOML document with its dotted path (list positions as ``*``)."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from strings(value, (*path, str(key)))
    elif isinstance(document, list):
        for value in document:
            yield from strings(value, (*path, "*"))
    elif isinstance(document, str):
        yield ".".join(path), document


def translatable(path: str, text: str, include: list[str], exclude: list[str], words: bool = False) -> bool:
    """Whether the string at ``path`` is read by a person; ``words``: a single word ("Damaged") is too (the
    file's ``words = true`` in data/i18n.toml), not only sentences."""
    if not text.strip():
        return False
    if _IDENTIFIER.match(text.strip()) and not (words and _WORD.match(text.strip())):
        return False
    if not any(fnmatch.fnmatchcase(path, p) for p in include):
        return False
    return not any(fnmatch.fnmatchcase(path, p) for p in exclude)


def extract_toml(fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
                 ) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extraction interface: ``(line, funcname, message, comments)`` for each translatable string."""
    raw = fileobj.read()
    rules = _rules_for(getattr(fileobj, "name", ""))
    if rules is None:
        return
    include, exclude, words = rules
    text = raw.decode("utf-8")
    lines = text.splitlines()
    for path, value in strings(tomllib.loads(text)):
        if not translatable(path, value, include, exclude, words):
            continue
        needle = value.splitlines()[0][:40]
        lineno = next((i + 1 for i, line in enumerate(lines) if needle in line), 1)
        yield lineno, None, value, [path]


__all__ = ["extract_toml", "strings", "translatable"]
