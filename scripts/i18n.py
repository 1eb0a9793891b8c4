"""The message catalogs' workflow (Babel), from the repository root:

    python scripts/i18n.py extract     # every marked string → src/sellerdx/locale/sellerdx.pot
    python scripts/i18n.py update [LANG]   # the .pot merged into every (or one) language's .po (new entries empty)
    python scripts/i18n.py compile     # every .po → .mo beside it (setup.sh and the wheel build run it)
    python scripts/i18n.py stats       # per language: translated / total, fuzzy, missing
    python scripts/i18n.py missing LANG    # the untranslated msgids of one language, as a .po fragment

Adding a language: a table in src/sellerdx/data/languages.toml, then
    python scripts/i18n.py init LANG   (then translate its .po, compile, and run the catalog tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "sellerdx" / "locale"
POT = LOCALE / "sellerdx.pot"
# Where the messages are (paths relative to the repository root) and how each kind of file is read.
METHOD_MAP = [
    ("src/sellerdx/**.py", "python"),
    ("src/sellerdx/templates/**.j2", "jinja2"),
    ("src/sellerdx/data/**.toml", "sellerdx.i18n.extract:extract_toml"),
]
OPTIONS_MAP = {"src/sellerdx/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3), "N_": None, "Message": None, "Term": None}
# Message("template", …) and Term("word") compose texts translated later: their first argument is a msgid.


def _languages() -> list[str]:
    import tomllib  # noqa: PLC0415

    table = tomllib.loads((ROOT / "src" / "sellerdx" / "data" / "languages.toml").read_text("utf-8"))
    return [code for code in table["languages"] if code != table["default"]]


def extract() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    catalog = Catalog(project="sellerdx", msgid_bugs_address="https://github.com/sellerdx/sellerdx/issues",
                      copyright_holder="sellerdx contributors", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        if not message or (isinstance(message, str) and not message.strip()):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    with open(POT, "wb") as handle:
        write_po(handle, catalog, width=120, omit_header=False, sort_output=False, no_location=False)
    print(f"{POT.relative_to(ROOT)}: {len(catalog)} messages")


def _po(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "sellerdx.po"


def init(code: str) -> None:
    with open(POT, "rb") as handle:
        template = read_po(handle)
    path = _po(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    template.locale = code  # type: ignore[assignment]
    with open(path, "wb") as handle:
        write_po(handle, template, width=120)
    print(f"{path.relative_to(ROOT)} created")


def update(only: str | None = None) -> None:
    with open(POT, "rb") as handle:
        template = read_po(handle)
    for code in [only] if only else _languages():
        path = _po(code)
        if not path.exists():
            init(code)
            continue
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=code)
        catalog.update(template, no_fuzzy_matching=True)
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=120, ignore_obsolete=True)
        print(f"{path.relative_to(ROOT)} updated")


def compile_all() -> None:
    for code in _languages():
        path = _po(code)
        if not path.exists():
            continue
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=code)
        with open(path.with_suffix(".mo"), "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def stats() -> None:
    for code in _languages():
        path = _po(code)
        if not path.exists():
            print(f"{code}: no catalog")
            continue
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=code)
        messages = [m for m in catalog if m.id]
        done = [m for m in messages if m.string and (not isinstance(m.string, tuple) or all(m.string))]
        fuzzy = [m for m in messages if m.fuzzy]
        print(f"{code}: {len(done)}/{len(messages)} translated, {len(fuzzy)} fuzzy")


def missing(code: str) -> None:
    with open(_po(code), "rb") as handle:
        catalog = read_po(handle, locale=code)
    out = Catalog(locale=code)
    for m in catalog:
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string))):
            out.add(m.id, m.string, m.locations, auto_comments=m.auto_comments, context=m.context)
    write_po(sys.stdout.buffer, out, width=120, omit_header=True)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, *rest = argv
    actions = {"extract": extract, "update": update, "compile": compile_all, "stats": stats}
    if command in actions and not rest:
        actions[command]()
    elif command == "init" and rest:
        init(rest[0])
    elif command == "update" and rest:
        update(rest[0])
    elif command == "missing" and rest:
        missing(rest[0])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
