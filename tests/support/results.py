"""Build an :class:`~sellerdx.result.AnalysisResult` from a hand-loaded connection, for renderer tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import pandas as pd

from sellerdx.describe import describe
from sellerdx.metrics import MetricParams
from sellerdx.model import Finding, MetricResult
from sellerdx.options import Options
from sellerdx.result import AnalysisResult, Inputs


def result_of(con: duckdb.DuckDBPyConnection, params: MetricParams, metrics: Mapping[str, MetricResult],
              findings: Sequence[Finding], *, marketplace: str | None = None) -> AnalysisResult:
    """The result the pipeline computes for ``con`` with these metrics and findings (no input files)."""
    inputs = Inputs(folder="tests", files=(), skipped=(), rejected=pd.DataFrame())
    return describe(con, folder="tests", options=Options(marketplace=marketplace), params=params,
                    inputs=inputs, metrics=metrics, findings=findings)
