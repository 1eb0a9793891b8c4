"""The Plan of Action skeleton and evidence.csv: golden text for the US sample folder, the structure
`poa check` expects, blanks, neutralised untrusted text, formula-safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from sellerdx import diagnose, metrics, store
from sellerdx.diagnose.testing import case_frames
from sellerdx.poa_lint import lint_poa
from sellerdx.render import poa
from sellerdx.text import neutralize_text
from support.results import result_of

ROOT = Path(__file__).resolve().parent.parent
BLANK = re.compile(r"\[\[[^\[\]\n]*\]\]")


def _regen_module():
    spec = importlib.util.spec_from_file_location("regen_golden", ROOT / "scripts" / "regen_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fill_blanks(text: str) -> str:
    """What the seller does: every blank replaced (a date where a date is asked for)."""
    return BLANK.sub(lambda m: "2026-11-03" if "date" in m.group() else "the value", text)


SPEC = {"batches": [
    {"n": 50, "weekdays": ["Saturday", "Sunday"], "late": 12},
    {"n": 100, "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday"], "late": 3},
    {"days": [14, 73], "n": 60, "asin": "B0FRAGILE1", "sku": "=HYPERLINK(\"http://x\")",
     "product": "<script>alert(1)</script> Vase\n# Heading **bold** [[fake blank]]", "negative": 8,
     "comment": "Arrived broken. The glass was shattered inside the box."},
    {"days": [14, 73], "n": 200, "claims": 3},
]}


@pytest.fixture(scope="module")
def built():
    as_of, frames = case_frames(SPEC)
    con = store.connect()
    store.load_frames(con, frames)
    params = metrics.MetricParams(as_of=as_of)
    results = metrics.compute_metrics(con, params)
    findings = diagnose.diagnose(con, results, params)
    return con, as_of, results, findings, result_of(con, params, results, findings, marketplace="US")


@pytest.fixture(scope="module")
def text(built) -> str:
    *_, result = built
    return poa.render_poa(result)


def test_golden_us_seller() -> None:
    regen = _regen_module()
    golden_path = regen.GOLDEN
    if not regen.FOLDER.is_dir():
        pytest.skip("sample_reports/us-seller is missing")
    header, _, body = golden_path.read_text(encoding="utf-8").partition("\n")
    digest = regen.input_hash()
    assert f"sha256={digest}" in header, (
        "sample_reports/us-seller changed since the golden POA was made: run scripts/regen_golden.py "
        "and review the diff")
    assert regen.render() == body
    text_header, _, text_body = regen.GOLDEN_TEXT.read_text(encoding="utf-8").partition("\n")
    assert f"sha256={digest}" in text_header
    assert regen.render(plain=True) == text_body


def test_structure_and_markers(text: str) -> None:
    """SPEC by hand: LSR 30 days = 12 weekend + 3 weekday late of 230; ODR MFN = 8 damaged feedback + 3
    claims of 338. One section per cause, the unexplained defects under "Other defects"."""
    lines = text.splitlines()
    assert lines[0] == "# Plan of Action — [[account name]] (US)"
    assert lines[1] == ("<!-- sellerdx:required=late_shipment,order_defect.negative_feedback,"
                        "order_defect.claims -->")
    sections = [line for line in lines if line.startswith("## ")]
    assert sections == [
        "## 1. Weekend orders dispatched after their ship-by date",
        "## 2. Fragile items packed without enough protection",
        "## 3. Other defects",
        "## Annex",
    ]
    for heading in ("### Root cause", "### Corrective actions taken", "### Preventive measures"):
        assert text.count(heading) == 3
    assert "This cause explains: 12 late shipments (Late Shipment Rate (10 days); Late Shipment Rate (30 days))." in text
    assert "This cause explains: 8 negative feedback (Order Defect Rate (MFN))." in text
    assert "This cause explains: 3 A-to-z claims, 3 late shipments" in text
    assert "- A-to-z claims: item not received: 3 orders (" in text
    assert "- Order Defect Rate (MFN): 3.25% (11 of 338 orders purchased 2026-01-16 to 2026-03-16" in text
    # the mechanism in the data: weekend orders due Monday/Tuesday, confirmed two days late
    assert "orders placed on Saturday and Sunday waited: 12 of them were shipped late" in text
    assert "a median of 2 days after their expected ship date" in text
    # no internal text for Amazon: no finding comments, no file names
    assert "<!-- finding" not in text and "evidence.csv" not in text and "confidence" not in text


def test_plain_text_has_no_markdown_comment_or_file_name(built) -> None:
    *_, result = built
    plain = poa.poa_text(result)
    assert plain.startswith("PLAN OF ACTION — [[account name]] (US)\n")
    assert "<!--" not in plain and "**" not in plain and "`" not in plain and "delete the others" not in plain
    assert not any(line.lstrip().startswith("#") for line in plain.splitlines())
    assert ".csv" not in plain and ".md" not in plain
    assert "1. WEEKEND ORDERS DISPATCHED AFTER THEIR SHIP-BY DATE" in plain
    assert "ANNEX A: LIST OF ORDERS" in plain and "Root cause:" in plain


def test_every_counted_defect_is_answered_once(built) -> None:
    _, _, results, _, result = built
    plan = result.plan
    keys = [(a.metric, a.order_id) for a in plan.answered]
    families = [(a.metric.split("_")[0], a.order_id) for a in plan.answered]
    assert len(set(families)) == len(families)            # once per metric family
    # by hand: ODR MFN 11 defect orders, LSR 15 late orders in the 30-day window (10-day ones inside it)
    assert sum(1 for k, _ in keys if k == "odr_mfn") == 11
    assert sum(1 for k, _ in keys if k.startswith("lsr")) == 15
    by_section = {s.code: set(s.orders) for s in plan.sections}
    for a in plan.answered:
        assert a.order_id in by_section[a.section]


def test_lint_fails_unfilled_and_passes_filled(text: str) -> None:
    codes = {p.code for p in lint_poa(text)}
    assert "unfilled-blank" in codes
    assert codes <= {"unfilled-blank", "missing-date"}   # the date of an action is itself a blank
    assert lint_poa(fill_blanks(text)) == []


def test_corrective_actions_past_tense_with_date_blank(text: str) -> None:
    section = text.split("### Corrective actions taken")[1].split("###")[0]
    bullets = [line for line in section.splitlines() if line.startswith("- ")]
    assert bullets and all(line.startswith("- [[date]]: We ") for line in bullets)
    assert not re.search(r"\b(will|shall|going to)\b", section)


def test_untrusted_text_is_neutralised(text: str) -> None:
    assert "<" not in text.replace("<!--", "")
    assert "**" not in text and "[[fake blank]]" not in text
    assert not any(line.startswith("# Heading") for line in text.splitlines())
    assert "scriptalert(1)/script Vase Heading bold fake blank" in text


def test_neutralize_text() -> None:
    assert neutralize_text("a\r\nb\tc") == "a b c"
    assert neutralize_text("- item") == "item"
    assert neutralize_text("GL_VASE _x_ `code` <b>|") == "GL_VASE x code b"
    assert neutralize_text(None) == ""
    assert len(neutralize_text("x" * 500, 50)) == 50


def test_evidence_csv(built, tmp_path: Path) -> None:
    _, _, _, findings, result = built
    path = tmp_path / "evidence.csv"
    n = poa.write_evidence_csv(path, result)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(poa.EVIDENCE_COLUMNS)
    listed = [r for r in rows if r["finding_code"]]
    assert len(listed) == sum(len(f.order_ids) for f in findings)
    # by hand: the 3 claims and 3 weekday late shipments no finding explains, answered under "other"
    unlisted = [r for r in rows if not r["finding_code"]]
    assert n == len(rows) == len(listed) + 6
    assert {r["poa_section"] for r in unlisted} == {"other"} and len(unlisted) == 6
    damaged = [r for r in rows if r["finding_code"] == "negative_feedback.damaged"]
    assert len(damaged) == 8
    assert all(r["sku"] == "'=HYPERLINK(\"http://x\")" for r in damaged)
    assert all(r["asin"] == "B0FRAGILE1" and r["channel"] == "MFN" for r in damaged)
    assert {r["defect_type"] for r in damaged} == {"negative_feedback"}
    assert {r["poa_section"] for r in damaged} == {"negative_feedback.damaged"}
    late = [r for r in rows if r["finding_code"] == "late_shipment.weekend_backlog"]
    assert len(late) == 12 and {r["defect_type"] for r in late} == {"late_shipment"}
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_evidence_shows_the_findings_item_of_a_multi_item_order(tmp_path: Path) -> None:
    """A vase finding lists the vase for an order whose first item is a yoga mat (evidence.csv and the
    report's evidence query), and the first item for a finding about no item."""
    from sellerdx.model import Finding
    from support.metrics_data import feedback, load, oid, order

    orders = [order(1, "2026-10-20", asin="B0000YOGA1", sku="YOGA", product_name="Yoga Mat"),
              order(1, "2026-10-20", asin="B0000VASE1", sku="VASE", product_name="Glass Vase"),
              order(2, "2026-10-20", asin="B0000VASE1", sku="VASE", product_name="Glass Vase"),
              order(3, "2026-10-20", asin="B0000LAMP1", sku="LAMP", product_name="Lamp"),
              order(3, "2026-10-20", asin="B0000VASE1", sku="VASE", product_name="Glass Vase"),
              order(4, "2026-10-20", asin="B0000LAMP1", sku="LAMP", product_name="Lamp")]
    con = load(orders=orders, feedback=[feedback(i, 1) for i in (1, 2, 3)], claims=[], chargebacks=[])
    metrics.prepare(con)
    vase = Finding(code="negative_feedback.damaged", metric="odr_mfn", title="Damaged", statement="s",
                   share=1.0, confidence="high", entities={"asins": ["B0000VASE1"], "skus": ["VASE"]},
                   order_ids=(oid(1), oid(2), oid(3)))
    other = Finding(code="late_shipment.weekend_backlog", metric="lsr_30d", title="Weekend", statement="s",
                    share=1.0, confidence="high", entities={"weekdays": ["Tuesday"]},
                    order_ids=(oid(1), oid(3)))
    params = metrics.MetricParams(as_of=dt.date(2026, 10, 31))
    result = result_of(con, params, metrics.compute_metrics(con, params), [vase, other])
    path = tmp_path / "evidence.csv"
    poa.write_evidence_csv(path, result)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = [(r["finding_code"], r["order_id"], r["asin"], r["sku"]) for r in csv.DictReader(fh)]
    assert rows == [("negative_feedback.damaged", oid(1), "B0000VASE1", "VASE"),
                    ("negative_feedback.damaged", oid(2), "B0000VASE1", "VASE"),
                    ("negative_feedback.damaged", oid(3), "B0000VASE1", "VASE"),
                    # no item finding: the order's first item (lowest source line)
                    ("late_shipment.weekend_backlog", oid(1), "B0000YOGA1", "YOGA"),
                    ("late_shipment.weekend_backlog", oid(3), "B0000LAMP1", "LAMP")]
    # the report's evidence tables show the same item for the same order, with its product name
    shown = {item.code: item.evidence for item in result.findings}
    vase_rows = shown["negative_feedback.damaged"][["asin", "sku", "product_name"]].values.tolist()
    assert vase_rows == [["B0000VASE1", "VASE", "Glass Vase"]] * 3
    other_rows = shown["late_shipment.weekend_backlog"][["asin", "product_name"]].values.tolist()
    assert other_rows == [["B0000YOGA1", "Yoga Mat"], ["B0000LAMP1", "Lamp"]]
