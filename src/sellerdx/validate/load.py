"""Loading: every file of the inventory read, typed, checked and loaded; what fails quarantined.

Every data row ends up in exactly one place: its canonical table ``<kind>`` (loaded, written once, shaped
by ``queries/load/load_<kind>.sql``) or ``rejected_rows`` (file, line, column, value, reason), so for every
file ``rows_read == rows_loaded + rows_rejected``. After the files, cross-file checks quarantine rows that
contradict another file, rows another export replaces are removed (:func:`sellerdx.store.finalize`) and
kinds supplied without a usable row are marked as such.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import signal
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import duckdb

from sellerdx import assets, store
from sellerdx.errors import NoInputError
from sellerdx.ingest import Inventory, SourceFile
from sellerdx.model import FileReport
from sellerdx.schema import ReportSpec, report_specs
from sellerdx.validate import fields
from sellerdx.validate.compile import CompiledStage, compile_stage, parsed_view_sql
from sellerdx.validate.raw import (
    RawRead,
    drop_header,
    drop_raw,
    load_lines,
    read_exact,
    read_raw,
    release,
    table_exists,
)

if TYPE_CHECKING:
    from sellerdx.cache import FileCache


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



def _create_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS rejected_rows (path VARCHAR, line BIGINT, "
                "column_name VARCHAR, value VARCHAR, reason VARCHAR)")



def load_file(con: duckdb.DuckDBPyConnection, src: SourceFile, *, marketplace: str | None,
              tmpdir: str, timings: dict[str, float] | None = None) -> FileReport:
    """Read, type, check and load one file into its canonical table. Returns its report (counts always add up).

    A UTF-8 tab file takes the fast path (:mod:`.fields`: one read when no line is empty, blank, short or
    long, else two reads joined by position); if its two reads disagree on the records, or DuckDB's parser
    refuses it, it is read again the exact way (:mod:`.raw`). ``timings`` (if given) accumulates seconds
    spent reading (``read``) and typing/checking (``validate``).
    """
    spec = report_specs()[src.kind]
    state = _FileState(src)
    started = time.perf_counter()
    read = read_raw(con, src, tmpdir)
    state.encoding = read.encoding
    read_done = time.perf_counter()
    if timings is not None:
        timings["read"] = timings.get("read", 0.0) + read_done - started
    try:
        staged = False
        if read.fast and read.lines is not None:
            staged = _stage_one_read(con, src, spec, read, state, marketplace)
            if not staged:
                read = load_lines(con, read, len(src.header))
        if read.fast and not staged:
            try:
                with _interrupts_kept():
                    staged = _stage_fast(con, src, spec, read, state, marketplace)
            except duckdb.InvalidInputException:
                staged = False      # e.g. a line DuckDB's CSV parser refuses: the exact path decides
            if not staged:
                _unload(con, src)
                state.warnings.clear()
                read = read_exact(con, read)
        if not staged:
            _stage_exact(con, src, spec, state, marketplace)
    finally:
        for view in ("parsed",):
            con.execute(f"DROP VIEW IF EXISTS {view}")
        drop_raw(con)
        release(read)
    if timings is not None:
        timings["validate"] = timings.get("validate", 0.0) + time.perf_counter() - read_done
    return _report(state)


def _unload(con: duckdb.DuckDBPyConnection, src: SourceFile) -> None:
    """Remove what a failed attempt loaded of ``src`` (its rows and quarantined lines)."""
    con.execute(f"DELETE FROM {src.kind} WHERE source_file = $path", {"path": src.path})
    con.execute("DELETE FROM rejected_rows WHERE path = $path", {"path": src.path})


def _stage_one_read(con: duckdb.DuckDBPyConnection, src: SourceFile, spec: ReportSpec, read: RawRead,
                    state: _FileState, marketplace: str | None) -> bool:
    """Load a fast file with no empty or blank line from DuckDB's parser alone, each record numbered in file
    order; False (nothing loaded) when the strict parser refuses a line (a short or long one)."""
    records = (read.lines or 0) - src.header_line
    if records <= 0:
        return records == 0
    con.execute(fields.strict_view_sql(src, read.path, read.gzipped))
    # row_number() OVER () numbers the records in file order only while insertion order is kept.
    con.execute("SET preserve_insertion_order = true")
    try:
        with _interrupts_kept():
            compiled = _insert(con, src, spec, state, marketplace, records, records)
            assert compiled is not None, "the one-read path's rows are aligned by construction"
            if state.rows_rejected:
                _quarantine(con, src, compiled, state)
    except duckdb.InvalidInputException:
        _unload(con, src)
        state.warnings.clear()
        return False
    finally:
        con.execute("SET preserve_insertion_order = false")
    return True


@contextlib.contextmanager
def _interrupts_kept() -> Iterator[None]:
    """A Ctrl-C pressed inside the block stops the run even when DuckDB's error replaced it: DuckDB runs
    Python's handler while a query waits; when the query then fails (the strict parser refusing a line),
    its ``InvalidInputException`` is what reaches Python, and the caller would fall back and go on. SIGINT is
    noted (the usual handler still runs) and such an error is raised as the KeyboardInterrupt it hid."""
    if threading.current_thread() is not threading.main_thread():
        yield               # signals only reach the main thread
        return
    noted: list[bool] = []
    previous = signal.getsignal(signal.SIGINT)

    def note(signum: int, frame: Any) -> None:
        noted.append(True)
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, note)
    try:
        yield
    except duckdb.InvalidInputException:
        if noted:
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGINT, previous)


def _stage_fast(con: duckdb.DuckDBPyConnection, src: SourceFile, spec: ReportSpec, read: RawRead,
                state: _FileState, marketplace: str | None) -> bool:
    """Load one file read by DuckDB's parser and numbered by the line read; False (nothing loaded) when
    the two reads disagree."""
    has_empty, rows, records = con.execute(
        "SELECT coalesce(bool_or(empty), false), count(*) FILTER (WHERE rowid + 1 > $h), "
        "count(*) FILTER (WHERE rowid + 1 > $h AND NOT empty AND NOT blank) FROM raw_lines",
        {"h": src.header_line}).fetchone()
    con.execute(fields.parsed_view_sql(src, read.path, read.gzipped, has_empty))
    if not rows:
        return True
    compiled = _insert(con, src, spec, state, marketplace, rows, records)
    if compiled is None:
        return False
    if state.rows_rejected:
        _quarantine(con, src, compiled, state)
    return True


def _stage_exact(con: duckdb.DuckDBPyConnection, src: SourceFile, spec: ReportSpec, state: _FileState,
                 marketplace: str | None) -> None:
    """Load one file whose records are in ``raw(line, fields)``."""
    drop_header(con, src.header_line)
    con.execute(parsed_view_sql(src))
    # Physical lines left (blank ones included): decides whether date formats are inferred on a sample.
    rows = con.execute(f"SELECT count(*) FROM {'raw_lines' if table_exists(con, 'raw_lines') else 'raw'}"
                       ).fetchone()[0]
    if rows:
        records = con.execute("SELECT count(*) FROM parsed").fetchone()[0]
        compiled = _insert(con, src, spec, state, marketplace, rows, records)
        assert compiled is not None, "the exact path's rows are aligned by construction"
        if state.rows_rejected:
            _quarantine(con, src, compiled, state)


def _insert(con: duckdb.DuckDBPyConnection, src: SourceFile, spec: ReportSpec, state: _FileState,
            marketplace: str | None, rows: int, records: int) -> CompiledStage | None:
    """Type and check the ``parsed`` rows (``records`` of them) and append those that pass to the table
    ``<kind>``; count them. None (and the file's rows deleted) when a row is misaligned (the fast path's
    reads disagree)."""
    compiled = compile_stage(con, src, spec, marketplace=marketplace, header_len=len(src.header), rows=rows)
    path = {"path": src.path}
    with _vocabulary_built(con):
        con.execute(compiled.sql, {**compiled.params, **path})
    loaded, misaligned, dmin, dmax = con.execute(
        f"SELECT count(source_line), count(*) - count(source_line), "
        f"CAST(min({spec.date_field}) FILTER (WHERE source_line IS NOT NULL) AS DATE), "
        f"CAST(max({spec.date_field}) FILTER (WHERE source_line IS NOT NULL) AS DATE) "
        f"FROM {src.kind} WHERE source_file = $path", path).fetchone()
    if misaligned:
        _unload(con, src)
        return None
    state.warnings.extend(compiled.warnings)
    state.rows_loaded, state.rows_rejected, state.date_min, state.date_max = loaded, records - loaded, dmin, dmax
    state.rows_read = records
    return compiled


@contextlib.contextmanager
def _vocabulary_built(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Keep DuckDB from swapping the sides of the load query's vocabulary joins: it estimates the checked
    rows of a file at one row and would build its hash table on them instead of on the vocabulary (1M
    orders: 750 MB instead of 420 MB peak, no faster)."""
    before = con.execute("SELECT current_setting('disabled_optimizers')").fetchone()[0]
    con.execute("SET disabled_optimizers = $o", {"o": ",".join(filter(None, [before, "build_side_probe_side"]))})
    try:
        yield
    finally:
        con.execute("SET disabled_optimizers = $o", {"o": before})


def _quarantine(con: duckdb.DuckDBPyConnection, src: SourceFile, compiled: CompiledStage, state: _FileState) -> None:
    """Write the lines that were not loaded (they failed) to ``rejected_rows``, with reasons."""
    moved = con.execute(compiled.rejects_sql, {**compiled.rejects_params, "path": src.path}).fetchone()[0]
    if moved != state.rows_rejected:     # every row is loaded or quarantined: never one lost
        raise AssertionError(f"{src.path}: {state.rows_read} rows read, {state.rows_loaded} loaded, "
                             f"{moved} quarantined")


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
    con.execute("DELETE FROM shipments USING cross_rejects AS x "
                "WHERE shipments.source_file = x.path AND shipments.source_line = x.line")
    moved = dict(con.execute("SELECT path, count(*) FROM cross_rejects GROUP BY path").fetchall())
    con.execute("DROP TABLE cross_rejects")
    return moved


def load_inventory(con: duckdb.DuckDBPyConnection, inventory: Inventory, *, marketplace: str | None = None,
                   progress: Callable[[SourceFile], None] | None = None, cache: FileCache | None = None
                   ) -> LoadResult:
    """Read every source of the inventory into the canonical tables, then remove superseded rows.

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
    dupes = store.finalize(con)
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
