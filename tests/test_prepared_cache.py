"""The as-of-independent work cached with the loaded database (issue 14 point 4).

A folder's cache entry stores the prepared tables (defect_events, order_facts, order_items, metric_orders)
beside the canonical tables; a second run of the same folder with a new ``--as-of`` or ``--out`` uses them and reruns
only the window queries. What ran is read from ``sellerdx.metrics.runner.QUERY_STATS`` (a counter of the
queries executed), never from timings. A changed byte, a damaged entry, a stored build from other queries
or data files, or another ``--timezone`` never reuses them.

The folder (tests/test_cache.py ``make_folder``): three MFN orders purchased 2026-09-01, one granted A-to-z
claim on order 1 (order 2's claim row is quarantined). By hand:
- as of 2026-09-01 (the latest purchase date): the PFCR window is Aug 26 .. Sep 1, 3 orders, 0 cancelled;
  the ODR window (14-day lag) ends Aug 18 and holds no order;
- as of 2026-09-20: the ODR window (60 days, 14-day lag) is Jul 9 .. Sep 6, 3 orders, 1 defect (the claim) -> 1/3;
  the PFCR window Sep 14 .. Sep 20 holds no order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

import sellerdx
from sellerdx.metrics import prepared, runner
from test_cache import make_folder

PREPARED = ("defect_events", "order_facts", "order_items", "metric_orders", "metric_day_sums")



def run(folder: Path, out: Path, **options) -> tuple[sellerdx.Analysis, dict[str, int]]:
    """One analysis through its metrics and findings; returns it and how often each query ran."""
    runner.QUERY_STATS.clear()
    analysis = sellerdx.analyze(folder, out=str(out), **options)
    analysis.finding_list  # noqa: B018 - metrics and diagnosis
    return analysis, {name: int(calls) for name, (calls, _) in runner.QUERY_STATS.items()}


def built(ran: dict[str, int]) -> list[str]:
    return [name for name in PREPARED if ran.get(name)]


def test_a_new_as_of_reruns_only_the_window_work(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    first, ran = run(folder, tmp_path / "out1")
    assert built(ran) == list(PREPARED)                      # built once, into the folder's entry
    assert (first.metric("pfcr").numerator, first.metric("pfcr").denominator) == (0, 3)
    assert first.metric("odr_mfn").denominator == 0

    second, ran = run(folder, tmp_path / "out2", as_of="2026-09-20")
    assert "read" not in second.timings                      # the loaded database came from the cache
    assert built(ran) == []                                  # order_facts & co. were not rebuilt
    assert prepared.adopted(second.con)
    assert ran.get("odr", 0) >= 1                            # the window queries did run
    odr = second.metric("odr_mfn")
    assert (odr.numerator, odr.denominator) == (1, 3)
    assert (odr.window_start.isoformat(), odr.window_end.isoformat()) == ("2026-07-09", "2026-09-06")
    assert second.metric("pfcr").denominator == 0


def test_the_cached_run_gives_what_a_run_without_cache_gives(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    run(folder, tmp_path / "out1")
    cached, _ = run(folder, tmp_path / "out2", as_of="2026-09-20")
    fresh, ran = run(folder, tmp_path / "out3", as_of="2026-09-20", cache=False)
    assert built(ran) == list(PREPARED)
    for key, m in fresh.metric_results.items():
        c = cached.metric_results[key]
        assert (c.numerator, c.denominator, c.window_start, c.status) == \
            (m.numerator, m.denominator, m.window_start, m.status), key
    assert cached.sql("SELECT order_id, is_odr_defect FROM order_facts ORDER BY 1").values.tolist() == [
        ["111-0000000-0000001", True], ["111-0000000-0000002", False], ["111-0000000-0000003", False]]


def test_a_changed_byte_builds_them_again(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    run(folder, tmp_path / "out1")
    claims = folder / "claims.txt"
    claims.write_bytes(claims.read_bytes().replace(b"Granted", b"Denied"))   # claim 1 denied
    again, ran = run(folder, tmp_path / "out2", as_of="2026-09-20")
    assert built(ran) == list(PREPARED)
    assert again.metric("odr_mfn").numerator == 0            # a denied claim does not count


def test_a_damaged_entry_is_rebuilt_with_its_prepared_tables(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    run(folder, tmp_path / "out1")
    [entry] = [p for p in (cache_dir / "folders").iterdir() if not p.name.startswith(".tmp-")]
    data = entry / "data.duckdb"
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0xFF                               # one flipped byte inside the database
    data.write_bytes(bytes(raw))
    again, ran = run(folder, tmp_path / "out2", as_of="2026-09-20")
    assert again.file_cache.rebuilt and "data.duckdb" in again.file_cache.rebuilt[0]
    assert built(ran) == list(PREPARED)
    assert (again.metric("odr_mfn").numerator, again.metric("odr_mfn").denominator) == (1, 3)


def test_a_stored_build_of_other_queries_is_not_used(tmp_path, cache_dir, monkeypatch):
    folder = make_folder(tmp_path)
    run(folder, tmp_path / "out1")
    # As if sellerdx had been upgraded with another order_facts.sql: the stored key no longer matches.
    monkeypatch.setattr(prepared, "_fingerprint", lambda: "another build")
    again, ran = run(folder, tmp_path / "out2", as_of="2026-09-20")
    assert "read" not in again.timings                       # the loaded tables are still reused
    assert built(ran) == list(PREPARED) and not prepared.adopted(again.con)
    assert again.metric("odr_mfn").numerator == 1


def test_another_timezone_builds_them_again(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    run(folder, tmp_path / "out1")
    again, ran = run(folder, tmp_path / "out2", timezone="Asia/Tokyo")
    assert built(ran) == list(PREPARED) and not prepared.adopted(again.con)
    # 10:00 UTC on Sep 1 is 19:00 in Tokyo: the local hour of the rebuilt order_facts
    assert again.sql("SELECT DISTINCT purchase_hour FROM order_facts").values.tolist() == [[19]]


def test_each_window_is_built_once(tmp_path, cache_dir):
    folder = make_folder(tmp_path)
    analysis, ran = run(folder, tmp_path / "out1", as_of="2026-09-20")
    analysis.result  # noqa: B018 - describe: breakdowns and plan read the windows again
    state = prepared._PREPARED[analysis.con][1]
    # every window is built once, and none of those that are views of another (an ODR channel's window
    # in odr_all's of the same dates, the 10-day LSR window in the 30-day one)
    assert runner.QUERY_STATS.get("metric_window", [0])[0] == len(state["windows"]) - len(state["views"])


def test_the_source_counts_are_read_once_per_load_and_again_after_a_reload():
    # prepare() is asked before every window and metric (a hundred times per analysis): the row counts that
    # key the prepared tables are read once per data version (store.changed), and a reload is noticed.
    from sellerdx import store
    from support.metrics_data import feedback, load, order

    con = load(orders=[order(1, "2026-10-01"), order(2, "2026-10-02")])
    before = runner.QUERY_STATS.get("source_counts", (0, 0.0))[0]
    for _ in range(5):
        prepared.prepare(con)
    assert runner.QUERY_STATS["source_counts"][0] - before == 1
    assert con.execute("SELECT count(*) FROM order_facts").fetchall() == [(2,)]
    store.load_frames(con, {"orders": pd.DataFrame([order(3, "2026-10-03")]),
                            "feedback": pd.DataFrame([feedback(3, 1)])})
    prepared.prepare(con)
    assert runner.QUERY_STATS["source_counts"][0] - before == 2
    assert con.execute("SELECT count(*) FROM order_facts").fetchall() == [(3,)]
    assert "feedback" in store.supplied_kinds(con)


def test_the_order_span_and_shipment_coverage_are_stored_with_the_prepared_tables(tmp_path, cache_dir):
    # Both are as-of independent: a second run of the folder reads them from the entry's prepared_info,
    # never scanning orders or shipments for them, with the as-of given or not.
    folder = make_folder(tmp_path)
    first, ran = run(folder, tmp_path / "out1")
    assert ran.get("order_span") == 1 and ran.get("shipment_coverage") == 1   # stored into the entry
    for as_of in ("2026-09-20", None):
        options = {"as_of": as_of} if as_of else {}
        again, ran = run(folder, tmp_path / f"out-{as_of}", **options)
        assert "read" not in again.timings and prepared.adopted(again.con)
        assert "order_span" not in ran and "shipment_coverage" not in ran
        # the three orders were all purchased on 2026-09-01; the folder has no shipments export
        assert prepared.order_span(again.con) == (dt.date(2026, 9, 1), dt.date(2026, 9, 1))
        assert again.params.as_of == (dt.date(2026, 9, 20) if as_of else dt.date(2026, 9, 1))
        assert prepared.shipment_coverage(again.con) == {
            "rows": 0, "with_confirmation": 0, "with_tracking": 0, "with_delivery_dates": 0}
    # the last run took the stored span's last day as its as-of: the PFCR window Aug 26 .. Sep 1, 3 orders
    assert (again.metric("pfcr").numerator, again.metric("pfcr").denominator) == (0, 3)


def test_an_entry_stored_before_the_span_was_kept_still_works(tmp_path, cache_dir):
    # An entry written by an earlier sellerdx holds prepared_info(key) only: its tables are still used,
    # the span and the coverage are then queried.
    folder = make_folder(tmp_path)
    run(folder, tmp_path / "out1")
    [entry] = [p for p in (cache_dir / "folders").iterdir() if not p.name.startswith(".tmp-")]
    import duckdb

    from sellerdx import cache as cache_mod
    db = duckdb.connect(str(entry / "data.duckdb"))
    db.execute("CREATE OR REPLACE TABLE prepared_info AS SELECT key FROM prepared_info")
    db.close()
    cache_mod.write_manifest(entry)
    again, ran = run(folder, tmp_path / "out2", as_of="2026-09-20")
    assert prepared.adopted(again.con) and built(ran) == []
    assert ran.get("order_span") == 1 and ran.get("shipment_coverage") == 1
    assert prepared.order_span(again.con) == (dt.date(2026, 9, 1), dt.date(2026, 9, 1))
    assert (again.metric("odr_mfn").numerator, again.metric("odr_mfn").denominator) == (1, 3)


def test_the_orders_marketplaces_are_stored_with_the_entry(tmp_path, cache_dir, monkeypatch):
    # Orders 1 and 2 on Amazon.com, order 3 on Amazon.ca: two marketplaces, counted once into the entry
    from sellerdx import marketplaces
    folder = make_folder(tmp_path)
    orders = folder / "orders.txt"
    lines = orders.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("Amazon.com", "Amazon.ca")
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ran: list[str] = []
    real = marketplaces._run

    def spy(con, name, params):
        ran.append(name)
        return real(con, name, params)

    monkeypatch.setattr(marketplaces, "_run", spy)
    first, _ = run(folder, tmp_path / "out1")
    assert ran.count("marketplace_channels") == 1                       # counted while the entry was built
    ran.clear()
    again, _ = run(folder, tmp_path / "out2", as_of="2026-09-20")
    assert "read" not in again.timings and "marketplace_channels" not in ran
    assert [(m.sales_channel, m.orders) for m in again.marketplaces] == [("Amazon.com", 2), ("Amazon.ca", 1)]
    assert [(c.sales_channel, c.orders) for c in marketplaces.list_channels(again.con)] == [
        ("Amazon.com", 2), ("Amazon.ca", 1)]
