"""Small helpers for the pandas frames the pipeline passes around."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype


def _native(value: Any) -> Any:
    """What ``to_dict`` makes of one value of an object column (pandas' ``maybe_box_native``)."""
    if value is pd.NA:
        return None
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    if isinstance(value, np.timedelta64):
        return pd.Timedelta(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _column(series: pd.Series) -> list[Any]:
    values = series.tolist()     # Python scalars, Timestamp / NaT, or the dtype's own missing value
    dtype = series.dtype
    if dtype == np.dtype(object):
        return [_native(v) for v in values]
    if isinstance(dtype, ExtensionDtype) and dtype.na_value is pd.NA:
        return [None if v is pd.NA else v for v in values]
    return values


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``: the same values of the same types (Python scalars, ``Timestamp``,
    ``NaT``, ``nan``; ``None`` for ``pd.NA``), converted column by column. pandas 3 converts each value of
    ``to_dict`` on its own, 2.5–5× slower (a 5M-item account's Plan of Action converts ~100,000 counted
    defects). The columns must be unique, as ``to_dict`` requires."""
    columns = list(frame.columns)
    values = [_column(frame[c]) for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
