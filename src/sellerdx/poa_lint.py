"""Lint a Plan of Action (POA) the seller edited: ``sellerdx poa check <file>``.

Amazon's POA answers three questions for **every** root cause: the root cause; the actions already taken
(past tense, dates, evidence); the steps that prevent it recurring (owner, frequency, measure). It must be
clear, concise and factual: no emotive language, no blame, no introduction of the business.

The format (the skeleton sellerdx generates follows it; ``docs/poa-format.md`` is the user-facing copy)::

    # Plan of Action — [[account name]] ([[marketplace]])
    <!-- sellerdx:required=late_shipment,cancellation -->

    ## Late shipment: orders placed on Fridays were confirmed on Mondays
    <!-- sellerdx:category=late_shipment -->
    ### Root cause
    Between 2026-08-01 and 2026-09-29, 41 of 52 late orders ...
    ### Corrective actions taken
    - 2026-10-03: We confirmed all open orders and ...
    ### Preventive measures
    - Owner: [[name]] · Frequency: daily · Measure: share of orders confirmed within 24 h

* A **root-cause section** is a level-2 heading (``## ``). Its title names the metric or defect category
  and the root cause. Any number of sections; each needs the three **answers** as level-3 headings:
  ``### Root cause``, ``### Corrective actions taken``, ``### Preventive measures`` (English or German
  spellings listed in ``data/poa_lint.toml``), each followed by at least one line of text.
* **Blanks** the seller must fill are written ``[[…]]``; any left is a problem.
* **Markers** are HTML comments (invisible when the Markdown is rendered):
  ``<!-- sellerdx:required=cat1,cat2 -->`` (once, under the title) lists the at-risk categories, and
  ``<!-- sellerdx:category=cat -->`` inside a section says which category that section answers. Categories:
  ``order_defect.negative_feedback``, ``order_defect.claims``, ``order_defect.chargebacks``,
  ``cancellation``, ``late_shipment``, ``valid_tracking``, ``on_time_delivery``.
* **Corrective actions** are bullets ``- <date>: We <did something>`` in the past tense.
* **Preventive measures** are bullets ``- Owner: … · Frequency: … · Measure: …``.

Problem codes: ``unfilled-blank``, ``future-tense`` (in *Corrective actions taken*), ``emotive-word``,
``blame``, ``business-introduction``, ``missing-category`` (reported on the ``required`` marker's line),
``unknown-category``, ``missing-answer`` (a sub-heading is missing — reported on the section heading — or
its answer is empty — reported on the sub-heading), ``missing-date`` (a corrective bullet without a date),
``incomplete-measure`` (a preventive bullet without owner, frequency or measure), ``no-root-cause`` (no
section at all), ``too-long`` (reported on the line where the word limit is passed). Word lists, headings,
the limit and the messages live in ``src/sellerdx/data/poa_lint.toml``. Text inside HTML comments is not
checked (except the markers).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sellerdx.assets import load_toml
from sellerdx.errors import UnreadableFileError

RULES_FILE = "poa_lint.toml"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MARKER = re.compile(r"<!--\s*sellerdx:(category|required)\s*=\s*(.*?)\s*-->", re.DOTALL)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BLANK = re.compile(r"\[\[[^\[\]\n]*\]\]")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})

_ANSWER_KINDS = ("root_cause", "corrective", "preventive")


@dataclass(frozen=True)
class LintProblem:
    """One problem in a Plan of Action."""
    line: int        # 1-based line in the file
    code: str        # "unfilled-blank", "future-tense", "emotive-word", "blame", "missing-category", ...
    message: str     # one line that says how to fix it


@dataclass
class _Answer:
    kind: str
    heading: str
    line: int
    content: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Section:
    title: str
    line: int
    end: int = 0                                          # last line (inclusive)
    answers: dict[str, _Answer] = field(default_factory=dict)


def _term_regex(terms: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive alternation of the terms (whole words; ``*`` = rest of a word)."""
    parts = []
    for term in sorted({t.strip().lower().translate(_APOSTROPHES) for t in terms if t.strip()},
                       key=len, reverse=True):
        body = re.escape(term).replace(r"\*", r"\w*")
        body = re.sub(r"(?:\\ )+|\s+", r"\\s+", body)
        start = r"\b" if (term[0].isalnum() or term[0] == "_") else ""
        end = r"\b" if (term[-1].isalnum() or term[-1] == "_") else ""
        parts.append(start + body + end)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


@dataclass(frozen=True)
class _Rules:
    max_words: int
    headings: dict[str, str]                  # normalised heading text -> answer kind
    heading_names: dict[str, str]             # answer kind -> canonical heading (first listed)
    categories: tuple[str, ...]
    terms: dict[str, re.Pattern[str] | None]  # problem code -> regex
    future: re.Pattern[str] | None
    dates: tuple[re.Pattern[str], ...]
    fields: dict[str, re.Pattern[str]]        # field name -> "Label:" regex
    messages: dict[str, str]
    annex_headings: tuple[str, ...] = ()      # level-2 headings that start an annex, not a root cause


def _norm_heading(text: str) -> str:
    return " ".join(text.strip().rstrip(":").strip().casefold().split())


@functools.cache
def _rules() -> _Rules:
    data = load_toml(RULES_FILE)
    fmt = data["format"]
    headings: dict[str, str] = {}
    names: dict[str, str] = {}
    for kind in _ANSWER_KINDS:
        names[kind] = fmt[kind][0]
        for h in fmt[kind]:
            headings[_norm_heading(h)] = kind

    def all_langs(section: dict[str, list[str]]) -> list[str]:
        return [t for words in section.values() for t in words]

    terms = data["terms"]
    fields = {
        name: re.compile(r"(?i)(?:^|[\s·|;,(*_-])(?:" + "|".join(re.escape(label) for label in labels)
                         + r")(?:\*\*|__)?\s*[:=]")
        for name, labels in data["preventive"]["fields"].items()
    }
    return _Rules(
        max_words=int(data["length"]["max_words"]),
        headings=headings,
        heading_names=names,
        annex_headings=tuple(_norm_heading(h) for h in fmt.get("annex_headings", ())),
        categories=tuple(fmt["categories"]),
        terms={
            "emotive-word": _term_regex(all_langs(terms["emotive"])),
            "blame": _term_regex(all_langs(terms["blame"])),
            "business-introduction": _term_regex(all_langs(terms["business_introduction"])),
        },
        future=_term_regex(all_langs(terms["future_tense"])),
        dates=tuple(re.compile(p) for p in data["corrective"]["date_patterns"]),
        fields=fields,
        messages=dict(data["messages"]),
    )


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def lint_poa(text: str, *, max_words: int | None = None) -> list[LintProblem]:
    """All problems in the Plan of Action ``text`` (Markdown), sorted by line.

    ``max_words`` overrides the limit in ``poa_lint.toml`` (``[length] max_words``). A leading BOM and
    Windows or old-Mac line endings are accepted. An empty list means the plan passes.
    """
    rules = _rules()
    limit = rules.max_words if max_words is None else max_words
    text = _LINE_BREAK.sub("\n", text.lstrip("\ufeff"))
    problems: list[LintProblem] = []

    def report(line: int, code: str, found: str = "", message_key: str | None = None, **extra: Any) -> None:
        template = rules.messages[message_key or code]
        problems.append(LintProblem(line, code, template.format(found=found, **extra)))

    # Markers (inside comments), then the visible text with comments blanked out (newlines kept).
    required: list[tuple[str, int]] = []
    markers: list[tuple[str, int]] = []
    for m in _MARKER.finditer(text):
        line = _line_of(text, m.start())
        names = [c.strip() for c in m.group(2).split(",") if c.strip()]
        for name in names:
            if name not in rules.categories:
                report(line, "unknown-category", name, choices=", ".join(rules.categories))
            elif m.group(1) == "required":
                required.append((name, line))
            else:
                markers.append((name, line))
    visible = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = visible.split("\n")

    # Structure: level-2 sections with their level-3 answers.
    sections: list[_Section] = []
    section: _Section | None = None
    answer: _Answer | None = None
    for number, raw in enumerate(lines, start=1):
        heading = _HEADING.match(raw)
        if heading:
            level, title = len(heading.group(1)), (heading.group(2) or "").strip()
            if level <= 2:
                if section is not None:
                    section.end = number - 1
                section, answer = None, None
                if level == 2 and not _norm_heading(title).startswith(tuple(rules.annex_headings)):
                    section = _Section(title, number)
                    sections.append(section)
            elif level == 3 and section is not None:
                kind = rules.headings.get(_norm_heading(title))
                answer = None
                if kind is not None and kind not in section.answers:
                    answer = _Answer(kind, title, number)
                    section.answers[kind] = answer
            continue
        if answer is not None and raw.strip():
            answer.content.append((number, raw))
    if section is not None:
        section.end = len(lines)

    # Line-by-line wording checks on the visible text.
    words = 0
    too_long_reported = False
    for number, raw in enumerate(lines, start=1):
        for m in _BLANK.finditer(raw):
            report(number, "unfilled-blank", m.group())
        probe = raw.translate(_APOSTROPHES)
        for code, regex in rules.terms.items():
            if regex is None:
                continue
            seen: set[str] = set()
            for m in regex.finditer(probe):
                found = " ".join(m.group().split())
                if found.lower() not in seen:
                    seen.add(found.lower())
                    report(number, code, found)
        words += len(_WORD.findall(raw))
        if words > limit and not too_long_reported:
            too_long_reported = True
            too_long_line = number
    if too_long_reported:
        total = sum(len(_WORD.findall(raw)) for raw in lines)
        report(too_long_line, "too-long", str(total), limit=limit)

    # Per-section answers.
    if not sections:
        report(1, "no-root-cause")
    for sec in sections:
        for kind in _ANSWER_KINDS:
            ans = sec.answers.get(kind)
            if ans is None:
                report(sec.line, "missing-answer", rules.heading_names[kind])
                continue
            if not ans.content:
                report(ans.line, "missing-answer", ans.heading, message_key="missing-answer-empty")
                continue
            if kind == "corrective":
                for number, raw in ans.content:
                    probe = raw.translate(_APOSTROPHES)
                    if rules.future is not None:
                        seen = set()
                        for m in rules.future.finditer(probe):
                            found = " ".join(m.group().split())
                            if found.lower() not in seen:
                                seen.add(found.lower())
                                report(number, "future-tense", found)
                    if _BULLET.match(raw) and not any(d.search(raw) for d in rules.dates):
                        report(number, "missing-date")
            elif kind == "preventive":
                for number, raw in ans.content:
                    if not _BULLET.match(raw):
                        continue
                    missing = [name for name, rx in rules.fields.items() if not rx.search(" " + raw)]
                    if missing:
                        report(number, "incomplete-measure", " and ".join(missing))

    # Every required category needs a section marker.
    answered = {name for name, _line in markers}
    reported: set[str] = set()
    for name, line in required:
        if name not in answered and name not in reported:
            reported.add(name)
            report(line, "missing-category", name)

    problems.sort(key=lambda p: (p.line, p.code, p.message))
    return problems


def lint_file(path: str | os.PathLike[str]) -> list[LintProblem]:
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
    return lint_poa(text)


_ANY_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


def not_a_plan(text: str) -> str | None:
    """Why ``text`` is not a Plan of Action at all (so linting it makes no sense), or None.

    A plan is Markdown or plain text with a sellerdx marker, a heading naming the plan, or one of the answer
    headings (``### Root cause`` ...). An HTML page (such as report.html) or an empty file is not.
    """
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        return "this is an HTML page, not a Plan of Action"
    if not head:
        return "the file is empty"
    if _MARKER.search(text):
        return None
    answers = {h.lower().rstrip(":") for kind in ("root_cause", "corrective", "preventive")
               for h in load_toml(RULES_FILE)["format"][kind]}
    for title in _ANY_HEADING.findall(text):
        title = title.strip().lower().rstrip(":")
        if title in answers or "plan of action" in title:
            return None
    return "no heading of a Plan of Action (e.g. '# Plan of Action', '### Root cause')"
