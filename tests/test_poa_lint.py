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
    text = with_line(18, "## Glass items broke in transit",
                     with_line(21, "Eleven of 14 buyers wrote that the glass broke."))
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


# ------------------------------------------------------------------------------------------------------
# Any plan, not only sellerdx's skeleton: hand-written plans (tests/data/poa_plans/) written from the
# guidance of Amazon's help page and appeal guide and the consultants' articles. Line numbers below are
# counted by hand on those files.
PLANS = Path(__file__).parent / "data" / "poa_plans"


def plan(name: str) -> str:
    return (PLANS / name).read_text(encoding="utf-8")


def test_plan_fixture_lines() -> None:
    lines = plan("sound_plain.txt").split("\n")
    assert lines[2].startswith("Cause 1:")
    assert lines[4].startswith("Our warehouse had no shift")
    assert lines[7].startswith("2. 3 October 2026")
    assert lines[11].startswith("2. Our operations manager")
    assert lines[13].startswith("Cause 2:")
    assert lines[14].startswith("Root cause: 19 of the 39")
    assert lines[15].startswith("We shipped this vase")
    assert lines[17].startswith("- 2026年10月5日")
    assert lines[18].startswith("- October 6, 2026")
    assert lines[19].startswith("- 2026-10-07")
    assert lines[20] == "Preventive measures:"
    assert lines[21].startswith("- Owner: packing lead")


@pytest.mark.parametrize(("name", "notice"), [
    ("sound_plain.txt", "odr,lsr"),          # plain text: "Cause 1:" titles, "Root cause:" lines, numbered lists
    ("sound.md", "odr,pfcr"),                # Markdown: bold labels, then ### sub-headings; an annex
    ("by_question.md", "lsr,odr"),           # organised by question: one heading per answer
    ("numbered_sections.txt", "odr,lsr"),    # plain text pasted into Amazon's form: "2. <title>" sections
    ("amazon_form.txt", "odr"),              # Amazon's three questions as the labels
])
def test_sound_plans_pass(name: str, notice: str) -> None:
    assert lint_poa(plan(name)) == []
    assert lint_poa(plan(name), notice=notice) == []


FAULTS = [
    # (line, replacement, the one problem expected on that line)
    (16, "It was the carrier's fault, not our packing.", "blame"),
    (16, "The vases broke because of the carrier, which throws parcels.", "blame"),
    (5, "Three customers lied about the delivery date of 14 orders.", "blame"),
    (16, "This was Amazon's mistake.", "blame"),
    (16, "The damage was not our fault.", "blame"),
    (20, "- 2026-10-07: We will refund or replace the 19 orders concerned.", "future-tense"),
    (20, "- 2026-10-07: We are currently refunding the 19 orders concerned.", "future-tense"),
    (20, "- 2026-10-07: We plan to refund the 19 orders concerned.", "future-tense"),
    (1, "Plan of Action for Acme Home Goods: why was our account deactivated?", "question"),
    (5, "Can you tell us which 52 orders you counted?", "question"),
    (1, "Plan of Action for Acme Home Goods (support case 1234567890)", "support-case"),
    (5, "As written in Case ID 12345678901, our warehouse had no Saturday shift.", "support-case"),
    (5, "We sincerely apologize for the 41 late orders.", "emotive-word"),
    (16, "Unfortunately the vases broke!!", "emotive-word"),
    (1, "Acme Home Goods was founded in 2005 and has thousands of happy customers.", "business-introduction"),
    (22, "- Owner: everyone · Frequency: always · Measure: happy customers · Effective: 5 October 2026",
     "unmeasurable-measure"),
    (12, "2. We will be more careful with weekend orders.", "unmeasurable-measure"),
    (22, "- Owner: packing lead · Measure: damage feedback under 0.5% · Effective: 5 October 2026",
     "incomplete-measure"),
    (12, "2. Our operations manager reviews the late shipment rate.", "incomplete-measure"),
    (22, "- Owner: packing lead · Frequency: every shipment · Measure: damage feedback under 0.5% · "
         "Effective: next month", "missing-date"),
    (20, "- We refunded or replaced the 19 orders concerned.", "missing-date"),
    (20, "- 2026-10-07: We confirmed shipment before the parcel was handed over, so no order shipped late.",
     "metric-manipulation"),
    (8, "2. 3 October 2026: We cancelled orders to avoid late shipments.", "metric-manipulation"),
    (20, "- 2026-10-07: We offered the buyers a 10% discount to remove their feedback.", "metric-manipulation"),
    (5, "Il nostro magazzino non aveva un turno il sabato, quindi gli ordini sono stati confermati il lunedì.",
     "not-english"),
    (16, "Wir haben die Vase ohne Karton versendet, das schützt kein Glas.", "not-english"),
    (16, "我们用没有纸箱的袋子发货，玻璃没有保护。", "not-english"),
    (16, "Chúng tôi đã gửi bình hoa trong túi không có hộp.", "not-english"),
    (15, "Root cause: Some vases arrived broken.", "vague-root-cause"),
    (22, "", ("missing-answer", 21)),                     # the preventive answer is empty
    (21, "Notes:", ("missing-answer", 14)),              # cause 2 has no preventive answer
]


@pytest.mark.parametrize(("line", "new", "expected"), FAULTS, ids=[f"{f[0]}:{f[1][:40]}" for f in FAULTS])
def test_each_fault_is_reported_once_on_its_line(line: int, new: str, expected) -> None:
    code, at = (expected, line) if isinstance(expected, str) else expected
    problems = lint_poa(with_line(line, new, plan("sound_plain.txt")))
    assert codes(problems) == [(at, code)]
    assert all("\n" not in p.message for p in problems)


def test_two_missing_answers_are_one_problem_naming_both() -> None:
    text = with_line(21, "Notes:", with_line(17, "Notes:", plan("sound_plain.txt")))
    problems = lint_poa(text)
    assert codes(problems) == [(14, "missing-answer")]
    assert '"Corrective actions taken" and "Preventive measures"' in problems[0].message


def test_blame_message_quotes_the_words() -> None:
    problems = lint_poa(with_line(16, "The damage was not our fault.", plan("sound_plain.txt")))
    assert '"not our fault"' in problems[0].message


@pytest.mark.parametrize("sentence", [
    "We apologise for the 41 late orders.",
    "Wir entschuldigen uns für die 41 verspäteten Bestellungen.",
    "Nous sommes désolés pour les 41 commandes en retard.",
    "Ci scusiamo per i 41 ordini in ritardo.",
    "Lo sentimos mucho por los 41 pedidos con retraso.",
    "41件の遅延について大変申し訳ございませんでした。",
    "对于41个延迟的订单，我们深表歉意。",
    "Chúng tôi xin lỗi vì 41 đơn hàng bị trễ.",
    "Leider kamen 41 Bestellungen zu spät.",
    "Malheureusement, 41 commandes sont arrivées en retard.",
    "Purtroppo 41 ordini sono arrivati in ritardo.",
    "Lamentablemente 41 pedidos llegaron tarde.",
    "41件が遅れたのは残念です。",
    "41个订单被算作延迟，这不公平。",
    "Thật bất công khi 41 đơn hàng bị tính là trễ.",
])
def test_apologies_and_emotive_words_in_every_language(sentence: str) -> None:
    problems = lint_poa(with_line(5, sentence, plan("sound_plain.txt")))
    found = codes(problems)
    assert found.count((5, "emotive-word")) == 1
    # in this English plan the sentence is also not English (except the English one)
    assert set(found) - {(5, "emotive-word")} <= {(5, "not-english")}


@pytest.mark.parametrize("date", ["2026-10-07", "2026/10/07", "07.10.2026", "10/07/2026", "7 October 2026",
                                  "7. Oktober 2026", "October 7, 2026", "Oct 7, 2026", "7 octobre 2026",
                                  "7 de octubre de 2026", "2026年10月7日", "ngày 7 tháng 10 năm 2026"])
def test_dates_in_any_common_form(date: str) -> None:
    text = plan("sound_plain.txt")
    assert lint_poa(with_line(20, f"- {date}: We refunded or replaced the 19 orders concerned.", text)) == []
    measure = ("- Owner: packing lead · Frequency: every shipment · Measure: damage feedback under 0.5% · "
               f"Effective: {date}")
    assert lint_poa(with_line(22, measure, text)) == []
    assert lint_poa(with_line(22, measure.replace("Effective:", "effective"), text)) == []


def test_effective_date_without_colon() -> None:
    text = plan("sound_plain.txt")
    base = "- Owner: packing lead · Frequency: every shipment · Measure: damage feedback under 0.5%"
    assert codes(lint_poa(with_line(22, base + " · effective [[date]]", text))) == [(22, "unfilled-blank")]
    assert codes(lint_poa(with_line(22, base + " · effective November 2026", text))) == [(22, "missing-date")]
    # "effective" as an ordinary adjective is not a field
    assert lint_poa(with_line(22, base + ", the effective handling time being 2 days", text)) == []


def test_repeated_blank_is_one_problem() -> None:
    text = plan("sound_plain.txt")
    text = with_line(18, "- [[date]]: We changed the packaging of B0D1GLV5X7 to a double-wall box.", text)
    text = with_line(19, "- [[date]]: We drop-tested 20 packed parcels from 1 m; none broke.", text)
    text = with_line(20, "- [[Date]]: We refunded or replaced the [[number]] orders concerned.", text)
    problems = lint_poa(text)
    assert codes(problems) == [(18, "unfilled-blank"), (20, "unfilled-blank")]
    assert "lines 19, 20" in problems[0].message
    assert "[[number]]" in problems[1].message


def test_buyer_quotes_are_evidence_not_wording() -> None:
    # A buyer's own words, quoted, may be emotive, a question or in another language.
    line = 'Buyers wrote "Terrible!! Where is my order?" and "Verpackung war nur eine dünne Tüte" on 19 orders.'
    assert lint_poa(with_line(16, line, plan("sound_plain.txt"))) == []


def test_carrier_handoff_is_not_blame() -> None:
    line = "Our packers missed the carrier's pick-up on 12 Saturdays, so parcels left on Monday."
    assert lint_poa(with_line(16, line, plan("sound_plain.txt"))) == []


def test_markdown_plan_faults() -> None:
    text = plan("sound.md")
    lines = text.split("\n")
    assert lines[6].startswith("**Root cause:**") and lines[10].startswith("* 2026-10-02")
    assert lines[29].startswith("2. 2026-10-22") and lines[26] == "### Corrective actions taken"
    # a question in a bullet, a future action, and a missing heading in a Markdown plan
    assert codes(lint_poa(with_line(11, "* 2026-10-02: Could you refund the 8 buyers?", text))) == [(11, "question")]
    assert codes(lint_poa(with_line(30, "2. 2026-10-22: We will set SKU HM-DIFF-200 to zero.", text))) == [
        (30, "future-tense")]
    assert codes(lint_poa(with_line(27, "### Notes", text))) == [(20, "missing-answer")]


def test_notice_requires_its_metrics() -> None:
    text = plan("sound_plain.txt")
    assert lint_poa(text, notice=["odr_mfn", "lsr_30d"]) == []        # metric keys name their family
    problems = lint_poa(text, notice="odr,pfcr")
    assert codes(problems) == [(1, "missing-category")]
    assert "Pre-fulfilment Cancel Rate (pfcr)" in problems[0].message
    # the section's title says what it answers; without it, its root cause's words still do
    no_title = with_line(14, "Cause 2: Glass vases", text)
    assert lint_poa(no_title, notice="odr") == []
    assert codes(lint_poa(with_line(15, "Root cause: 19 vases of ASIN B0D1GLV5X7 broke.", no_title),
                          notice="odr")) == [(1, "missing-category")]


def test_unknown_notice_is_an_option_error() -> None:
    from sellerdx.errors import BadOptionError
    from sellerdx.poa_lint import parse_notice
    assert parse_notice(" ODR, lsr_10d ,lsr") == ("odr", "lsr")
    with pytest.raises(BadOptionError) as info:
        parse_notice("odr,returns")
    assert "returns" in info.value.message and "odr" in (info.value.hint or "")


def test_notice_families_match_the_metric_families() -> None:
    from sellerdx.assets import load_toml
    from sellerdx.poa_lint import notice_families
    families = {spec["family"] for spec in load_toml("metrics.toml")["metrics"].values()}
    names = set(notice_families())
    assert families <= names | {"odr_mfn", "odr_afn", "odr_all"}
    assert {"odr", "lsr", "pfcr", "vtr", "otdr"} <= names


def test_too_long_plain_plan() -> None:
    # 9 words on line 1 (Plan of Action for Acme Home Goods amazon com), 11 on line 3 (Cause 1 Weekend
    # orders were confirmed after their expected ship date): the 21st word is on line 4.
    assert codes(lint_poa(plan("sound_plain.txt"), max_words=20)) == [(4, "too-long")]
    assert codes(lint_poa(plan("sound_plain.txt"), max_words=19)) == [(3, "too-long")]


def test_cli_poa_check_with_notice(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys
    exe = Path(sys.executable).with_name("sellerdx")
    cmd = str(exe) if exe.exists() else shutil.which("sellerdx")
    assert cmd
    path = tmp_path / "plan.txt"
    path.write_text(plan("sound_plain.txt"), encoding="utf-8")
    ok = subprocess.run([cmd, "poa", "check", str(path), "--notice", "odr,lsr"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run([cmd, "poa", "check", str(path), "--notice", "pfcr"], capture_output=True, text=True)
    assert bad.returncode == 1
    assert f"{path}:1: missing-category:" in bad.stdout
    wrong = subprocess.run([cmd, "poa", "check", str(path), "--notice", "returns"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "--notice" in wrong.stderr


def test_numbered_section_titles_are_not_measures() -> None:
    text = plan("numbered_sections.txt")
    lines = text.split("\n")
    assert lines[10].startswith("2. Negative feedback") and lines[9] == ""
    # the title "2. Negative feedback: ..." is not read as a preventive measure of cause 1, and the
    # section answers the ODR; without its root cause's words it would still be a title
    assert lint_poa(text, notice="odr") == []
    # a plan without titles: the last measure right before the next "Root cause:" stays a measure
    dense = "\n".join(line for i, line in enumerate(lines) if i not in (2, 9, 10))
    assert lint_poa(dense) == []
    broken = with_line(9, "1. Owner: warehouse lead · Measure: late orders, target 0", text)
    assert codes(lint_poa(broken)) == [(9, "incomplete-measure")]


def test_amazon_questions_are_labels_not_questions() -> None:
    text = plan("amazon_form.txt")
    assert text.split("\n")[0] == "What caused the issue?"
    # a question of the seller's own is still one
    asked = with_line(2, "Why were 14 of our 21 claims counted against us?", text)
    assert codes(lint_poa(asked)) == [(2, "question")]
    # without its preventive question the cause misses that answer (reported on its first label)
    assert codes(lint_poa(with_line(8, "Next steps", text))) == [(1, "missing-answer")]


def test_prose_measure_with_a_target_label() -> None:
    line = "2. Our operations manager reviews the late shipment rate every Monday; target: under 1%."
    assert lint_poa(with_line(12, line, plan("sound_plain.txt"))) == []
    vague = "2. Our operations manager reviews the late shipment rate every Monday; target: happy customers."
    assert codes(lint_poa(with_line(12, vague, plan("sound_plain.txt")))) == [(12, "unmeasurable-measure")]
