"""metric_orders built in stages (issue 14 point 2): the unit-based OTDR's parcels are first summed into
the temp table metric_unit_rows, then joined into metric_orders (the stage is dropped). The units an
order's parcels name none of are spread over those parcels in file order.
"""

from __future__ import annotations

import datetime as dt

from sellerdx import metrics
from sellerdx.metrics import MetricParams
from support.metrics_data import load, order, shipment

P = MetricParams(as_of=dt.date(2026, 10, 31))   # otdr_units window: promised 2026-10-11 .. 2026-10-24


def parcel(promised: str, delivered: str) -> dict:
    return shipment(1, "2026-10-08T23:00:00", "2026-10-08T10:00:00", carrier="UPS", sku=None, asin=None,
                    promised_delivery_date=dt.date.fromisoformat(promised),
                    delivered_date=dt.date.fromisoformat(delivered))


def test_units_no_parcel_names_are_spread_first_parcels_first():
    # One order of 5 units (SKU-A x5), three parcels naming no item, in this file order:
    #   parcel 1 promised 10-15, delivered 10-17 (late)    5 // 3 = 1, remainder 2 -> 1 + 1 = 2 units
    #   parcel 2 promised 10-16, delivered 10-16 (on time)                          -> 1 + 1 = 2 units
    #   parcel 3 promised 10-17, delivered 10-17 (on time)                          -> 1 unit
    # On time 2 + 1 = 3 of 5 units (the reverse order would give 4 of 5).
    con = load(orders=[order(1, "2026-10-08", quantity=5)],
               shipments=[parcel("2026-10-15", "2026-10-17"), parcel("2026-10-16", "2026-10-16"),
                          parcel("2026-10-17", "2026-10-17")])
    m = metrics.compute_metrics(con, P)["otdr_units"]
    assert (m.numerator, m.denominator) == (3, 5)
    rows = con.execute("SELECT window_date, weight, num_weight, bad_weight FROM metric_orders "
                       "WHERE family = 'otdr_units' ORDER BY window_date").fetchall()
    assert rows == [(dt.date(2026, 10, 15), 2, 0, 2), (dt.date(2026, 10, 16), 2, 2, 0),
                    (dt.date(2026, 10, 17), 1, 1, 0)]
    # the stage is a temp table of the build only
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'metric_unit_rows'").fetchone() == (0,)
