"""The Plan of Action skeleton (Markdown) and the evidence CSV.

``render_poa`` fills ``templates/poa.md.j2`` from the metrics and findings; ``write_evidence_csv`` lists
every order behind the findings. Strings that come from the seller's files (product names, comments,
carrier names) are passed through :func:`neutralize_text` before they enter the Markdown.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")
_MARKDOWN = re.compile(r"[`*#|\[\]\\~<>{}]")
_LONE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LEADING = re.compile(r"^[\s\-+=>!:.]+")


def neutralize_text(value: Any, max_len: int = 200) -> str:
    """An untrusted value made inert inside Markdown: one line, no markup characters, no ``<``.

    Newlines and control characters become spaces; backticks, ``*``, ``#``, ``|``, brackets, braces,
    backslashes, ``~``, ``<`` and ``>`` are removed; underscores survive only inside words (``GL_VASE``);
    list / quote / heading starters at the front are removed; the text is cut to ``max_len`` characters.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL.sub(" ", text)
    text = _MARKDOWN.sub("", text)
    text = _LONE_UNDERSCORE.sub("", text)
    text = " ".join(text.split())
    text = _LEADING.sub("", text)
    if len(text) > max_len:
        text = text[: max_len - 1].rstrip() + "…"
    return text
