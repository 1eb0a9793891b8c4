"""The DuckDB store: connection settings, vocabulary and the canonical tables.

The canonical tables described in docs/architecture.md exist from the start (empty); validation appends
every file's typed, checked rows straight into them, shaped by ``queries/load/load_<kind>.sql`` (derived
codes and columns computed in the same statement: one write per row). ``finalize`` then removes the rows
another export of the same thing replaces (``queries/load/superseded_<kind>.sql``). Kinds that had no file
keep their empty table, so no query fails on a missing table; ``supplied_kinds`` tells which were given.
"""

from __future__ import annotations

import logging
import os
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

import duckdb
import pandas as pd

from . import assets
from .errors import BadOptionError
from .model import TABLE_KINDS
from .schema import report_specs
from .text import parse_size

log = logging.getLogger(__name__)


def vnorm_py(word: str) -> str:
    return re.sub(r"[\s_\-]+", " ", word).strip().lower()


#: DuckDB's memory budget for an analysis on disk (override with SELLERDX_MEMORY_LIMIT, e.g. "2GB").
#: Tables live in the work database file; DuckDB keeps this much in memory and spills the rest. 600 MB
#: again since metric_orders is built in stages and the prepared tables are tables of the database file,
#: not temp tables: a 5M-item account runs through (first and cached run) with it (docs/performance.md,
#: "Round three: scale"); it was 1 GB while building metric_orders held every parcel in one window function.
DEFAULT_MEMORY_LIMIT = "600MB"


#: Of DuckDB's budget, the share it keeps while the result is described: from there on the Python side
#: grows with the account (the plan's counted defects, the evidence of every finding, the recovery calendar)
#: while DuckDB runs a few small queries, so DuckDB hands back what it cached (its tables are in the file).
DESCRIBE_SHARE = 0.25


@contextmanager
def _budget(con: duckdb.DuckDBPyConnection, factor: float) -> Iterator[None]:
    """DuckDB's memory budget of ``con`` times ``factor`` (at least 64 MiB) inside the block, then restored
    (unless the connection was closed by its owner meanwhile: a marketplace's view)."""
    before = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    scaled = max(_SMALLEST_BUDGET, int(parse_size(before) * factor))
    con.execute("SET memory_limit = $m", {"m": f"{scaled // 2**20}MiB"})
    try:
        yield
    finally:
        try:
            con.execute("SET memory_limit = $m", {"m": before})
        except duckdb.ConnectionException:
            pass


@contextmanager
def lend_memory(cons: Iterable[duckdb.DuckDBPyConnection], share: float = DESCRIBE_SHARE) -> Iterator[None]:
    """DuckDB's budget lowered to ``share`` of itself on each connection to a database file (whose budget
    sellerdx set), restored afterwards; in-memory connections are left alone."""
    with ExitStack() as stack:
        for con in cons:
            if con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                           ).fetchall()[0][0] is not None:
                stack.enter_context(_budget(con, share))
        yield


def within_budget(con: duckdb.DuckDBPyConnection, run: Callable[[], Any]) -> Any:
    """``run()`` (one statement building a table), tried again when it runs out of DuckDB's budget: first on
    one thread (an operator DuckDB cannot spill, a window function, holds one partition per thread), then
    with twice the budget; each setting is restored afterwards. A failed ``CREATE TABLE ... AS`` leaves
    nothing behind, so the retry starts clean. The budget bounds memory as long as a statement fits in it;
    one that does not costs time (one thread) before it costs memory (twice the budget, and then it says so
    in the log)."""
    try:
        return run()
    except duckdb.OutOfMemoryException:
        pass
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    con.execute("SET threads = 1")
    try:
        try:
            return run()
        except duckdb.OutOfMemoryException:
            pass
        log.warning("a statement needs more than DuckDB's budget of %s: running it with twice the budget",
                    con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])
        with _budget(con, 2):
            return run()
    finally:
        con.execute(f"SET threads = {int(threads)}")


def connect(path: str | None = None, *, memory_limit: str | None = None, threads: int | None = None,
            temp_directory: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection ready for sellerdx: UTC session time zone, macros and vocabulary loaded.

    ``path`` None: in memory (tests, small data). With a database file, memory is bounded by
    ``memory_limit`` (default ``DEFAULT_MEMORY_LIMIT`` or ``$SELLERDX_MEMORY_LIMIT``) and DuckDB spills
    to ``temp_directory``.
    """
    con = duckdb.connect(path or ":memory:")
    _configure(con, path, memory_limit=memory_limit, threads=threads, temp_directory=temp_directory)
    # One transaction for the ~20 statements that set the database up: a database file commits each
    # statement on its own otherwise (~0.05 s of a small folder's run).
    con.execute("BEGIN TRANSACTION")
    try:
        # The vocabulary normalisation used by the load queries; mirrors vnorm_py.
        con.execute(r"CREATE OR REPLACE MACRO vnorm(x) AS lower(trim(regexp_replace(x, '[\s_\-]+', ' ', 'g')))")
        load_vocabulary(con)
        create_tables(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return con


MEMORY_ENV = "SELLERDX_MEMORY_LIMIT"
_SMALLEST_BUDGET = 64 * 2**20   # below this DuckDB cannot build even a small account's tables


def budget() -> str:
    """DuckDB's budget for a work database: ``$SELLERDX_MEMORY_LIMIT`` (checked: a size of at least 64 MB),
    else :data:`DEFAULT_MEMORY_LIMIT`."""
    raw = os.environ.get(MEMORY_ENV)
    if not raw:
        return DEFAULT_MEMORY_LIMIT
    try:
        size = parse_size(raw)
    except ValueError:
        raise BadOptionError(f"{MEMORY_ENV}={raw!r} is not a size",
                             hint="write e.g. 600MB or 2GB, or unset it for the default of "
                                  f"{DEFAULT_MEMORY_LIMIT}") from None
    if size < _SMALLEST_BUDGET:
        raise BadOptionError(f"{MEMORY_ENV}={raw!r} is too small for DuckDB to work in",
                             hint=f"give it at least 64MB (the default is {DEFAULT_MEMORY_LIMIT})")
    return raw


def _configure(con: duckdb.DuckDBPyConnection, path: str | None, *, memory_limit: str | None,
               threads: int | None, temp_directory: str | None) -> None:
    con.execute("SET TimeZone = 'UTC'")
    # Row order is always stated by ORDER BY where it matters; without insertion order DuckDB streams and
    # spills more operators, so a 5M-item account fits the memory budget.
    con.execute("SET preserve_insertion_order = false")
    if path and not memory_limit:
        memory_limit = budget()
    if memory_limit:
        con.execute("SET memory_limit = $m", {"m": memory_limit})
    if temp_directory:
        con.execute("SET temp_directory = $t", {"t": temp_directory})
    if threads:
        con.execute(f"SET threads = {int(threads)}")


def connect_work(path: str, *, attach: str) -> duckdb.DuckDBPyConnection:
    """A work database file ``path`` with a loaded database (the cache's) attached read-only.

    Unqualified names find the loaded tables (orders, feedback, ..., supplied); tables the analysis
    creates (order_facts, ...) go to the work database, so the cached file is never written.
    """
    con = duckdb.connect(path)
    _configure(con, path, memory_limit=None, threads=None, temp_directory=os.path.dirname(path) or None)
    con.execute(f"ATTACH '{attach.replace(chr(39), chr(39) * 2)}' AS cached (READ_ONLY)")
    work = con.execute("SELECT current_database()").fetchone()[0]
    con.execute(f"SET search_path = '{work}.main,cached.main'")
    return con


def load_vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create ``vocabulary(domain, word, code)`` from data/vocabulary.toml."""
    rows = [(domain, vnorm_py(word), code)
            for domain, codes in assets.load_toml("vocabulary.toml").items()
            for code, words in codes.items() for word in words]
    con.execute("CREATE OR REPLACE TABLE vocabulary (domain VARCHAR, word VARCHAR, code VARCHAR)")
    # One statement with three list parameters: executemany runs one INSERT per word (0.2 s for ~1,000 words).
    domains, words, codes = (list(column) for column in zip(*rows)) if rows else ([], [], [])
    con.execute("INSERT INTO vocabulary SELECT unnest($d), unnest($w), unnest($c)",
                {"d": domains, "w": words, "c": codes})
    con.execute("CREATE TABLE IF NOT EXISTS supplied (kind VARCHAR PRIMARY KEY)")
    con.execute("CREATE TABLE IF NOT EXISTS unusable (kind VARCHAR PRIMARY KEY, reason VARCHAR)")


def rows_sql(kind: str, staged: str) -> str:
    """A SELECT of the canonical rows of ``kind`` (``queries/load/load_<kind>.sql``) for ``staged``: a SELECT
    of the stage columns (``ReportSpec.stage_columns``, in that order) of one file's typed, checked rows."""
    return f"WITH staged AS ({staged})\n{assets.load_query(f'load_{kind}')}"


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every canonical table, empty (its columns and types are those of its load query)."""
    for kind in TABLE_KINDS:
        empty = ", ".join(f"CAST(NULL AS {typ}) AS {name}" for name, typ in report_specs()[kind].stage_columns())
        con.execute(f"CREATE TABLE IF NOT EXISTS {kind} AS {rows_sql(kind, f'SELECT {empty} WHERE false')}")


# What sellerdx loaded into a connection changes only through this module (finalize, mark_supplied,
# mark_unusable) and marketplaces.view; each change bumps the connection's data version, so what is derived
# from the loaded data (the supplied kinds here, the prepared tables' key in metrics.prepared) is read once
# per version instead of by a query each time it is asked (a few hundred times per analysis).
_VERSIONS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, int] = weakref.WeakKeyDictionary()
_DERIVED: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, tuple[int, Any]]] = \
    weakref.WeakKeyDictionary()


def changed(con: duckdb.DuckDBPyConnection) -> None:
    """Say that the loaded data of ``con`` changed (its tables were (re)built or copied)."""
    _VERSIONS[con] = _VERSIONS.get(con, 0) + 1


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes whenever the loaded data of ``con`` does (see :func:`changed`)."""
    return _VERSIONS.get(con, 0)


def per_version(con: duckdb.DuckDBPyConnection, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, read once per :func:`data_version` of ``con`` and kept under ``name``."""
    version = data_version(con)
    known = _DERIVED.setdefault(con, {}).get(name)
    if known is None or known[0] != version:
        known = (version, compute())
        _DERIVED[con][name] = known
    return known[1]


def mark_supplied(con: duckdb.DuckDBPyConnection, kinds: Iterable[str]) -> None:
    for kind in kinds:
        con.execute("INSERT OR IGNORE INTO supplied VALUES ($k)", {"k": kind})
    changed(con)


def supplied_kinds(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The report kinds supplied with usable data: a file of the kind loaded a row, or had no data row at
    all (an empty export says "none"). A kind whose every row was rejected is not supplied; see
    :func:`unusable_kinds`."""
    return set(per_version(con, "supplied_kinds", lambda: frozenset(
        row[0] for row in con.execute("SELECT kind FROM supplied").fetchall())))


def mark_unusable(con: duckdb.DuckDBPyConnection, reasons: Mapping[str, str]) -> None:
    """Record kinds that were supplied but yielded no usable row, with why ("a.csv: 2 rows read, 2 rejected")."""
    for kind, reason in reasons.items():
        con.execute("INSERT OR REPLACE INTO unusable VALUES ($k, $r)", {"k": kind, "r": reason})
    changed(con)


def unusable_kinds(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Kinds supplied but without a usable row -> the reason. They count as missing everywhere."""
    return dict(con.execute("SELECT kind, reason FROM unusable ORDER BY kind").fetchall())


def finalize(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Remove from every canonical table the rows another export replaces (``superseded_<kind>.sql``,
    only for kinds loaded from more than one file). Returns the rows removed per file."""
    removed: dict[str, int] = {}
    for kind in TABLE_KINDS:
        if con.execute(f"SELECT count(DISTINCT source_file) FROM {kind}").fetchone()[0] < 2:
            continue
        con.execute(f"CREATE OR REPLACE TEMP TABLE superseded AS {assets.load_query(f'superseded_{kind}')}")
        for path, n in con.execute("SELECT source_file, count(*) FROM superseded GROUP BY 1").fetchall():
            removed[path] = removed.get(path, 0) + n
        con.execute(f"DELETE FROM {kind} USING superseded AS x "
                    f"WHERE {kind}.source_file = x.source_file AND {kind}.source_line = x.source_line")
        con.execute("DROP TABLE superseded")
    changed(con)
    return removed


def load_frames(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pd.DataFrame],
                *, source_file: str = "<frame>") -> None:
    """Load hand-built DataFrames (columns named as in ``schemas/<kind>.yaml``) and build the tables.

    For tests and notebooks. Missing columns are NULL; ``<ts>_has_time`` defaults to whether the value
    has a time of day other than midnight; ``source_line`` is the row position + 2 (as if under a header).
    Every kind given is marked supplied, even with an empty frame.
    """
    specs = report_specs()
    for kind, frame in frames.items():
        if kind not in specs:
            raise ValueError(f"unknown report kind {kind!r}")
        stage = pd.DataFrame(index=range(len(frame)))
        for name, _typ in specs[kind].stage_columns():
            if name in frame.columns:
                stage[name] = frame[name].to_numpy()
            elif name.endswith("_has_time") and name[: -len("_has_time")] in frame.columns:
                ts = pd.to_datetime(frame[name[: -len("_has_time")]])
                stage[name] = (ts.notna() & (ts != ts.dt.normalize())).to_numpy()
            elif name == "source_file":
                stage[name] = source_file
            elif name == "source_line":
                stage[name] = range(2, len(frame) + 2)
            else:
                stage[name] = None
        casts = ", ".join(f"CAST({name} AS {typ}) AS {name}" for name, typ in specs[kind].stage_columns())
        con.register("_frame", stage)
        try:
            con.execute(f"INSERT INTO {kind} {rows_sql(kind, f'SELECT {casts} FROM _frame')}")
        finally:
            con.unregister("_frame")
    mark_supplied(con, frames)
    finalize(con)
