"""Quarantine: every broken row lands in rejected_rows with its physical line, the column header as written
in the file and a reason; counts always reconcile; rejected_rows.csv is spreadsheet-safe; overlapping
exports count once with the newest copy winning.
"""

from __future__ import annotations

import csv
import datetime as dt

from support.exports import (
    FEEDBACK_HEADER,
    ORDERS_HEADER,
    analysis_of,
    assert_counts_reconcile,
    oid,
    order_row,
    rejected,
    report,
    table,
    write_orders,
    write_text,
)


def tsv_line(fields: list[str]) -> str:
    return "\t".join(fields)


def test_broken_orders_rows_are_quarantined_with_line_column_and_reason(tmp_path):
    folder = tmp_path / "exports"
    good = order_row(1)
    lines = [
        tsv_line(list(ORDERS_HEADER)),                                     # 1 header
        tsv_line(good),                                                    # 2 ok
        tsv_line(order_row(2)[:20]),                                       # 3 truncated: 20 of 33 fields
        tsv_line(order_row(3) + ["surplus"]),                              # 4 extra field
        tsv_line(order_row(4, amazon_order_id="123-45")),                  # 5 bad order id
        tsv_line(order_row(5, purchase_date="yesterday")),                 # 6 not a date
        tsv_line(order_row(6, quantity="-1")),                             # 7 negative quantity
        tsv_line(order_row(7, order_status="")),                           # 8 empty required value
        "",                                                                # 9 blank: not a row
        tsv_line(order_row(8, fulfillment_channel="Drone")),               # 10 not an allowed channel
        tsv_line(order_row(9, quantity="two")),                            # 11 not a whole number
        tsv_line(order_row(10, asin="b00short")),                          # 12 ASIN pattern
        tsv_line(order_row(11)),                                           # 13 ok
    ]
    write_text(folder / "orders.txt", "\n".join(lines) + "\n")
    a = analysis_of(folder)
    rep = report(a.inputs, "orders.txt")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (11, 2, 9)
    assert_counts_reconcile(a.inputs)
    got = rejected(a.inputs, "orders.txt")
    assert [line for line, _, _ in got] == [3, 4, 5, 6, 7, 8, 10, 11, 12]
    by_line = {line: (col, reason) for line, col, reason in got}
    assert by_line[3][0] is None and "20 fields" in by_line[3][1] and "33" in by_line[3][1]
    assert by_line[4][0] is None and "34 fields" in by_line[4][1]
    assert by_line[5][0] == "amazon-order-id" and "123-1234567-1234567" in by_line[5][1]
    assert by_line[6][0] == "purchase-date" and "not a date" in by_line[6][1]
    assert by_line[7][0] == "quantity" and "below 0" in by_line[7][1]
    assert by_line[8][0] == "order-status" and "empty" in by_line[8][1]
    assert by_line[10][0] == "fulfillment-channel" and "Merchant" in by_line[10][1]
    assert by_line[11][0] == "quantity" and "whole number" in by_line[11][1]
    assert by_line[12][0] == "asin"
    assert [r[0] for r in a.con.execute("SELECT source_line FROM orders ORDER BY 1").fetchall()] == [2, 13]
    values = dict(a.inputs.rejected[["line", "value"]].itertuples(index=False, name=None))
    assert values[5] == "123-45" and values[6] == "yesterday" and values[7] == "-1"


def test_feedback_ratings_outside_1_to_5(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder)
    rows = [["9/13/26", "7", "", "", oid(1), ""],       # line 2
            ["9/14/26", "0", "", "", oid(2), ""],       # line 3
            ["9/15/26", "5", "", "", oid(3), ""],       # line 4 ok
            ["9/16/26", "1", "", "", "123-45", ""],     # line 5 bad order id
            ["9/17/26", "", "", "", oid(5), ""],        # line 6 empty rating (required)
            ["9/18/26", "4.5", "", "", oid(6), ""]]     # line 7 not a whole number
    write_text(folder / "fb.txt", table(FEEDBACK_HEADER, rows))
    a = analysis_of(folder)
    rep = report(a.inputs, "fb.txt")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (6, 1, 5)
    got = rejected(a.inputs, "fb.txt")
    assert [(line, col) for line, col, _ in got] == [(2, "Rating"), (3, "Rating"), (5, "Order ID"),
                                                    (6, "Rating"), (7, "Rating")]
    assert "1–5" in got[0][2] and "1–5" in got[1][2]
    assert "empty" in got[3][2]
    assert "whole number" in got[4][2]
    assert a.con.execute("SELECT rating, source_line FROM feedback").fetchall() == [(5, 4)]


def test_header_of_the_file_is_reported_not_the_canonical_name(tmp_path):
    # German headers: the rejected column is shown as the seller wrote it.
    folder = tmp_path / "exports"
    write_orders(folder)
    header = ("Datum", "Bewertung", "Kommentare", "Ihre Antwort", "Bestellnummer", "E-Mail-Adresse des Bewerters")
    write_text(folder / "bewertungen.txt", table(header, [["13.9.26", "9", "", "", oid(1), ""],
                                                          ["14.9.26", "2", "", "", "302-1", ""]]))
    a = analysis_of(folder)
    assert [(line, col) for line, col, _ in rejected(a.inputs, "bewertungen.txt")] == [
        (2, "Bewertung"), (3, "Bestellnummer")]


def test_line_numbers_after_blank_lines_and_crlf(tmp_path):
    folder = tmp_path / "exports"
    text = ("\r\n".join([tsv_line(list(ORDERS_HEADER)), tsv_line(order_row(1)), "", "   ",
                         tsv_line(order_row(2, quantity="-3")), tsv_line(order_row(3))]) + "\r\n")
    write_text(folder / "orders.txt", text)
    a = analysis_of(folder)
    assert [line for line, _, _ in rejected(a.inputs, "orders.txt")] == [5]
    assert [r[0] for r in a.con.execute("SELECT source_line FROM orders ORDER BY 1").fetchall()] == [2, 6]
    rep = report(a.inputs, "orders.txt")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (3, 2, 1)


def test_claims_date_and_amount_problems(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder)
    rows = [[oid(1), "2026-09-10", "Granted", "12.99"],      # 2 ok
            [oid(2), "not yet", "Open", "5"],                # 3 bad date
            [oid(3), "2026-09-11", "Open", "-5"],            # 4 negative amount
            [oid(4), "2026-09-12", "Open", "twelve"],        # 5 not an amount
            ["", "2026-09-12", "Open", "1"]]                 # 6 empty order id
    write_text(folder / "claims.txt", table(("Order ID", "Claim Date", "Claim Status", "Claim Amount"), rows))
    a = analysis_of(folder)
    got = rejected(a.inputs, "claims.txt")
    assert [(line, col) for line, col, _ in got] == [(3, "Claim Date"), (4, "Claim Amount"), (5, "Claim Amount"),
                                                    (6, "Order ID")]
    assert "not a date" in got[0][2] and "below 0" in got[1][2] and "not an amount" in got[2][2]
    assert "empty" in got[3][2]
    assert_counts_reconcile(a.inputs)


def test_ship_confirmation_before_the_purchase_is_quarantined_across_files(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1, "2026-09-10T10:00:00+00:00"), order_row(2, "2026-09-10T10:00:00+00:00")])
    header = ("Order ID", "Expected Ship Date", "Confirmed Ship Date", "Tracking ID")
    rows = [[oid(1), "2026-09-12", "2026-09-08 09:00:00", "1Z1"],     # line 2: two days before the purchase
            [oid(2), "2026-09-12", "2026-09-11 09:00:00", "1Z2"]]     # line 3: fine
    write_text(folder / "shipments.txt", table(header, rows))
    a = analysis_of(folder)
    rep = report(a.inputs, "shipments.txt")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (2, 1, 1)
    assert_counts_reconcile(a.inputs)
    got = rejected(a.inputs, "shipments.txt")
    assert [line for line, _, _ in got] == [2]
    assert "before the purchase" in got[0][2]
    assert a.con.execute("SELECT order_id FROM shipments").fetchall() == [(oid(2),)]


def test_cross_file_rejection_names_the_column_as_in_the_file(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1, "2026-09-10T10:00:00+00:00")])
    header = ("Order ID", "Expected Ship Date", "Confirmed Ship Date", "Tracking ID")
    write_text(folder / "shipments.txt", table(header, [[oid(1), "2026-09-12", "2026-09-08 09:00:00", "1Z1"]]))
    a = analysis_of(folder)
    assert rejected(a.inputs, "shipments.txt")[0][1] == "Confirmed Ship Date"


def test_same_day_confirmation_without_time_is_not_before_the_purchase(tmp_path):
    # A date-only confirmation on the purchase day cannot be said to precede a 10:00 purchase.
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1, "2026-09-10T10:00:00+00:00")])
    header = ("Order ID", "Expected Ship Date", "Ship Confirm Date", "Tracking ID")
    write_text(folder / "shipments.txt", table(header, [[oid(1), "2026-09-12", "2026-09-10", "1Z1"]]))
    a = analysis_of(folder)
    assert rejected(a.inputs, "shipments.txt") == []


def test_rejected_rows_csv_has_the_rows_and_neutralises_formulas(tmp_path):
    folder = tmp_path / "exports"
    rows = [order_row(1), order_row(2, amazon_order_id='=HYPERLINK("http://x","click")'),
            order_row(3, quantity="-2"), order_row(4, amazon_order_id="@SUM(A1)")]
    write_orders(folder, rows)
    a = analysis_of(folder)
    path = a.write_rejected(tmp_path / "out" / "rejected_rows.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh))
    assert records[0] == ["file", "line", "column", "value", "reason"]
    body = records[1:]
    assert [(r[0], r[1], r[2]) for r in body] == [("orders.txt", "3", "amazon-order-id"), ("orders.txt", "4", "quantity"),
                                                 ("orders.txt", "5", "amazon-order-id")]
    assert body[0][3] == '\'=HYPERLINK("http://x","click")'
    assert body[1][3] == "'-2"
    assert body[2][3] == "'@SUM(A1)"
    assert all(r[4] for r in body)


def test_overlapping_exports_count_once_and_the_latest_update_wins(tmp_path):
    folder = tmp_path / "exports"
    # The newer export sorts FIRST by name, so the winner is chosen by last-updated-date, not file order.
    older = [order_row(1, "2026-09-01T10:00:00+00:00", last_updated="2026-09-01T10:05:00+00:00",
                       order_status="Pending", item_status="Unshipped"),
             order_row(2, "2026-09-01T11:00:00+00:00", last_updated="2026-09-02T08:00:00+00:00"),
             order_row(3, "2026-09-01T12:00:00+00:00")]
    newer = [order_row(1, "2026-09-01T10:00:00+00:00", last_updated="2026-09-03T09:00:00+00:00",
                       order_status="Shipped", item_status="Shipped"),
             order_row(2, "2026-09-01T11:00:00+00:00", last_updated="2026-09-02T08:00:00+00:00"),
             order_row(4, "2026-09-04T12:00:00+00:00")]
    write_orders(folder, newer, name="a-export-sep4.txt")
    write_orders(folder, older, name="b-export-sep2.txt")
    a = analysis_of(folder)
    got = a.con.execute("SELECT order_id, order_status, item_status, source_file FROM orders ORDER BY 1").fetchall()
    assert [r[0] for r in got] == [oid(1), oid(2), oid(3), oid(4)]         # each order item once
    assert got[0][1:] == ("Shipped", "Shipped", "a-export-sep4.txt")        # later last-updated wins
    assert got[2][3] == "b-export-sep2.txt" and got[3][3] == "a-export-sep4.txt"
    # order 2 is identical in both (same last-updated): one copy is kept, the other is superseded
    n_new = report(a.inputs, "a-export-sep4.txt")
    n_old = report(a.inputs, "b-export-sep2.txt")
    assert n_new.rows_duplicate + n_old.rows_duplicate == 2
    assert n_old.rows_duplicate >= 1                                         # its order 1 lost to the newer copy
    assert (n_new.rows_loaded, n_old.rows_loaded) == (3, 3)                 # loaded = valid, before dedup
    assert a.con.execute("SELECT count(*) FROM orders").fetchone()[0] == 4


def test_overlapping_exports_where_the_later_file_name_is_older_data(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1, last_updated="2026-09-05T00:00:00+00:00", order_status="Cancelled",
                                    item_status="Cancelled", quantity="0", item_price="")], name="1.txt")
    write_orders(folder, [order_row(1, last_updated="2026-09-01T00:00:00+00:00", order_status="Pending")],
                 name="2.txt")
    a = analysis_of(folder)
    assert a.con.execute("SELECT order_status, quantity, item_price, source_file FROM orders").fetchall() == [
        ("Cancelled", 0, None, "1.txt")]
    assert report(a.inputs, "2.txt").rows_duplicate == 1
    assert report(a.inputs, "1.txt").rows_duplicate == 0


def test_two_identical_lines_inside_one_export_are_two_items(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1), order_row(1)])
    a = analysis_of(folder)
    assert a.con.execute("SELECT count(*) FROM orders").fetchone()[0] == 2
    assert report(a.inputs, "orders.txt").rows_duplicate == 0


def test_counts_reconcile_for_every_kind_with_damage(tmp_path):
    folder = tmp_path / "exports"
    write_orders(folder, [order_row(1), order_row(2, quantity="x"), order_row(3)[:5]])
    write_text(folder / "fb.txt", table(FEEDBACK_HEADER, [["9/13/26", "6", "", "", oid(1), ""],
                                                          ["9/14/26", "5", "", "", oid(2), ""]]))
    write_text(folder / "c.txt", table(("Order ID", "Claim Date", "Claim Status"),
                                       [[oid(1), "2026-09-10", "Open"], [oid(2), "2026-09-10"]]))
    write_text(folder / "cb.txt", table(("Order ID", "Chargeback Date", "Chargeback Type"),
                                        [[oid(1), "2026-09-10", "Service"], ["x", "2026-09-10", "Fraud"]]))
    write_text(folder / "cx.txt", table(("Order ID", "Cancel Date", "Cancelled By"),
                                        [[oid(1), "2026-09-02", "Seller"], [oid(2), "32/13/2026", "Buyer"]]))
    a = analysis_of(folder)
    assert_counts_reconcile(a.inputs)
    assert {f.path: f.rows_rejected for f in a.inputs.files} == {
        "orders.txt": 2, "fb.txt": 1, "c.txt": 1, "cb.txt": 1, "cx.txt": 1}
    assert a.inputs.rows_read == a.inputs.rows_loaded + a.inputs.rows_rejected == 11
    assert dt.date(2026, 9, 1) == report(a.inputs, "orders.txt").date_min
