"""The fast read of a tab-separated file: DuckDB's CSV parser splits the fields and numbers the lines.

Amazon's exports are tab-separated with no quoting. Splitting every line with ``string_split`` in SQL (the
exact path of :mod:`.raw`) costs several times what DuckDB's own CSV parser needs, so a UTF-8 tab file is
read twice instead, both times by DuckDB:

1. **lines** (``raw_lines``): every physical line as one value (NUL as the delimiter, no quote character),
   kept slim: whether it is empty or blank, its number of fields (tabs + 1) and, only when that number is
   not the header's, its first 200 characters (for the quarantine). Written in file order, so
   ``rowid + 1`` is the physical line number.
2. **fields**: ``read_csv(delim='\\t', quote='', escape='', null_padding, strict_mode=false)`` with one
   VARCHAR column per header field; only the mapped columns are read. The parser skips empty lines, pads a
   short line with NULLs and drops a long line's extra fields, which is why the field count comes from (1).

**One read** when it can (most exports): a count of the physical lines first (no table written) says
whether the file has an empty or blank line (the parser skips those) or a long line that ends with a tab
(the strict parser takes it as a trailing delimiter); if not, the parser alone is read in strict mode
(every other short or long line stops it) and the k-th record is the k-th physical line
(``row_number() OVER ()`` in file order). Such a line, or one the strict parser refuses, sends the file
to the two reads below.

The two are joined by position (``POSITIONAL JOIN``: the k-th parsed record is the k-th non-empty line);
the typed rows that pass go straight into their canonical table (:mod:`.compile`). Both reads must agree on the number of
records: the join marks every row it had to pad (``aligned`` false), and one such row sends the file back
to the exact path (:func:`sellerdx.validate.raw.read_raw`, which keeps one line per record by construction).
"""

from __future__ import annotations

import duckdb

from sellerdx.ingest import SourceFile

#: The line read: every physical line of the file as one text value (NUL never occurs in a text export).
LINES = ("read_csv($path, columns = {'line': 'VARCHAR'}, delim = $nul, header = false, quote = '', "
         "escape = '', auto_detect = false, strict_mode = false, compression = $comp)")


def _literal(text: str) -> str:
    """A SQL string literal (a view cannot bind parameters, so the file's path is written into it)."""
    return "'" + text.replace("'", "''") + "'"


def _fields_read(path: str, gzipped: bool, width: int) -> str:
    """The field read: DuckDB's parser, one VARCHAR per header column (names f1 … fN)."""
    columns = ", ".join(f"'f{i}': 'VARCHAR'" for i in range(1, width + 1))
    return (f"read_csv({_literal(path)}, columns = {{{columns}}}, delim = chr(9), header = false, quote = '', "
            "escape = '', auto_detect = false, strict_mode = false, null_padding = true, "
            f"compression = '{'gzip' if gzipped else 'none'}')")


def read_params(path: str, gzipped: bool) -> dict[str, str]:
    return {"path": path, "nul": "\x00", "comp": "gzip" if gzipped else "none"}


#: Files smaller than this take the two reads directly: one read saves nothing measurable on them, and a
#: strict parse that fails (a short or long line, common in small hand-edited files) raises an error that
#: can swallow a Ctrl-C pressed at that moment (see ``load._interrupts_kept``).
ONE_READ_MIN_BYTES = 8 << 20


def count_lines(con: duckdb.DuckDBPyConnection, path: str, gzipped: bool, width: int) -> int | None:
    """The number of physical lines of the file when the one-read path can number them, else None: a line
    is empty or blank, or ends with a tab and has not ``width`` fields (the strict parser takes one empty
    field too many for a trailing delimiter; any other line of the wrong width stops it). Nothing is written."""
    # Nested CASEs: each test runs only on the lines the one before selected (a FILTER with OR/AND would
    # count the tabs of every line; this costs about what counting the lines does).
    lines, odd = con.execute(
        "SELECT count(*), coalesce(sum(CASE WHEN line IS NULL THEN 1 "
        "WHEN suffix(line, chr(9)) THEN CASE WHEN strlen(line) - strlen(replace(line, chr(9), '')) + 1 <> $width "
        "THEN 1 ELSE 0 END "
        "WHEN prefix(line, ' ') THEN CASE WHEN trim(line) = '' THEN 1 ELSE 0 END ELSE 0 END), 0) "
        f"FROM {LINES}", {**read_params(path, gzipped), "width": width}).fetchone()
    return None if odd else int(lines)


def strict_view_sql(src: SourceFile, path: str, gzipped: bool) -> str:
    """The ``parsed`` view of the one-read path: the parser in strict mode, each record numbered in file
    order (run with ``preserve_insertion_order`` on). Same columns as :func:`parsed_view_sql`."""
    width = len(src.header)
    cols = ", ".join(f"nullif(trim(f{i + 1}), '') AS c_{name}" for name, i in src.mapping.items())
    fields = ", ".join(f"f{i + 1}" for i in sorted(set(src.mapping.values()))) or "f1"
    read = _fields_read(path, gzipped, width).replace("strict_mode = false, null_padding = true",
                                                      "strict_mode = true, null_padding = false")
    return (f"CREATE OR REPLACE TEMP VIEW parsed AS SELECT line, {width} AS n_fields, "
            f"CAST(NULL AS VARCHAR) AS line_text, true AS aligned, {cols} FROM "
            f"(SELECT row_number() OVER () AS line, {fields} FROM {read}) WHERE line > {int(src.header_line)}")


def load_lines(con: duckdb.DuckDBPyConnection, path: str, gzipped: bool, width: int) -> None:
    """``raw_lines(empty, blank, n_fields, line_text)``: one row per physical line, in file order."""
    # Insertion order is kept for this one statement (the session drops it, store._configure): the rowid of
    # a line must be its position in the file, whatever the number of threads.
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw_lines AS SELECT text IS NULL AS empty, trim(text) = '' AS blank, "
            "n_fields, CASE WHEN n_fields <> $width THEN left(text, 200) END AS line_text FROM "
            "(SELECT line AS text, strlen(line) - strlen(replace(line, chr(9), '')) + 1 AS n_fields "
            f"FROM {LINES})", {**read_params(path, gzipped), "width": width})
    finally:
        con.execute("SET preserve_insertion_order = false")


def parsed_view_sql(src: SourceFile, path: str, gzipped: bool, has_empty: bool) -> str:
    """The ``parsed`` view of the fast path: line, n_fields, line_text, aligned and c_<field> per mapped field.

    ``has_empty``: the file has empty lines (the parser skips them, so they are left out of the line side
    before joining). Rows padded by the join (the reads disagree) have ``aligned`` false.
    """
    cols = ", ".join(f"nullif(trim(f{i + 1}), '') AS c_{name}" for name, i in src.mapping.items())
    fields = ", ".join(f"f{i + 1}" for i in sorted(set(src.mapping.values()))) or "f1"
    lines = "SELECT rowid + 1 AS line, blank, n_fields, line_text FROM raw_lines" + (
        " WHERE NOT empty" if has_empty else "")
    return (f"CREATE OR REPLACE TEMP VIEW parsed AS SELECT line, n_fields, line_text, "
            f"(parsed_row IS NOT NULL AND line IS NOT NULL) AS aligned, {cols} FROM "
            f"(SELECT true AS parsed_row, {fields} FROM {_fields_read(path, gzipped, len(src.header))}) "
            f"POSITIONAL JOIN ({lines}) "
            # A padded row is kept whatever its line (header, blank): it is what sends the file back.
            f"WHERE parsed_row IS NULL OR line IS NULL OR (line > {int(src.header_line)} AND NOT blank)")
