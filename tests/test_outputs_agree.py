"""Every output is rendered from one AnalysisResult, so they agree: for every finding of every sample folder,
report.html, evidence.csv, summary.json and the POA name the same orders, the same item per order and the
same counts. (Before the analysis result, the report and evidence.csv chose an order's item by different
rules.)"""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import pytest
from bs4 import BeautifulSoup

from support.acceptance import FOLDERS, acceptance_run


def _evidence_csv(path) -> dict[str, list[dict[str, str]]]:
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            by_code[row["finding_code"]].append(row)
    return by_code


def _table(article) -> list[dict[str, str]]:
    """The evidence rows in the page: the ones shown, then the ones folded into <details>."""
    out = []
    for table in article.select("table[id^=evidence-]"):
        headers = [th.get_text(strip=True) for th in table.select("thead th")]
        out += [dict(zip(headers, (td.get_text(strip=True) for td in tr.select("td"))))
                for tr in table.select("tbody tr")]
    return out


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_output_names_the_same_orders_and_items(folder: str) -> None:
    run = acceptance_run(folder)
    summary = json.loads(run.paths["summary"].read_text(encoding="utf-8"))
    csv_rows = _evidence_csv(run.paths["evidence"])
    soup = BeautifulSoup(run.paths["report"].read_text(encoding="utf-8"), "html.parser")
    findings = summary["findings"]
    assert findings, "every sample folder has planted root causes"
    assert set(csv_rows) - {""} == {f["code"] for f in findings if f["order_ids"]}
    for f in findings:
        code, orders = f["code"], f["order_ids"]
        rows = csv_rows.get(code, [])
        # evidence.csv: one row per order of the finding, in the finding's order
        assert [r["order_id"] for r in rows] == orders, code
        article = soup.find("article", id=f"finding-{code}")
        assert article is not None, code
        heading = next((h.get_text(" ", strip=True) for h in article.select("h4")
                        if h.get_text().startswith("Evidence orders")), None)
        assert heading == f"Evidence orders ({len(orders):,})", code
        shown = _table(article)
        limit = min(len(orders), 50)
        assert len(shown) == limit, code
        by_order = {r["order_id"]: r for r in rows}
        for r in shown:
            expected = by_order[r["Order"]]
            if "ASIN" in r:
                assert r["ASIN"] == (expected["asin"] or "—"), (code, r["Order"])
            if "SKU" in r:
                assert r["SKU"].lstrip("'") == (expected["sku"] or "—").lstrip("'"), (code, r["Order"])


@pytest.mark.parametrize("folder", FOLDERS)
def test_metric_counts_agree_between_summary_and_report(folder: str) -> None:
    run = acceptance_run(folder)
    summary = json.loads(run.paths["summary"].read_text(encoding="utf-8"))
    soup = BeautifulSoup(run.paths["report"].read_text(encoding="utf-8"), "html.parser")
    metrics = [m for m in run.analysis.result.metrics.values()]
    for m in metrics:
        card = soup.find("article", id=f"metric-{m.key}")
        assert card is not None, m.key
        text = card.get_text(" ", strip=True)
        if m.rate is not None:
            assert f"{m.numerator:,}" in text and f"{m.denominator:,}" in text, m.key
    assert summary["unmatched_defects"] == len(run.analysis.result.unmatched)


def _planted_defects(planted: dict, key: str) -> int:
    return int(planted["expected_metrics"][key]["numerator"])


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_plan_answers_every_counted_defect_exactly_once(folder: str) -> None:
    """Every counted defect order of the plan's windows is answered by exactly one section (a cause or
    "Other defects"); the counts come from planted.json (the generator's hand-computed metrics)."""
    run = acceptance_run(folder)
    plan = run.analysis.result.plan
    expected = run.planted["expected_metrics"]
    answered: dict[str, set[str]] = defaultdict(set)
    seen: set[tuple[str, str]] = set()
    for a in plan.answered:
        family = "lsr" if a.metric.startswith("lsr") else a.metric
        assert (family, a.order_id) not in seen, (folder, a)
        seen.add((family, a.order_id))
        answered[family].add(a.order_id)
    for key in ("odr_mfn", "odr_afn", "pfcr"):
        if any(f.metric.key == key for f in plan.figures):
            assert len(answered[key]) == _planted_defects(run.planted, key), (folder, key)
    if any(f.metric.key.startswith("lsr") for f in plan.figures):
        # the 10-day window lies inside the 30-day one: the 30-day late orders are all of them
        assert len(answered["lsr"]) == expected["lsr_30d"]["numerator"], folder
    sections = {s.code: set(s.orders) for s in plan.sections}
    for a in plan.answered:
        assert a.order_id in sections[a.section], (folder, a)
    # evidence.csv names the section of every answered order
    csv_rows = [r for rows in _evidence_csv(run.paths["evidence"]).values() for r in rows]
    listed = {r["order_id"]: r["poa_section"] for r in csv_rows if r["poa_section"]}
    assert {a.order_id for a in plan.answered} <= set(listed), folder


@pytest.mark.parametrize("folder", FOLDERS)
def test_chargebacks_are_attributed_by_their_reason_and_order(folder: str) -> None:
    """A chargeback for an item not received on a parcel of the carrier a cause names is answered by that
    cause, never left as "no pattern"."""
    run = acceptance_run(folder)
    plan = run.analysis.result.plan
    carrier_sections = {s.code for s in plan.sections if "claims.item_not_received" in s.findings
                        or "delivery.carrier_delay" in s.findings}
    chargebacks = [a for a in plan.answered if "chargeback" in a.defect.split("+")]
    assert chargebacks, folder          # every sample plants at least one counted chargeback
    for a in chargebacks:
        if a.reason == "chargeback:item_not_received" and carrier_sections:
            assert a.section in carrier_sections, (folder, a)


@pytest.mark.parametrize("folder", FOLDERS)
def test_poa_txt_is_plain_text_for_amazons_form(folder: str) -> None:
    run = acceptance_run(folder)
    plain = (run.out / "poa.txt").read_text(encoding="utf-8")
    assert "<!--" not in plain and "**" not in plain and "`" not in plain
    assert not any(line.lstrip().startswith("#") for line in plain.splitlines())
    assert ".csv" not in plain and "sellerdx" not in plain.lower()
    assert "ANNEX A: LIST OF ORDERS" in plain
