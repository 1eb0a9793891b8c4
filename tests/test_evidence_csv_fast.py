"""evidence.csv written faster, byte for byte as before (round five): the purchase dates of a finding's
evidence turned into ISO days at once, and the formula neutralising of safecsv inline. Expected values by
hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sellerdx import safecsv
from sellerdx.render.poa import _iso_date, _iso_dates


def test_iso_days_of_a_timestamp_column_are_each_values_own():
    stamps = pd.Series([pd.Timestamp("2026-10-02 23:59:59.999999"), pd.NaT, pd.Timestamp("1969-12-31 18:00:00"),
                        pd.Timestamp("2026-01-01")]).astype("datetime64[us]")
    assert _iso_dates(stamps) == ["2026-10-02", None, "1969-12-31", "2026-01-01"]
    assert _iso_dates(stamps) == [_iso_date(v) for v in stamps.tolist()]


def test_iso_days_of_other_columns_go_value_by_value():
    dates = pd.Series([dt.date(2026, 9, 1), None, np.nan], dtype=object)
    assert _iso_dates(dates) == ["2026-09-01", None, None]
    aware = pd.Series(pd.to_datetime(["2026-10-02 23:30:00"]).tz_localize("America/New_York"))
    assert _iso_dates(aware) == ["2026-10-02"]                 # the local day, as Timestamp.date() gives
    assert _iso_dates(pd.Series([], dtype="datetime64[us]")) == []


def test_write_csv_neutralises_formulas_and_writes_missing_as_empty(tmp_path):
    path = tmp_path / "x.csv"
    rows = [["=1+1", "+A", "-B", "@C", "\tD", "ok", None, 3, 2.5, "\uff1dX", "a=b"]]
    assert safecsv.write_csv(path, ["c"] * 11, rows) == 1
    text = path.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[1] == "'=1+1,'+A,'-B,'@C,'\tD,ok,,3,2.5,'\uff1dX,a=b"
