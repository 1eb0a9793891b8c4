"""Stage 2 — read every recognised file into DuckDB, type and check each row, quarantine what fails.

Rows are read with their physical line number (tab files by DuckDB's CSV parser, numbered in file order
or joined by position to a line read, :mod:`.fields`; everything else as lists of text fields in
``raw``), then typed and checked by SQL compiled from the pandera schema of the kind
(``schemas/<kind>.yaml``): pandera declares what a valid row is, DuckDB evaluates it over millions of rows
without pulling them into pandas. Every data row ends up in exactly one place: its canonical table
``<kind>`` (loaded, written once) or ``rejected_rows`` (file, line, column, value, reason), so for every
file ``rows_read == rows_loaded + rows_rejected``.

The package holds one concern per module: :mod:`.fields` (the fast read of tab files), :mod:`.raw` (physical lines: DuckDB line reads, transcoding,
the csv-module path for quoted files, workbook sheets), :mod:`.dates` (which date format a column is
written in), :mod:`.compile` (pandera schema -> SQL of typed values and problem lists) and :mod:`.load`
(loading, quarantine, cross-file checks, :class:`LoadResult`, :func:`load_inventory`).
"""

from __future__ import annotations

from sellerdx.validate.compile import CompiledStage, check_sql, compile_stage, parsed_view_sql
from sellerdx.validate.dates import FEEDBACK_FORMAT_LABELS, FORMAT_LABELS, infer_date_group, plausible, read_expr
from sellerdx.validate.load import (
    LoadResult,
    load_file,
    load_inventory,
    read_performance,
    reject_cross_file,
    require_usable_orders,
    unusable_kinds,
)
from sellerdx.validate.raw import drop_header, drop_raw, read_raw, table_exists

__all__ = [
    "FEEDBACK_FORMAT_LABELS", "FORMAT_LABELS", "CompiledStage", "LoadResult", "check_sql", "compile_stage",
    "drop_header", "drop_raw", "infer_date_group", "load_file", "load_inventory", "plausible", "read_expr",
    "parsed_view_sql", "read_performance", "read_raw", "reject_cross_file", "require_usable_orders",
    "table_exists", "unusable_kinds",
]
