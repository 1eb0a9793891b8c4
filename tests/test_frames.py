"""frames.records gives what ``DataFrame.to_dict("records")`` gives: the same values of the same types."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sellerdx.frames import records


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": pd.array(["111-0000001-0000001", None], dtype="string"),
        "units": [2, 3],
        "value": [9.5, float("nan")],
        "late": [True, False],
        "day": pd.to_datetime(["2026-10-01", None]),
        "themes": [["damaged"], []],
        "code": ["A", None],
        "count": pd.array([1, None], dtype="Int64"),
        "mixed": pd.Series([np.int64(4), None], dtype=object),
    })


def test_records_are_the_rows_with_python_values() -> None:
    rows = records(_frame())
    assert len(rows) == 2
    first, second = rows
    assert first == {"order_id": "111-0000001-0000001", "units": 2, "value": 9.5, "late": True,
                     "day": pd.Timestamp("2026-10-01"), "themes": ["damaged"], "code": "A", "count": 1,
                     "mixed": 4}
    assert type(first["units"]) is int and type(first["late"]) is bool and type(first["value"]) is float
    assert type(first["mixed"]) is int and type(first["count"]) is int
    assert math.isnan(second["value"]) and second["day"] is pd.NaT
    # a missing text is None where the column's missing value is pd.NA, nan where it is nan (pandas 3's str)
    assert second["order_id"] is None and second["count"] is None and second["mixed"] is None
    assert isinstance(second["code"], float) and math.isnan(second["code"])


def test_records_match_to_dict_value_for_value_and_type_for_type() -> None:
    frame = _frame()
    ours, theirs = records(frame), frame.to_dict("records")
    for mine, pandas_row in zip(ours, theirs, strict=True):
        assert list(mine) == list(pandas_row)
        for column in mine:
            a, b = mine[column], pandas_row[column]
            assert type(a) is type(b), column
            if isinstance(a, float) and math.isnan(a):
                assert math.isnan(b), column
            else:
                assert a is b or a == b, column


def test_records_of_an_empty_frame_are_none() -> None:
    assert records(_frame().iloc[:0]) == []
