"""Reading: encodings (and the one reported), line endings, Amazon's quote-less TSV, Excel's quoted CSV,
decimal commas, every date format of report-formats.md with the UTC shifts, unknown columns.

Expected values are worked out by hand in each test (e.g. 22:30 at -07:00 is 05:30 UTC the next day).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sellerdx import ingest
from support.exports import (
    FEEDBACK_HEADER,
    ORDERS_HEADER,
    RETURNS_MFN_HEADER,
    analysis_of,
    oid,
    order_row,
    rejected,
    report,
    table,
    write_orders,
    write_text,
)


def folder_with_orders(tmp_path: Path, rows=None, **kwargs) -> Path:
    folder = tmp_path / "exports"
    write_orders(folder, rows, **kwargs)
    return folder


def q(analysis, sql: str) -> list[tuple]:
    return analysis.con.execute(sql).fetchall()


# --------------------------------------------------------------------------------------------- encodings
def test_utf8_without_bom(tmp_path):
    folder = folder_with_orders(tmp_path, [order_row(1, product_name="Café crème – 12 pcs")])
    a = analysis_of(folder)
    assert report(a.inputs, "orders.txt").encoding == "utf-8"
    assert q(a, "SELECT product_name FROM orders") == [("Café crème – 12 pcs",)]


def test_utf8_with_bom_header_still_matches(tmp_path):
    folder = folder_with_orders(tmp_path, [order_row(1, product_name="Ärmel")], bom=True)
    a = analysis_of(folder)
    rep = report(a.inputs, "orders.txt")
    assert rep.encoding == "utf-8-sig"
    # the BOM is not part of the first header, so amazon-order-id is mapped and the id is clean
    assert rep.columns_mapped["order_id"] == "amazon-order-id"
    assert q(a, "SELECT order_id, product_name FROM orders") == [(oid(1), "Ärmel")]


def test_cp1252_with_euro_sign_and_umlauts(tmp_path):
    rows = [order_row(1, product_name="Müsli-Schüssel Größe L", currency="EUR", item_price="5,00 €"),
            order_row(2, product_name="Crème brûlée Förmchen", currency="EUR", item_price="19.99")]
    folder = folder_with_orders(tmp_path, rows, encoding="cp1252")
    raw = (folder / "orders.txt").read_bytes()
    assert b"\x80" in raw and b"\xfc" in raw          # really cp1252: € is 0x80, ü is 0xFC
    a = analysis_of(folder)
    rep = report(a.inputs, "orders.txt")
    assert rep.encoding == "cp1252"
    assert q(a, "SELECT product_name FROM orders ORDER BY order_id") == [
        ("Müsli-Schüssel Größe L",), ("Crème brûlée Förmchen",)]


def test_cp932_japanese_product_names(tmp_path):
    rows = [order_row(1, product_name="木製ハンガー 10本セット", currency="JPY", item_price="1980"),
            order_row(2, product_name="ステンレス水筒 500ml", currency="JPY", item_price="2480")]
    folder = folder_with_orders(tmp_path, rows, encoding="cp932")
    a = analysis_of(folder)
    rep = report(a.inputs, "orders.txt")
    assert rep.encoding == "cp932"
    assert q(a, "SELECT product_name, item_price FROM orders ORDER BY order_id") == [
        ("木製ハンガー 10本セット", 1980.0), ("ステンレス水筒 500ml", 2480.0)]


def test_cp932_japanese_feedback_headers_and_comments(tmp_path):
    folder = folder_with_orders(tmp_path)
    header = ("日付", "評価", "コメント", "回答", "注文番号", "評価者のメールアドレス")
    rows = [["26/9/1", "1", "商品が届きませんでした", "", oid(1), ""],
            ["26/9/13", "5", "とても良い", "ありがとうございます", oid(2), ""]]
    write_text(folder / "feedback.txt", table(header, rows, eol="\r\n"), encoding="cp932")
    a = analysis_of(folder, marketplace="JP")
    rep = report(a.inputs, "feedback.txt")
    assert (rep.kind, rep.encoding, rep.rows_loaded) == ("feedback", "cp932", 2)
    assert q(a, "SELECT comments, response FROM feedback ORDER BY order_id") == [
        ("商品が届きませんでした", None), ("とても良い", "ありがとうございます")]


def test_utf16_from_excel_unicode_text(tmp_path):
    # Excel's "Unicode Text (*.txt)": UTF-16 little endian with a BOM, tab-separated, CRLF.
    folder = folder_with_orders(tmp_path)
    text = table(FEEDBACK_HEADER, [["9/13/26", "2", "Zu spät – leider", "", oid(1), "a@example.de"],
                                   ["9/14/26", "5", "日本語もOK", "", oid(2), ""]], eol="\r\n")
    (folder / "feedback.txt").write_bytes(text.encode("utf-16"))     # Python writes the LE BOM first
    assert (folder / "feedback.txt").read_bytes()[:2] == b"\xff\xfe"
    a = analysis_of(folder)
    rep = report(a.inputs, "feedback.txt")
    assert rep.encoding == "utf-16" and rep.rows_loaded == 2
    assert q(a, "SELECT comments, rater_email FROM feedback ORDER BY order_id") == [
        ("Zu spät – leider", "a@example.de"), ("日本語もOK", None)]


def test_detect_encoding_directly():
    assert ingest.detect_encoding(b"a\tb\n") == "utf-8"
    assert ingest.detect_encoding(b"\xef\xbb\xbfa\tb\n") == "utf-8-sig"
    assert ingest.detect_encoding("a\tb\n".encode("utf-16")) == "utf-16"
    assert ingest.detect_encoding("amazon-order-id\tproduct-name\n1\tMüsli 5€\n".encode("cp1252")) == "cp1252"
    assert ingest.detect_encoding("注文番号\t商品名\n1\t木製ハンガー\n".encode("cp932")) == "cp932"
    # a sample cut inside a multi-byte UTF-8 character is still UTF-8
    assert ingest.detect_encoding("abc\tü".encode()[:-1]) == "utf-8"
    # NUL bytes without a UTF-16 BOM: binary
    assert ingest.detect_encoding(b"PK\x03\x04\x14\x00\x00\x00") is None


# --------------------------------------------------------------------------------------------- line endings, quotes
def test_crlf_tsv_last_column_has_no_carriage_return(tmp_path):
    folder = folder_with_orders(tmp_path)
    write_text(folder / "claims.txt", table(("Order ID", "Claim Date", "Claim Status"),
                                            [[oid(1), "2026-09-10", "Granted"], [oid(2), "2026-09-11", "Open"]],
                                            eol="\r\n"))
    a = analysis_of(folder)
    assert report(a.inputs, "claims.txt").rows_loaded == 2
    assert q(a, "SELECT claim_status, status_code FROM claims ORDER BY order_id") == [
        ("Granted", "granted"), ("Open", "open")]


def test_double_quote_inside_tsv_is_literal(tmp_path):
    rows = [order_row(1, product_name='12" ruler, steel'),
            order_row(2, product_name='"Best" mug'),
            order_row(3, product_name='Poster 24"x36"')]
    folder = folder_with_orders(tmp_path, rows)
    a = analysis_of(folder)
    rep = report(a.inputs, "orders.txt")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (3, 3, 0)
    assert q(a, "SELECT product_name, source_line FROM orders ORDER BY order_id") == [
        ('12" ruler, steel', 2), ('"Best" mug', 3), ('Poster 24"x36"', 4)]


def test_excel_comma_csv_quoted_fields_embedded_delimiters_and_newlines(tmp_path):
    folder = folder_with_orders(tmp_path)
    text = ('Order ID,Cancellation Date,Cancelled By,Cancellation Reason\r\n'
            f'"{oid(1)}",2026-09-02,Seller,"No inventory, sorry"\r\n'        # line 2
            f'"{oid(2)}",2026-09-03,Buyer,"line one\r\nline two"\r\n'        # lines 3-4
            f'{oid(3)},2026-09-04,Seller,"He said ""no"""\r\n'               # line 5
            f'bad-id,2026-09-05,Seller,x\r\n')                              # line 6: rejected
    write_text(folder / "cancels.csv", text)
    a = analysis_of(folder)
    rep = report(a.inputs, "cancels.csv")
    assert (rep.delimiter, rep.rows_read, rep.rows_loaded, rep.rows_rejected) == ("comma", 4, 3, 1)
    assert q(a, "SELECT order_id, cancel_reason, source_line FROM cancellations ORDER BY order_id") == [
        (oid(1), "No inventory, sorry", 2), (oid(2), "line one\r\nline two", 3), (oid(3), 'He said "no"', 5)]
    assert [line for line, _, _ in rejected(a.inputs, "cancels.csv")] == [6]


def test_semicolon_csv_with_decimal_commas(tmp_path):
    # German Excel: ';' between fields, ',' as the decimal mark, '.' for thousands.
    folder = folder_with_orders(tmp_path)
    text = ('Order ID;Claim Date;Claim Status;Claim Amount\r\n'
            f'{oid(1)};2026-09-01;Offen;12,99\r\n'
            f'{oid(2)};2026-09-02;Offen;"1.299,50"\r\n'
            f'"{oid(3)}";2026-09-03;"Offen; geprüft";0,5\r\n')
    write_text(folder / "claims.csv", text, encoding="cp1252")
    a = analysis_of(folder)
    rep = report(a.inputs, "claims.csv")
    assert (rep.delimiter, rep.encoding, rep.rows_loaded) == ("semicolon", "cp1252", 3)
    assert q(a, "SELECT amount, claim_status FROM claims ORDER BY order_id") == [
        (12.99, "Offen"), (1299.5, "Offen"), (0.5, "Offen; geprüft")]


def test_comma_csv_amount_with_thousands_separator(tmp_path):
    folder = folder_with_orders(tmp_path)
    text = ('Order ID,Claim Date,Claim Status,Claim Amount\n'
            f'{oid(1)},2026-09-01,Open,"1,299.50"\n'
            f'{oid(2)},2026-09-01,Open,$12.99\n')
    write_text(folder / "claims.csv", text)
    a = analysis_of(folder)
    assert q(a, "SELECT amount FROM claims ORDER BY order_id") == [(1299.5,), (12.99,)]


# --------------------------------------------------------------------------------------------- dates: orders
def test_iso_offsets_are_converted_to_utc_dates(tmp_path):
    rows = [order_row(1, "2026-09-01T22:30:00-07:00"),    # 05:30 UTC on Sep 2
            order_row(2, "2026-09-01T23:30:00+09:00"),    # 14:30 UTC on Sep 1
            order_row(3, "2026-09-01T08:00:00+09:00"),    # 23:00 UTC on Aug 31
            order_row(4, "2026-09-01T10:00:00Z"),
            order_row(5, "2026-09-01T10:00:00+00:00")]
    folder = folder_with_orders(tmp_path, rows)
    a = analysis_of(folder)
    assert q(a, "SELECT purchase_ts, purchase_date FROM orders ORDER BY order_id") == [
        (dt.datetime(2026, 9, 2, 5, 30), dt.date(2026, 9, 2)),
        (dt.datetime(2026, 9, 1, 14, 30), dt.date(2026, 9, 1)),
        (dt.datetime(2026, 8, 31, 23, 0), dt.date(2026, 8, 31)),
        (dt.datetime(2026, 9, 1, 10, 0), dt.date(2026, 9, 1)),
        (dt.datetime(2026, 9, 1, 10, 0), dt.date(2026, 9, 1))]
    rep = report(a.inputs, "orders.txt")
    assert (rep.date_min, rep.date_max) == (dt.date(2026, 8, 31), dt.date(2026, 9, 2))


SHIP_HEADER = ("Order ID", "Expected Ship Date", "Ship Confirm Date", "Tracking ID")


@pytest.mark.parametrize(("value", "expected", "has_time"), [
    ("2026-10-01T10:00:00-07:00", dt.datetime(2026, 10, 1, 17, 0), True),
    ("2026-10-01T20:00:00-05:00", dt.datetime(2026, 10, 2, 1, 0), True),
    ("2026-10-01", dt.datetime(2026, 10, 1), False),
    ("2026-10-01 10:00:00", dt.datetime(2026, 10, 1, 10, 0), True),
    ("2026-10-01 10:00:00 PDT", dt.datetime(2026, 10, 1, 17, 0), True),
    ("2026-12-01 10:00:00 PST", dt.datetime(2026, 12, 1, 18, 0), True),
    ("2026-10-01 20:00:00 PDT", dt.datetime(2026, 10, 2, 3, 0), True),
    ("2026-10-01 10:00:00 UTC", dt.datetime(2026, 10, 1, 10, 0), True),
    ("2026-10-01 10:00:00 GMT", dt.datetime(2026, 10, 1, 10, 0), True),
    ("10/01/2026", dt.datetime(2026, 10, 1), False),
    ("10/13/2026", dt.datetime(2026, 10, 13), False),          # MM/DD/YYYY, 13 can only be the day
    ("13/10/2026", dt.datetime(2026, 10, 13), False),          # DD/MM/YYYY, decided by 13 > 12
    ("10/13/2026 14:05:00", dt.datetime(2026, 10, 13, 14, 5), True),
])
def test_shipment_timestamp_formats(tmp_path, value, expected, has_time):
    folder = folder_with_orders(tmp_path)
    write_text(folder / "ship.txt", table(SHIP_HEADER, [[oid(1), value, "", "1Z1"]]))
    a = analysis_of(folder)
    rep = report(a.inputs, "ship.txt")
    assert (rep.rows_loaded, rep.rows_rejected) == (1, 0)
    assert q(a, "SELECT expected_ship_ts, expected_ship_has_time FROM shipments") == [(expected, has_time)]


def test_day_first_column_decided_by_a_value_over_12(tmp_path):
    folder = folder_with_orders(tmp_path)
    rows = [[oid(1), "03/04/2026", "Open"], [oid(2), "05/06/2026", "Open"], [oid(3), "25/06/2026", "Open"]]
    write_text(folder / "claims.txt", table(("Order ID", "Claim Date", "Claim Status"), rows))
    a = analysis_of(folder)
    assert q(a, "SELECT claim_date FROM claims ORDER BY order_id") == [
        (dt.date(2026, 4, 3),), (dt.date(2026, 6, 5),), (dt.date(2026, 6, 25),)]
    assert report(a.inputs, "claims.txt").warnings == ()


def test_month_first_column_decided_by_a_value_over_12(tmp_path):
    folder = folder_with_orders(tmp_path)
    rows = [[oid(1), "03/04/2026", "Open"], [oid(2), "06/25/2026", "Open"]]
    write_text(folder / "claims.txt", table(("Order ID", "Claim Date", "Claim Status"), rows))
    a = analysis_of(folder)
    assert q(a, "SELECT claim_date FROM claims ORDER BY order_id") == [
        (dt.date(2026, 3, 4),), (dt.date(2026, 6, 25),)]


@pytest.mark.parametrize(("marketplace", "expected"), [
    ("US", [dt.date(2026, 3, 4), dt.date(2026, 5, 6)]),
    ("UK", [dt.date(2026, 4, 3), dt.date(2026, 6, 5)]),
    ("DE", [dt.date(2026, 4, 3), dt.date(2026, 6, 5)]),
])
def test_ambiguous_slash_dates_follow_the_marketplace(tmp_path, marketplace, expected):
    folder = folder_with_orders(tmp_path)
    rows = [[oid(1), "03/04/2026", "Open"], [oid(2), "05/06/2026", "Open"]]
    write_text(folder / "claims.txt", table(("Order ID", "Claim Date", "Claim Status"), rows))
    a = analysis_of(folder, marketplace=marketplace)
    assert [r[0] for r in q(a, "SELECT claim_date FROM claims ORDER BY order_id")] == expected


def test_ambiguous_slash_dates_without_marketplace_are_warned(tmp_path):
    folder = folder_with_orders(tmp_path)
    rows = [[oid(1), "03/04/2026", "Open"], [oid(2), "05/06/2026", "Open"]]
    write_text(folder / "claims.txt", table(("Order ID", "Claim Date", "Claim Status"), rows))
    a = analysis_of(folder)
    warnings = report(a.inputs, "claims.txt").warnings
    assert any("Claim Date" in w and "--marketplace" in w for w in warnings)


def test_claim_date_with_negative_offset_is_the_utc_day(tmp_path):
    folder = folder_with_orders(tmp_path)
    write_text(folder / "claims.txt", table(("Order ID", "Claim Date", "Claim Status"),
                                            [[oid(1), "2026-09-30T21:00:00-07:00", "Open"]]))
    a = analysis_of(folder)
    assert q(a, "SELECT claim_date FROM claims") == [(dt.date(2026, 10, 1),)]   # 04:00 UTC on Oct 1


def test_returns_named_month_dates(tmp_path):
    folder = folder_with_orders(tmp_path)
    row = [""] * len(RETURNS_MFN_HEADER)
    for k, v in {"Order ID": oid(1), "Order date": "01-Sep-2026", "Return request date": "29-Sep-2026",
                 "Return Reason": "CR-DEFECTIVE", "Return quantity": "1"}.items():
        row[RETURNS_MFN_HEADER.index(k)] = v
    write_text(folder / "returns.txt", table(RETURNS_MFN_HEADER, [row]))
    a = analysis_of(folder)
    assert q(a, "SELECT order_date, return_request_date, return_quantity FROM returns_mfn") == [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 29), 1)]


# --------------------------------------------------------------------------------------------- dates: feedback
@pytest.mark.parametrize(("values", "marketplace", "expected"), [
    # M/D/YY (US): 9/13/26 = 13 Sep 2026 fixes the order
    (["9/13/26", "1/2/26"], None, [dt.date(2026, 9, 13), dt.date(2026, 1, 2)]),
    # D/M/YY (UK, FR, ...): 13/9/26 fixes the order
    (["13/9/26", "1/2/26"], None, [dt.date(2026, 9, 13), dt.date(2026, 2, 1)]),
    # D.M.YY (DE)
    (["13.9.26", "1.2.26"], None, [dt.date(2026, 9, 13), dt.date(2026, 2, 1)]),
    # YYYY-MM-DD (SE)
    (["2026-09-13", "2026-02-01"], None, [dt.date(2026, 9, 13), dt.date(2026, 2, 1)]),
    # YY/M/D (JP): 26/9/13 = 13 Sep 2026
    (["26/9/13", "26/2/1"], "JP", [dt.date(2026, 9, 13), dt.date(2026, 2, 1)]),
    # Amazon's own example: 13 Jan 2017 in each marketplace's format
    (["1/13/17"], "US", [dt.date(2017, 1, 13)]),
    (["13/1/17"], "UK", [dt.date(2017, 1, 13)]),
    (["13.1.17"], "DE", [dt.date(2017, 1, 13)]),
    (["17/1/13"], "JP", [dt.date(2017, 1, 13)]),
    (["2017-01-13"], "SE", [dt.date(2017, 1, 13)]),
], ids=["us", "day_first", "dotted", "iso", "jp", "ex-us", "ex-uk", "ex-de", "ex-jp", "ex-se"])
def test_feedback_date_formats(tmp_path, values, marketplace, expected):
    folder = folder_with_orders(tmp_path)
    rows = [[v, "5", "", "", oid(i + 1), ""] for i, v in enumerate(values)]
    write_text(folder / "fb.txt", table(FEEDBACK_HEADER, rows))
    a = analysis_of(folder, marketplace=marketplace)
    assert report(a.inputs, "fb.txt").rows_loaded == len(values)
    assert [r[0] for r in q(a, "SELECT feedback_date FROM feedback ORDER BY order_id")] == expected


@pytest.mark.parametrize(("marketplace", "expected"), [
    ("US", [dt.date(2026, 3, 4), dt.date(2026, 5, 6)]),
    ("FR", [dt.date(2026, 4, 3), dt.date(2026, 6, 5)]),
])
def test_ambiguous_feedback_column_resolved_by_marketplace(tmp_path, marketplace, expected):
    folder = folder_with_orders(tmp_path)
    rows = [["3/4/26", "5", "", "", oid(1), ""], ["5/6/26", "4", "", "", oid(2), ""]]
    write_text(folder / "fb.txt", table(FEEDBACK_HEADER, rows))
    a = analysis_of(folder, marketplace=marketplace)
    assert [r[0] for r in q(a, "SELECT feedback_date FROM feedback ORDER BY order_id")] == expected


def test_ambiguous_feedback_column_without_marketplace_warns(tmp_path):
    folder = folder_with_orders(tmp_path)
    rows = [["3/4/26", "5", "", "", oid(1), ""], ["5/6/26", "4", "", "", oid(2), ""]]
    write_text(folder / "fb.txt", table(FEEDBACK_HEADER, rows))
    a = analysis_of(folder)
    dates = [r[0] for r in q(a, "SELECT feedback_date FROM feedback ORDER BY order_id")]
    # either reading is defensible, but it must be a real 2026 date and the user must be told
    assert dates in ([dt.date(2026, 3, 4), dt.date(2026, 5, 6)], [dt.date(2026, 4, 3), dt.date(2026, 6, 5)])
    assert any("--marketplace" in w for w in report(a.inputs, "fb.txt").warnings)


# --------------------------------------------------------------------------------------------- unknown columns
def test_unknown_columns_are_warned_and_kept_out(tmp_path):
    folder = folder_with_orders(tmp_path)
    header = ("Order ID", "Claim Date", "Claim Status", "Internal Note", "Bearbeiter")
    write_text(folder / "claims.txt", table(header, [[oid(1), "2026-09-01", "Open", "call back", "Jan"]]))
    a = analysis_of(folder)
    rep = report(a.inputs, "claims.txt")
    assert rep.unknown_columns == ("Internal Note", "Bearbeiter")
    assert any("Internal Note" in w and "Bearbeiter" in w for w in rep.warnings)
    assert "Internal Note" not in rep.columns_mapped.values()
    cols = {r[0] for r in q(a, "SELECT column_name FROM (DESCRIBE claims)")}
    assert not {"internal_note", "Internal Note", "bearbeiter"} & cols
    assert rep.rows_loaded == 1


# --------------------------------------------------------------------------------------------- beyond the sample
def _late_cp1252_orders() -> bytes:
    # ~290 KB: the first 256 KiB (the sniffing sample) are pure ASCII; the last line has cp1252 bytes.
    rows = [order_row(i) for i in range(1, 1500)] + [order_row(1500, product_name="Crème brûlée Schüssel")]
    data = table(ORDERS_HEADER, rows).encode("cp1252")
    assert len(data) > ingest.SAMPLE_BYTES and data[: ingest.SAMPLE_BYTES].isascii()
    return data


def test_legacy_bytes_after_the_sample_plain_file(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "orders.txt").write_bytes(_late_cp1252_orders())
    a = analysis_of(folder)
    rep = report(a.inputs, "orders.txt")
    assert (rep.encoding, rep.rows_loaded) == ("cp1252", 1500)
    assert q(a, f"SELECT product_name FROM orders WHERE order_id = '{oid(1500)}'") == [("Crème brûlée Schüssel",)]


def test_legacy_bytes_after_the_sample_gzip(tmp_path):
    import gzip
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "orders.txt.gz").write_bytes(gzip.compress(_late_cp1252_orders()))
    a = analysis_of(folder)
    assert (report(a.inputs, "orders.txt.gz").encoding, report(a.inputs, "orders.txt.gz").rows_loaded) == (
        "cp1252", 1500)


def test_legacy_bytes_after_the_sample_zip_member(tmp_path):
    # The same bytes inside a zip must be read exactly as they are on disk or gzipped.
    from support.exports import zip_bytes
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "orders.zip").write_bytes(zip_bytes({"orders.txt": _late_cp1252_orders()}))
    a = analysis_of(folder)
    rep = report(a.inputs, "orders.zip/orders.txt")
    assert (rep.encoding, rep.rows_loaded) == ("cp1252", 1500)
    assert q(a, f"SELECT product_name FROM orders WHERE order_id = '{oid(1500)}'") == [("Crème brûlée Schüssel",)]


def test_control_character_inside_a_tsv_field_does_not_cut_the_line(tmp_path):
    # A title with an ASCII unit separator (0x1F) still has 33 tab-separated fields.
    folder = folder_with_orders(tmp_path, [order_row(1, product_name="Mug\x1fblue"), order_row(2)])
    a = analysis_of(folder)
    rep = report(a.inputs, "orders.txt")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (2, 2, 0)
    assert q(a, f"SELECT product_name FROM orders WHERE order_id = '{oid(1)}'") == [("Mug\x1fblue",)]
