"""The read-only SQL door for users (``Analysis.sql``): only queries run, never a write.

A user's statement is parsed by DuckDB itself (``extract_statements``) before anything runs; every
statement of the text must be of a query type. Checking the parsed type (not the text) means comments,
case, CTEs and several statements separated by ``;`` cannot slip a write past the check, so neither the
work database nor a cached one (``--cache``) can be altered by a user query.
"""

from __future__ import annotations

import duckdb

from .errors import ReadOnlyQueryError

_READ_TYPES = frozenset({"SELECT", "EXPLAIN"})
"""``duckdb.StatementType`` names allowed (DESCRIBE / SUMMARIZE / VALUES / FROM-first parse as SELECT).
EXPLAIN ANALYZE runs its statement, so an EXPLAIN is checked for the statement it wraps (below)."""


def check_read_only(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raise :class:`ReadOnlyQueryError` unless every statement of ``query`` only reads.

    A text DuckDB cannot parse raises the same error with DuckDB's message (nothing runs).
    """
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise ReadOnlyQueryError(f"the SQL cannot be parsed: {str(exc).splitlines()[0]}",
                                 hint="check the statement's syntax") from None
    if not statements:
        raise ReadOnlyQueryError("the SQL holds no statement", hint='pass a query, e.g. "SELECT * FROM orders"')
    for statement in statements:
        kind = statement.type.name
        if kind == "EXPLAIN" and "ANALYZE" in statement.query.upper().split("EXPLAIN", 1)[-1][:20]:
            kind = "EXPLAIN ANALYZE"
        if kind not in _READ_TYPES:
            raise ReadOnlyQueryError(
                f"Analysis.sql() only runs queries; refused a {kind} statement: "
                f"{' '.join(statement.query.split())[:80]!r}",
                hint="the loaded data is read-only here (a write would change every later result and the "
                     "cache); to experiment, copy a table into pandas: a.sql('SELECT * FROM feedback')")
