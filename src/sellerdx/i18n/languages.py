"""Which language sellerdx writes in: the supported languages (data/languages.toml) and choosing one.

The language comes from, in order: an explicit choice (``--lang``, ``lang=``), ``SELLERDX_LANG``, the system
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them), else English. A language sellerdx has
no catalog for falls back to English with one warning (:func:`resolve`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from sellerdx.assets import load_toml

ENV_VAR = "SELLERDX_LANG"
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Language:
    code: str          # "ja"
    name: str          # "日本語"
    locale: str        # "ja_JP": Babel's conventions for numbers, dates, lists
    html: str          # <html lang>
    poa: bool          # Amazon reads a Plan of Action in it
    scripts: tuple[str, ...]


@functools.cache
def languages() -> Mapping[str, Language]:
    table = load_toml("languages.toml")
    return {code: Language(code=code, name=v["name"], locale=v["locale"], html=v["html"], poa=bool(v["poa"]),
                           scripts=tuple(v["scripts"]))
            for code, v in table["languages"].items()}


def default_code() -> str:
    return str(load_toml("languages.toml")["default"])


def codes() -> tuple[str, ...]:
    return tuple(languages())


def poa_codes() -> tuple[str, ...]:
    return tuple(code for code, lang in languages().items() if lang.poa)


def get(code: str) -> Language:
    return languages()[code]


def normalise(value: str | None) -> str | None:
    """``"ja_JP.UTF-8"`` -> ``"ja"``, ``"zh-Hans"``/``"zh_CN"`` -> ``"zh"``, ``"C"``/``"POSIX"``/empty -> None."""
    if not value:
        return None
    text = value.strip().split(":")[0].split(".")[0].split("@")[0]
    if not text or text.upper() in ("C", "POSIX"):
        return None
    return text.replace("-", "_").split("_")[0].lower() or None


@dataclass(frozen=True)
class Choice:
    code: str                  # the language used
    asked: str | None          # what was asked for, as given
    source: str                # "option", "SELLERDX_LANG", "LANG", …, "default"
    warning: str | None        # set when the asked language has no catalog (English is used instead)


def resolve(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> Choice:
    """The language to write in; an unsupported one falls back to English with a warning (in English:
    the reader has not got their language)."""
    env = os.environ if environ is None else environ
    candidates: list[tuple[str, str | None]] = [("option", explicit), (ENV_VAR, env.get(ENV_VAR))]
    candidates += [(var, env.get(var)) for var in LOCALE_VARS]
    for source, raw in candidates:
        code = normalise(raw)
        if code is None:
            continue
        if code in languages():
            return Choice(code=code, asked=raw, source=source, warning=None)
        if source in ("option", ENV_VAR):
            fallback = default_code()
            return Choice(code=fallback, asked=raw, source=source, warning=(
                f"sellerdx has no catalog for language {raw!r} ({source}); writing in English. "
                f"Languages: {', '.join(codes())}."))
        # A system locale sellerdx does not speak (e.g. LANG=pt_BR) is not an error: English, quietly.
        return Choice(code=default_code(), asked=raw, source=source, warning=None)
    return Choice(code=default_code(), asked=None, source="default", warning=None)


__all__ = ["ENV_VAR", "Choice", "Language", "codes", "default_code", "get", "languages", "normalise",
           "poa_codes", "resolve"]
