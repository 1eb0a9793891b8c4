"""Stage 2 — read every recognised file into DuckDB, type and check each row, quarantine what fails.

Rows are read as lists of text fields with their physical line number (``raw``), then typed and checked
by SQL compiled from the pandera schema of the kind (``schemas/<kind>.yaml``): pandera declares what a
valid row is, DuckDB evaluates it over millions of rows without pulling them into pandas. Every data row
ends up in exactly one place: ``stage_<kind>`` (loaded) or ``rejected_rows`` (file, line, column, value,
reason), so for every file ``rows_read == rows_loaded + rows_rejected``.

Text encodings DuckDB cannot read offline (cp1252, Shift-JIS, UTF-16) are transcoded to UTF-8 in a
streaming pass first; comma/semicolon files re-saved by Excel (quoted, possibly multi-line) are read with
Python's csv module. Amazon's tab-separated files are read by DuckDB directly with no quote character.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import os
import re
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from . import assets, store, workbook
from .errors import NoInputError, UnreadableFileError
from .ingest import Inventory, SourceFile
from .model import FileReport, TABLE_KINDS
from .schema import FieldSpec, ReportSpec, report_specs

if TYPE_CHECKING:
    from .cache import FileCache

_BATCH = 50_000
_SAMPLE_ROWS = 20_000        # date-format inference on big columns: ISO is confirmed on a sample first
_FMT_LABELS = {"iso": "ISO 8601 (YYYY-MM-DD…)", "us": "MM/DD/YYYY", "day_first": "DD/MM/YYYY",
               "dotted": "DD.MM.YYYY", "named_month": "DD-Mon-YYYY", "ymd_slash": "YYYY/MM/DD",
               "jp": "YY/MM/DD", "four_digit_us": "MM/DD/YYYY", "four_digit_day_first": "DD/MM/YYYY",
               "dotted4": "DD.MM.YYYY"}
_FEEDBACK_LABELS = {"us": "M/D/YY", "day_first": "D/M/YY", "dotted": "D.M.YY", "jp": "YY/M/D"}


@dataclass(frozen=True)
class LoadResult:
    """What the read/validate stage produced: a report per file and Amazon's JSON if present."""
    files: tuple[FileReport, ...]
    performance: tuple[tuple[str, Any], ...] = ()    # (path, parsed JSON)
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)   # seconds: read, validate, load

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)


@dataclass
class _FileState:
    """Mutable bookkeeping while one file is read."""
    src: SourceFile
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    date_min: dt.date | None = None
    date_max: dt.date | None = None
    encoding: str = ""


# --------------------------------------------------------------------------------------------- raw lines
def _create_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS rejected_rows (path VARCHAR, line BIGINT, "
                "column_name VARCHAR, value VARCHAR, reason VARCHAR)")


def _transcode_to_temp(src: SourceFile, encoding: str, tmpdir: str) -> str:
    """Stream ``src`` decoded from ``encoding`` into a UTF-8 temp file; errors name the line."""
    out_path = os.path.join(tmpdir, f"transcoded-{abs(hash(src.path))}.txt")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with src.location.open() as stream, open(out_path, "w", encoding="utf-8", newline="") as out:
        while True:
            try:
                chunk = stream.read(1 << 20)
            except (OSError, EOFError, zlib.error) as exc:
                raise UnreadableFileError(f"is damaged after line {line} ({exc})", path=src.path,
                                          hint="download the report again from Seller Central") from None
            final = not chunk
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                good = chunk[: exc.start]
                bad_line = line + good.count(b"\n")
                raise UnreadableFileError(
                    f"byte 0x{chunk[exc.start]:02x} cannot be read as {encoding}", path=src.path, line=bad_line,
                    hint="the file mixes encodings or is damaged; download it again from Seller Central") from None
            line += chunk.count(b"\n")
            out.write(text.lstrip("\ufeff") if out.tell() == 0 else text)
            if final:
                break
    return out_path


def _load_tsv_lines(con: duckdb.DuckDBPyConnection, path: str, gzipped: bool) -> None:
    """Every physical line of a UTF-8 file as one text value; ``rowid`` + 1 is its line number."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE raw_lines AS SELECT line AS text FROM read_csv($path, "
        "columns = {'line': 'VARCHAR'}, delim = $delim, header = false, quote = '', escape = '', "
        "auto_detect = false, strict_mode = false, compression = $comp)",
        {"path": path, "delim": "\x00", "comp": "gzip" if gzipped else "none"})
    # A view, not a table: the fields are split once, straight into ``parsed`` (one full copy fewer).
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT rowid + 1 AS line, "
                "string_split(text, chr(9)) AS fields FROM raw_lines "
                "WHERE text IS NOT NULL AND trim(text) <> ''")


def _drop_header(con: duckdb.DuckDBPyConnection, header_line: int) -> None:
    """Remove the header (and any blank lines before it) so ``raw`` holds data lines only."""
    table = "raw_lines" if _exists(con, "raw_lines") else "raw"
    where = "rowid + 1 <= $h" if table == "raw_lines" else "line <= $h"
    con.execute(f"DELETE FROM {table} WHERE {where}", {"h": header_line})


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $n",
                            {"n": name}).fetchone()[0])


def _drop_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Drop ``raw`` (a view over ``raw_lines`` for TSV files, a table for quoted CSV) and ``raw_lines``."""
    for name, kind in con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                  "WHERE table_name IN ('raw', 'raw_lines') ORDER BY table_name").fetchall():
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")


def _csv_records(src: SourceFile, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, fields) of each record of a quoted comma/semicolon file."""
    with src.location.open() as stream:
        text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text, delimiter=src.delimiter, quotechar='"')
        start = 1
        try:
            for record in reader:
                if any(cell.strip() for cell in record):
                    yield start, record
                start = reader.line_num + 1
        except UnicodeDecodeError:
            raise UnreadableFileError(f"cannot be read as {encoding}", path=src.path, line=start,
                                      hint="download the report again or save it as 'CSV UTF-8'") from None
        except csv.Error as exc:
            raise UnreadableFileError(f"is not valid CSV ({exc})", path=src.path, line=start,
                                      hint="an unclosed quote? save it again from Excel as CSV") from None


def _load_csv_lines(con: duckdb.DuckDBPyConnection, src: SourceFile, encoding: str) -> None:
    _load_records(con, _csv_records(src, encoding))


def _sheet_records(src: SourceFile) -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cells as text) of a workbook sheet; a row is padded with empty cells to the
    header's width (a spreadsheet drops trailing empty cells), never cut (extra cells stay a problem)."""
    width = len(src.header)
    try:
        for line, cells in workbook.sheet_rows(src.location, src.location.sheet or ""):
            yield line, cells + [""] * (width - len(cells))
    except workbook.WorkbookError as exc:
        raise UnreadableFileError(f"cannot be read ({exc})", path=src.path,
                                  hint="open the workbook in Excel and save it again") from None


def _load_records(con: duckdb.DuckDBPyConnection, records: Iterator[tuple[int, list[str]]]) -> None:
    """Fill ``raw(line, fields)`` from (line, fields) records, in batches."""
    con.execute("CREATE OR REPLACE TEMP TABLE raw (line BIGINT, fields VARCHAR[])")
    lines: list[int] = []
    fields: list[list[str]] = []

    def flush() -> None:
        if lines:
            batch = pa.table({"line": pa.array(lines, pa.int64()), "fields": pa.array(fields, pa.list_(pa.string()))})
            con.register("_batch", batch)
            con.execute("INSERT INTO raw SELECT line, fields FROM _batch")
            con.unregister("_batch")
            lines.clear()
            fields.clear()

    for line, record in records:
        lines.append(line)
        fields.append(record)
        if len(lines) >= _BATCH:
            flush()
    flush()


def read_raw(con: duckdb.DuckDBPyConnection, src: SourceFile, tmpdir: str) -> str:
    """Fill ``raw(line, fields)`` from one file; return the encoding actually used."""
    _drop_raw(con)
    encoding = src.encoding
    if src.location.sheet is not None:
        _load_records(con, _sheet_records(src))
        return encoding
    if src.delimiter != "\t":
        _load_csv_lines(con, src, "utf-8-sig" if encoding == "utf-8" else encoding)
        return encoding
    loc = src.location
    if encoding in ("utf-8", "utf-8-sig") and loc.member is None:
        try:
            _load_tsv_lines(con, loc.disk_path, loc.gzipped)
            return encoding
        except duckdb.Error as exc:
            if "unicode" not in str(exc).lower() and "utf" not in str(exc).lower():
                raise UnreadableFileError(f"cannot be read ({str(exc).splitlines()[0]})", path=src.path,
                                          hint="download the report again from Seller Central") from None
            # Valid UTF-8 at the start, not further on: the file is in a legacy encoding after all.
            encoding = "cp1252"
    try:
        path = _transcode_to_temp(src, encoding, tmpdir)
    except UnreadableFileError:
        if not encoding.startswith("utf-8"):
            raise
        # Valid UTF-8 in the sample, not further on: the file is in a legacy encoding after all.
        encoding = "cp1252"
        path = _transcode_to_temp(src, encoding, tmpdir)
    try:
        _load_tsv_lines(con, path, gzipped=False)
    finally:
        os.unlink(path)
    return encoding


# --------------------------------------------------------------------------------------------- compiling
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


def _parse_expr(column: str, group: str, param: str, zones: bool) -> str:
    """SQL reading the text ``column`` as a UTC TIMESTAMP in one format group (NULL when it does not fit)."""
    value = _zone_fix(column) if zones else column
    if group == "iso":
        # DuckDB's cast is lenient ('26/7/10' becomes the year 26): only values that start like ISO dates.
        parsed = (f"(CASE WHEN regexp_matches({value}, '^\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}') "
                  f"THEN CAST(TRY_CAST({value} AS TIMESTAMPTZ) AS TIMESTAMP) END)")
    else:
        parsed = f"CAST(TRY_STRPTIME({value}, ${param}) AS TIMESTAMP)"
    # '%Y' reads "26" as the year 26: a date outside 1990-2100 is a misread, not a date.
    return f"(CASE WHEN year({parsed}) BETWEEN 1990 AND 2100 THEN {parsed} END)"


def _infer_date_group(con: duckdb.DuckDBPyConnection, column: str, parse: str, marketplace: str | None,
                      rows: int) -> tuple[str, list[str], bool, bool]:
    """(group, formats, has zone names, ambiguous) for one date column, decided from its values.

    Every candidate format group is tried on the whole column and the one that reads most values wins;
    ties go to the marketplace's own order. A big column (the orders report) is first tried as ISO on a
    sample, which is what Amazon writes there.
    """
    groups = _group_order(parse, marketplace)
    scope = f"(SELECT {column} FROM parsed WHERE {column} IS NOT NULL LIMIT {_SAMPLE_ROWS})" \
        if rows > _SAMPLE_ROWS and parse != "feedback_date" else "parsed"
    zones = bool(con.execute(f"SELECT bool_or(regexp_matches({column}, ' [A-Z]{{1,4}}$')) FROM {scope}").fetchone()[0])
    if parse != "feedback_date" and rows > _SAMPLE_ROWS:
        iso = _parse_expr(column, "iso", "", zones)
        ok, total = con.execute(f"SELECT count({iso}), count({column}) FROM (SELECT {column} FROM parsed "
                                f"WHERE {column} IS NOT NULL LIMIT {_SAMPLE_ROWS})").fetchone()
        if total and ok == total:
            return "iso", [], zones, False
    params = {f"g{i}": fmts for i, (_, fmts) in enumerate(groups) if fmts}
    selects = []
    for i, (name, _) in enumerate(groups):
        expr = _parse_expr(column, name, f"g{i}", zones)
        selects.append(f"count({expr}), coalesce(date_diff('day', min({expr}), max({expr})), 0)")
    row = con.execute(f"SELECT {', '.join(selects)} FROM parsed", params).fetchone()
    # Most values read first; then the narrowest span of dates (an export covers weeks or months: read
    # with the wrong day/month/year order, the same values scatter over years); then the marketplace order.
    scored = sorted(range(len(groups)), key=lambda i: (-row[2 * i], row[2 * i + 1], i))
    best, runner_up = scored[0], scored[1] if len(scored) > 1 else None
    name, fmts = groups[best]
    ambiguous = (row[2 * best] > 0 and runner_up is not None and name != "iso"
                 and row[2 * runner_up] == row[2 * best] and row[2 * runner_up + 1] == row[2 * best + 1])
    return name, fmts, zones, ambiguous


def _check_sql(spec: FieldSpec, check: Any, typed: str, params: dict[str, Any], n: int) -> tuple[str, str]:
    """(SQL condition that is TRUE when the value FAILS, reason) for one pandera check."""
    stats = check.statistics
    name = check.name
    p = f"k{n}"
    if name == "str_matches":
        params[p] = "^(?:" + stats["pattern"] + ")"
        reason = (f"{spec.title} is not shaped like 123-1234567-1234567" if spec.parse == "order_id"
                  else f"{spec.title} does not match the pattern {stats['pattern']}")
        return f"NOT regexp_matches({typed}, ${p})", reason
    if name == "in_range":
        lo, hi = stats["min_value"], stats["max_value"]
        params[p + "a"], params[p + "b"] = lo, hi
        lo_op = "<" if stats.get("include_min", True) else "<="
        hi_op = ">" if stats.get("include_max", True) else ">="
        return f"({typed} {lo_op} ${p}a OR {typed} {hi_op} ${p}b)", f"{spec.title} outside {lo}–{hi}"
    comparisons = {"greater_than_or_equal_to": ("<", "below {v}"), "greater_than": ("<=", "not above {v}"),
                   "less_than_or_equal_to": (">", "above {v}"), "less_than": (">=", "not below {v}"),
                   "equal_to": ("<>", "not equal to {v}"), "not_equal_to": ("=", "equal to {v}")}
    if name in comparisons:
        op, text = comparisons[name]
        value = next(iter(stats.values()))
        params[p] = value
        return f"{typed} {op} ${p}", f"{spec.title} {text.format(v=value)}"
    if name in ("isin", "notin"):
        values = list(stats["allowed_values"] if name == "isin" else stats["forbidden_values"])
        params[p] = [str(v) for v in values]
        cond = f"NOT list_contains(${p}, {typed})" if name == "isin" else f"list_contains(${p}, {typed})"
        return cond, f"{spec.title} is not one of {', '.join(map(str, values))}" if name == "isin" \
            else f"{spec.title} is not allowed"
    if name == "str_length":
        lo, hi = stats.get("min_value"), stats.get("max_value")
        conds = []
        if lo is not None:
            params[p + "a"] = lo
            conds.append(f"length({typed}) < ${p}a")
        if hi is not None:
            params[p + "b"] = hi
            conds.append(f"length({typed}) > ${p}b")
        return "(" + " OR ".join(conds) + ")", f"{spec.title} length outside {lo}–{hi}"
    raise NotImplementedError(f"pandera check {name!r} has no SQL translation; add it to validate._check_sql")


@dataclass(frozen=True)
class _Compiled:
    sql: str                    # creates ``staged``: typed columns and the pass/fail flag ``ok``
    params: dict[str, Any]
    columns: list[str]          # stage columns filled (fields + has_time)
    warnings: list[str]
    rejects_sql: str            # quarantines the failing rows of ``staged`` with their reasons
    rejects_params: dict[str, Any]


def compile_stage(con: duckdb.DuckDBPyConnection, src: SourceFile, spec: ReportSpec, *,
                  marketplace: str | None, header_len: int, rows: int) -> _Compiled:
    """SQL that types and checks the ``parsed`` table of one file into ``staged``."""
    params: dict[str, Any] = {"ncols": header_len}
    warnings: list[str] = []
    typed_cols: list[str] = []
    problem_items: list[str] = []
    problem_conds: list[str] = []
    stage_cols: list[str] = []
    checks_by_col = {name: col.checks for name, col in spec.schema.columns.items()}
    decimal_comma = src.delimiter == ";"
    truth = assets.load_toml("vocabulary.toml")["boolean"]
    params["true_words"] = [store._vnorm_py(w) for w in truth["true"]]
    params["false_words"] = [store._vnorm_py(w) for w in truth["false"]]
    n = 0
    for name, fspec in spec.fields.items():
        if name not in src.mapping:
            typed_cols.append(f"CAST(NULL AS {fspec.duckdb_type}) AS {name}")
            stage_cols.append(name)
            if fspec.duckdb_type == "TIMESTAMP":
                typed_cols.append(f"CAST(NULL AS BOOLEAN) AS {name}_has_time")
                stage_cols.append(f"{name}_has_time")
            continue
        c = f"c_{name}"
        header_name = src.header[src.mapping[name]] if src.mapping[name] < len(src.header) else name
        params[f"h_{name}"] = header_name
        parse_fail: str | None = None
        parse_reason = ""
        if fspec.parse in ("text", "order_id"):
            typed = c
        elif fspec.parse == "int":
            # DuckDB rounds '4.5' and reads '1e2' as 100: only whole-number text is cast.
            typed = f"(CASE WHEN regexp_full_match({c}, '[+-]?[0-9]+') THEN TRY_CAST({c} AS BIGINT) END)"
            parse_fail, parse_reason = f"{c} IS NOT NULL AND {name} IS NULL", f"{fspec.title} is not a whole number"
        elif fspec.parse == "money":
            digits = f"regexp_replace({c}, '[^0-9,.\\-]', '', 'g')"
            typed = (f"TRY_CAST(replace(replace({digits}, '.', ''), ',', '.') AS DOUBLE)" if decimal_comma
                     else f"TRY_CAST(replace({digits}, ',', '') AS DOUBLE)")
            parse_fail, parse_reason = f"{c} IS NOT NULL AND {name} IS NULL", f"{fspec.title} is not an amount"
        elif fspec.parse == "bool":
            typed = (f"CASE WHEN list_contains($true_words, vnorm({c})) THEN true "
                     f"WHEN list_contains($false_words, vnorm({c})) THEN false END")
            parse_fail, parse_reason = f"{c} IS NOT NULL AND {name} IS NULL", f"{fspec.title} is not yes/no"
        else:  # timestamp | date | feedback_date
            group, fmts, zones, ambiguous = _infer_date_group(con, c, fspec.parse, marketplace, rows)
            params[f"f_{name}"] = fmts
            labels = _FEEDBACK_LABELS if fspec.parse == "feedback_date" else _FMT_LABELS
            label = labels.get(group, _FMT_LABELS.get(group, group))
            if ambiguous:
                warnings.append(f"dates in {header_name!r} fit several formats; read as {label} "
                                f"(pass --marketplace to choose)")
            ts = _parse_expr(c, group, f"f_{name}", zones)
            if group == "iso":
                params.pop(f"f_{name}")
            typed = ts if fspec.duckdb_type == "TIMESTAMP" else f"CAST({ts} AS DATE)"
            parse_fail = f"{c} IS NOT NULL AND {name} IS NULL"
            parse_reason = f"{fspec.title} is not a date in the column's format ({label})"
            if fspec.duckdb_type == "TIMESTAMP":
                typed_cols.append(f"regexp_matches({c}, '\\d:\\d\\d') AS {name}_has_time")
                stage_cols.append(f"{name}_has_time")
        typed_cols.append(f"{typed} AS {name}")
        stage_cols.append(name)

        def item(cond: str, reason: str) -> str:
            nonlocal n
            n += 1
            params[f"r{n}"] = reason
            problem_conds.append(f"({cond})")
            return (f"CASE WHEN {cond} THEN {{'column_name': $h_{name}, 'value': {c}, 'reason': $r{n}}} END")

        if parse_fail:
            problem_items.append(item(parse_fail, parse_reason))
        if not fspec.nullable:
            problem_items.append(item(f"{c} IS NULL", f"{fspec.title} is empty"))
        for check in checks_by_col.get(name, []):
            n += 1
            cond, reason = _check_sql(fspec, check, name, params, n)
            problem_items.append(item(f"{name} IS NOT NULL AND {cond}", reason))
    # Required fields that are absent from this file are not checked per row (ingest stops on those).
    field_count = ("CASE WHEN n_fields <> $ncols THEN {'column_name': NULL, "
                   "'value': left(array_to_string(fields, chr(9)), 200), "
                   "'reason': 'line has ' || n_fields || ' fields, the header has ' || $ncols "
                   "|| ' (a truncated or shifted line)'} END")
    problems = (f"CASE WHEN n_fields <> $ncols THEN list_filter([{field_count}], lambda x: x IS NOT NULL) "
                f"ELSE list_filter([{', '.join(problem_items) or 'NULL'}], lambda x: x IS NOT NULL) END")
    # Each value is typed once (the CTE); the checks read the typed columns. The pass/fail flag alone is
    # cheap; the list of problems is built only for the rows that fail, in a second statement.
    typed = f"WITH typed AS (SELECT *, {', '.join(typed_cols)} FROM parsed) "
    ok = f"n_fields = $ncols AND NOT coalesce({' OR '.join(problem_conds) or 'false'}, false)"
    sql = (f"CREATE OR REPLACE TEMP TABLE staged AS {typed}SELECT line, {', '.join(stage_cols)}, "
           f"{ok} AS ok FROM typed")
    rejects = (f"INSERT INTO rejected_rows {typed}SELECT $path, line, problems[1].column_name, problems[1].value, "
               f"array_to_string(list_transform(problems, lambda x: x.reason), '; ') FROM "
               f"(SELECT line, {problems} AS problems FROM typed SEMI JOIN "
               f"(SELECT line FROM staged WHERE NOT ok) AS bad USING (line))")
    return _Compiled(sql, _used(sql, params), stage_cols, warnings, rejects, _used(rejects, params))


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names (DuckDB refuses unused ones)."""
    names = set(re.findall(r"\$(\w+)", sql))
    return {k: v for k, v in params.items() if k in names}


def _parsed_sql(src: SourceFile) -> str:
    # Only the mapped columns are kept, and the whole line only where its field count is wrong (for the
    # quarantine message): the list of every field of every row would double the memory held.
    cols = ", ".join(f"nullif(trim(fields[{i + 1}]), '') AS c_{name}" for name, i in src.mapping.items())
    return f"CREATE OR REPLACE TEMP VIEW parsed AS SELECT line, len(fields) AS n_fields, fields, {cols} FROM raw"


# --------------------------------------------------------------------------------------------- driver
def load_file(con: duckdb.DuckDBPyConnection, src: SourceFile, *, marketplace: str | None,
              tmpdir: str, timings: dict[str, float] | None = None) -> FileReport:
    """Read, type, check and stage one file. Returns its report (counts always add up).

    ``timings`` (if given) accumulates seconds spent reading (``read``) and typing/checking (``validate``).
    """
    spec = report_specs()[src.kind]
    state = _FileState(src)
    started = time.perf_counter()
    state.encoding = read_raw(con, src, tmpdir)
    read_done = time.perf_counter()
    if timings is not None:
        timings["read"] = timings.get("read", 0.0) + read_done - started
    _drop_header(con, src.header_line)
    con.execute(_parsed_sql(src))
    # Physical lines left (blank ones included): decides whether date formats are inferred on a sample.
    state.rows_read = con.execute(f"SELECT count(*) FROM {'raw_lines' if _exists(con, 'raw_lines') else 'raw'}"
                                  ).fetchone()[0]
    if state.rows_read:
        compiled = compile_stage(con, src, spec, marketplace=marketplace, header_len=len(src.header),
                                 rows=state.rows_read)
        state.warnings.extend(compiled.warnings)
        con.execute(compiled.sql, compiled.params)
        loaded, rejected, dmin, dmax = con.execute(
            f"SELECT count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok), "
            f"CAST(min({spec.date_field}) FILTER (WHERE ok) AS DATE), "
            f"CAST(max({spec.date_field}) FILTER (WHERE ok) AS DATE) FROM staged").fetchone()
        state.rows_loaded, state.rows_rejected, state.date_min, state.date_max = loaded, rejected, dmin, dmax
        state.rows_read = loaded + rejected
        if rejected:
            con.execute(compiled.rejects_sql, {**compiled.rejects_params, "path": src.path})
        cols = ", ".join(compiled.columns)
        con.execute(f"INSERT INTO stage_{src.kind} ({cols}, source_file, source_line) "
                    f"SELECT {cols}, $path, line FROM staged WHERE ok", {"path": src.path})
        con.execute("DROP TABLE staged")
    con.execute("DROP VIEW parsed")
    _drop_raw(con)
    if timings is not None:
        timings["validate"] = timings.get("validate", 0.0) + time.perf_counter() - read_done
    return _report(state)


def _report(state: _FileState) -> FileReport:
    src = state.src
    return FileReport(
        path=src.path, kind=src.kind, encoding=state.encoding or src.encoding,
        delimiter={"\t": "tab", ",": "comma", ";": "semicolon", "": "-", "sheet": "sheet"}[src.delimiter],
        rows_read=state.rows_read, rows_loaded=state.rows_loaded, rows_rejected=state.rows_rejected,
        date_min=state.date_min, date_max=state.date_max, columns_mapped=src.columns_mapped,
        unknown_columns=src.unknown_columns, warnings=tuple(src.warnings) + tuple(state.warnings))


def reject_cross_file(con: duckdb.DuckDBPyConnection, headers: dict[str, str] | None = None) -> dict[str, int]:
    """Quarantine staged rows that contradict another file (a ship-confirm before the purchase).

    ``headers`` maps each shipments file to its ship-confirm header, named in the rejection.
    Returns rows moved to ``rejected_rows`` per file.
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE cross_rejects AS {assets.load_query('reject_shipments_before_purchase')}")
    for path, header in (headers or {}).items():
        con.execute("UPDATE cross_rejects SET column_name = $h WHERE path = $p", {"h": header, "p": path})
    con.execute("INSERT INTO rejected_rows SELECT path, line, column_name, value, reason FROM cross_rejects")
    con.execute("DELETE FROM stage_shipments WHERE (source_file, source_line) IN "
                "(SELECT (path, line) FROM cross_rejects)")
    moved = dict(con.execute("SELECT path, count(*) FROM cross_rejects GROUP BY path").fetchall())
    con.execute("DROP TABLE cross_rejects")
    return moved


def load_inventory(con: duckdb.DuckDBPyConnection, inventory: Inventory, *, marketplace: str | None = None,
                   progress: Callable[[SourceFile], None] | None = None, cache: FileCache | None = None
                   ) -> LoadResult:
    """Read every source of the inventory into ``stage_<kind>`` and build the canonical tables.

    With a ``cache``, a file whose content was read before is restored from it instead of being read.
    """
    _create_rejects(con)
    timings: dict[str, float] = defaultdict(float)
    reports: list[FileReport] = []
    with tempfile.TemporaryDirectory(prefix="sellerdx-") as tmpdir:
        for src in inventory.sources:
            if progress:
                progress(src)
            if src.kind == "performance":
                continue
            started = time.perf_counter()
            report = cache.fetch(con, src) if cache else None
            timings["cache"] += time.perf_counter() - started
            if report is None:
                report = load_file(con, src, marketplace=marketplace, tmpdir=tmpdir, timings=timings)
                if cache:
                    cache.store(con, src, report)
            reports.append(report)
    started = time.perf_counter()
    moved = reject_cross_file(con, {s.path: s.columns_mapped["ship_confirm_ts"] for s in inventory.of_kind("shipments")
                                    if "ship_confirm_ts" in s.mapping})
    # Rows quarantined by the cross-file check move from loaded to rejected.
    reports = [replace(r, rows_loaded=r.rows_loaded - moved.get(r.path, 0),
                       rows_rejected=r.rows_rejected + moved.get(r.path, 0)) for r in reports]
    unusable = unusable_kinds(con, reports)
    store.mark_supplied(con, inventory.kinds - set(unusable))
    store.mark_unusable(con, unusable)
    store.finalize(con)
    dupes = _duplicates(con)
    reports = [replace(r, rows_duplicate=dupes.get(r.path, 0)) for r in reports]
    timings["load"] += time.perf_counter() - started
    return LoadResult(tuple(reports), read_performance(inventory), timings=dict(timings))


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def unusable_kinds(con: duckdb.DuckDBPyConnection, reports: list[FileReport]) -> dict[str, str]:
    """Kinds supplied but without a usable row -> why, e.g. "feedback.csv: 2 rows read, 2 rejected (line 2,
    'Rating': Rating outside 1–5)". A kind is usable when one of its files loaded a row or had no data row at
    all (an export with nothing to report); such a kind counts as missing for every metric, note and
    headline."""
    by_kind: dict[str, list[FileReport]] = defaultdict(list)
    for r in reports:
        by_kind[r.kind].append(r)
    out: dict[str, str] = {}
    for kind, files in by_kind.items():
        if any(f.rows_loaded > 0 or f.rows_read == 0 for f in files):
            continue
        parts = []
        for f in files:
            first = con.execute("SELECT line, column_name, reason FROM rejected_rows WHERE path = $p "
                                "ORDER BY line LIMIT 1", {"p": f.path}).fetchone()
            text = f"{f.path}: {_plural(f.rows_read, 'row')} read, {f.rows_rejected:,} rejected"
            if first:
                column = f", {first[1]!r}" if first[1] else ""
                text += f" (line {first[0]}{column}: {first[2]})"
            parts.append(text)
        out[kind] = "; ".join(parts)
    return out


def require_usable_orders(con: duckdb.DuckDBPyConnection, reports: tuple[FileReport, ...] | list[FileReport], *,
                          rejected_file: str | None = None) -> None:
    """Stop (``NoInputError``, exit 2) when the All Orders report was found but gave no usable row: the error
    names the file, says every row was rejected, gives the first reasons and where the rejected rows are."""
    orders = [r for r in reports if r.kind == "orders"]
    if not orders or any(r.rows_loaded for r in orders):
        return
    paths = ", ".join(r.path for r in orders)
    read = sum(r.rows_read for r in orders)
    how = "Reports > Fulfillment > All Orders, tab-delimited, the last 90 days or more"
    if read == 0:
        raise NoInputError("the All Orders report was found but has no order rows", path=paths,
                           hint=f"download it again for a period with orders ({how})")
    first = con.execute("SELECT line, column_name, reason FROM rejected_rows WHERE list_contains($p, path) "
                        "ORDER BY path, line LIMIT 2", {"p": [r.path for r in orders]}).fetchall()
    reasons = "; ".join(f"line {line}" + (f" ({column!r})" if column else "") + f": {reason}"
                        for line, column, reason in first)
    every = "the row was" if read == 1 else f"all {read:,} rows were"
    where = (f"every rejected row is listed in {rejected_file}" if rejected_file
             else "list every rejected row with: sellerdx validate FOLDER --rejected rejected_rows.csv")
    raise NoInputError(f"All Orders report found, but {every} rejected; first: {reasons}", path=paths,
                       hint=f"{where}; fix the file or download it again ({how})")


def read_performance(inventory: Inventory) -> tuple[tuple[str, Any], ...]:
    """(path, parsed JSON) of every Amazon performance report in the inventory."""
    found = []
    for src in inventory.of_kind("performance"):
        with src.location.open() as stream:
            found.append((src.path, json.loads(stream.read().decode(src.encoding))))
    return tuple(found)


def _duplicates(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Staged rows per file that dedup replaced with a newer copy from another export."""
    parts = " UNION ALL ".join(
        f"SELECT s.source_file AS path, count(*) AS n FROM stage_{k} s ANTI JOIN {k} t "
        f"ON s.source_file = t.source_file AND s.source_line = t.source_line GROUP BY 1" for k in TABLE_KINDS)
    return dict(con.execute(f"SELECT path, sum(n)::BIGINT FROM ({parts}) GROUP BY path").fetchall())
