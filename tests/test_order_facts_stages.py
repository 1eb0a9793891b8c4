"""order_facts and order_items at scale (issue 14, round four): the order's numbers and the shipments' numbers
are aggregated with row numbers only, and the strings are read from one row (the
order's first item row; the first shipment row by file and line); order_items deduplicates only orders
with several item rows and joins the defect marks only to the items they name.
Expectations are worked out by hand from the rows below.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sellerdx.metrics import prepared
from support.metrics_data import load, oid, order, shipment


def _facts(con, i: int, *cols: str) -> tuple:
    prepared.prepare(con)
    return con.execute(f"SELECT {', '.join(cols)} FROM order_facts WHERE order_id = $o", {"o": oid(i)}).fetchone()


def test_first_item_row_gives_the_item_and_order_fields_numbers_add_up():
    # Order 1 has three item rows, listed out of line order; its first item row is line 3 (SKU-B).
    # The most recently updated row (line 9, updated 10-12) says 'Cancelled', so the order is cancelled.
    # units = 2 + 1 + 0 (NULL quantity) = 3; item_units counts the row without quantity as one: 4.
    rows = [
        order(1, "2026-10-08", sku="SKU-A", asin="B0A", quantity=2, source_line=7, ship_state="WA",
              product_name="Mug", last_updated_ts=pd.Timestamp("2026-10-10T00:00:00")),
        order(1, "2026-10-08", sku="SKU-B", asin="B0B", quantity=1, source_line=3, ship_state="OR",
              product_name="Jar", last_updated_ts=pd.Timestamp("2026-10-09T00:00:00")),
        order(1, "2026-10-08", sku="SKU-C", asin="B0C", quantity=None, source_line=9, ship_state="CA",
              status="Cancelled", product_name="Pot", last_updated_ts=pd.Timestamp("2026-10-12T00:00:00")),
        order(2, "2026-10-09", sku="SKU-D", asin="B0D", quantity=1, source_line=5, ship_state="NY"),
    ]
    con = load(orders=rows)
    assert _facts(con, 1, "first_sku", "first_asin", "first_product_name", "ship_state", "order_status",
                  "is_cancelled", "units", "item_rows", "item_units") == (
        "SKU-B", "B0B", "Jar", "OR", "Cancelled", True, 3, 3, 4)
    assert _facts(con, 2, "first_sku", "ship_state", "is_cancelled", "units", "item_rows", "item_units") == (
        "SKU-D", "NY", False, 1, 1, 1)
    # no stage tables are left behind
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('order_heads', 'order_ships')"
                       ).fetchone() == (0,)


def test_first_shipment_row_by_file_then_line():
    # Order 1 has three shipment rows: b.txt line 2, a.txt line 8, a.txt line 4. Ordered by (file, line)
    # the first is a.txt line 4 (carrier DHL), whatever the line numbers of the other file.
    ships = [
        shipment(1, "2026-10-09T23:00:00", "2026-10-09T10:00:00", carrier="UPS", tracking_id="T-B2",
                 source_file="b.txt", source_line=2),
        shipment(1, "2026-10-09T23:00:00", "2026-10-09T11:00:00", carrier="FedEx", tracking_id="T-A8",
                 source_file="a.txt", source_line=8),
        shipment(1, "2026-10-09T23:00:00", "2026-10-09T12:00:00", carrier="DHL", tracking_id="T-A4",
                 source_file="a.txt", source_line=4, shipping_service="Ground"),
    ]
    con = load(orders=[order(1, "2026-10-08")], shipments=ships)
    assert _facts(con, 1, "carrier", "tracking_id", "shipping_service", "has_shipment_row", "first_confirm_ts",
                  "tracking_valid") == (
        "DHL", "T-A4", "Ground", True, dt.datetime(2026, 10, 9, 10, 0), True)


def test_order_items_distinct_items_and_marks_on_the_named_item_only():
    # Order 1: SKU-A twice (the same item, e.g. listed in two overlapping exports) and SKU-B; its shipment
    # of SKU-B was confirmed late (a late_shipment event naming SKU-B). Order 2: one item, no mark.
    rows = [order(1, "2026-10-08", sku="SKU-A", asin="B0A"), order(1, "2026-10-08", sku="SKU-A", asin="B0A"),
            order(1, "2026-10-08", sku="SKU-B", asin="B0B"), order(2, "2026-10-07", sku="SKU-C", asin="B0C")]
    ships = [shipment(1, "2026-10-09T10:00:00", "2026-10-10T10:00:00", sku="SKU-B", asin="B0B"),
             shipment(2, "2026-10-09T10:00:00", "2026-10-08T10:00:00", sku="SKU-C", asin="B0C")]
    con = load(orders=rows, shipments=ships)
    prepared.prepare(con)
    got = con.execute("SELECT order_id, purchase_date, sku, named_lsr, attributed_lsr, named_pfcr, attributed_pfcr "
                      "FROM order_items ORDER BY order_id, sku").fetchall()
    assert got == [
        (oid(1), dt.date(2026, 10, 8), "SKU-A", False, True, False, False),
        (oid(1), dt.date(2026, 10, 8), "SKU-B", True, True, False, False),
        (oid(2), dt.date(2026, 10, 7), "SKU-C", False, False, False, False),
    ]
    # stored in purchase-date order: order 2 (10-07) first
    assert con.execute("SELECT order_id FROM order_items LIMIT 1").fetchone() == (oid(2),)
