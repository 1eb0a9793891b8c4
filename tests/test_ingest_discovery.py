"""Discovery: every report kind is recognised from its header (never its name); the rest is skipped with a
reason; subfolders, .gz and .zip are opened; unsafe zip members are refused and listed.

Files are tiny and hand-written; each test states what Seller Central would have produced
(report-formats.md).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path

import pytest

from sellerdx import ingest
from support.exports import (
    FEEDBACK_HEADER,
    ORDERS_HEADER,
    ORDERS_HEADER_OLD,
    RETURNS_FBA_HEADER,
    RETURNS_MFN_HEADER,
    gzip_bytes,
    inputs_of,
    oid,
    order_row,
    report,
    skipped_reasons,
    table,
    write_orders,
    write_text,
    zip_bytes,
)


def _has_performance() -> bool:
    if importlib.util.find_spec("sellerdx.amazon.report") is None:
        return False
    return hasattr(importlib.import_module("sellerdx.amazon.report"), "is_performance_report")


HAS_PERFORMANCE = _has_performance()
needs_performance = pytest.mark.xfail(
    not HAS_PERFORMANCE, strict=False,
    reason="sellerdx.amazon.report.is_performance_report is not there yet (ingest imports it for every JSON file)")


def folder_with_orders(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    write_orders(folder)
    return folder


def only_source(inventory: ingest.Inventory, path: str) -> ingest.SourceFile:
    found = [s for s in inventory.sources if s.path == path]
    assert found, f"{path} not recognised; skipped: {inventory.skipped}"
    return found[0]


# --------------------------------------------------------------------------------------------- orders
def test_current_33_column_orders_header(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, name="export.txt")
    src = only_source(ingest.discover(folder), "export.txt")
    assert src.kind == "orders"
    assert len(src.header) == 33
    assert src.delimiter == "\t" and src.encoding == "utf-8"
    assert src.mapping["order_id"] == 0 and src.mapping["purchase_ts"] == 2
    assert src.mapping["fulfillment_channel"] == 5 and src.mapping["item_price"] == 15
    # Amazon's own columns that no metric uses are known: no warning about them.
    assert src.unknown_columns == () and src.warnings == ()


def test_older_orders_header_with_url_and_without_cpf(tmp_path):
    folder = tmp_path / "exports"
    assert "url" in ORDERS_HEADER_OLD and "cpf" not in ORDERS_HEADER_OLD and len(ORDERS_HEADER_OLD) == 32
    write_orders(folder, header=ORDERS_HEADER_OLD)
    src = only_source(ingest.discover(folder), "orders.txt")
    assert src.kind == "orders"
    # url is column 8 (0-based), so everything after it moved one to the right.
    assert src.mapping["ship_service_level"] == 9 and src.mapping["sku"] == 11
    assert src.unknown_columns == ()
    inputs = inputs_of(folder)
    assert report(inputs, "orders.txt").rows_loaded == 2


def test_orders_with_extra_amazon_columns(tmp_path):
    folder = tmp_path / "exports"
    header = ORDERS_HEADER + ("is-sold-by-ab", "is-iba", "number-of-items", "tax-collection-model", "address-type")
    write_orders(folder, [order_row(1, header=header)], header=header)
    src = only_source(ingest.discover(folder), "orders.txt")
    assert src.kind == "orders" and len(src.header) == 38
    assert src.unknown_columns == () and src.warnings == ()


def test_orders_with_a_column_sellerdx_does_not_know_is_warned(tmp_path):
    folder = tmp_path / "exports"
    header = ORDERS_HEADER + ("gift-message-text",)
    write_orders(folder, [order_row(1, header=header)], header=header)
    src = only_source(ingest.discover(folder), "orders.txt")
    assert src.unknown_columns == ("gift-message-text",)
    assert any("gift-message-text" in w for w in src.warnings)


# --------------------------------------------------------------------------------------------- feedback
FEEDBACK_ROWS = [["1/13/26", "1", "never arrived", "", oid(1), "a@example.com"],
                 ["1/14/26", "5", "great", "", oid(2), ""]]


@pytest.mark.parametrize("response_header", ["Your Response", "Response"])
def test_feedback_with_either_response_header(tmp_path, response_header):
    folder = folder_with_orders(tmp_path)
    header = ("Date", "Rating", "Comments", response_header, "Order ID", "Rater Email")
    write_text(folder / "fb.txt", table(header, FEEDBACK_ROWS))
    src = only_source(ingest.discover(folder), "fb.txt")
    assert src.kind == "feedback" and not src.positional
    assert src.mapping == {"feedback_date": 0, "rating": 1, "comments": 2, "response": 3, "order_id": 4,
                           "rater_email": 5}


def test_feedback_manager_optional_columns(tmp_path):
    folder = folder_with_orders(tmp_path)
    header = FEEDBACK_HEADER + ("Arrived On Time", "Item As Described", "Customer Service", "Rater Role")
    rows = [r + ["No", "Yes", "No", "Buyer"] for r in FEEDBACK_ROWS]
    write_text(folder / "fb.txt", table(header, rows))
    src = only_source(ingest.discover(folder), "fb.txt")
    assert src.kind == "feedback"
    assert (src.mapping["arrived_on_time"], src.mapping["item_as_described"], src.mapping["customer_service"],
            src.mapping["rater_role"]) == (6, 7, 8, 9)
    assert src.unknown_columns == ()


TRANSLATED_FEEDBACK = {
    "de": ("Datum", "Bewertung", "Kommentare", "Ihre Antwort", "Bestellnummer", "E-Mail-Adresse des Bewerters"),
    "fr": ("Date", "Évaluation", "Commentaires", "Votre réponse", "Numéro de commande",
           "Adresse e-mail de l'évaluateur"),
    "it": ("Data", "Valutazione", "Commenti", "La tua risposta", "Numero ordine", "E-mail valutatore"),
    "es": ("Fecha", "Puntuación", "Comentarios", "Tu respuesta", "Número de pedido",
           "Correo electrónico del evaluador"),
    "ja": ("日付", "評価", "コメント", "回答", "注文番号", "評価者のメールアドレス"),
    "zh": ("日期", "评级", "评论", "您的回复", "订单编号", "评分者电子邮件"),
}


@pytest.mark.parametrize("lang", sorted(TRANSLATED_FEEDBACK))
def test_translated_feedback_headers_through_synonyms(tmp_path, lang):
    folder = folder_with_orders(tmp_path)
    write_text(folder / "feedback.txt", table(TRANSLATED_FEEDBACK[lang], FEEDBACK_ROWS))
    src = only_source(ingest.discover(folder), "feedback.txt")
    assert src.kind == "feedback"
    assert not src.positional, "translated headers listed as synonyms must be read by name"
    assert src.mapping == {"feedback_date": 0, "rating": 1, "comments": 2, "response": 3, "order_id": 4,
                           "rater_email": 5}
    assert src.warnings == ()


@pytest.mark.parametrize("header", [
    ("Data", "Ocena", "Komentarze", "Twoja odpowiedź", "Numer zamówienia", "E-mail oceniającego"),   # Polish
    ("Tarih", "Puan", "Yorumlar", "Yanıtınız", "Sipariş Numarası", "Değerlendiren E-postası"),      # Turkish
], ids=["pl", "tr"])
def test_unknown_language_feedback_through_positional_fallback(tmp_path, header):
    folder = folder_with_orders(tmp_path)
    rows = [["13/1/26", "1", "nie dotarło", "", oid(1), "a@example.com"],
            ["14/1/26", "5", "ok", "", oid(2), ""],
            ["15/1/26", "3", "", "", oid(3), ""]]
    write_text(folder / "opinie.txt", table(header, rows))
    src = only_source(ingest.discover(folder), "opinie.txt")
    assert src.kind == "feedback" and src.positional
    assert src.mapping == {"feedback_date": 0, "rating": 1, "comments": 2, "response": 3, "order_id": 4,
                           "rater_email": 5}
    assert any("position" in w for w in src.warnings)
    inputs = inputs_of(folder)
    fb = report(inputs, "opinie.txt")
    assert (fb.rows_read, fb.rows_loaded, fb.rows_rejected) == (3, 3, 0)
    assert any("position" in w for w in fb.warnings)


def test_unknown_header_with_no_ratings_is_not_taken_for_feedback(tmp_path):
    # Six columns in an unknown language, but column 2 is not a 1-5 rating: no positional guess.
    folder = folder_with_orders(tmp_path)
    header = ("Data", "Kwota", "Opis", "Uwagi", "Numer zamówienia", "E-mail")
    write_text(folder / "inne.txt", table(header, [["13/1/26", "12,50", "x", "", oid(1), ""]]))
    reasons = skipped_reasons(ingest.discover(folder))
    assert "not a report sellerdx knows" in reasons["inne.txt"]


# --------------------------------------------------------------------------------------------- claims & co
# (kind, base header, canonical field -> accepted headers of report-formats.md)
CLAIMS_BASE = ("Order ID", "Claim Date", "Claim Reason", "Claim Status", "Claim Amount", "Funded By")
CHARGEBACKS_BASE = ("Order ID", "Chargeback Date", "Chargeback Reason", "Chargeback Type")
CANCELLATIONS_BASE = ("Order ID", "Cancellation Date", "Cancelled By", "Cancellation Reason")
SHIPMENTS_BASE = ("Order ID", "Expected Ship Date", "Ship Confirm Date", "Carrier", "Tracking ID",
                  "Shipping Service", "First Carrier Scan", "Promised Delivery Date", "Delivered Date", "Late")

ACCEPTED = {
    "claims": (CLAIMS_BASE, {
        "order_id": ["Order ID", "order-id", "amazon-order-id", "Order Number"],
        "claim_date": ["Claim Date", "claim-date", "Date Filed", "Created Date", "Claim Created"],
        "claim_reason": ["Claim Reason", "claim-reason", "Claim Type", "Reason"],
        "claim_status": ["Claim Status", "claim-status", "Status", "Decision", "Outcome"],
        "amount": ["Claim Amount", "claim-amount", "Amount"],
        "funded_by": ["Funded By", "Liability", "Paid By"],
    }),
    "chargebacks": (CHARGEBACKS_BASE, {
        "order_id": ["Order ID", "order-id", "amazon-order-id", "Order Number"],
        "chargeback_date": ["Chargeback Date", "chargeback-date", "Date", "Received Date"],
        "chargeback_reason": ["Chargeback Reason", "Reason", "Reason Code"],
        "chargeback_type": ["Chargeback Type", "Type"],
    }),
    "cancellations": (CANCELLATIONS_BASE, {
        "order_id": ["Order ID", "order-id", "amazon-order-id", "Order Number"],
        "cancel_date": ["Cancellation Date", "Cancel Date", "cancel-date", "Cancelled On"],
        "cancelled_by": ["Cancelled By", "Initiated By", "Requested By", "Cancellation Initiator"],
        "cancel_reason": ["Cancellation Reason", "Cancel Reason", "Reason"],
    }),
    "shipments": (SHIPMENTS_BASE, {
        "order_id": ["Order ID", "order-id", "amazon-order-id", "Order Number"],
        "expected_ship_ts": ["Expected Ship Date", "Latest Ship Date", "latest-ship-date", "Ship By"],
        "ship_confirm_ts": ["Ship Confirm Date", "Confirmed Ship Date", "Shipment Confirmed", "confirm-date"],
        "carrier": ["Carrier", "carrier", "Carrier Name"],
        "tracking_id": ["Tracking ID", "tracking-number", "Tracking Number"],
        "shipping_service": ["Shipping Service", "ship-service-level", "Ship Method"],
        "first_scan_ts": ["First Carrier Scan", "carrier-first-scan-date"],
        "promised_delivery_date": ["Promised Delivery Date", "latest-delivery-date"],
        "delivered_date": ["Delivered Date", "Delivery Date"],
        "late_flag": ["Late", "Is Late"],
    }),
}
BASE_FIELDS = {
    "claims": ["order_id", "claim_date", "claim_reason", "claim_status", "amount", "funded_by"],
    "chargebacks": ["order_id", "chargeback_date", "chargeback_reason", "chargeback_type"],
    "cancellations": ["order_id", "cancel_date", "cancelled_by", "cancel_reason"],
    "shipments": ["order_id", "expected_ship_ts", "ship_confirm_ts", "carrier", "tracking_id", "shipping_service",
                  "first_scan_ts", "promised_delivery_date", "delivered_date", "late_flag"],
}
SAMPLE_VALUES = {
    "order_id": oid(1), "claim_date": "2026-09-10", "claim_reason": "Item not received",
    "claim_status": "Granted", "amount": "12.99", "funded_by": "Seller", "chargeback_date": "2026-09-10",
    "chargeback_reason": "Item not received", "chargeback_type": "Service", "cancel_date": "2026-09-02",
    "cancelled_by": "Seller", "cancel_reason": "No inventory", "expected_ship_ts": "2026-09-03",
    "ship_confirm_ts": "2026-09-02", "carrier": "UPS", "tracking_id": "1Z999", "shipping_service": "Standard",
    "first_scan_ts": "2026-09-02", "promised_delivery_date": "2026-09-08", "delivered_date": "2026-09-07",
    "late_flag": "No",
}
HEADER_CASES = [(kind, field_name, header) for kind, (_, fields) in ACCEPTED.items()
                for field_name, headers in fields.items() for header in headers]


@pytest.mark.parametrize(("kind", "field_name", "header"), HEADER_CASES,
                         ids=[f"{k}-{f}-{h}" for k, f, h in HEADER_CASES])
def test_every_accepted_header_of_the_reference(tmp_path, kind, field_name, header):
    base, _ = ACCEPTED[kind]
    fields = BASE_FIELDS[kind]
    position = fields.index(field_name)
    cols = list(base)
    cols[position] = header
    folder = folder_with_orders(tmp_path)
    write_text(folder / "export.csv", table(cols, [[SAMPLE_VALUES[f] for f in fields]]))
    src = only_source(ingest.discover(folder), "export.csv")
    assert src.kind == kind
    assert src.mapping[field_name] == position
    assert set(src.mapping) >= set(fields)
    inputs = inputs_of(folder)
    rep = report(inputs, "export.csv")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (1, 1, 0)


def test_header_matching_ignores_case_spaces_dashes_and_bom(tmp_path):
    folder = folder_with_orders(tmp_path)
    cols = ["  ORDER_ID ", "claim date", "CLAIM-REASON", "claim_status"]
    write_text(folder / "c.txt", table(cols, [[oid(1), "2026-09-10", "Item damaged", "Open"]]), bom=True)
    src = only_source(ingest.discover(folder), "c.txt")
    assert src.kind == "claims"
    assert src.mapping == {"order_id": 0, "claim_date": 1, "claim_reason": 2, "claim_status": 3}


def test_user_mapping_file_adds_synonyms(tmp_path):
    folder = folder_with_orders(tmp_path)
    write_text(folder / "c.txt", table(["Bestellnr.", "Antragsdatum", "Claim Status"],
                                       [[oid(1), "2026-09-10", "Offen"]]))
    write_text(folder / "sellerdx-mapping.toml",
               '[claims]\norder_id = ["Bestellnr."]\nclaim_date = "Antragsdatum"\n')
    inventory = ingest.discover(folder)
    src = only_source(inventory, "c.txt")
    assert src.kind == "claims" and src.mapping == {"order_id": 0, "claim_date": 1, "claim_status": 2}
    # the mapping file itself is neither a source nor a skipped file
    assert "sellerdx-mapping.toml" not in {s.path for s in inventory.sources} | set(skipped_reasons(inventory))


# --------------------------------------------------------------------------------------------- returns
def test_returns_mfn(tmp_path):
    folder = folder_with_orders(tmp_path)
    row = [""] * len(RETURNS_MFN_HEADER)
    values = {"Order ID": oid(1), "Order date": "01-Sep-2026", "Return request date": "29-Sep-2026",
              "Return Reason": "CR-DEFECTIVE", "Return quantity": "1", "ASIN": "B000000001"}
    for k, v in values.items():
        row[RETURNS_MFN_HEADER.index(k)] = v
    write_text(folder / "returns.txt", table(RETURNS_MFN_HEADER, [row]))
    src = only_source(ingest.discover(folder), "returns.txt")
    assert src.kind == "returns_mfn"
    assert src.unknown_columns == ()
    assert src.mapping["return_request_date"] == 2 and src.mapping["return_reason"] == 18


@pytest.mark.parametrize("with_status", [True, False])
def test_returns_fba_with_and_without_status(tmp_path, with_status):
    folder = folder_with_orders(tmp_path)
    header = [h for h in RETURNS_FBA_HEADER if with_status or h != "status"]
    values = {"return-date": "2026-09-20T10:00:00+00:00", "order-id": oid(1), "sku": "SKU-1",
              "asin": "B000000001", "fnsku": "X000000001", "product-name": "Widget", "quantity": "1",
              "fulfillment-center-id": "PHX7", "detailed-disposition": "DEFECTIVE", "reason": "DEFECTIVE",
              "status": "Unit returned to inventory", "license-plate-number": "LPN1", "customer-comments": ""}
    write_text(folder / "fba.txt", table(header, [[values[h] for h in header]]))
    src = only_source(ingest.discover(folder), "fba.txt")
    assert src.kind == "returns_fba"
    assert ("status" in src.mapping) is with_status
    assert src.unknown_columns == ()


# --------------------------------------------------------------------------------------------- performance JSON
PERFORMANCE = {
    "accountStatuses": [{"marketplaceId": "ATVPDKIKX0DER", "status": "NORMAL"}],
    "performanceMetrics": [{
        "marketplaceId": "ATVPDKIKX0DER",
        "orderDefectRate": {"mfn": {"reportingDateRange": {"reportingDateFrom": "2026-07-20T00:00:00Z",
                                                           "reportingDateTo": "2026-09-17T23:59:59Z"},
                                    "orderCount": 100, "rate": 0.01, "status": "GOOD", "targetValue": 0.01}},
        "lateShipmentRate": {"orderCount": 50, "lateShipmentCount": 1, "rate": 0.02},
        "{cancel}": {"orderCount": 50, "cancellationCount": 1, "rate": 0.02},
    }],
}


@needs_performance
@pytest.mark.parametrize("cancel_key", ["preFulfillmentCancellationRate", "prefulfillmentCancelRate"])
def test_performance_json_both_name_variants(tmp_path, cancel_key):
    folder = folder_with_orders(tmp_path)
    doc = json.loads(json.dumps(PERFORMANCE).replace("{cancel}", cancel_key))
    write_text(folder / "perf.json", json.dumps(doc))
    src = only_source(ingest.discover(folder), "perf.json")
    assert src.kind == "performance" and src.delimiter == ""


@needs_performance
def test_json_that_is_not_the_performance_report_is_skipped(tmp_path):
    folder = folder_with_orders(tmp_path)
    write_text(folder / "settings.json", json.dumps({"theme": "dark", "items": [1, 2]}))
    reasons = skipped_reasons(ingest.discover(folder))
    assert "not Amazon's seller performance report" in reasons["settings.json"]


# --------------------------------------------------------------------------------------------- names don't matter
def test_a_feedback_file_named_orders_is_feedback(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, name="feedback.txt")
    write_text(folder / "orders.txt", table(FEEDBACK_HEADER, FEEDBACK_ROWS))
    inventory = ingest.discover(folder)
    assert only_source(inventory, "orders.txt").kind == "feedback"
    assert only_source(inventory, "feedback.txt").kind == "orders"


# --------------------------------------------------------------------------------------------- skipped
def test_skipped_files_are_listed_with_reasons(tmp_path):
    folder = folder_with_orders(tmp_path)
    write_text(folder / "notes.txt", table(["Name", "Phone"], [["Ann", "555"]]))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"\r\n\r\n  \n")
    (folder / "report.xlsx").write_bytes(zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}))
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
    write_text(folder / ".DS_Store", "junk")
    (folder / "copy of orders.txt").write_bytes((folder / "orders.txt").read_bytes())
    write_text(folder / "generic.txt", table(["Order ID", "Date", "Reason", "Status"],
                                             [[oid(1), "2026-09-01", "Item not received", "Open"]]))
    write_text(folder / "amb.txt", table(["Order ID", "Claim Date", "Chargeback Date"],
                                         [[oid(1), "2026-09-01", "2026-09-02"]]))
    inventory = ingest.discover(folder)
    reasons = skipped_reasons(inventory)
    assert "not a report sellerdx knows" in reasons["notes.txt"] and "Name" in reasons["notes.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty file"
    assert "Excel workbook that cannot be read" in reasons["report.xlsx"]
    assert "binary" in reasons["logo.png"]
    assert reasons[".DS_Store"] == "hidden or system file"
    # "copy of orders.txt" sorts before "orders.txt", so it is the one read and orders.txt the copy
    assert reasons["orders.txt"] == "identical copy of copy of orders.txt"
    # generic columns only: no kind is forced, the reason says which defining columns are missing
    assert reasons["generic.txt"].startswith("looks like an order list, not an A-to-z claims export (no claim date")
    assert "chargebacks export (no chargeback date" in reasons["generic.txt"]
    # a header that defines two kinds equally: a tie, skipped with both names
    assert "ambiguous header" in reasons["amb.txt"] and "claims" in reasons["amb.txt"] \
        and "chargebacks" in reasons["amb.txt"]
    assert [s.path for s in inventory.sources] == ["copy of orders.txt"]


def test_identical_copy_in_a_subfolder_is_skipped_and_counted_once(tmp_path):
    folder = folder_with_orders(tmp_path)
    (folder / "old").mkdir()
    (folder / "old" / "orders.txt").write_bytes((folder / "orders.txt").read_bytes())
    inputs = inputs_of(folder)
    # a folder's own files are walked before its subfolders
    assert skipped_reasons(inputs)["old/orders.txt"] == "identical copy of orders.txt"
    assert [f.path for f in inputs.files] == ["orders.txt"]
    assert inputs.rows_loaded == 2


# --------------------------------------------------------------------------------------------- folders & archives
def test_subfolders_are_searched(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder / "2026" / "september", name="all-orders.txt")
    write_text(folder / "perf" / "fb.txt", table(FEEDBACK_HEADER, FEEDBACK_ROWS))
    inventory = ingest.discover(folder)
    assert {(s.path, s.kind) for s in inventory.sources} == {
        ("2026/september/all-orders.txt", "orders"), ("perf/fb.txt", "feedback")}


def test_gzip_file_is_read(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    data = table(ORDERS_HEADER, [order_row(1), order_row(2), order_row(3)]).encode()
    (folder / "orders.txt.gz").write_bytes(gzip_bytes(data))
    inventory = ingest.discover(folder)
    src = only_source(inventory, "orders.txt.gz")
    assert src.kind == "orders" and src.location.gzipped
    rep = report(inputs_of(folder), "orders.txt.gz")
    assert (rep.rows_read, rep.rows_loaded) == (3, 3)


def test_gzip_of_a_cp1252_file_is_read(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    data = table(ORDERS_HEADER, [order_row(1, product_name="Müsli-Schüssel 5€")]).encode("cp1252")
    (folder / "orders.txt.gz").write_bytes(gzip_bytes(data))
    analysis_inputs = inputs_of(folder)
    rep = report(analysis_inputs, "orders.txt.gz")
    assert rep.encoding == "cp1252" and rep.rows_loaded == 1


def test_zip_members_are_read_and_unsafe_paths_refused(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    orders = table(ORDERS_HEADER, [order_row(1), order_row(2)]).encode()
    feedback = table(FEEDBACK_HEADER, FEEDBACK_ROWS).encode()
    (folder / "download.zip").write_bytes(zip_bytes({
        "reports/orders.txt": orders,
        "feedback.txt.gz": gzip_bytes(feedback),
        "../evil.txt": orders,
        "/etc/evil.txt": feedback,
        "__MACOSX/._orders.txt": b"\x00\x05\x16\x07",
    }))
    inventory = ingest.discover(folder)
    assert {(s.path, s.kind) for s in inventory.sources} == {
        ("download.zip/reports/orders.txt", "orders"), ("download.zip/feedback.txt.gz", "feedback")}
    reasons = skipped_reasons(inventory)
    assert "unsafe path" in reasons["download.zip/../evil.txt"]
    assert "unsafe path" in reasons["download.zip//etc/evil.txt"]
    assert reasons["download.zip/__MACOSX/._orders.txt"] == "hidden or system file"
    # nothing was extracted next to the folder
    assert not (tmp_path / "evil.txt").exists()
    inputs = inputs_of(folder)
    assert report(inputs, "download.zip/reports/orders.txt").rows_loaded == 2
    assert report(inputs, "download.zip/feedback.txt.gz").rows_loaded == 2


def test_windows_drive_member_path_is_refused(tmp_path):
    folder = folder_with_orders(tmp_path)
    (folder / "w.zip").write_bytes(zip_bytes({"C:/Users/x/orders.txt": b"a\tb\n1\t2\n"}))
    reasons = skipped_reasons(ingest.discover(folder))
    assert "unsafe path" in reasons["w.zip/C:/Users/x/orders.txt"]


def test_output_folder_inside_the_input_folder_is_not_read(tmp_path):
    folder = folder_with_orders(tmp_path)
    write_orders(folder / "sellerdx-report", [order_row(9)], name="stale.txt")
    inventory = ingest.discover(folder, exclude=(folder / "sellerdx-report",))
    assert [s.path for s in inventory.sources] == ["orders.txt"]
