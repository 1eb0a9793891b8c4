"""Compiling a report's pandera schema (``schemas/<kind>.yaml``, read by ``schema.column_checks`` without
importing pandera) into DuckDB SQL.

pandera declares what a valid row is; the SQL compiled here evaluates the same checks over millions of
rows without pulling them into pandas: one statement types every mapped field and appends the rows that
pass straight to the canonical table (``queries/load/load_<kind>.sql`` shapes them in the same statement);
a second, run only when some row failed, builds the list of problems (column, value, reason) of the rows
that were not loaded and quarantines them into ``rejected_rows``. tests/test_pandera_equivalence.py
proves both reject the same rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import duckdb

from sellerdx import assets, store
from sellerdx.ingest import SourceFile
from sellerdx.schema import CheckSpec, FieldSpec, ReportSpec, column_checks
from sellerdx.validate.dates import FEEDBACK_FORMAT_LABELS, FORMAT_LABELS, infer_date_groups, plausible, read_expr


def check_sql(spec: FieldSpec, check: CheckSpec, typed: str, params: dict[str, Any], n: int) -> tuple[str, str]:
    """(SQL condition that is TRUE when the value FAILS, reason) for one pandera check of the YAML."""
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
    raise NotImplementedError(f"pandera check {name!r} has no SQL translation; add it to sellerdx.validate.compile.check_sql")


@dataclass(frozen=True)
class CompiledStage:
    sql: str                    # appends the passing rows to the canonical table ``<kind>``
    params: dict[str, Any]      # plus ``path`` (the file's name), bound by the caller in both statements
    columns: list[str]          # stage columns filled (fields + has_time)
    warnings: list[str]
    rejects_sql: str            # quarantines the rows not loaded (they failed) with their reasons
    rejects_params: dict[str, Any]


def compile_stage(con: duckdb.DuckDBPyConnection, src: SourceFile, spec: ReportSpec, *,
                  marketplace: str | None, header_len: int, rows: int) -> CompiledStage:
    """SQL that types and checks the ``parsed`` view of one file into the table ``<kind>`` (bind ``$path``)."""
    params: dict[str, Any] = {"ncols": header_len}
    warnings: list[str] = []
    typed_cols: list[str] = []
    reads: list[str] = []       # dates read from text, one column each: typed_cols check them (read once)
    problem_items: list[str] = []
    problem_conds: list[str] = []
    stage_cols: list[str] = []
    checks_by_col = column_checks(spec.kind)
    decimal_comma = src.delimiter == ";"
    truth = assets.load_toml("vocabulary.toml")["boolean"]
    params["true_words"] = [store.vnorm_py(w) for w in truth["true"]]
    params["false_words"] = [store.vnorm_py(w) for w in truth["false"]]
    n = 0
    date_groups = infer_date_groups(   # every date column's format, decided from its values (one statement)
        con, [(f"c_{name}", fspec.parse) for name, fspec in spec.fields.items()
              if name in src.mapping and fspec.parse in ("timestamp", "date", "feedback_date")], marketplace, rows)
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
            group, fmts, zones, ambiguous = date_groups[c]
            params[f"f_{name}"] = fmts
            labels = FEEDBACK_FORMAT_LABELS if fspec.parse == "feedback_date" else FORMAT_LABELS
            label = labels.get(group, FORMAT_LABELS.get(group, group))
            if ambiguous:
                warnings.append(f"dates in {header_name!r} fit several formats; read as {label} "
                                f"(pass --marketplace to choose)")
            reads.append(f"{read_expr(c, group, f'f_{name}', zones)} AS r_{name}")
            ts = plausible(f"r_{name}")
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

        def item(cond: str, reason: str, name: str = name, c: str = c) -> str:
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
            cond, reason = check_sql(fspec, check, name, params, n)
            problem_items.append(item(f"{name} IS NOT NULL AND {cond}", reason))
    # Required fields that are absent from this file are not checked per row (ingest stops on those).
    field_count = ("CASE WHEN n_fields <> $ncols THEN {'column_name': NULL, 'value': line_text, "
                   "'reason': 'line has ' || n_fields || ' fields, the header has ' || $ncols "
                   "|| ' (a truncated or shifted line)'} END")
    problems = (f"CASE WHEN n_fields <> $ncols THEN list_filter([{field_count}], lambda x: x IS NOT NULL) "
                f"ELSE list_filter([{', '.join(problem_items) or 'NULL'}], lambda x: x IS NOT NULL) END")
    # Each value is typed once (the CTE); the rows that pass go straight into the canonical table (shaped by
    # queries/load/load_<kind>.sql in the same statement: one write per row). A row the fast path's two reads
    # disagree on is written too, with a NULL source_line (it sends the file back to the exact path).
    # The failing rows are never written there: the second statement reads the lines that were not loaded
    # and quarantines them with their list of problems.
    source = f"(SELECT *, {', '.join(reads)} FROM parsed)" if reads else "parsed"
    typed = f"WITH typed AS (SELECT *, {', '.join(typed_cols)} FROM {source}) "
    ok = f"n_fields = $ncols AND NOT coalesce({' OR '.join(problem_conds) or 'false'}, false)"
    cols = ", ".join(name for name, _ in spec.stage_columns() if name not in ("source_file", "source_line"))
    staged = (f"{typed}SELECT {cols}, CAST($path AS VARCHAR) AS source_file, "
              f"CASE WHEN aligned THEN line END AS source_line FROM typed WHERE NOT aligned OR ({ok})")
    sql = f"INSERT INTO {src.kind} {store.rows_sql(src.kind, staged)}"
    loaded = f"SELECT source_line FROM {src.kind} WHERE source_file = $path"
    reasons = "array_to_string(list_transform(problems, lambda x: x.reason), '; ')"
    failing_source = (f"(SELECT *, {', '.join(reads)} FROM parsed WHERE line NOT IN ({loaded}))" if reads
                      else f"parsed WHERE line NOT IN ({loaded})")
    rejects = (f"INSERT INTO rejected_rows WITH typed AS (SELECT *, {', '.join(typed_cols)} FROM {failing_source}"
               f") SELECT $path, line, problems[1].column_name, problems[1].value, "
               f"coalesce(nullif({reasons}, ''), 'the line failed a check') FROM "
               f"(SELECT line, {problems} AS problems FROM typed) WHERE len(problems) > 0")
    return CompiledStage(sql, _used(sql, params), stage_cols, warnings, rejects, _used(rejects, params))


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names (DuckDB refuses unused ones)."""
    names = set(re.findall(r"\$(\w+)", sql))
    return {k: v for k, v in params.items() if k in names}


def parsed_view_sql(src: SourceFile) -> str:
    """The ``parsed`` view of the exact path (over ``raw``): line, n_fields, line_text, aligned, c_<field>."""
    # Only the mapped columns are kept, and the start of the line only where its field count is wrong (for
    # the quarantine message): the list of every field of every row would double the memory held.
    width = len(src.header)
    cols = ", ".join(f"nullif(trim(fields[{i + 1}]), '') AS c_{name}" for name, i in src.mapping.items())
    return (f"CREATE OR REPLACE TEMP VIEW parsed AS SELECT line, len(fields) AS n_fields, "
            f"CASE WHEN len(fields) <> {width} THEN left(array_to_string(fields, chr(9)), 200) END AS line_text, "
            f"true AS aligned, {cols} FROM raw")
