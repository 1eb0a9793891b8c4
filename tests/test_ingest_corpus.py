"""The corpus (tests/corpus/): a real-shaped header and a row or two of every Amazon report a seller is
likely to drop into the folder, plus order lists and spreadsheets that are not reports.

Each file is recognised as the right kind, or skipped — Amazon's reports that no metric uses BY NAME, the
rest with the reason; claims, orders, shipments and feedback are never confused, and nothing in the corpus
stops the run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sellerdx import ingest
from sellerdx.errors import NoInputError

CORPUS = Path(__file__).parent / "corpus"

# file -> ("kind", report kind) or ("skipped", text the reason starts with)
EXPECTED: dict[str, tuple[str, str]] = {
    # reports sellerdx reads
    "All_Orders_by_order_date.txt": ("kind", "orders"),
    "All_Orders_by_last_update.txt": ("kind", "orders"),        # older 32-column variant (url, no cpf)
    "Archived_Orders.txt": ("kind", "orders"),
    "Feedback_Manager.txt": ("kind", "feedback"),
    "Feedback_Manager_with_ratings_detail.txt": ("kind", "feedback"),
    "Returns_MFN_by_return_date.txt": ("kind", "returns_mfn"),
    "FBA_Customer_Returns.txt": ("kind", "returns_fba"),
    "AtoZ_Claims.csv": ("kind", "claims"),
    "Chargebacks.csv": ("kind", "chargebacks"),
    "Cancellations.csv": ("kind", "cancellations"),
    "Late_Shipments.txt": ("kind", "shipments"),
    "Shipment_Confirmations.txt": ("kind", "shipments"),
    # Amazon reports knowingly not used: skipped by name
    "Amazon_Fulfilled_Shipments.txt": ("skipped", "Fulfilled Shipments report (FBA): not used for these metrics"),
    "FBA_Customer_Shipment_Sales.txt": ("skipped", "FBA Customer Shipment Sales report: not used"),
    "Unshipped_Orders.txt": ("skipped", "Unshipped Orders report: not used"),
    "New_Orders_Order_Report.txt": ("skipped", "Order Report (new orders): not used"),
    "FBA_Reimbursements.txt": ("skipped", "FBA Reimbursements report: not used"),
    "FBA_Manage_Inventory.txt": ("skipped", "FBA Manage Inventory report: not used"),
    "Inventory_Report.txt": ("skipped", "Inventory report: not used"),
    "All_Listings_Report.txt": ("skipped", "Listings report: not used"),
    "Active_Listings_Report.txt": ("skipped", "Listings report: not used"),
    "Settlement_Report_V2.txt": ("skipped", "Settlement report: not used"),
    "Payments_Date_Range_Report.csv": ("skipped", "Payments Date Range report (transactions): not used"),
    "BusinessReport_by_ASIN.csv": ("skipped", "Business Report (Detail Page Sales and Traffic): not used"),
    "BusinessReport_by_date.csv": ("skipped", "Business Report (Sales and Traffic by date): not used"),
    # order lists and spreadsheets: never forced into a kind
    "order_list_status_amount.csv": ("skipped", "looks like an order list, not an A-to-z claims export: "
                                                "no claim date, claim reason or claim decision column"),
    "order_list_date_total.csv": ("skipped", "looks like an order list, not a chargebacks export"),
    "refunds_sheet.csv": ("skipped", "looks like an order list, not an A-to-z claims export"),
    "tracking_sheet.csv": ("skipped", "not a report sellerdx knows"),
    "contacts.csv": ("skipped", "not a report sellerdx knows (header starts: Name, Email, Phone)"),
    "cost_sheet.tsv": ("skipped", "not a report sellerdx knows"),
    "todo.txt": ("skipped", "not a delimited table (one column only)"),
}


@pytest.fixture(scope="module")
def inventory() -> ingest.Inventory:
    return ingest.discover(CORPUS)


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_is_recognised_or_skipped_by_name(inventory, name):
    what, expected = EXPECTED[name]
    kinds = {s.path: s.kind for s in inventory.sources}
    reasons = {s.path: s.reason for s in inventory.skipped}
    if what == "kind":
        assert kinds.get(name) == expected, reasons.get(name)
    else:
        assert name not in kinds, f"{name} taken for {kinds.get(name)}"
        assert reasons[name].startswith(expected), reasons[name]


def test_claims_orders_shipments_and_feedback_are_never_confused(inventory):
    by_kind: dict[str, set[str]] = {}
    for s in inventory.sources:
        by_kind.setdefault(s.kind, set()).add(s.path)
    for kind in ("orders", "claims", "shipments", "feedback"):
        assert by_kind.get(kind, set()) == {n for n, (w, k) in EXPECTED.items() if w == "kind" and k == kind}


def test_the_payments_report_is_recognised_below_its_title_lines():
    # Amazon's Date Range report has 7 quoted title lines above its header
    verdict_reason = {s.path: s.reason for s in ingest.discover(CORPUS).skipped}["Payments_Date_Range_Report.csv"]
    assert "Payments Date Range report" in verdict_reason


def test_the_whole_corpus_runs_through_analyze(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "sellerdx.cli", "analyze", str(CORPUS), "--out", str(out),
                           "--json"], capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert proc.returncode in (0, 1), proc.stderr        # never 2: nothing in the corpus stops the run
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    # 7 order rows (4 + 2 + 1), 3 feedback (2 + 1), 2 shipments, one each of the other five kinds
    assert doc["rows"]["read"] == 7 + 3 + 2 + 5
    assert doc["rows"]["rejected"] == 0
    assert {s["path"] for s in doc["skipped"]} == {n for n, (w, _) in EXPECTED.items() if w == "skipped"}
    claims = [i for i in doc["inputs"] if i["kind"] == "claims"]
    assert [c["path"] for c in claims] == ["AtoZ_Claims.csv"] and claims[0]["rows_loaded"] == 1


def test_a_folder_with_fulfilled_shipments_but_no_all_orders_says_so(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "shipments.txt").write_bytes((CORPUS / "Amazon_Fulfilled_Shipments.txt").read_bytes())
    with pytest.raises(NoInputError) as info:
        ingest.discover(folder)
    assert info.value.message == ("no All Orders report in the folder (found: no report at all; "
                                  "not used: Fulfilled Shipments report (FBA))")


def test_a_weak_match_is_skipped_not_forced(tmp_path):
    # two claim columns among ten a claims export never has: too little of the file is a claims export
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "orders.txt").write_bytes((CORPUS / "All_Orders_by_order_date.txt").read_bytes())
    header = ["Order ID", "Claim Date"] + [f"Field {i}" for i in range(1, 9)]
    row = ["111-0000000-0000001", "2026-09-10"] + ["x"] * 8
    (folder / "tracker.csv").write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    reasons = {s.path: s.reason for s in ingest.discover(folder).skipped}
    assert reasons["tracker.csv"].startswith("weak match: only 2 of 10 columns are columns of an A-to-z claims export")
