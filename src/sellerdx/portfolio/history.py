"""The portfolio's run history: every run's per-account metrics, appended as Parquet under ``DIR/history/``.

One file per run, ``history/run-<UTC timestamp>.parquet`` (written to a temporary name, then renamed, so
a file is either complete or absent), one row per account and metric with the columns of
:data:`SCHEMA`. Read the whole history with DuckDB or pandas::

    duckdb.sql("SELECT * FROM 'DIR/history/*.parquet' ORDER BY run_at, account, metric")

:func:`previous_metrics` gives, for each account, its metrics in the most recent earlier run that had it,
which index.html compares with today's.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

HISTORY_DIR = "history"
SCHEMA = pa.schema([
    ("run_id", pa.string()),
    ("run_at", pa.timestamp("us", tz="UTC")),
    ("account", pa.string()),
    ("account_status", pa.string()),   # at_risk | ok (by sellerdx's metrics or Amazon's own status)
    ("as_of", pa.date32()),
    ("metric", pa.string()),
    ("rate", pa.float64()),
    ("numerator", pa.int64()),
    ("denominator", pa.int64()),
    ("window_start", pa.date32()),
    ("window_end", pa.date32()),
    ("status", pa.string()),
])


def new_run_id(now: dt.datetime | None = None) -> tuple[str, dt.datetime]:
    """(run id that sorts by time, the run's UTC timestamp)."""
    at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return at.strftime("%Y%m%dT%H%M%S%fZ"), at


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def append_run(out: str | os.PathLike[str], run_id: str, run_at: dt.datetime,
               rows: Iterable[Mapping[str, Any]]) -> Path:
    """Append one run: ``rows`` have account, account_status, as_of, metric, rate, numerator, denominator, window_start,
    window_end, status. Returns the file written."""
    folder = Path(out) / HISTORY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    records = [{"run_id": run_id, "run_at": run_at, "account": r["account"],
                "account_status": r.get("account_status"), "as_of": _date(r.get("as_of")),
                "metric": r["metric"], "rate": r.get("rate"), "numerator": r.get("numerator"),
                "denominator": r.get("denominator"), "window_start": _date(r.get("window_start")),
                "window_end": _date(r.get("window_end")), "status": r.get("status")} for r in rows]
    table = pa.Table.from_pylist(records, schema=SCHEMA)
    target = folder / f"run-{run_id}.parquet"
    tmp = folder / f".run-{run_id}.{os.getpid()}.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, target)
    return target


def run_files(out: str | os.PathLike[str]) -> list[Path]:
    """Every run's file, oldest first."""
    folder = Path(out) / HISTORY_DIR
    return sorted(folder.glob("run-*.parquet")) if folder.is_dir() else []


def previous_metrics(out: str | os.PathLike[str], before_run_id: str,
                     accounts: Iterable[str]) -> dict[str, dict[str, Any]]:
    """For each account, ``{"run_id", "run_at", "as_of", "account_status", "metrics": {metric: row}}`` of the latest run
    before ``before_run_id`` that has it. Accounts never seen before are absent."""
    wanted = set(accounts)
    found: dict[str, dict[str, Any]] = {}
    for path in reversed(run_files(out)):
        run_id = path.stem.removeprefix("run-")
        if run_id >= before_run_id:
            continue
        try:
            rows = pq.read_table(path).to_pylist()
        except (OSError, pa.ArrowInvalid):
            continue  # a damaged history file loses one day's comparison, never the run
        for row in rows:
            name = row["account"]
            if name not in wanted or (name in found and found[name]["run_id"] != run_id):
                continue
            entry = found.setdefault(name, {"run_id": run_id, "run_at": row["run_at"], "as_of": row["as_of"],
                                            "account_status": row["account_status"], "metrics": {}})
            entry["metrics"][row["metric"]] = row
        if wanted <= set(found):
            break
    return found


__all__ = ["HISTORY_DIR", "SCHEMA", "append_run", "new_run_id", "previous_metrics", "run_files"]
