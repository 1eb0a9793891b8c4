"""The window tables at scale (issue 14 point 2): order_facts narrow, each
window reading only its dates, the window's item marks computed once per data set (order_items), the
prepared tables stored in the database file rather than as temp tables. Behaviour is read from the tables
and from ``sellerdx.metrics.runner.QUERY_STATS`` (which queries ran), never from timings.

Data (by hand): MFN orders 1-6, one item each, purchased (UTC noon) on
  1: 2026-10-20   2: 2026-09-01   3: 2026-10-30   4: 2026-08-15   5: 2026-10-05   6: 2026-10-25
in that (shuffled) order of the All Orders rows. Every order has a confirmed shipment with a valid tracking
id and a promised delivery date; order 2 (purchased Sep 1, promised Oct 20) was never delivered, the others
were delivered on their promised day. Order 5 holds two items (SKU-A and SKU-B); its shipment row names
SKU-B and was confirmed late (expected Oct 6, confirmed Oct 8).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sellerdx import assets
from sellerdx.metrics import prepared, runner
from support.metrics_data import load, order, shipment

DAYS = {1: "2026-10-20", 2: "2026-09-01", 3: "2026-10-30", 4: "2026-08-15", 5: "2026-10-05", 6: "2026-10-25"}
PROMISED = {1: "2026-10-24", 2: "2026-10-20", 3: "2026-11-03", 4: "2026-08-19", 5: "2026-10-10", 6: "2026-10-29"}


def _data():
    orders = [order(i, day) for i, day in DAYS.items()]
    orders.append(order(5, DAYS[5], sku="SKU-B", asin="B00000000B"))
    ships = []
    for i, day in DAYS.items():
        expected = f"{day}T23:00:00" if i != 5 else "2026-10-06T23:00:00"
        confirmed = f"{day}T20:00:00" if i != 5 else "2026-10-08T10:00:00"
        promised = dt.date.fromisoformat(PROMISED[i])
        extra = {"promised_delivery_date": promised, "delivered_date": None if i == 2 else promised}
        if i == 5:
            extra.update(sku="SKU-B", asin="B00000000B")
        ships.append(shipment(i, expected, confirmed, **extra))
    return load(orders=orders, shipments=ships)


@pytest.fixture
def con():
    c = _data()
    prepared.prepare(c, force=True)
    return c


def test_order_facts_holds_each_order_once_with_its_purchase_date(con):
    stored = sorted(r[0].isoformat() for r in con.execute("SELECT purchase_date FROM order_facts").fetchall())
    assert stored == ["2026-08-15", "2026-09-01", "2026-10-05", "2026-10-20", "2026-10-25", "2026-10-30"]


def test_order_items_is_stored_in_purchase_date_order_with_the_family_marks(con):
    rows = con.execute("SELECT purchase_date, sku, named_lsr, attributed_lsr, named_otdr, attributed_otdr "
                       "FROM order_items ORDER BY rowid").fetchall()
    assert [r[0].isoformat() for r in rows] == sorted(r[0].isoformat() for r in rows)
    by_sku = {(r[0].isoformat(), r[1]): r[2:] for r in rows}
    # order 5: its late shipment row names SKU-B, so LSR's defect is SKU-B's alone (attributed)
    assert by_sku[("2026-10-05", "SKU-B")] == (True, True, False, False)
    assert by_sku[("2026-10-05", "SKU-A")] == (False, True, False, False)
    # order 2: its undelivered parcel's row names no item (no SKU / ASIN), so OTDR's outcome is not
    # attributed to an item (it concerns every item of the order)
    assert by_sku[("2026-09-01", "SKU-A")] == (False, False, False, False)


def test_a_window_holds_exactly_its_dates(con):
    # the LSR 10-day window Oct 22 .. Oct 31: orders 6 (Oct 25) and 3 (Oct 30)
    prepared.use_window(con, "lsr", dt.date(2026, 10, 22), dt.date(2026, 10, 31))
    got = sorted(r[0] for r in con.execute("SELECT purchase_date FROM metric_window").fetchall())
    assert [d.isoformat() for d in got] == ["2026-10-25", "2026-10-30"]
    # the LSR 30-day window Oct 2 .. Oct 31 holds order 5 and its late shipment
    prepared.use_window(con, "lsr", dt.date(2026, 10, 2), dt.date(2026, 10, 31))
    rows = con.execute("SELECT purchase_date, is_defect FROM metric_window ORDER BY purchase_date").fetchall()
    assert [(d.isoformat(), bad) for d, bad in rows] == [
        ("2026-10-05", True), ("2026-10-20", False), ("2026-10-25", False), ("2026-10-30", False)]


def test_the_unit_based_otdr_window_finds_orders_purchased_before_it(con):
    # otdr_units places a parcel by its promised date: order 2, purchased Sep 1, promised Oct 20 and never
    # delivered, is in the window Oct 18 .. Oct 31 (with orders 1, Oct 24, and 6, Oct 29); the purchase-date
    # pruning of the other families must not drop it
    prepared.use_window(con, "otdr_units", dt.date(2026, 10, 18), dt.date(2026, 10, 31))
    rows = con.execute("SELECT purchase_date, window_date, is_defect FROM metric_window "
                       "ORDER BY window_date").fetchall()
    assert [(p.isoformat(), w.isoformat(), bad) for p, w, bad in rows] == [
        ("2026-09-01", "2026-10-20", True), ("2026-10-20", "2026-10-24", False),
        ("2026-10-25", "2026-10-29", False)]


def test_window_items_join_the_marks_and_read_no_raw_table(con):
    runner.QUERY_STATS.clear()
    prepared.use_window(con, "lsr", dt.date(2026, 10, 2), dt.date(2026, 10, 31))
    prepared.window_items(con)
    rows = con.execute("SELECT order_id, sku, concerns, attributed FROM metric_window_items "
                       "ORDER BY order_id, sku").fetchall()
    assert [(o[-1:], s, c, a) for o, s, c, a in rows] == [
        ("1", "SKU-A", False, False), ("3", "SKU-A", False, False),
        ("5", "SKU-A", False, True), ("5", "SKU-B", True, True), ("6", "SKU-A", False, False)]
    assert "order_items" not in runner.QUERY_STATS          # built once with the prepared tables, not per window
    body = re.sub(r"--[^\n]*", " ", assets.load_query("metric_window_items"))
    for table in ("orders", "shipments", "defect_events", "order_facts"):
        assert not re.search(rf"\b(FROM|JOIN)\s+{table}\b", body, re.IGNORECASE), table


def test_prepared_tables_live_in_the_database_windows_in_the_session(con):
    prepared.use_window(con, "lsr", dt.date(2026, 10, 2), dt.date(2026, 10, 31))   # the 30-day window
    prepared.window_items(con)
    temporary = dict(con.execute("SELECT table_name, temporary FROM duckdb_tables()").fetchall())
    for name in prepared.PREPARED_TABLES:
        assert temporary[name] is False, name
    assert temporary["metric_window_0"] is True and temporary["metric_window_items_0"] is True


def _order_facts_columns(con) -> set[str]:
    return {r[0] for r in con.execute("DESCRIBE order_facts").fetchall()}


def test_metric_window_holds_every_order_facts_column_its_readers_name(con):
    """metric_window carries only the order_facts columns its readers use; a reader naming another one
    (a new rule query, a breakdowns.toml column) must add it to queries/metrics/metric_window.sql."""
    prepared.use_window(con, "odr_mfn", dt.date(2026, 8, 1), dt.date(2026, 10, 31))
    window = {r[0] for r in con.execute("DESCRIBE metric_window").fetchall()}
    facts = _order_facts_columns(con)
    assert "first_product_name" in facts and "first_product_name" not in window   # narrow: not every column
    texts = [re.sub(r"--[^\n]*", " ", assets.load_query(name)) for name in _window_readers()]
    texts.append(assets.read_text("data", "breakdowns.toml"))
    named = {c for c in facts for t in texts if re.search(rf"\b{c}\b", t)}
    assert named - window == set()


def _window_readers() -> list[str]:
    """Every query that reads metric_window (not the one that builds it)."""
    return [n for n in assets.query_names() if n != "metric_window"
            and re.search(r"\bmetric_window\b", re.sub(r"--[^\n]*", " ", assets.load_query(n)))]


def test_the_readers_are_found():
    assert {"breakdown", "metric_window_groups", "rule_claims_reason", "rule_feedback_theme",
            "metric_window_items"} <= set(_window_readers())


def test_window_groups_count_every_grouping_in_one_pass(con):
    # the LSR 30-day window Oct 2 .. Oct 31: orders 5 (Monday, late: the defect), 1 (Tuesday), 6 (Sunday),
    # 3 (Friday); every shipment is UPS with a tracking id
    from sellerdx.metrics import window_groups
    prepared.use_window(con, "lsr", dt.date(2026, 10, 2), dt.date(2026, 10, 31))
    runner.QUERY_STATS.clear()
    window_groups(con, {"weekday": "w.purchase_weekday", "carrier": "w.carrier"})
    window_groups(con, {"carrier": "w.carrier"})                 # already counted: not built again
    assert runner.QUERY_STATS["metric_window_groups"][0] == 1
    rows = con.execute("SELECT grouping, value, orders, defects, defect_ids, missing_ids, undelivered, zones "
                       "FROM metric_window_groups").fetchall()
    got = {(g, v): (o, d, [i[-1:] for i in ids], m, u, len(z)) for g, v, o, d, ids, m, u, z in rows}
    assert got == {
        ("_all", None): (4, 1, ["5"], 0, 0, 1),
        ("_mfn_no_tracking", None): (4, 1, ["5"], 0, 0, 1),       # every order has a tracking id
        ("carrier", "UPS"): (4, 1, ["5"], 0, 0, 1),
        ("weekday", "Monday"): (1, 1, ["5"], 0, 0, 1),
        ("weekday", "Tuesday"): (1, 0, [], 0, 0, 1),
        ("weekday", "Sunday"): (1, 0, [], 0, 0, 1),
        ("weekday", "Friday"): (1, 0, [], 0, 0, 1),
    }
    # a grouping not counted yet: the window is counted again with all of them
    window_groups(con, {"channel": "w.channel"})
    assert runner.QUERY_STATS["metric_window_groups"][0] == 2
    groupings = {r[0] for r in con.execute("SELECT DISTINCT grouping FROM metric_window_groups").fetchall()}
    assert groupings == {"_all", "_mfn_no_tracking", "carrier", "weekday", "channel"}
    # another window has its own counts: the 10-day window holds orders 6 and 3 only, no defect
    prepared.use_window(con, "lsr", dt.date(2026, 10, 22), dt.date(2026, 10, 31))
    window_groups(con, {"carrier": "w.carrier"})
    assert con.execute("SELECT orders, defects FROM metric_window_groups WHERE grouping = 'carrier'").fetchall() \
        == [(2, 0)]


def test_window_groups_take_only_checked_columns(con):
    from sellerdx.metrics.window_groups import groups_sql
    with pytest.raises(ValueError):
        groups_sql({"carrier": "w.carrier); DROP TABLE order_facts; --"})
    with pytest.raises(ValueError):
        groups_sql({"Bad Name": "w.carrier"})


def _window_rows(con) -> list[tuple]:
    return sorted(con.execute("SELECT * FROM metric_window").fetchall(), key=repr)


def _built_alone(family: str, start: dt.date, end: dt.date) -> list[tuple]:
    """The window as queries/metrics/metric_window.sql builds it in a fresh connection (no sharing)."""
    fresh = _mixed_channels()
    prepared.prepare(fresh, force=True)
    runner.run_query(fresh, "metric_window", {"family": family, "window_start": start, "window_end": end})
    return sorted(fresh.execute("SELECT * FROM metric_window").fetchall(), key=repr)


def _mixed_channels():
    from support.metrics_data import feedback
    # MFN orders 1-3 and FBA orders 4-5, purchased Oct 1, 5, 10 / Oct 3, 12; negative feedback on 2 and 4
    days = {1: "2026-10-01", 2: "2026-10-05", 3: "2026-10-10", 4: "2026-10-03", 5: "2026-10-12"}
    orders = [order(i, d, channel="Amazon" if i >= 4 else "Merchant") for i, d in days.items()]
    return load(orders=orders, feedback=[feedback(2, 1, "2026-10-15"), feedback(4, 2, "2026-10-16")])


def test_an_odr_channel_window_is_the_odr_all_window_of_its_channel_not_built_again():
    con = _mixed_channels()
    prepared.prepare(con, force=True)
    start, end = dt.date(2026, 9, 1), dt.date(2026, 10, 31)
    runner.QUERY_STATS.clear()
    prepared.use_window(con, "odr_afn", start, end)
    afn = _window_rows(con)
    prepared.use_window(con, "odr_all", start, end)
    prepared.use_window(con, "odr_mfn", start, end)
    mfn = _window_rows(con)
    assert runner.QUERY_STATS["metric_window"][0] == 1          # odr_all's, built for odr_afn, then shared
    ids = sorted(r[7][-1:] for r in mfn)
    assert ids == ["1", "2", "3"] and sorted(r[7][-1:] for r in afn) == ["4", "5"]
    assert sorted((r[7][-1:], r[0]) for r in mfn + afn) == [
        ("1", False), ("2", True), ("3", False), ("4", True), ("5", False)]   # the negative feedback
    assert mfn == _built_alone("odr_mfn", start, end) and afn == _built_alone("odr_afn", start, end)


def test_a_shorter_window_with_the_same_end_is_the_wider_windows_rows_from_its_start():
    con = _mixed_channels()
    prepared.prepare(con, force=True)
    end = dt.date(2026, 10, 12)
    alone = _built_alone("lsr", dt.date(2026, 10, 3), end)
    runner.QUERY_STATS.clear()
    prepared.use_window(con, "lsr", dt.date(2026, 9, 13), end)        # 30 days
    thirty = _window_rows(con)
    prepared.use_window(con, "lsr", dt.date(2026, 10, 3), end)        # 10 days
    ten = _window_rows(con)
    assert runner.QUERY_STATS["metric_window"][0] == 1
    # LSR counts MFN orders only: 1 (Oct 1), 2 (Oct 5), 3 (Oct 10) in 30 days, 2 and 3 from Oct 3 on
    assert sorted(r[7][-1:] for r in thirty) == ["1", "2", "3"]
    assert sorted(r[7][-1:] for r in ten) == ["2", "3"]
    assert ten == alone
    prepared.window_items(con)                                         # items of a view window: a join as before
    assert sorted(r[0][-1:] for r in con.execute("SELECT order_id FROM metric_window_items").fetchall()) == \
        sorted(r[7][-1:] for r in ten)
    # another end is not the same window family's rows: built
    prepared.use_window(con, "lsr", dt.date(2026, 10, 3), dt.date(2026, 10, 11))
    assert runner.QUERY_STATS["metric_window"][0] == 2


def test_the_10_day_lsr_window_asked_first_is_still_a_view_of_the_30_day_one():
    # metrics.toml: lsr_10d and lsr_30d, both ending on the as-of day: the 30-day window is built first
    con = _mixed_channels()
    prepared.prepare(con, force=True)
    end = dt.date(2026, 10, 12)
    runner.QUERY_STATS.clear()
    prepared.use_window(con, "lsr", dt.date(2026, 10, 3), end)
    assert sorted(r[7][-1:] for r in _window_rows(con)) == ["2", "3"]     # MFN orders of Oct 3 .. 12
    prepared.use_window(con, "lsr", dt.date(2026, 9, 13), end)
    assert sorted(r[7][-1:] for r in _window_rows(con)) == ["1", "2", "3"]
    assert runner.QUERY_STATS["metric_window"][0] == 1
    state = prepared._PREPARED[con][1]
    assert state["windows"][("lsr", dt.date(2026, 9, 13), end)] not in state["views"]
    # pfcr has one window in metrics.toml: built as asked
    prepared.use_window(con, "pfcr", dt.date(2026, 10, 6), end)
    assert state["windows"][("pfcr", dt.date(2026, 10, 6), end)] not in state["views"]
    assert runner.QUERY_STATS["metric_window"][0] == 2


def _items_alone(family: str, start: dt.date, end: dt.date) -> list[tuple]:
    fresh = _mixed_channels()
    prepared.prepare(fresh, force=True)
    runner.run_query(fresh, "metric_window", {"family": family, "window_start": start, "window_end": end})
    runner.run_query(fresh, "metric_window_items", {"family": family})
    return sorted(fresh.execute("SELECT * FROM metric_window_items").fetchall(), key=repr)


def test_a_view_windows_items_are_the_wider_windows_items_of_its_orders():
    start, end = dt.date(2026, 9, 1), dt.date(2026, 10, 31)
    want = {f: _items_alone(f, start, end) for f in ("odr_mfn", "odr_afn")}
    want["lsr"] = _items_alone("lsr", dt.date(2026, 10, 3), dt.date(2026, 10, 12))
    con = _mixed_channels()
    prepared.prepare(con, force=True)
    runner.QUERY_STATS.clear()
    got = {}
    for family, s, e in (("odr_mfn", start, end), ("odr_afn", start, end),
                         ("lsr", dt.date(2026, 10, 3), dt.date(2026, 10, 12))):
        prepared.use_window(con, family, s, e)
        prepared.window_items(con)
        got[family] = sorted(con.execute("SELECT * FROM metric_window_items").fetchall(), key=repr)
    assert got == want
    # by hand: odr_mfn's items are orders 1-3 (SKU-A each), order 2 concerned (its negative feedback)
    assert [(r[0][-1:], r[1], r[4]) for r in got["odr_mfn"]] == [("1", "SKU-A", False), ("2", "SKU-A", True),
                                                                 ("3", "SKU-A", False)]
    # the wider windows' items (odr_all, the 30-day LSR window) were built once each, the rest kept from them
    assert runner.QUERY_STATS["metric_window_items"][0] == 2
    assert runner.QUERY_STATS["metric_window_items_subset"][0] == 3


def test_metric_day_sums_are_metric_orders_per_family_day_and_counts_from():
    # odr_all: orders 1-5, one a day, the negative feedback of orders 2 (Oct 5) and 4 (Oct 3) counted;
    # odr_afn: orders 4 and 5 only
    con = _mixed_channels()
    prepared.prepare(con, force=True)
    rows = con.execute("SELECT family, window_date, counts_from, n, k, bad FROM metric_day_sums "
                       "WHERE family IN ('odr_all', 'odr_afn') ORDER BY family, window_date").fetchall()
    got = [(f, w.isoformat(), c.isoformat(), int(n), int(k), int(b)) for f, w, c, n, k, b in rows]
    assert got == [
        ("odr_afn", "2026-10-03", "2026-10-03", 1, 1, 1), ("odr_afn", "2026-10-12", "2026-10-12", 1, 0, 0),
        ("odr_all", "2026-10-01", "2026-10-01", 1, 0, 0), ("odr_all", "2026-10-03", "2026-10-03", 1, 1, 1),
        ("odr_all", "2026-10-05", "2026-10-05", 1, 1, 1), ("odr_all", "2026-10-10", "2026-10-10", 1, 0, 0),
        ("odr_all", "2026-10-12", "2026-10-12", 1, 0, 0)]
