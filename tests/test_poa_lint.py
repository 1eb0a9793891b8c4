"""Tests for sellerdx.poa_lint (``sellerdx poa check``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sellerdx.errors import UnreadableFileError
from sellerdx.poa_lint import LintProblem, lint_file, lint_poa

# A clean, filled Plan of Action. Line numbers used below are counted on this text (line 1 = the title).
CLEAN = """\
# Plan of Action — Example Trading GmbH (amazon.de)
<!-- sellerdx:required=late_shipment,order_defect.negative_feedback -->

## Late shipment: orders placed on Fridays were confirmed on Mondays
<!-- sellerdx:category=late_shipment -->
### Root cause
Between 2026-08-01 and 2026-09-29, 41 of our 52 late orders were placed on a Friday after 14:00.
Nobody confirmed shipments on Saturdays, so these orders missed their expected ship date.

### Corrective actions taken
- 2026-10-03: We confirmed all 17 open orders and refunded the shipping cost on the 41 late orders.
- 2026-10-04: We assigned a second person to confirm shipments on Saturdays.

### Preventive measures
- Owner: Anna Schmidt (warehouse lead) · Frequency: daily · Measure: orders confirmed within 24 hours, target 99%
- Owner: Jonas Weber · Frequency: weekly · Measure: late shipment rate in Seller Central, target under 2%

## Negative feedback: glass items broke in transit
<!-- sellerdx:category=order_defect.negative_feedback -->
### Root cause
Eleven of 14 negative ratings between 2026-08-01 and 2026-09-29 were about broken glass (ASIN B0EXAMPLE1).
The item was packed in a single-wall carton without padding.

### Corrective actions taken
- 03.10.2026: We changed the packaging to a double-wall carton with 5 cm of padding (photos attached).
- October 5, 2026: We contacted the 11 buyers and sent replacements.

### Preventive measures
- Owner: Anna Schmidt · Frequency: weekly · Measure: damage claims per 100 orders of ASIN B0EXAMPLE1
"""


def with_line(number: int, new: str, text: str = CLEAN) -> str:
    """CLEAN with line ``number`` (1-based) replaced by ``new``."""
    lines = text.split("\n")
    assert lines[number - 1] is not None
    lines[number - 1] = new
    return "\n".join(lines)


def codes(problems: list[LintProblem]) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in problems]


def test_line_numbers_of_the_fixture() -> None:
    lines = CLEAN.split("\n")
    assert lines[1].startswith("<!-- sellerdx:required=")
    assert lines[3].startswith("## Late shipment")
    assert lines[9] == "### Corrective actions taken"
    assert lines[11].startswith("- 2026-10-04")
    assert lines[13] == "### Preventive measures"
    assert lines[14].startswith("- Owner: Anna")
    assert lines[17].startswith("## Negative feedback")
    assert lines[18].startswith("<!-- sellerdx:category=")
    assert lines[19] == "### Root cause"
    assert lines[20].startswith("Eleven")
    assert lines[25].startswith("- October 5")
    assert lines[28].startswith("- Owner: Anna Schmidt · Frequency: weekly")


def test_clean_plan_passes() -> None:
    assert lint_poa(CLEAN) == []


def test_unfilled_blank() -> None:
    problems = lint_poa(with_line(15, "- Owner: [[name]] · Frequency: daily · Measure: orders confirmed in 24 h"))
    assert codes(problems) == [(15, "unfilled-blank")]
    assert "[[name]]" in problems[0].message


def test_unfilled_blank_in_title() -> None:
    problems = lint_poa(with_line(1, "# Plan of Action — [[account name]] ([[marketplace]])"))
    assert codes(problems) == [(1, "unfilled-blank"), (1, "unfilled-blank")]


def test_future_tense_in_corrective_actions() -> None:
    problems = lint_poa(with_line(12, "- 2026-10-04: We will assign a second person to confirm shipments."))
    assert codes(problems) == [(12, "future-tense")]
    assert '"We will"' in problems[0].message


def test_future_tense_german() -> None:
    problems = lint_poa(with_line(25, "- 03.10.2026: Wir werden die Verpackung ändern."))
    # A German sentence in this English plan is also flagged as not English (a second, separate fault).
    assert codes(problems) == [(25, "future-tense"), (25, "not-english")]


def test_future_tense_is_fine_in_preventive_measures() -> None:
    text = with_line(29, "- Owner: Anna · Frequency: weekly · Measure: we will count damage claims per 100 orders")
    assert lint_poa(text) == []


def test_emotive_word() -> None:
    problems = lint_poa(with_line(7, "Unfortunately, 41 of our 52 late orders were placed on a Friday after 14:00."))
    assert codes(problems) == [(7, "emotive-word")]
    assert "Unfortunately" in problems[0].message


def test_emotive_exclamation_marks_and_german() -> None:
    assert codes(lint_poa(with_line(22, "The item was packed without padding!!"))) == [(22, "emotive-word")]
    assert codes(lint_poa(with_line(22, "Leider war der Artikel schlecht verpackt."))) == [(22, "emotive-word")]
    # Whole words only: "began" is not "beg".
    assert lint_poa(with_line(22, "The problem began with a new carton supplier.")) == []


def test_blame() -> None:
    problems = lint_poa(with_line(21, "Eleven of 14 ratings were about broken glass; it was the carrier’s fault."))
    assert codes(problems) == [(21, "blame")]


def test_blame_german_and_fraudulent_buyer() -> None:
    assert codes(lint_poa(with_line(8, "Ein betrügerischer Käufer hat die Bewertung geschrieben."))) == [
        (8, "blame"), (8, "not-english")]     # German in an English plan is its own fault
    assert codes(lint_poa(with_line(8, "The claim came from a fraudulent buyer."))) == [(8, "blame")]


def test_business_introduction() -> None:
    problems = lint_poa(with_line(3, "Our company has been trading on the market since 2005."))
    assert codes(problems) == [(3, "business-introduction")]


def test_missing_category() -> None:
    problems = lint_poa(with_line(2, "<!-- sellerdx:required=late_shipment,cancellation -->"))
    assert codes(problems) == [(2, "missing-category")]
    assert "cancellation" in problems[0].message


def test_unknown_category_in_section_marker() -> None:
    problems = lint_poa(with_line(19, "<!-- sellerdx:category=order_defect.feedback -->"))
    # One fault, reported once: the section's title still says it answers negative feedback.
    assert codes(problems) == [(19, "unknown-category")]
    # Without those words, the required category is missing too.
    text = with_line(18, "## Glass items broke in transit", with_line(21, "Eleven of 14 buyers wrote that the glass broke."))
    assert codes(lint_poa(with_line(19, "<!-- sellerdx:category=order_defect.feedback -->", text))) == [
        (2, "missing-category"), (19, "unknown-category")]


def test_missing_answer_heading() -> None:
    problems = lint_poa(with_line(14, "### Notes"))
    assert codes(problems) == [(4, "missing-answer")]
    assert "Preventive measures" in problems[0].message


def test_missing_answer_empty() -> None:
    text = with_line(22, "", with_line(21, ""))
    problems = lint_poa(text)
    assert codes(problems) == [(20, "missing-answer")]
    assert "empty" in problems[0].message


def test_missing_date() -> None:
    problems = lint_poa(with_line(26, "- We contacted the 11 buyers and sent replacements."))
    assert codes(problems) == [(26, "missing-date")]


def test_incomplete_measure() -> None:
    problems = lint_poa(with_line(29, "- Owner: Anna Schmidt · Measure: damage claims per 100 orders"))
    assert codes(problems) == [(29, "incomplete-measure")]
    assert "frequency" in problems[0].message


def test_no_root_cause() -> None:
    assert codes(lint_poa("# Plan of Action\n\nWe fixed everything.\n")) == [(1, "no-root-cause")]


def test_too_long_with_explicit_limit() -> None:
    # Words: line 1 has 8 (Plan of Action Example Trading GmbH amazon de), lines 2-3 none,
    # line 4 has 10, so the 11th word is on line 4.
    problems = lint_poa(CLEAN, max_words=10)
    assert codes(problems) == [(4, "too-long")]


def test_too_long_with_default_limit() -> None:
    long_line = " ".join(["padding"] * 1600)
    problems = lint_poa(with_line(8, long_line))
    assert codes(problems) == [(8, "too-long")]
    assert "1500" in problems[0].message


def test_text_in_html_comments_is_not_checked() -> None:
    assert lint_poa(with_line(3, "<!-- sorry, we will fix [[this]] -->")) == []


def test_multiline_comment_keeps_line_numbers() -> None:
    text = with_line(3, "<!-- a note\nspanning two lines -->", with_line(15, "- Owner: [[name]] · Frequency: daily · Measure: x"))
    assert codes(lint_poa(text)) == [(16, "unfilled-blank")]


def test_bom_input() -> None:
    assert lint_poa("\ufeff" + CLEAN) == []
    assert codes(lint_poa("\ufeff" + with_line(1, "# Plan of Action — [[account]]"))) == [(1, "unfilled-blank")]


def test_windows_line_endings() -> None:
    text = with_line(15, "- Owner: [[name]] · Frequency: daily · Measure: x").replace("\n", "\r\n")
    assert codes(lint_poa(text)) == [(15, "unfilled-blank")]


def test_lint_file_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "poa.md"
    path.write_bytes(b"\xef\xbb\xbf" + CLEAN.replace("\n", "\r\n").encode("utf-8"))
    assert lint_file(path) == []
    bad = with_line(12, "- 2026-10-04: We shall assign a second person.")
    path.write_bytes(b"\xef\xbb\xbf" + bad.replace("\n", "\r\n").encode("utf-8"))
    assert codes(lint_file(str(path))) == [(12, "future-tense")]


def test_lint_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "poa.md"
    path.write_bytes(CLEAN.encode("utf-8") + "Maßnahmen".encode("cp1252"))
    with pytest.raises(UnreadableFileError) as info:
        lint_file(path)
    assert "UTF-8" in (info.value.hint or "")


def test_lint_file_missing(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError):
        lint_file(tmp_path / "nope.md")


def test_messages_are_one_line_and_problems_sorted() -> None:
    text = with_line(8, "Sorry!! We will be better, it was Amazon's mistake. [[fill]]")
    problems = lint_poa(text)
    assert problems == sorted(problems, key=lambda p: (p.line, p.code, p.message))
    assert {p.code for p in problems} == {"emotive-word", "blame", "unfilled-blank"}
    assert all(p.line == 8 for p in problems)
    assert all("\n" not in p.message and p.message for p in problems)
