"""Date formats: which format a date column is written in, decided from its values, and the SQL reading it.

The format groups (ISO, US, day first, dotted, Japanese ...), their strptime formats, the zone names and
each marketplace's preferred order are data (``data/dates.toml``). :func:`infer_date_group` tries every
group on the whole column and keeps the one that reads most values; :func:`read_expr` is the SQL that
reads a text column as a UTC timestamp in one group, :func:`plausible` keeps the dates a misread cannot give
(two steps, so that each value is read once).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import duckdb

from sellerdx import assets

_SAMPLE_ROWS = 20_000        # date-format inference on big columns: ISO is confirmed on a sample first
FORMAT_LABELS = {"iso": "ISO 8601 (YYYY-MM-DD…)", "us": "MM/DD/YYYY", "day_first": "DD/MM/YYYY",
               "dotted": "DD.MM.YYYY", "named_month": "DD-Mon-YYYY", "ymd_slash": "YYYY/MM/DD",
               "jp": "YY/MM/DD", "four_digit_us": "MM/DD/YYYY", "four_digit_day_first": "DD/MM/YYYY",
               "dotted4": "DD.MM.YYYY"}
FEEDBACK_FORMAT_LABELS = {"us": "M/D/YY", "day_first": "D/M/YY", "dotted": "D.M.YY", "jp": "YY/M/D"}


@functools.cache
def _dates() -> dict[str, Any]:
    return assets.load_toml("dates.toml")


def _zone_fix(expr: str) -> str:
    """SQL that turns a trailing zone name (' PDT') into an offset ('-07:00')."""
    out = expr
    for name, offset in _dates()["zones"].items():
        out = f"regexp_replace({out}, ' {name}$', '{offset}')"
    return out


def _group_order(parse: str, marketplace: str | None) -> list[tuple[str, list[str]]]:
    dates = _dates()
    groups = dates["feedback_groups"] if parse == "feedback_date" else dates["groups"]
    order = dates["marketplaces"].get((marketplace or "").upper(), dates["marketplaces"]["default"])
    names = [g for g in order if g in groups] + [g for g in groups if g not in order]
    return [(g, groups[g]) for g in names]


def read_expr(column: str, group: str, param: str, zones: bool) -> str:
    """SQL reading the text ``column`` as a TIMESTAMP (UTC) in one format group, NULL when it does not fit.

    Not yet checked for plausibility: wrap the column it is selected into with :func:`plausible`. Kept
    apart so each value is read once (DuckDB evaluates a repeated expression again: reading and checking
    in one expression read every date twice)."""
    value = _zone_fix(column) if zones else column
    if group == "iso":
        # DuckDB's cast is lenient ('26/7/10' becomes the year 26): only values that start like ISO dates.
        return (f"(CASE WHEN regexp_matches({value}, '^\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}') "
                f"THEN CAST(TRY_CAST({value} AS TIMESTAMPTZ) AS TIMESTAMP) END)")
    return f"CAST(TRY_STRPTIME({value}, ${param}) AS TIMESTAMP)"


def plausible(column: str) -> str:
    """The TIMESTAMP ``column`` (a name, read by :func:`read_expr`), NULL outside 1990-2100: '%Y' reads "26"
    as the year 26, a misread, not a date."""
    return f"(CASE WHEN year({column}) BETWEEN 1990 AND 2100 THEN {column} END)"


def infer_date_group(con: duckdb.DuckDBPyConnection, column: str, parse: str, marketplace: str | None,
                      rows: int) -> tuple[str, list[str], bool, bool]:
    """(group, formats, has zone names, ambiguous) for one date column, decided from its values.

    Every candidate format group is tried on the whole column and the one that reads most values wins;
    ties go to the marketplace's own order. A column is first tried as ISO (what Amazon writes in every
    report but Feedback Manager's); a big one (the orders report) on a sample.
    """
    return infer_date_groups(con, [(column, parse)], marketplace, rows)[column]


def infer_date_groups(con: duckdb.DuckDBPyConnection, columns: Sequence[tuple[str, str]], marketplace: str | None,
                      rows: int) -> dict[str, tuple[str, list[str], bool, bool]]:
    """:func:`infer_date_group` of every ``(column, parse)`` of one file of ``rows`` rows, by column.

    Two questions come first for each column: does it hold zone names (" PDT"), and does ISO read every value
    (what Amazon writes in every report but Feedback Manager's: only ISO reads a value that starts "YYYY-M-D",
    so when it reads them all the full scoring would pick ISO too, without trying ten groups of formats on
    every value). A file of at most :data:`_SAMPLE_ROWS` rows asks each question of all its columns in one
    statement (a small file's time goes to statements, not to values); a bigger one column by column, each
    on a sample of its values. Only a column that is not all ISO is scored."""
    if rows > _SAMPLE_ROWS:
        first = {column: _first_answers(con, [(column, parse)], _sample(column, parse))[column]
                 for column, parse in columns}
    else:
        first = _first_answers(con, columns, "parsed") if columns else {}
    out = {}
    for column, parse in columns:
        zones, all_iso = first[column]
        out[column] = ("iso", [], zones, False) if all_iso else _score(con, column, parse, marketplace, zones)
    return out


def _sample(column: str, parse: str) -> str:
    """The values of one column of a big file its first questions are asked of: the first
    :data:`_SAMPLE_ROWS` that are not empty (Feedback Manager's: every value)."""
    if parse == "feedback_date":
        return "parsed"
    return f"(SELECT {column} FROM parsed WHERE {column} IS NOT NULL LIMIT {_SAMPLE_ROWS})"


def _first_answers(con: duckdb.DuckDBPyConnection, columns: Sequence[tuple[str, str]],
                   scope: str) -> dict[str, tuple[bool, bool]]:
    """column -> (has zone names, ISO reads every value) for ``columns`` of ``scope`` (a small file's
    ``parsed``, or one column's :func:`_sample`): each question asked of every column in one statement.
    Feedback Manager's dates are never taken for ISO."""
    zoned = con.execute("SELECT " + ", ".join(f"coalesce(bool_or(regexp_matches({column}, ' [A-Z]{{1,4}}$')), false)"
                                              for column, _parse in columns) + f" FROM {scope}").fetchone()
    iso = [(i, column) for i, (column, parse) in enumerate(columns) if parse != "feedback_date"]
    counts: dict[str, tuple[int, int]] = {}
    if iso:
        reads = ", ".join(f"{column} AS v{i}, {read_expr(column, 'iso', '', zoned[i])} AS r{i}" for i, column in iso)
        row = con.execute("SELECT " + ", ".join(f"count({plausible(f'r{i}')}), count(v{i})" for i, _c in iso)
                          + f" FROM (SELECT {reads} FROM {scope})").fetchone()
        counts = {column: (row[2 * n], row[2 * n + 1]) for n, (_i, column) in enumerate(iso)}
    out = {}
    for i, (column, _parse) in enumerate(columns):
        ok, total = counts.get(column, (0, 0))
        out[column] = (bool(zoned[i]), bool(total) and ok == total)
    return out


def _score(con: duckdb.DuckDBPyConnection, column: str, parse: str, marketplace: str | None,
           zones: bool) -> tuple[str, list[str], bool, bool]:
    """(group, formats, zones, ambiguous) of a column that is not all ISO: every format group tried on every
    value of the file."""
    groups = _group_order(parse, marketplace)
    params = {f"g{i}": fmts for i, (_, fmts) in enumerate(groups) if fmts}
    reads, selects = [], []
    for i, (name, _) in enumerate(groups):   # each group reads each value once (the inner select)
        reads.append(f"{read_expr(column, name, f'g{i}', zones)} AS r{i}")
        selects.append(f"count(p{i}), coalesce(date_diff('day', min(p{i}), max(p{i})), 0)")
    checked = ", ".join(f"{plausible(f'r{i}')} AS p{i}" for i in range(len(groups)))
    row = con.execute(f"SELECT {', '.join(selects)} FROM (SELECT {checked} FROM (SELECT {', '.join(reads)} "
                      f"FROM parsed))", params).fetchone()
    # Most values read first; then the narrowest span of dates (an export covers weeks or months: read
    # with the wrong day/month/year order, the same values scatter over years); then the marketplace order.
    scored = sorted(range(len(groups)), key=lambda i: (-row[2 * i], row[2 * i + 1], i))
    best, runner_up = scored[0], scored[1] if len(scored) > 1 else None
    name, fmts = groups[best]
    ambiguous = (row[2 * best] > 0 and runner_up is not None and name != "iso"
                 and row[2 * runner_up] == row[2 * best] and row[2 * runner_up + 1] == row[2 * best + 1])
    return name, fmts, zones, ambiguous
