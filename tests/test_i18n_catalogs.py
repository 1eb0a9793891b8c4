"""The message catalogs: complete, faithful to their placeholders and plural forms, true to Amazon's words.

Every language of data/languages.toml has a catalog translating every message of the template
(src/sellerdx/locale/sellerdx.pot), and the template lists every string the sources mark.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sellerdx.i18n import placeholders
from sellerdx.i18n.catalogs import compile_po
from sellerdx.i18n.languages import default_code, languages
from support.catalogs import marked_messages

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "sellerdx" / "locale"
GLOSSARY = ROOT / "src" / "sellerdx" / "data" / "glossary"
LANGS = [code for code in languages() if code != default_code()]
JINJA_FIELD = re.compile(r"%\((\w+)\)[sd]")
PLURAL_SPEC = re.compile(r"\{(\w+):([^{}]*\|[^{}]*)\}")
# English grammar the pipeline fills in ("this"/"these", "its"/"their", a plural "s", "a"/"an"): a translation may leave
# these fields out, since its own grammar does the work.
ENGLISH_GRAMMAR = {"this", "its", "s", "article"}
REQUIRED_TERMS = ["Order Defect Rate", "Pre-fulfilment Cancel Rate", "Late Shipment Rate", "Valid Tracking Rate",
                  "On-Time Delivery Rate", "Account Health Rating", "Plan of Action"]


@cache
def template():
    with open(LOCALE / "sellerdx.pot", "rb") as handle:
        return read_po(handle)


@cache
def catalog(code: str):
    with open(LOCALE / code / "LC_MESSAGES" / "sellerdx.po", "rb") as handle:
        return read_po(handle, locale=code)


def _key(message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _fields(text: str) -> set[str]:
    try:
        names = placeholders(text)
    except ValueError:  # not a format string (a literal brace in prose): only Jinja's fields count
        names = set()
    return names | set(JINJA_FIELD.findall(text))


def test_the_template_lists_every_marked_string():
    """Run `python scripts/i18n.py extract` (then `update`) after marking or changing a string."""
    found = set(marked_messages())
    listed = {_key(m) for m in template() if m.id}
    assert not sorted(found - listed, key=str)[:20], "marked in the sources but missing from sellerdx.pot"
    assert not sorted(listed - found, key=str)[:20], "in sellerdx.pot but no longer in the sources"


@pytest.mark.parametrize("code", LANGS)
def test_every_message_is_translated(code):
    entries = {_key(m): m for m in catalog(code) if m.id}
    missing = [k for k in (_key(m) for m in template() if m.id) if k not in entries
               or not all(_forms(entries[k])) or entries[k].fuzzy]
    assert not missing, f"{len(missing)} messages untranslated or fuzzy in {code}, e.g. {missing[:5]}"


@pytest.mark.parametrize("code", LANGS)
def test_placeholders_are_kept(code):
    wrong = []
    for message in catalog(code):
        if not message.id or not all(_forms(message)):
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = set().union(*(_fields(i) for i in ids))
        for form in _forms(message):
            got = _fields(form)
            if got != expected and not (got <= expected and expected - got <= ENGLISH_GRAMMAR) \
                    and not (isinstance(message.id, tuple) and got < expected):
                wrong.append((ids[0][:60], sorted(expected), sorted(_fields(form))))
    assert not wrong, f"placeholders changed in {code}: {wrong[:5]}"


@pytest.mark.parametrize("code", LANGS)
def test_plural_forms_match_the_language(code):
    po = catalog(code)
    wrong = [m.id for m in po if m.id and isinstance(m.id, tuple) and len(_forms(m)) != po.num_plurals]
    assert not wrong, f"{code} needs {po.num_plurals} plural forms: {wrong[:5]}"


@pytest.mark.parametrize("code", LANGS)
def test_plural_specs_keep_their_field_and_give_at_least_one_form(code):
    wrong = []
    for message in catalog(code):
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        english = {name for name, _ in PLURAL_SPEC.findall(message.id)}
        for name, forms in re.findall(r"\{(\w+):([^{}]*)\}", message.string):
            if name in english and not all(f.strip() for f in forms.split("|")):
                wrong.append(message.id[:60])
    assert not wrong, f"empty plural forms in {code}: {wrong[:5]}"


@pytest.mark.parametrize("code", LANGS)
def test_the_catalog_compiles(code):
    assert compile_po((LOCALE / code / "LC_MESSAGES" / "sellerdx.po").read_bytes())


@pytest.mark.parametrize("code", LANGS)
def test_amazons_terms_are_the_glossarys(code):
    path = GLOSSARY / f"{code}.toml"
    assert path.is_file(), f"data/glossary/{code}.toml is missing"
    terms = tomllib.loads(path.read_text("utf-8"))["terms"]
    assert not [t for t in REQUIRED_TERMS if not terms.get(t)], f"glossary {code} lacks required terms"
    wrong = []
    for message in catalog(code):
        if not isinstance(message.id, str) or not message.string:
            continue
        for english, local in terms.items():
            if english == message.id and message.string != local:
                wrong.append((english, message.string, local))
            elif english in message.id and english in REQUIRED_TERMS and local not in message.string \
                    and " > " not in message.id:  # a menu path names the menus as the seller's Seller Central shows them
                wrong.append((message.id[:60], message.string[:60], local))
    assert not wrong, f"{code} does not use Amazon's terms: {wrong[:5]}"
