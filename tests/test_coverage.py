"""Honest numbers at the edges (issue 12 points 1 and 3): every metric says how much of its window the
orders data covers, a short history or an --as-of past the data is said plainly, and a run whose windows
hold no order stops with exit 2 instead of "every metric meets its target".

Hand computation. The orders run from 2026-10-07 to 2026-10-31 (25 days, two MFN orders a day); as-of
2026-10-31 (their last day):
  ODR      window 2026-08-19 .. 2026-10-17 (60 days, 14-day lag): covered 2026-10-07 .. 10-17 = 11 days
  PFCR     window 2026-10-25 .. 2026-10-31 (7 days): covered 7 of 7
  LSR 30d  window 2026-10-02 .. 2026-10-31 (30 days): covered 10-07 .. 10-31 = 25 days
With --as-of 2026-11-20 (20 days after the last purchase day):
  PFCR     window 2026-11-14 .. 2026-11-20: covered 0 of 7
  LSR 30d  window 2026-10-22 .. 2026-11-20: covered 10-22 .. 10-31 = 10 of 30
  ODR      window 2026-09-08 .. 2026-11-06: covered 10-07 .. 10-31 = 25 of 60
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sellerdx import diagnose, metrics
from sellerdx.errors import NoOrdersInWindowError
from sellerdx.metrics import MetricParams
from support.exports import FEEDBACK_HEADER, order_row, run_cli, table, write_orders, write_text
from support.metrics_data import daily_orders, feedback, load, oid, shipment

FIRST = dt.date(2026, 10, 7)


def folder_25_days(tmp_path):
    rows = []
    for k in range(25):
        day = FIRST + dt.timedelta(days=k)
        for j in range(2):
            rows.append(order_row(100 + 2 * k + j, f"{day.isoformat()}T10:00:00+00:00"))
    folder = tmp_path / "exports"
    write_orders(folder, rows)
    # negative feedback on order 100 (2026-10-07, in the ODR window) and on an order missing from the
    # orders: left 2026-10-09, so its order was probably bought before the orders' first day
    fb = [["10/12/26", "1", "Broken", "", "111-0000000-0000100", "a@b.c"],
          ["10/09/26", "2", "Late", "", "111-0000000-0000099", "d@e.f"]]
    write_text(folder / "feedback.txt", table(FEEDBACK_HEADER, fb))
    return folder


def test_25_day_export_under_a_60_day_window(tmp_path):
    folder = folder_25_days(tmp_path)
    out = tmp_path / "out"
    result = run_cli("analyze", str(folder), "--out", str(out), "--marketplace", "US")
    assert result.exit_code == 1, result.output      # ODR 1/22 (4.5%) is at risk
    summary = json.loads((out / "summary.json").read_text())
    odr = summary["metrics"]["odr"]["mfn"]
    assert odr["coverage"] == pytest.approx(11 / 60)
    assert (odr["numerator"], odr["denominator"]) == (1, 22)     # 11 days x 2 orders
    assert summary["metrics"]["pfcr"]["coverage"] == 1.0
    assert summary["metrics"]["lsr_30d"] is None                  # no shipments export: not computed
    text = "the orders cover 11 of the 60 days: download All Orders from 2026-08-19"
    assert odr["coverage_note"].startswith(text)
    assert "not Amazon's figure" in odr["coverage_note"]
    # the terminal: the metric's line and a plain sentence
    assert "at risk (orders cover 11 of 60 days)" in result.output
    assert f"Order Defect Rate (MFN): partial data: {text}" in " ".join(result.output.split())
    # the defect of the order missing from the orders is reported as a short history, not "unmatched"
    assert "1 defect (feedback, claims, chargebacks, cancellations, late shipments) belongs" not in odr["note"]
    assert "before the orders' first day (2026-10-07)" in odr["note"]
    html = (out / "report.html").read_text()
    assert "sellerdx's Order Defect Rate (MFN)" in html           # the headline does not call it Amazon's
    assert f"Partial data — Order Defect Rate (MFN): {text}" in html
    assert f"Partial data: {text}" in html                        # the metric card
    assert "Order probably purchased before the orders&#39; first day" in html   # unmatched defects table


def test_complete_windows_have_coverage_one_and_no_note():
    con = load(orders=daily_orders(1, "2026-08-01", 92))          # 2026-08-01 .. 2026-10-31
    results = metrics.compute_metrics(con, MetricParams(as_of=dt.date(2026, 10, 31)))
    for key in ("odr_mfn", "pfcr"):
        assert results[key].coverage == 1.0 and results[key].coverage_note is None


def test_unmatched_defects_say_why():
    # orders 2026-10-07 .. 10-31; feedback for missing orders: one 3 days after the orders' first day
    # (before_orders_start), one 100 days after it (not_in_orders: 2026-10-07 + 100 = 2027-01-15)
    con = load(orders=daily_orders(1, "2026-10-07", 25),
               feedback=[feedback(900, 1, day="2026-10-10"), feedback(901, 1, day="2027-01-15")])
    frame = metrics.unmatched_defects(con)
    assert dict(zip(frame["order_id"], frame["why"])) == {oid(900): "before_orders_start",
                                                          oid(901): "not_in_orders"}


def test_as_of_past_the_data_warns_and_lowers_coverage(tmp_path):
    folder = folder_25_days(tmp_path)
    out = tmp_path / "out"
    result = run_cli("analyze", str(folder), "--out", str(out), "--as-of", "2026-11-20")
    summary = json.loads((out / "summary.json").read_text())
    m = summary["metrics"]
    assert m["pfcr"]["coverage"] == 0.0 and m["pfcr"]["status"] == "no_orders"
    assert m["odr"]["mfn"]["coverage"] == pytest.approx(25 / 60)
    warning = ("--as-of 2026-11-20 is 20 days after the orders' last purchase day (2026-10-31)")
    assert summary["warnings"][0].startswith(warning)
    assert warning in " ".join(result.output.split())           # under "warnings (they change the numbers)"
    assert ("the orders (2026-10-07 – 2026-10-31) cover none of the 7 days of this window "
            "(2026-11-14 – 2026-11-20)") in m["pfcr"]["coverage_note"]


def test_no_window_holding_an_order_is_exit_2_with_the_data_range(tmp_path):
    folder = folder_25_days(tmp_path)
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "out"), "--as-of", "2027-06-01")
    assert result.exit_code == 2
    assert "no metric window holds a single order" in result.output
    assert "the orders run from 2026-10-07 to 2026-10-31" in result.output
    assert "hint: pick --as-of between 2026-10-07 and 2026-10-31" in result.output
    assert "Traceback" not in result.output


def test_check_windows_hold_orders_raises_only_when_every_window_is_empty():
    con = load(orders=daily_orders(1, "2026-10-07", 25), feedback=[], claims=[], chargebacks=[])
    empty = metrics.compute_metrics(con, MetricParams(as_of=dt.date(2027, 6, 1)))
    with pytest.raises(NoOrdersInWindowError):
        metrics.check_windows_hold_orders(con, empty)
    partial = metrics.compute_metrics(con, MetricParams(as_of=dt.date(2026, 11, 20)))
    metrics.check_windows_hold_orders(con, partial)   # the ODR window still holds orders: no error


def test_no_peak_day_against_days_past_the_data():
    # Data 2026-10-22 .. 10-31: 30 MFN orders a day on 10-22 .. 10-26 (12 of 10-22's shipped late), 9 a
    # day on 10-27 .. 10-31; as-of 2026-11-20. The 30-day LSR window has 20 days past the data: counted as
    # 0-order days the median was 0, so 10-22 (30 orders, >= 10) was a "peak day" holding every late
    # order. Over the 10 covered days the median is (9 + 30) / 2 = 19.5: no day reaches 2 x 19.5.
    orders = daily_orders(1, "2026-10-22", 5, per_day=30) + daily_orders(151, "2026-10-27", 5, per_day=9)
    ships = []
    for o in orders:
        n = int(o["order_id"][-7:])
        day = o["purchase_ts"].date().isoformat()
        late = n <= 12                      # the first 12 orders of 2026-10-22
        ships.append(shipment(n, f"{day}T23:00:00", "2026-11-05T10:00:00" if late else f"{day}T18:00:00"))
    con = load(orders=orders, shipments=ships)
    params = MetricParams(as_of=dt.date(2026, 11, 20))
    results = metrics.compute_metrics(con, params)
    assert (results["lsr_30d"].numerator, results["lsr_30d"].denominator) == (12, 195)
    rules = [r for r in diagnose.load_rules() if r.id == "late_shipment.peak_volume"]
    assert diagnose.diagnose(con, results, params, rules=rules) == []
    # the same data with as-of on its last day has the same covered days: still no peak
    at_end = MetricParams(as_of=dt.date(2026, 10, 31))
    assert diagnose.diagnose(con, metrics.compute_metrics(con, at_end), at_end, rules=rules) == []


def test_a_25_day_export_inside_the_odr_window():
    # orders 2026-09-23 .. 2026-10-17 (25 days), as-of 2026-10-31: the ODR window 2026-08-19 .. 10-17 holds
    # all 25 days -> 25/60; the 7-day PFCR window 10-25 .. 10-31 is past the data -> 0/7, with a warning.
    con = load(orders=daily_orders(1, "2026-09-23", 25), feedback=[feedback(3, 1)], claims=[], chargebacks=[])
    params = MetricParams(as_of=dt.date(2026, 10, 31))
    results = metrics.compute_metrics(con, params)
    odr = results["odr_mfn"]
    assert odr.coverage == pytest.approx(25 / 60) and (odr.numerator, odr.denominator) == (1, 25)
    assert odr.coverage_note == ("the orders cover 25 of the 60 days: download All Orders from 2026-08-19 (this "
                                 "rate counts only the orders of 2026-09-23 – 2026-10-17, so it is not Amazon's "
                                 "figure)")
    assert results["pfcr"].coverage == 0.0
    assert metrics.data_warnings(con, params)[0].startswith(
        "--as-of 2026-10-31 is 14 days after the orders' last purchase day (2026-10-17)")


def test_nothing_computable_is_not_exit_0():
    # only FBA orders and no defect export: ODR cannot be counted, PFCR/LSR have no MFN order, LSR/VTR/OTDR
    # need shipments -> no metric is ok or at risk, so the run must not say "every metric meets its target"
    con = load(orders=daily_orders(1, "2026-10-01", 31, channel="Amazon"))
    results = metrics.compute_metrics(con, MetricParams(as_of=dt.date(2026, 10, 31)))
    assert {r.status for r in results.values()} <= {"no_orders", "not_computed"}
    with pytest.raises(NoOrdersInWindowError, match="no metric could be computed"):
        metrics.check_windows_hold_orders(con, results)
