"""Lint a Plan of Action (POA): ``sellerdx poa check <file> [--notice odr,lsr]``.

Amazon's POA answers three questions for **every** root cause: the root cause; the actions already taken
(past tense, dates, evidence); the steps that prevent it recurring (owner, frequency, measure). It must be
clear, concise and factual: no emotive language, no blame, no introduction of the business, no questions
to Amazon, no references to support cases (``docs/poa-format.md`` is the user-facing description).

Any plan is read, not only sellerdx's skeleton:

* Markdown or plain text; headings at any level (``#`` … ``######``), bold lines, or plain lines that
  start with an **answer label** (``Root cause:``, ``Corrective actions taken``, ``Preventive measures:``,
  also numbered ``2. Root cause:`` or with the answer inline after the colon; labels in the languages
  listed in ``data/poa_lint.toml``).
* A **root cause** (a cause section) is a run of answers. It starts at a heading that is not an answer
  (its title), at a plain ``Cause 2: …`` line, or at an answer label whose kind the current cause
  already has (a second ``Root cause:`` starts the next cause). Annex / appendix headings end the causes.
  Sub-headings deeper than an answer heading belong to that answer (a plan organised by question, with
  one ``# Root causes`` heading and numbered causes under it, is one cause with three answers).
* **Blanks** the seller must fill are written ``[[…]]``; each distinct blank left is one problem.
* **Markers** (HTML comments, invisible when rendered) as written by sellerdx:
  ``<!-- sellerdx:required=cat1,cat2 -->`` lists the at-risk categories and
  ``<!-- sellerdx:category=cat -->`` inside a section says which category it answers. A section without
  a marker answers the categories whose words (``[format.category_words]``) its title or root cause uses.
  ``notice=("odr", "lsr")`` (``--notice``) requires the categories of those metric families.

Every problem is one ``LintProblem(line, code, message)``; a line has at most one problem per code.
Text inside HTML comments is not checked (except the markers); text inside double quotes (a buyer's
words quoted as evidence) is not checked for wording. All word lists, labels, date forms, patterns,
limits and messages live in ``src/sellerdx/data/poa_lint.toml``, each with the source it comes from.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sellerdx.assets import load_toml
from sellerdx.errors import BadOptionError, UnreadableFileError
from sellerdx.i18n import N_, _
from sellerdx.i18n.languages import languages

RULES_FILE = "poa_lint.toml"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MARKER = re.compile(r"<!--\s*sellerdx:(category|required)\s*=\s*(.*?)\s*-->", re.DOTALL)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BLANK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_BULLET = re.compile(r"^\s*(?:[-*+•·–]|\d{1,3}[.)]|[a-z][.)]|\(\d{1,3}\)|\[[ xX]?\])\s+")
_LEAD = re.compile(r"^\s*(?:[-*+•·–]\s+|\d{1,3}(?:\.\d{1,3})*[.)]?\s+|[ivxIVX]{1,4}[.)]\s+|[a-zA-Z][.)]\s+"
                   r"|\(\d{1,3}\)\s+)?")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|„[^“”\n]*[“”]|«[^»\n]*»|「[^」\n]*」|『[^』\n]*』')
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_SEPARATORS = re.compile(r"\s*[·|;•]\s*|\s+[—–]\s+|\s+-\s+")

_ANSWER_KINDS = ("root_cause", "corrective", "preventive")
_TERM_CODES = {             # [terms.<section>] -> problem code, checked on every line
    "emotive": "emotive-word",
    "blame": "blame",
    "business_introduction": "business-introduction",
    "question": "question",
    "support_case": "support-case",
    "manipulation": "metric-manipulation",
}
# TRANSLATORS: the language a paragraph of a Plan of Action reads as ("This line reads as German: …")
_LANGUAGE_NAMES = {"en": N_("English"), "de": N_("German"), "fr": N_("French"), "it": N_("Italian"),
                   "es": N_("Spanish"), "vi": N_("Vietnamese"), "ja": N_("Japanese"), "zh": N_("Chinese")}


@dataclass(frozen=True)
class LintProblem:
    """One problem in a Plan of Action."""
    line: int        # 1-based line in the file
    code: str        # "unfilled-blank", "future-tense", "emotive-word", "blame", "missing-category", ...
    message: str     # one line that says how to fix it


def fold(text: str) -> str:
    """The form every check reads: NFKC (full-width -> ASCII), casefold, curly apostrophes -> "'"."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)


def _found(regex: re.Pattern[str], text: str) -> list[str]:
    """The distinct matches of ``regex`` on ``fold(text)``, quoted as the text writes them."""
    nfkc = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    folded = nfkc.casefold()
    same = len(folded) == len(nfkc)
    out = [" ".join((nfkc if same else folded)[m.start():m.end()].split()) for m in regex.finditer(folded)]
    return list(dict.fromkeys(out))


def _is_word_char(ch: str) -> bool:
    return (ch.isalnum() or ch == "_") and not _CJK.match(ch)


def _term_regex(terms: Iterable[str], extra: Iterable[str] = ()) -> re.Pattern[str] | None:
    """One alternation of the folded terms (whole Latin words; ``*`` = rest of a word) and raw regexes."""
    parts = []
    for term in sorted({fold(t).strip() for t in terms if t.strip()}, key=len, reverse=True):
        body = re.escape(term).replace(r"\*", r"\w*")
        body = re.sub(r"(?:\\ )+|\s+", r"\\s+", body)
        start = r"(?<!\w)" if _is_word_char(term[0]) else ""
        end = r"(?!\w)" if _is_word_char(term[-1]) else ""
        parts.append(start + body + end)
    parts.extend(f"(?:{p})" for p in extra)
    return re.compile("|".join(parts)) if parts else None


def _all_langs(section: dict[str, Any]) -> list[str]:
    return [t for key, words in section.items() if key != "regex" for t in words]


@dataclass(frozen=True)
class _Rules:
    max_words: int
    labels: list[tuple[str, str]]                 # (folded label, answer kind), longest first
    label_names: dict[str, str]                   # answer kind -> canonical label (first listed)
    cause_title: re.Pattern[str]
    other_section: re.Pattern[str]
    categories: tuple[str, ...]
    category_words: dict[str, re.Pattern[str]]
    families: dict[str, tuple[str, tuple[str, ...]]]   # family -> (label, categories)
    family_alias: dict[str, str]                  # accepted --notice name -> family
    terms: dict[str, re.Pattern[str]]             # problem code -> regex
    future: re.Pattern[str] | None
    dates: tuple[re.Pattern[str], ...]
    date_blank_words: tuple[str, ...]
    fields: dict[str, re.Pattern[str]]            # owner / frequency / measure / effective -> "Label:" regex
    prose: dict[str, tuple[re.Pattern[str], ...]]
    vague: dict[str, frozenset[str]]
    vague_phrases: re.Pattern[str] | None
    stopwords: dict[str, frozenset[str]]
    min_hits: int
    min_words: int
    messages: dict[str, str]
    scripts: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()   # script -> code point ranges
    attachment_section: re.Pattern[str] | None = None   # headings that open attachments (not counted in length)


def _norm_label(text: str) -> str:
    return " ".join(fold(text).strip().rstrip(":").strip().split())


@functools.cache
def _rules() -> _Rules:
    data = load_toml(RULES_FILE)
    fmt = data["format"]
    labels: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    for kind in _ANSWER_KINDS:
        names[kind] = fmt[kind][0]
        labels.extend((_norm_label(h), kind) for h in fmt[kind])
    labels.sort(key=lambda item: len(item[0]), reverse=True)

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))

    cause_title = re.compile(r"^(?:" + alternation(fmt["cause_titles"]) + r")\s*(?:#|no\.?\s*)?\d{1,3}\s*[:.)\-–—]")
    other_section = re.compile(r"^(?:" + alternation(fmt["other_sections"]) + r")(?![^\W\d_])")
    attachment_section = re.compile(r"^(?:" + alternation(fmt["attachment_sections"]) + r")(?![^\W\d_])")
    category_words = {}
    for cat, words in fmt["category_words"].items():
        rx = _term_regex(words)
        if rx is not None:
            category_words[cat] = rx

    families: dict[str, tuple[str, tuple[str, ...]]] = {}
    alias: dict[str, str] = {}
    for fam, spec in data["notice"].items():
        families[fam] = (spec["label"], tuple(spec["categories"]))
        alias[fam] = fam
        for a in spec.get("aliases", []):
            alias[a] = fam

    terms_data = data["terms"]
    terms: dict[str, re.Pattern[str]] = {}
    for section, code in _TERM_CODES.items():
        spec = terms_data[section]
        regex = _term_regex(_all_langs(spec), [p for ps in spec.get("regex", {}).values() for p in ps])
        if regex is not None:
            terms[code] = regex

    months = "|".join(re.escape(fold(m)) for m in sorted(data["dates"]["months"], key=len, reverse=True))
    dates = tuple(re.compile(p.replace("{month}", months)) for p in data["dates"]["patterns"])

    def label_regex(labels_: list[str], colon: bool = True) -> re.Pattern[str]:
        alts = alternation(labels_)
        # without a colon, the value must look like a date or a blank ("effective 3 November 2026")
        sep = r"(?:\*\*|__)?\s*[:=：]\s*" if colon else r"(?:\*\*|__)?\s+(?=\d|\[\[|[^\W\d_]+\.?\s+\d)"
        return re.compile(r"(?:^|(?<=[\s·|;,(*_\-—–]))(?:" + alts + r")" + sep)

    pv = data["preventive"]
    fields = {name: label_regex(words) for name, words in pv["fields"].items() if name != "effective"}
    # "Effective: <date>" or, for the unambiguous words, "effective <date>" without a colon
    fields["effective"] = re.compile(label_regex(pv["fields"]["effective"]).pattern + "|"
                                     + label_regex(pv["effective_prose"], colon=False).pattern)
    prose = {name: tuple(re.compile(p) for p in patterns) for name, patterns in pv["prose"].items()}
    um = data["unmeasurable"]
    lang = data["language"]
    return _Rules(
        max_words=int(data["length"]["max_words"]),
        labels=labels,
        label_names=names,
        cause_title=cause_title,
        other_section=other_section,
        attachment_section=attachment_section,
        categories=tuple(fmt["categories"]),
        category_words=category_words,
        families=families,
        family_alias=alias,
        terms=terms,
        future=_term_regex(_all_langs(terms_data["future_tense"])),
        dates=dates,
        date_blank_words=tuple(fold(w) for w in data["dates"]["blank_words"]),
        fields=fields,
        prose=prose,
        vague={k: frozenset(_norm_label(v) for v in um[k]) for k in ("owner", "frequency", "measure")},
        vague_phrases=_term_regex(um["phrases"]),
        stopwords={code: frozenset(fold(w) for w in words) for code, words in lang.items()
                   if isinstance(words, list)},
        min_hits=int(lang["min_hits"]),
        min_words=int(lang["min_words"]),
        messages=dict(data["messages"]),
        scripts=tuple((name, tuple((int(a, 16), int(b, 16)) for a, b in (r.split("-") for r in ranges)))
                      for name, ranges in data["scripts"].items()),
    )


# --------------------------------------------------------------------------------------------------
# --notice


def notice_families() -> dict[str, str]:
    """The names ``--notice`` accepts (metric families and their metric keys) -> family label."""
    rules = _rules()
    return {name: rules.families[fam][0] for name, fam in rules.family_alias.items()}


def parse_notice(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"odr,lsr"`` -> ``("odr", "lsr")`` (families, in order, duplicates and aliases folded).

    Raises :class:`~sellerdx.errors.BadOptionError` naming the accepted values for an unknown name.
    """
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    rules = _rules()
    out: list[str] = []
    for item in items:
        name = item.strip().lower()
        if not name:
            continue
        fam = rules.family_alias.get(name)
        if fam is None:
            raise BadOptionError(f"--notice: unknown metric {item.strip()!r}",
                                 hint="use metric families separated by commas: "
                                      + ", ".join(sorted(rules.families)) + " (e.g. --notice odr,lsr)")
        if fam not in out:
            out.append(fam)
    return tuple(out)


# --------------------------------------------------------------------------------------------------
# Structure


@dataclass
class _Answer:
    kind: str
    heading: str
    line: int
    level: int | None                     # Markdown heading level, None for a plain label line
    content: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Cause:
    title: str
    line: int
    level: int | None
    answers: dict[str, _Answer] = field(default_factory=dict)


def _strip_decoration(raw: str) -> str:
    """A line without list numbering and emphasis marks (for label matching)."""
    text = _EMPHASIS.sub("", raw)
    return _LEAD.sub("", text, count=1).strip()


def _answer_label(rules: _Rules, text: str) -> tuple[str, str, str] | None:
    """``(kind, label, inline answer)`` when ``text`` starts with an answer label, else ``None``."""
    folded = fold(text).strip()
    for label, kind in rules.labels:
        if not folded.startswith(label):
            continue
        rest = folded[len(label):]
        m = re.match(r"^\s*(?:#?\d{1,3}|\(\d{1,3}\))?\s*(?:[?？]\s*)?(?:[:：.\-–—]|$)", rest)
        if m is None:
            m = re.match(r"^\s*[?？]", rest)         # "What caused the issue? Our packing ..."
        if m is None or (not m.group().strip() and rest.strip()):
            continue
        # The inline answer, cut from the original text at the same position (fold keeps lengths for
        # almost all text; fall back to the folded text when it does not).
        inline_start = len(label) + m.end()
        original = text.strip()
        inline = original[inline_start:] if len(fold(original)) == len(folded) else folded[inline_start:]
        return kind, text.strip()[:len(label)], inline.strip()
    return None


def _parse(rules: _Rules, lines: list[str]) -> tuple[list[_Cause], list[tuple[int, int]]]:
    """Root causes with their answers, and the (first, last) line span of each cause."""
    causes: list[_Cause] = []
    spans: list[tuple[int, int]] = []
    cause: _Cause | None = None
    answer: _Answer | None = None
    candidate: tuple[int, int | None, str] | None = None     # (line, level, title) of a heading
    first_text = next((i for i, raw in enumerate(lines, start=1) if raw.strip()), 0)

    def title_of(raw: str) -> tuple[str, int | None, bool]:
        heading = _HEADING.match(raw)
        if heading:
            return (heading.group(2) or "").strip(), len(heading.group(1)), True
        return _strip_decoration(raw), None, False

    # A plain line right before a "Root cause:" label is that cause's title ("2. Glass vases broke"
    # in a plan pasted as plain text with numbered sections), not the previous answer's last line.
    # It stands alone: a blank line (or the start) before it, the label on the very next line, and it is
    # neither a measure ("Owner: ...") nor a dated action.
    titles_before_root: set[int] = set()
    for number in range(2, len(lines) + 1):
        title, _level, _is_heading = title_of(lines[number - 1])
        found = _answer_label(rules, title) if title else None
        if found is None or found[0] != "root_cause":
            continue
        prev = lines[number - 2]
        before = lines[number - 3] if number >= 3 else ""
        prev_title = title_of(prev)[0] if prev.strip() else ""
        if (prev_title and not before.strip() and _answer_label(rules, prev_title) is None
                and not any(rx.search(" " + fold(prev)) for rx in rules.fields.values())
                and not any(d.match(fold(prev_title)) for d in rules.dates)):
            titles_before_root.add(number - 1)

    def close(at: int) -> None:
        nonlocal cause, answer
        if cause is not None:
            spans[-1] = (spans[-1][0], at)
        cause, answer = None, None

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        title, level, is_md_heading = title_of(raw)
        label = _answer_label(rules, title) if title else None
        if label is not None:
            kind, name, inline = label
            if cause is None or kind in cause.answers:
                previous_end = spans[-1][1] if spans else 0
                if cause is not None:
                    close(number - 1)
                if candidate is not None and candidate[0] > previous_end:
                    cause = _Cause(candidate[2], candidate[0], candidate[1])
                else:
                    cause = _Cause(title, number, level)
                causes.append(cause)
                spans.append((cause.line, len(lines)))
                candidate = None
            answer = _Answer(kind, name, number, level)
            if inline:
                answer.content.append((number, inline))
            cause.answers[kind] = answer
            continue
        folded_title = fold(title)
        is_heading = is_md_heading or number in titles_before_root
        if not is_heading and (rules.cause_title.match(folded_title) or rules.other_section.match(folded_title)):
            # a plain "Cause 2: ..." or "Annex A: ..." (also "5. Annex A: ...") line acts as a heading
            is_heading = (not re.match(r"\s*[-*+•·–]", raw) or rules.cause_title.match(folded_title) is not None)
        if not is_heading:
            if answer is not None:
                answer.content.append((number, raw))
            continue
        if rules.other_section.match(folded_title):
            close(number - 1)
            candidate = None
            continue
        if answer is not None and answer.level is not None and level is not None and level > answer.level:
            answer.content.append((number, raw))           # a sub-heading inside an answer
            continue
        if (cause is not None and cause.answers and level is not None and cause.level is not None
                and level > cause.level):
            answer = None                                  # a sub-heading of the cause that is not an answer
            continue
        close(number - 1)
        if number == first_text and level == 1:
            continue                                       # the document's title
        candidate = (number, level, title)
    if cause is not None:
        close(len(lines))
    return causes, spans


# --------------------------------------------------------------------------------------------------
# Line checks


def _strip_quotes(text: str) -> str:
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def _language(rules: _Rules, text: str) -> tuple[str, dict[str, int]] | None:
    """(best non-English language, hits per language) of one line, or ``None`` when it is not enough text."""
    cjk = len(_CJK.findall(text))
    words = [w for w in _LATIN_WORD.findall(text)]
    letters = sum(len(w) for w in words)
    if cjk >= 2 and cjk >= letters:
        return ("ja" if _KANA.search(text) else "zh"), {}
    if len(words) < rules.min_words:
        return None
    hits = {lang: sum(1 for w in words if w in stops) for lang, stops in rules.stopwords.items()}
    return max((lang for lang in hits if lang != "en"), key=lambda lang: hits[lang]), hits


def _script(rules: _Rules, ch: str) -> str | None:
    point = ord(ch)
    return next((name for name, ranges in rules.scripts for a, b in ranges if a <= point <= b), None)


def paragraph_language(text: str, rules: _Rules | None = None) -> str | None:
    """The language a paragraph is written in, or ``None`` when it cannot tell (too little text).

    First its script (``[scripts]`` in poa_lint.toml, each language's scripts in data/languages.toml): the
    languages whose scripts hold every script of the text, preferring those with no script the text lacks
    (kana -> Japanese; Han alone -> Chinese); then, between languages of the same script, the function words
    of each (``[language]``): the one with at least ``min_hits`` of them and more than any other."""
    rules = rules or _rules()
    folded = fold(_strip_quotes(text))
    counts: dict[str, int] = {}
    for ch in folded:
        if ch.isalpha():
            name = _script(rules, ch)
            if name:
                counts[name] = counts.get(name, 0) + 1
    letters = sum(counts.values())
    if not letters:
        return None
    present = {name for name, n in counts.items() if n * 10 >= letters}
    table = languages()
    # the languages whose scripts cover most of the letters (at least half), then those missing fewest scripts
    covered = {code: sum(n for name, n in counts.items() if name in lang.scripts) for code, lang in table.items()}
    best = max(covered.values())
    fits = [code for code, n in covered.items() if n == best and n * 2 >= letters]
    if not fits:
        return None
    missing = {code: len(set(table[code].scripts) - present) for code in fits}
    fits = [code for code in fits if missing[code] == min(missing.values())]
    if len(fits) == 1:
        return fits[0] if letters >= 2 else None
    words = _LATIN_WORD.findall(folded)
    if len(words) < rules.min_words:
        return None
    hits = sorted(((sum(1 for w in words if w in rules.stopwords.get(code, ())), code) for code in fits),
                  reverse=True)
    best, runner_up = hits[0], hits[1]
    return best[1] if best[0] >= rules.min_hits and best[0] > runner_up[0] else None


def _without_label(rules: _Rules, raw: str) -> str:
    """A line without its answer label ("Root cause:", "根本原因:") and field labels ("Owner:"), folded: the
    skeleton's words are not the seller's."""
    heading = _HEADING.match(raw)
    label = _answer_label(rules, (heading.group(2) or "") if heading else _strip_decoration(raw))
    text = fold(label[2] if label is not None else raw)
    for rx in rules.fields.values():       # "Owner:", "Frequency:" … of a preventive measure
        text = rx.sub(" ", text)
    return text


def _paragraphs(lines: list[str]) -> list[tuple[int, str]]:
    """(first line, text) of every paragraph: a run of lines up to a blank line; a heading is its own."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            current = None
            continue
        heading = _HEADING.match(raw)
        if heading or current is None:
            current = [raw]
            out.append((number, current))
            if heading:
                current = None
            continue
        current.append(raw)
    return [(number, " ".join(texts)) for number, texts in out]


def _is_english_plan(rules: _Rules, lines: list[str]) -> bool:
    totals: dict[str, int] = {lang: 0 for lang in rules.stopwords}
    cjk = latin = 0
    for raw in lines:
        text = fold(_strip_quotes(raw))
        cjk += len(_CJK.findall(text))
        words = _LATIN_WORD.findall(text)
        latin += sum(len(w) for w in words)
        for lang, stops in rules.stopwords.items():
            totals[lang] += sum(1 for w in words if w in stops)
    if cjk > latin:
        return False
    return totals.get("en", 0) > 0 and all(totals["en"] >= n for lang, n in totals.items() if lang != "en")


def _has_date(rules: _Rules, text: str) -> bool:
    return any(d.search(text) for d in rules.dates)


def _field_values(rules: _Rules, text: str) -> dict[str, str]:
    """``{"owner": "packing lead", ...}`` for every "Label: value" field of a measure."""
    found: list[tuple[int, int, str]] = []
    for name, rx in rules.fields.items():
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), name))
    found.sort()
    # overlapping labels ("effective" inside "effective date"): keep the longest at each start
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            if item[1] - item[0] > kept[-1][1] - kept[-1][0] and item[0] == kept[-1][0]:
                kept[-1] = item
            continue
        kept.append(item)
    values: dict[str, str] = {}
    for i, (_start, end, name) in enumerate(kept):
        stop = kept[i + 1][0] if i + 1 < len(kept) else len(text)
        value = _SEPARATORS.split(text[end:stop], maxsplit=1)[0]
        values.setdefault(name, value.strip(" .,;:·—–-*_()"))
    return values


# --------------------------------------------------------------------------------------------------


def lint_poa(text: str, *, max_words: int | None = None,
             notice: str | Iterable[str] | None = None, poa_lang: str | None = None) -> list[LintProblem]:
    """All problems in the Plan of Action ``text`` (Markdown or plain text), sorted by line.

    ``max_words`` overrides the limit in ``poa_lint.toml`` (``[length] max_words``); ``notice`` names the
    metric families of Amazon's notice (``"odr,lsr"`` or ``["odr", "lsr"]``, see :func:`parse_notice`)
    that the plan must answer. ``poa_lang`` is the language the plan is written in for Amazon (``--poa-lang``:
    en, ja, de, fr, it, es): every paragraph that reads as another language is a problem; without it a plan
    that reads as English has each line in another language flagged. A leading BOM and Windows or old-Mac
    line endings are accepted. An empty list means the plan passes. Messages are written in the language
    being written (``sellerdx.i18n.use``).
    """
    rules = _rules()
    families = parse_notice(notice)
    limit = rules.max_words if max_words is None else max_words
    text = _LINE_BREAK.sub("\n", text.lstrip("\ufeff"))
    problems: list[LintProblem] = []
    reported: set[tuple[int, str]] = set()

    def report(line: int, code: str, found: str = "", message_key: str | None = None, **extra: Any) -> None:
        if (line, code) in reported:
            return
        reported.add((line, code))
        template = _(rules.messages[message_key or code])
        problems.append(LintProblem(line, code, template.format(found=found, **extra)))

    # Markers (inside comments), then the visible text with comments blanked out (newlines kept).
    required: list[tuple[str, int]] = []
    markers: list[tuple[str, int]] = []
    for m in _MARKER.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        for name in (c.strip() for c in m.group(2).split(",")):
            if not name:
                continue
            if name not in rules.categories:
                report(line, "unknown-category", name, choices=", ".join(rules.categories))
            elif m.group(1) == "required":
                required.append((name, line))
            else:
                markers.append((name, line))
    visible = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = visible.split("\n")
    english = _is_english_plan(rules, lines)

    # Blanks: one problem per distinct blank, on the line where it first appears.
    blanks: dict[str, list[int]] = {}
    for number, raw in enumerate(lines, start=1):
        for m in _BLANK.finditer(raw):
            where = blanks.setdefault(" ".join(fold(m.group(1)).split()), [])
            if number not in where:
                where.append(number)
    first_blank: dict[str, str] = {}
    for raw in lines:
        for m in _BLANK.finditer(raw):
            first_blank.setdefault(" ".join(fold(m.group(1)).split()), m.group())
    for key, where in blanks.items():
        others = where[1:]
        elsewhere = ""
        if others:
            shown = ", ".join(str(n) for n in others[:8]) + (", …" if len(others) > 8 else "")
            elsewhere = " " + (_("(here and on line {lines})") if len(others) == 1
                               else _("(here and on lines {lines})")).format(lines=shown)
        problems.append(LintProblem(where[0], "unfilled-blank",
                                    _(rules.messages["unfilled-blank"]).format(found=first_blank[key],
                                                                               elsewhere=elsewhere)))

    # Wording, language and length, line by line.
    words = 0
    too_long_line = 0
    counted: list[str] = []          # the plan's own text: attachments (annex, order lists) are not counted
    attached = False
    for number, raw in enumerate(lines, start=1):
        plain = _strip_quotes(_BLANK.sub(" ", raw))
        probe = fold(plain)
        heading = _HEADING.match(raw)
        label = _answer_label(rules, (heading.group(2) or "") if heading else _strip_decoration(raw))
        if label is not None:
            # Amazon's own question ("What caused the issue?") is a label, not a question to Amazon
            plain = _strip_quotes(_BLANK.sub(" ", label[2]))
            probe = fold(plain)
        for code, regex in rules.terms.items():
            found = _found(regex, plain)
            if code == "question" and not found:
                bare = probe.rstrip(" *_)")
                if bare.endswith("?") and not _HEADING.match(raw):
                    found = [bare.split(".")[-1].strip()[-60:]]
            if found:
                report(number, code, "\", \"".join(dict.fromkeys(found)))
        if english and poa_lang is None:
            lang = _language(rules, probe)
            if lang is not None:
                best, hits = lang
                if not hits or (hits[best] >= rules.min_hits and hits[best] > hits.get("en", 0)):
                    report(number, "not-english", _(_LANGUAGE_NAMES.get(best, best)))
        title = (heading.group(2) or "") if heading else _strip_decoration(raw)
        if rules.attachment_section is not None and rules.attachment_section.match(fold(title).strip()):
            attached = True
        elif heading and rules.other_section.match(fold(title).strip()) is None:
            attached = False
        if attached:
            continue
        counted.append(raw)
        words += len(_WORD.findall(raw))
        if words > limit and not too_long_line:
            too_long_line = number
    if too_long_line:
        total = sum(len(_WORD.findall(raw)) for raw in counted)
        report(too_long_line, "too-long", str(total), limit=limit)

    # The plan's language (--poa-lang): every paragraph in another language, on its first line.
    if poa_lang is not None:
        code = "not-english" if poa_lang == "en" else "not-poa-language"
        for number, paragraph in _paragraphs([_without_label(rules, _BLANK.sub(" ", raw)) for raw in lines]):
            found = paragraph_language(paragraph, rules)
            if found is not None and found != poa_lang:
                report(number, code, _(_LANGUAGE_NAMES.get(found, found)),
                       language=_(_LANGUAGE_NAMES.get(poa_lang, poa_lang)))

    # The three answers of every root cause.
    causes, spans = _parse(rules, lines)
    if not causes:
        report(1, "no-root-cause")
    for cause in causes:
        absent = [rules.label_names[kind] for kind in _ANSWER_KINDS if kind not in cause.answers]
        if absent:
            report(cause.line, "missing-answer", "\" and \"".join(absent))
        for kind in _ANSWER_KINDS:
            ans = cause.answers.get(kind)
            if ans is None:
                continue
            elif not any(_BLANK.sub("", raw).strip(" \t-*•·") or _BLANK.search(raw) for _n, raw in ans.content):
                report(ans.line, "missing-answer", ans.heading, message_key="missing-answer-empty")
            elif kind == "root_cause":
                _check_root_cause(rules, ans, report)
            elif kind == "corrective":
                _check_corrective(rules, ans, report)
            else:
                _check_preventive(rules, ans, report)

    # Coverage: the required markers and the notice.
    answered = _answered_categories(rules, causes, spans, markers, lines)
    seen: set[str] = set()
    for name, line in required:
        if name not in answered and name not in seen:
            seen.add(name)
            report(line, "missing-category", name)
    for fam in families:
        label, cats = rules.families[fam]
        if not answered & set(cats):
            problems.append(LintProblem(1, "missing-category", _(rules.messages["missing-notice"]).format(
                found=f"{label} ({fam})")))

    problems.sort(key=lambda p: (p.line, p.code, p.message))
    return problems


def _content_text(ans: _Answer) -> str:
    return " ".join(raw for _n, raw in ans.content)


def _check_root_cause(rules: _Rules, ans: _Answer, report: Any) -> None:
    text = _BLANK.sub(" ", _content_text(ans))
    if _BLANK.search(_content_text(ans)) and not text.strip(" -*•·"):
        return                                   # only a blank: reported as a blank
    if not re.search(r"\d", text):
        report(ans.line, "vague-root-cause")


def _items(ans: _Answer) -> list[tuple[int, str]]:
    """The bullets of an answer, or the whole answer as one item when it has no bullets."""
    bullets = [(n, raw) for n, raw in ans.content if _BULLET.match(raw)]
    if bullets:
        return bullets
    return [(ans.content[0][0], _content_text(ans))] if ans.content else []


def _check_corrective(rules: _Rules, ans: _Answer, report: Any) -> None:
    for number, raw in ans.content:
        if rules.future is None:
            break
        found = _found(rules.future, _strip_quotes(_BLANK.sub(" ", raw)))
        if found:
            report(number, "future-tense", "\", \"".join(found))
    for number, item in _items(ans):
        folded = fold(item)
        if _has_date(rules, folded):
            continue
        if any(any(w in fold(b) for w in rules.date_blank_words) for b in _BLANK.findall(item)):
            continue                             # the date is a blank, reported once as a blank
        report(number, "missing-date")


def _vague(rules: _Rules, name: str, value: str) -> bool:
    norm = _norm_label(value)
    if norm in rules.vague[name]:
        return True
    if name == "measure" and not re.search(r"\d", norm):
        return any(re.search(r"(?<!\w)" + re.escape(v) + r"(?!\w)", norm) for v in rules.vague[name] if len(v) > 3)
    return False


def _check_preventive(rules: _Rules, ans: _Answer, report: Any) -> None:
    vague_lines: set[int] = set()
    for number, raw in ans.content:
        if rules.vague_phrases is None:
            break
        found = _found(rules.vague_phrases, _strip_quotes(raw))
        if found:
            vague_lines.add(number)
            report(number, "unmeasurable-measure", "\", \"".join(found))
    for number, item in _items(ans):
        if number in vague_lines:
            continue                             # "we will be more careful": one fault, reported once
        folded = fold(item)
        values = _field_values(rules, folded)
        missing = []
        # a measure written as fields names all three; "…; target: under 1%" alone is still prose
        labelled = "owner" in values or "frequency" in values
        for name in ("owner", "frequency", "measure"):
            value = values.get(name)
            if value is None:
                # "Owner: ... · Frequency: ..." measures name all three; prose measures say them in words
                if labelled or not any(p.search(folded) for p in rules.prose.get(name, ())):
                    missing.append(name)
            elif not value and not _BLANK.search(item):
                missing.append(name)
            elif value and not _BLANK.search(value) and _vague(rules, name, value):
                report(number, "unmeasurable-measure", value)
        if missing:
            report(number, "incomplete-measure", " and ".join(missing))
        effective = values.get("effective")
        if effective is not None and not _BLANK.search(effective) and not _has_date(rules, effective):
            report(number, "missing-date", effective or "nothing", message_key="missing-effective-date")


def _answered_categories(rules: _Rules, causes: list[_Cause], spans: list[tuple[int, int]],
                         markers: list[tuple[str, int]], lines: list[str]) -> set[str]:
    """Categories answered: a cause's markers, or (without a marker) its title's and root cause's words."""
    answered: set[str] = set()
    for cause, (first, last) in zip(causes, spans):
        marked = {name for name, line in markers if first <= line <= last}
        if marked:
            answered |= marked
            continue
        root = cause.answers.get("root_cause")
        text = fold(cause.title + " " + (_content_text(root) if root else ""))
        answered |= {cat for cat, rx in rules.category_words.items() if rx.search(text)}
    if answered & {c for c in rules.categories if c.startswith("order_defect.")}:
        answered.add("order_defect")
    return answered


def lint_file(path: str | os.PathLike[str], *, notice: str | Iterable[str] | None = None,
              max_words: int | None = None, poa_lang: str | None = None) -> list[LintProblem]:
    """``lint_poa`` of a UTF-8 file (with or without BOM; LF or CRLF line endings)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise UnreadableFileError(f"cannot read the plan: {err.strerror or err}", path=str(p),
                                  hint="Check the path of the Plan of Action file.") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise UnreadableFileError("the plan is not UTF-8 text", path=str(p), line=line,
                                  hint="Save the Plan of Action as UTF-8 (Markdown/plain text).") from err
    return lint_poa(text, notice=notice, max_words=max_words, poa_lang=poa_lang)




def not_a_plan(text: str) -> str | None:
    """Why ``text`` is not a Plan of Action at all (so linting it makes no sense), or None.

    A plan is Markdown or plain text with a sellerdx marker, a title naming the plan, or one of the answer
    labels (``Root cause``, ``Corrective actions taken`` ... in any language ``poa check`` reads). An HTML page
    (such as report.html) or an empty file is not.
    """
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        return N_("this is an HTML page, not a Plan of Action")
    if not head:
        return N_("the file is empty")
    if _MARKER.search(text) or "plan of action" in text.lower():
        return None
    rules = _rules()
    if any(_answer_label(rules, _strip_decoration(line)) for line in text.splitlines()):
        return None
    return N_("no heading or label of a Plan of Action (e.g. 'Plan of Action', 'Root cause:')")
