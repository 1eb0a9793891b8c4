"""The SQL that validate.py compiles from schemas/<kind>.yaml rejects exactly the rows pandera rejects.

For each kind: a small typed DataFrame (valid and invalid rows) is validated by pandera itself
(``schema.validate(df, lazy=True)``); the same rows are written as a tab-separated export under the
kind's headers and loaded through sellerdx. Row index i is physical line i + 2 (the header is line 1), so
the quarantined lines must be exactly {i + 2 for every index pandera reports}.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pytest

from sellerdx.schema import pandera_schema, report_specs
from support.exports import inputs_of, oid, rejected, report, table, write_orders, write_text

FULLWIDTH_ID = "１１１-０００００００-０００００９９"      # digits outside ASCII: Python's \d matches them
TS = pd.Timestamp("2026-09-02 10:00:00")
D = dt.date(2026, 9, 3)


def rows_for(kind: str) -> list[dict[str, Any]]:
    """Rows (only the interesting columns; others are null) with the invalid ones commented."""
    if kind == "orders":
        base = {"order_id": oid(1), "purchase_ts": TS, "order_status": "Shipped", "fulfillment_channel": "Merchant",
                "asin": "B000000001", "quantity": 1, "item_price": 12.5, "sku": "S1"}
        return [base,
                {**base, "order_id": oid(2), "fulfillment_channel": "Amazon", "quantity": 0, "item_price": math.nan},
                {**base, "order_id": "123-45"},                       # pattern
                {**base, "order_id": oid(4), "purchase_ts": pd.NaT},  # not nullable
                {**base, "order_id": oid(5), "order_status": None},   # not nullable
                {**base, "order_id": oid(6), "fulfillment_channel": "Drone"},   # isin
                {**base, "order_id": oid(7), "asin": "b00short"},     # pattern
                {**base, "order_id": oid(8), "quantity": -1},         # >= 0
                {**base, "order_id": oid(9), "asin": None, "sku": None, "item_price": -3.0}]   # valid
    if kind == "feedback":
        base = {"feedback_date": D, "rating": 5, "order_id": oid(1), "comments": "ok"}
        return [base,
                {**base, "rating": 1, "order_id": oid(2)},
                {**base, "rating": 0, "order_id": oid(3)},            # in_range 1..5
                {**base, "rating": 6, "order_id": oid(4)},
                {**base, "rating": 7, "order_id": oid(5)},
                {**base, "order_id": "302-1234567"},                 # pattern
                {**base, "feedback_date": None, "order_id": oid(7)},  # not nullable
                {**base, "order_id": None}]   # not nullable
    if kind == "claims":
        base = {"order_id": oid(1), "claim_date": D, "claim_status": "Open", "amount": 12.99}
        return [base,
                {**base, "order_id": oid(2), "amount": 0.0},
                {**base, "order_id": oid(3), "amount": -0.01},        # >= 0
                {**base, "order_id": oid(4), "amount": math.nan, "claim_date": None},
                {**base, "order_id": "1110000000000001"},            # pattern
                {**base, "order_id": None}]
    if kind == "returns_mfn":
        base = {"order_id": oid(1), "return_request_date": D, "return_reason": "CR-DEFECTIVE", "return_quantity": 1}
        return [base,
                {**base, "order_id": oid(2), "return_quantity": -1},  # >= 0
                {**base, "order_id": "abc-defghij-klmnopq"},
                {**base, "order_id": oid(4), "return_quantity": 0}]
    if kind == "returns_fba":
        base = {"return_date": TS, "order_id": oid(1), "detailed_disposition": "DEFECTIVE", "quantity": 1}
        return [base,
                {**base, "order_id": oid(2), "quantity": -2},         # >= 0
                {**base, "order_id": oid(3), "return_date": pd.NaT},  # nullable: valid
                {**base, "order_id": "111-0000000-00000011"}]   # one digit too many
    if kind == "shipments":
        # order ids not in the orders file, so the cross-file check (confirm before purchase) stays out
        base = {"order_id": oid(101), "expected_ship_ts": TS, "ship_confirm_ts": TS, "tracking_id": "1Z1",
                "late_flag": False}
        return [base,
                {**base, "order_id": oid(102), "tracking_id": "1Z2", "late_flag": True},
                {**base, "order_id": "111-000000-0000103", "tracking_id": "1Z3"},
                {**base, "order_id": None, "tracking_id": "1Z4"}]
    # chargebacks, cancellations: order id is the only checked column
    date_field = {"chargebacks": "chargeback_date", "cancellations": "cancel_date"}[kind]
    return [{"order_id": oid(1), date_field: D},
            {"order_id": oid(2), date_field: None},
            {"order_id": "111-0000000-000000x", date_field: D},
            {"order_id": None, date_field: D}]


def typed_frame(kind: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Every schema column, typed as the pandera schema declares it."""
    schema = pandera_schema(kind)
    columns: dict[str, pd.Series] = {}
    for name, col in schema.columns.items():
        values = [r.get(name) for r in rows]
        dtype = str(col.dtype)
        if dtype == "int64":
            assert None not in values, f"{kind}.{name}: int64 columns cannot hold nulls in pandas"
            columns[name] = pd.Series(values, dtype="int64")
        elif dtype == "float64":
            columns[name] = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
        elif dtype == "bool":
            columns[name] = pd.Series([False if v is None else v for v in values], dtype="bool")
        elif dtype.startswith("datetime64"):
            columns[name] = pd.Series([pd.NaT if v is None else v for v in values]).astype("datetime64[ns]")
        elif dtype == "date":
            columns[name] = pd.Series(values, dtype=object)
        else:
            columns[name] = pd.Series(values, dtype="str")
    return pd.DataFrame(columns)


def pandera_failing_rows(kind: str, frame: pd.DataFrame) -> set[int]:
    try:
        pandera_schema(kind).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        assert cases["index"].notna().all(), f"column-level failures make the comparison moot:\n{cases}"
        return {int(i) for i in cases["index"]}
    return set()


def as_text(value: Any, dtype: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if dtype.startswith("datetime64"):
        return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    if dtype == "date":
        return value.isoformat()
    if dtype == "bool":
        return "true" if value else "false"
    return str(value)


def write_as_export(folder: Path, kind: str, frame: pd.DataFrame) -> Path:
    spec = report_specs()[kind]
    schema = pandera_schema(kind)
    names = list(schema.columns)
    header = [spec.fields[n].headers[0] for n in names]
    lines = [[as_text(frame[n].iloc[i], str(schema.columns[n].dtype)) for n in names] for i in range(len(frame))]
    return write_text(folder / f"{kind}-export.txt", table(header, lines))


def check_equivalence(tmp_path: Path, kind: str, rows: list[dict[str, Any]]) -> None:
    frame = typed_frame(kind, rows)
    expected_bad = pandera_failing_rows(kind, frame)
    folder = tmp_path / "exports"
    if kind != "orders":
        write_orders(folder)
    write_as_export(folder, kind, frame)
    inputs = inputs_of(folder)
    path = f"{kind}-export.txt"
    rep = report(inputs, path)
    assert rep.kind == kind
    assert rep.rows_read == len(rows)
    got_lines = {line for line, _, _ in rejected(inputs, path)}
    assert got_lines == {i + 2 for i in expected_bad}, (
        f"pandera rejects rows {sorted(expected_bad)} (lines {sorted(i + 2 for i in expected_bad)}), "
        f"sellerdx quarantined lines {sorted(got_lines)}")
    assert rep.rows_loaded == len(rows) - len(expected_bad)


KINDS = ["orders", "feedback", "claims", "chargebacks", "cancellations", "shipments", "returns_mfn", "returns_fba"]


@pytest.mark.parametrize("kind", KINDS)
def test_sql_checks_reject_exactly_what_pandera_rejects(tmp_path, kind):
    rows = rows_for(kind)
    bad = pandera_failing_rows(kind, typed_frame(kind, rows))
    assert bad and len(bad) < len(rows), "each case has valid and invalid rows"
    check_equivalence(tmp_path, kind, rows)


@pytest.mark.parametrize("kind", ["orders", "feedback"])
def test_order_id_with_non_ascii_digits_is_judged_alike(tmp_path, kind):
    # Python's \d (pandera) matches fullwidth digits, RE2's \d (DuckDB) does not: the two must agree,
    # e.g. by writing the schema pattern as [0-9].
    rows = rows_for(kind)[:1] + [{**rows_for(kind)[0], "order_id": FULLWIDTH_ID}]
    check_equivalence(tmp_path, kind, rows)


@pytest.mark.parametrize("kind", KINDS)
def test_pandera_schema_checks_all_have_a_sql_translation(kind):
    # Every check pandera declares is one that validate._check_sql can compile (else it raises).
    known = {"str_matches", "in_range", "greater_than_or_equal_to", "greater_than", "less_than_or_equal_to",
             "less_than", "equal_to", "not_equal_to", "isin", "notin", "str_length"}
    for name, col in pandera_schema(kind).columns.items():
        for check in col.checks:
            assert check.name in known, f"{kind}.{name}: {check.name}"
