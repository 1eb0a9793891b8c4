"""Tests of the seeded sample-report generator (sellerdx.samplegen).

Expectations are computed here from the written bytes (csv module, hand-written headers from
report-formats.md), never taken from the generator's own arrays.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from sellerdx.samplegen import SampleSpec, generate

REPO = Path(__file__).resolve().parent.parent

ORDERS_HEADER = (
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
    "sales-channel\torder-channel\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\t"
    "item-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\t"
    "ship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\tpromotion-ids\tcpf\t"
    "is-business-order\tpurchase-order-number\tprice-designation\tsignature-confirmation-recommended"
)
ORDERS_HEADER_OLD = (
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
    "sales-channel\torder-channel\turl\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\t"
    "item-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\t"
    "ship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\tpromotion-ids\t"
    "is-business-order\tpurchase-order-number\tprice-designation"
)
RETURNS_MFN_HEADER = (
    "Order ID\tOrder date\tReturn request date\tReturn request status\tAmazon RMA ID\tMerchant RMA ID\tLabel type\t"
    "Label cost\tCurrency code\tReturn carrier\tTracking ID\tLabel to be paid by\tA-to-Z Claim\tIs prime\tASIN\t"
    "Merchant SKU\tItem Name\tReturn quantity\tReturn Reason\tIn policy\tReturn type\tResolution\tInvoice number\t"
    "Return delivery date\tOrder Amount\tOrder quantity\tSafeT Action reason\tSafeT claim id\tSafeT claim state\t"
    "SafeT claim creation time\tSafeT claim reimbursement amount\tRefunded Amount"
)
RETURNS_FBA_HEADER = (
    "return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\tdetailed-disposition\t"
    "reason\tstatus\tlicense-plate-number\tcustomer-comments"
)
FEEDBACK_HEADERS = {
    "us": "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\tArrived On Time\tItem As Described\t"
          "Customer Service\tStatus",
    "de": "Datum\tBewertung\tKommentare\tIhre Antwort\tBestellnummer\tE-Mail-Adresse des Bewerters",
    "jp": "日付\t評価\tコメント\t回答\t注文番号\t評価者のメールアドレス",
}
END = dt.date(2026, 10, 31)


# ---------------------------------------------------------------------------------------------- helpers

def raw_bytes(folder: Path, entry: dict) -> bytes:
    data = (folder / entry["path"]).read_bytes()
    if entry.get("compression") == "gzip":
        return gzip.decompress(data)
    if entry.get("compression") == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read(entry["member"])
    return data


def text_of(folder: Path, entry: dict) -> str:
    return raw_bytes(folder, entry).decode(entry["encoding"])


def rows_of(folder: Path, entry: dict) -> list[list[str]]:
    """Header + rows, read with the csv module the way Amazon files must be read."""
    text = text_of(folder, entry)
    if entry["delimiter"] == "\t":
        return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=entry["delimiter"]))


def dicts_of(folder: Path, entry: dict) -> list[dict[str, str]]:
    rows = rows_of(folder, entry)
    return [dict(zip(rows[0], r)) for r in rows[1:] if len(r) == len(rows[0])]


def entries(manifest: dict, kind: str) -> list[dict]:
    return [f for f in manifest["files"] if f["kind"] == kind]


def utc_date(iso: str) -> dt.date:
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC).date()


def latest_orders(folder: Path, manifest: dict) -> dict[str, dict[str, str]]:
    """One record per order: the row with the newest last-updated-date over both exports."""
    best: dict[str, dict[str, str]] = {}
    for entry in entries(manifest, "orders"):
        for row in dicts_of(folder, entry):
            if row["amazon-order-id"] == "123-45" or not row["quantity"].lstrip("-").isdigit():
                continue
            if int(row["quantity"]) < 0:
                continue
            old = best.get(row["amazon-order-id"])
            if old is None or dt.datetime.fromisoformat(row["last-updated-date"]) > \
                    dt.datetime.fromisoformat(old["last-updated-date"]):
                best[row["amazon-order-id"]] = row
    return best


# ---------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def us(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("us")
    return folder, generate(folder, SampleSpec(n_orders=3000, damaged_rows=5))


@pytest.fixture(scope="module")
def jp(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("jp")
    return folder, generate(folder, SampleSpec(variant="jp", n_orders=800))


@pytest.fixture(scope="module")
def de(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("de")
    return folder, generate(folder, SampleSpec(variant="de", n_orders=800))


# ---------------------------------------------------------------------------------------------- tests

def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    spec = SampleSpec(n_orders=500, seed=3)
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, spec)
    generate(b, spec)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert any(p.suffix == ".gz" for p in files_a) and any(p.suffix == ".zip" for p in files_a)
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    generate(tmp_path / "c", SampleSpec(n_orders=500, seed=4))
    assert (tmp_path / "c" / "Shipment_Confirmations.txt").read_bytes() != \
        (a / "Shipment_Confirmations.txt").read_bytes()


def test_manifest_lists_every_file_with_its_row_count(us: tuple[Path, dict]) -> None:
    folder, manifest = us
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {"planted.json"}
    assert listed == on_disk
    for entry in manifest["files"]:
        if entry["rows"] is None:
            continue
        lines = text_of(folder, entry).splitlines()
        assert len(lines) - 1 == entry["rows"], entry["path"]
    kinds = {f["kind"] for f in manifest["files"]}
    assert kinds == {"orders", "feedback", "claims", "chargebacks", "cancellations", "shipments",
                     "returns_mfn", "returns_fba", "performance", "skipped"}
    assert json.loads((folder / "planted.json").read_text(encoding="utf-8")) == manifest


def test_headers_are_the_reference_headers(us: tuple[Path, dict], jp: tuple[Path, dict],
                                           de: tuple[Path, dict]) -> None:
    folder, manifest = us
    orders = entries(manifest, "orders")
    headers = sorted(text_of(folder, e).split("\n", 1)[0] for e in orders)
    assert headers == sorted([ORDERS_HEADER, ORDERS_HEADER_OLD])
    assert len(ORDERS_HEADER.split("\t")) == 33 and len(ORDERS_HEADER_OLD.split("\t")) == 32
    assert text_of(folder, entries(manifest, "returns_mfn")[0]).split("\n", 1)[0] == RETURNS_MFN_HEADER
    assert len(RETURNS_MFN_HEADER.split("\t")) == 32
    fba = entries(manifest, "returns_fba")[0]
    assert fba["path"].endswith(".txt.gz")
    assert text_of(folder, fba).split("\n", 1)[0] == RETURNS_FBA_HEADER
    for variant, (vfolder, vmanifest) in (("us", us), ("jp", jp), ("de", de)):
        fb = entries(vmanifest, "feedback")[0]
        assert text_of(vfolder, fb).split("\n", 1)[0] == FEEDBACK_HEADERS[variant]
        for e in entries(vmanifest, "orders"):
            if variant != "us":
                assert text_of(vfolder, e).split("\n", 1)[0] == ORDERS_HEADER
    ship = [e for e in entries(manifest, "shipments") if e["style"] == "all_shipments"][0]
    assert text_of(folder, ship).split("\n", 1)[0] == (
        "Order ID\tExpected Ship Date\tShip Confirm Date\tCarrier\tTracking ID\tShipping Service\t"
        "First Carrier Scan\tPromised Delivery Date\tDelivered Date")


def test_encodings_really_are_cp932_and_cp1252(jp: tuple[Path, dict], de: tuple[Path, dict]) -> None:
    jfolder, jmanifest = jp
    fb = (jfolder / entries(jmanifest, "feedback")[0]["path"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        fb.decode("utf-8")
    text = fb.decode("cp932")
    assert "割れて" in text or "ガラス" in text          # Japanese comments survive the round trip
    assert fb.startswith("日付\t評価".encode("shift_jis"))
    orders = (jfolder / entries(jmanifest, "orders")[-1]["path"]).read_bytes()
    assert "東京都".encode("cp932") in orders and "Amazon.co.jp" in orders.decode("cp932")

    dfolder, dmanifest = de
    fb = (dfolder / entries(dmanifest, "feedback")[0]["path"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        fb.decode("utf-8")
    assert "Bewertung" in fb.decode("cp1252")
    assert "ü".encode("cp1252") in fb                    # 'Verkäufer', 'Größe' etc. as single bytes
    for e in dmanifest["files"]:
        assert e["encoding"] in ("cp1252", "utf-8")
        if e["encoding"] == "cp1252":
            raw_bytes(dfolder, e).decode("cp1252")


def test_german_excel_resaved_cancellations(de: tuple[Path, dict]) -> None:
    folder, manifest = de
    entry = entries(manifest, "cancellations")[0]
    raw = raw_bytes(folder, entry)
    assert entry["delimiter"] == ";" and raw.count(b"\r\n") == entry["rows"] + 1
    first, second = raw.decode("cp1252").split("\r\n")[:2]
    assert first == '"Order ID";"Cancellation Date";"Cancelled By";"Cancellation Reason";"SKU";"Amount"'
    fields = second.split(";")
    assert all(f.startswith('"') and f.endswith('"') for f in fields)
    amount = fields[-1].strip('"')
    assert "," in amount and "." not in amount and len(amount.split(",")[1]) == 2
    day, month, year = fields[1].strip('"').split("/")
    assert len(year) == 4 and 1 <= int(month) <= 12


def test_hostile_text_and_unquoted_double_quotes(us: tuple[Path, dict]) -> None:
    folder, manifest = us
    names = set()
    for e in entries(manifest, "orders"):
        for row in rows_of(folder, e)[1:]:
            if len(row) > 10:
                names.add(row[9] if row[8] != "" and len(row) == 33 else row[10])
    assert any(n.startswith('"') for n in names)                # starts with a quote, not quoted
    assert any('"' in n and "," in n and not n.startswith('"') for n in names)
    assert any("<script>alert(1)</script>" in n for n in names)
    assert any(n.startswith("=HYPERLINK(") for n in names)


def test_overlapping_exports_and_offsets(us: tuple[Path, dict]) -> None:
    folder, manifest = us
    first, second = entries(manifest, "orders")
    a = {(r["amazon-order-id"], r["sku"]): r for r in dicts_of(folder, first)}
    b = {(r["amazon-order-id"], r["sku"]): r for r in dicts_of(folder, second)}
    both = set(a) & set(b)
    assert both
    assert len({k[0] for k in both}) == manifest["orders"]["orders_in_both_exports"]
    changed = [k for k in both if a[k]["order-status"] != b[k]["order-status"]]
    assert changed
    for k in changed:
        assert dt.datetime.fromisoformat(b[k]["last-updated-date"]) > dt.datetime.fromisoformat(a[k]["last-updated-date"])
    assert any(a[k]["order-status"] == "Pending" and b[k]["order-status"].startswith("Shipped") for k in changed)
    stamps = [r["purchase-date"] for r in b.values()]
    assert any(s.endswith("-07:00") for s in stamps) and any(s.endswith("+00:00") for s in stamps)
    cancelled = [r for r in b.values() if r["order-status"] == "Cancelled"]
    assert cancelled and all(r["item-price"] == "" and r["quantity"] == "0" for r in cancelled)
    channels = [r["fulfillment-channel"] for r in latest_orders(folder, manifest).values()]
    assert 0.2 < channels.count("Amazon") / len(channels) < 0.4
    assert set(channels) == {"Merchant", "Amazon"}


def test_damaged_rows_are_where_the_manifest_says(us: tuple[Path, dict]) -> None:
    folder, manifest = us
    damaged = manifest["damaged_rows"]
    assert len(damaged) == 5
    by_path = {e["path"]: e for e in manifest["files"]}
    reasons = set()
    for d in damaged:
        entry = by_path[d["path"]]
        lines = text_of(folder, entry).split("\n")
        header = lines[0].split("\t")
        fields = lines[d["line"] - 1].split("\t")
        if d["reason"].startswith("truncated"):
            assert len(fields) < len(header)
            reasons.add("truncated")
            continue
        assert len(fields) == len(header)
        value = fields[header.index(d["column"])]
        if "rating" in d["reason"]:
            assert value == "7"
        elif "order id" in d["reason"]:
            assert value == "123-45"
        elif "quantity" in d["reason"]:
            assert value == "-1"
        elif "date" in d["reason"]:
            assert value == "unknown"
        reasons.add(d["reason"].split()[0])
    assert len(reasons) == 5
    # every other data line has exactly as many fields as its header
    for entry in manifest["files"]:
        if entry["delimiter"] != "\t":
            continue
        bad = {d["line"] for d in damaged if d["path"] == entry["path"] and d["reason"].startswith("truncated")}
        lines = text_of(folder, entry).split("\n")[:-1]
        width = len(lines[0].split("\t"))
        assert [i + 1 for i, ln in enumerate(lines) if len(ln.split("\t")) != width] == sorted(bad)


def test_clean_output_has_no_damaged_rows(tmp_path: Path) -> None:
    manifest = generate(tmp_path, SampleSpec(n_orders=400, damaged_rows=0, overlap_exports=False,
                                             performance_json=False))
    assert manifest["damaged_rows"] == []
    assert len(entries(manifest, "orders")) == 1 and not entries(manifest, "performance")
    assert manifest["performance_gap"] is None


def test_weekend_backlog_matches_shipments_file(us: tuple[Path, dict]) -> None:
    folder, manifest = us
    orders = latest_orders(folder, manifest)
    ship = [e for e in entries(manifest, "shipments") if e["style"] == "all_shipments"][0]
    late: dict[str, bool] = {}
    for row in dicts_of(folder, ship):
        expected = dt.datetime.strptime(row["Expected Ship Date"], "%Y-%m-%d %H:%M:%S")
        try:
            confirmed = dt.datetime.strptime(row["Ship Confirm Date"], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue                                          # the damaged 'unknown' copy
        late[row["Order ID"]] = confirmed > expected
    start = END - dt.timedelta(days=29)
    counts = defaultdict(int)
    for oid, row in orders.items():
        day = utc_date(row["purchase-date"])
        if row["fulfillment-channel"] != "Merchant" or row["order-status"] == "Cancelled" or day < start:
            continue
        group = "weekend" if day.weekday() >= 4 else "weekday"
        counts[f"{group}_orders"] += 1
        counts[f"late_{group}_orders"] += late.get(oid, False)
    problem = next(p for p in manifest["problems"] if p["code"] == "late_shipment.weekend_backlog")
    assert dict(counts) == problem["counts"]
    assert problem["entities"]["weekdays"] == ["Friday", "Saturday", "Sunday"]
    weekend_rate = counts["late_weekend_orders"] / counts["weekend_orders"]
    weekday_rate = counts["late_weekday_orders"] / counts["weekday_orders"]
    assert weekend_rate > 0.15 and weekday_rate < 0.05
    # every shipped MFN order has a shipment row (the file is not 'late only')
    shipped_mfn = {o for o, r in orders.items() if r["fulfillment-channel"] == "Merchant"
                   and r["order-status"].startswith("Shipped")}
    assert shipped_mfn <= set(late)
    lsr30 = manifest["expected_metrics"]["lsr_30d"]
    assert lsr30["numerator"] == counts["late_weekend_orders"] + counts["late_weekday_orders"]
    assert lsr30["denominator"] == counts["weekend_orders"] + counts["weekday_orders"]


def test_late_only_zip_agrees_with_shipments(us: tuple[Path, dict]) -> None:
    folder, manifest = us
    late_only = [e for e in entries(manifest, "shipments") if e.get("style") == "late_only"][0]
    assert late_only["path"].startswith("downloads/older/") and late_only["path"].endswith(".zip")
    rows = dicts_of(folder, late_only)
    assert rows and all(r["Late"] == "Yes" and len(r["Expected Ship Date"]) == 10 for r in rows)
    full = {r["Order ID"]: r for r in dicts_of(folder, [e for e in entries(manifest, "shipments")
                                                        if e["style"] == "all_shipments"][0])}
    for r in rows:
        assert full[r["Order ID"]]["Ship Confirm Date"][:10] > r["Expected Ship Date"]


def test_excluded_counts_and_stockout_match_files(us: tuple[Path, dict]) -> None:
    folder, manifest = us
    claims = [r for r in dicts_of(folder, entries(manifest, "claims")[0]) if r["Order ID"] != "123-45"]
    status = [r["Claim Status"] for r in claims]
    ex = manifest["excluded"]
    assert status.count("Withdrawn") == ex["claims_withdrawn"] >= 1
    assert status.count("Granted - Amazon funded") == ex["claims_amazon_funded"] >= 1
    assert status.count("Denied") + status.count("Decided in seller's favor") == ex["claims_denied"] >= 1
    assert {"Pending", "Granted", "Closed"} & set(status)
    cbs = dicts_of(folder, entries(manifest, "chargebacks")[0])
    fraud = [r for r in cbs if r["Chargeback Type"] == "Fraud"]
    assert len(fraud) == ex["chargebacks_fraud"] >= 2
    assert {r["Chargeback Reason"] for r in fraud} <= {"Unauthorized transaction", "Not recognized"}
    assert any(r["Chargeback Type"] == "Service" and r["Chargeback Reason"] == "Item not received" for r in cbs)
    cancels = dicts_of(folder, entries(manifest, "cancellations")[0])
    assert sum(r["Cancelled By"] == "Buyer" for r in cancels) == ex["cancellations_buyer"]
    assert {r["Cancelled By"] for r in cancels} == {"Seller", "Buyer", "Amazon"}
    fb = dicts_of(folder, entries(manifest, "feedback")[0])
    assert sum(r["Status"] == "Removed" for r in fb) == ex["feedback_removed"] >= 1
    assert sum(r["Status"] == "Struck through" for r in fb) == ex["feedback_struck_through"] >= 1

    problem = next(p for p in manifest["problems"] if p["code"] == "cancellation.stockout")
    sku = problem["entities"]["skus"][0]
    lo, hi = (dt.date.fromisoformat(d) for d in problem["period"])
    orders = latest_orders(folder, manifest)
    stockout = [r for r in cancels if r["SKU"] == sku and r["Cancellation Reason"] == "No inventory"
                and lo <= utc_date(orders[r["Order ID"]]["purchase-date"]) <= hi]
    assert len(stockout) == problem["counts"]["cancelled_no_inventory"] > 0


def test_expected_metrics_recomputed_from_the_files(us: tuple[Path, dict]) -> None:
    """PFCR and ODR (MFN) counted by hand from the exports agree with the manifest and Amazon's JSON."""
    folder, manifest = us
    orders = latest_orders(folder, manifest)
    day = {o: utc_date(r["purchase-date"]) for o, r in orders.items()}
    mfn = {o for o, r in orders.items() if r["fulfillment-channel"] == "Merchant"}
    # PFCR: 7 days ending on END, seller- or Amazon-initiated cancellations
    week = {o for o in mfn if END - dt.timedelta(days=6) <= day[o] <= END}
    cancels = dicts_of(folder, entries(manifest, "cancellations")[0])
    seller = {r["Order ID"] for r in cancels if r["Cancelled By"] in ("Seller", "Amazon")}
    assert manifest["expected_metrics"]["pfcr"]["numerator"] == len(week & seller)
    assert manifest["expected_metrics"]["pfcr"]["denominator"] == len(week)
    assert len(week & seller) / len(week) > 0.025
    # ODR MFN: 60 days ending END - 14
    lo, hi = END - dt.timedelta(days=73), END - dt.timedelta(days=14)
    window = {o for o in mfn if lo <= day[o] <= hi}
    fb = [r for r in dicts_of(folder, entries(manifest, "feedback")[0]) if r["Rating"] in ("1", "2")
          and r["Status"] == ""]
    claims = [r for r in dicts_of(folder, entries(manifest, "claims")[0]) if r["Claim Status"] not in
              ("Denied", "Decided in seller's favor", "Withdrawn", "Granted - Amazon funded")]
    cbs = [r for r in dicts_of(folder, entries(manifest, "chargebacks")[0]) if r["Chargeback Type"] == "Service"]
    defects = {r["Order ID"] for r in fb} | {r["Order ID"] for r in claims} | {r["Order ID"] for r in cbs}
    odr = manifest["expected_metrics"]["odr_mfn"]
    assert (odr["numerator"], odr["denominator"]) == (len(window & defects), len(window))
    assert odr["claims"] == len(window & {r["Order ID"] for r in claims})
    assert 0.01 < odr["rate"] < 0.04
    perf_entry = entries(manifest, "performance")[0]
    perf = json.loads((folder / perf_entry["path"]).read_text(encoding="utf-8"))
    amazon = perf["performanceMetrics"][0]["orderDefectRate"]["mfn"]
    assert amazon["orderCount"] == len(window)
    assert amazon["claims"]["count"] == odr["claims"] + 1          # the planted reconciliation gap
    assert amazon["reportingDateRange"]["reportingDateTo"] == f"{hi}T23:59:59Z"
    assert "one more" in manifest["performance_gap"]
    lsr = perf["performanceMetrics"][0]["lateShipmentRateList"]
    assert [x["reportingDateRange"]["reportingDateFrom"][:10] for x in lsr] == \
        [str(END - dt.timedelta(days=9)), str(END - dt.timedelta(days=29))]


def test_planted_ids_point_at_real_entities(us: tuple[Path, dict]) -> None:
    folder, manifest = us
    orders = latest_orders(folder, manifest)
    asins = {r["asin"] for r in orders.values()}
    ship = [e for e in entries(manifest, "shipments") if e["style"] == "all_shipments"][0]
    ship_rows = dicts_of(folder, ship)
    carriers = {r["Carrier"] for r in ship_rows}
    assert {"UPS", "USPS", "FedEx", "SwiftPost", "Other"} <= carriers
    assert all(r["Tracking ID"] == "" for r in ship_rows if r["Carrier"] == "Other")
    for p in manifest["problems"]:
        assert set(p["entities"]["asins"]) <= asins
        assert set(p["entities"]["carriers"]) <= carriers
        assert dt.date.fromisoformat(p["period"][1]) <= END
    damaged = next(p for p in manifest["problems"] if p["code"] == "negative_feedback.damaged")
    glass = damaged["entities"]["asins"][0]
    returns = dicts_of(folder, entries(manifest, "returns_mfn")[0])
    broken = [r for r in returns if r["Return Reason"] == "CR-DAMAGED_BY_CARRIER"]
    assert broken and all(r["ASIN"] == glass for r in broken)
    assert len(broken) == damaged["counts"]["returns_damaged_by_carrier"]
    assert all(r["Return request date"][2] == "-" and r["Return request date"][3:6].isalpha() for r in returns)
    lost = next(p for p in manifest["problems"] if p["code"] == "claims.item_not_received")
    swift = {r["Order ID"] for r in ship_rows if r["Carrier"] == "SwiftPost"}
    inr = [r for r in dicts_of(folder, entries(manifest, "claims")[0])
           if r["Claim Reason"] == "Item not received" and r["Order ID"] in swift]
    assert len(inr) >= lost["counts"]["claims"] > 0


def test_sizes_scale_with_orders(tmp_path: Path) -> None:
    small = generate(tmp_path / "s", SampleSpec(n_orders=400, damaged_rows=0))
    large = generate(tmp_path / "l", SampleSpec(n_orders=1600, damaged_rows=0))

    def order_rows(m: dict) -> int:
        return sum(e["rows"] for e in entries(m, "orders"))

    ratio = order_rows(large) / order_rows(small)
    assert 3.5 < ratio < 4.5
    ship = lambda m: next(e["rows"] for e in entries(m, "shipments") if e["style"] == "all_shipments")  # noqa: E731
    assert 3.0 < ship(large) / ship(small) < 5.0
    size = lambda p: sum(f.stat().st_size for f in p.rglob("*") if f.is_file())  # noqa: E731
    assert size(tmp_path / "l") > 3 * size(tmp_path / "s")
    assert 1.15 < large["orders"]["order_items"] / large["orders"]["orders"] < 1.35


def test_rejects_unknown_variant(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="variant"):
        generate(tmp_path, SampleSpec(variant="fr"))


@pytest.mark.parametrize("name,spec", [
    ("us-seller", SampleSpec(variant="us", n_orders=4000, seed=7)),
    ("jp-seller", SampleSpec(variant="jp", n_orders=2000, seed=7)),
    ("de-seller", SampleSpec(variant="de", n_orders=2000, seed=7)),
])
def test_bundled_sample_folders_are_up_to_date(tmp_path: Path, name: str, spec: SampleSpec) -> None:
    bundled = REPO / "sample_reports" / name
    generate(tmp_path, spec)
    fresh = {str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    kept = {str(p.relative_to(bundled)): p.read_bytes() for p in bundled.rglob("*") if p.is_file()}
    assert fresh == kept, f"regenerate sample_reports/{name} (see sample_reports/README.md)"
    assert sum(len(b) for b in kept.values()) < 2_200_000
