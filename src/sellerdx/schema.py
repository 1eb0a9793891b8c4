"""Report kinds and their pandera schemas, read from data (``data/reports.toml``, ``schemas/*.yaml``).

``ReportSpec`` joins the two: which headers map to which canonical field and how each is parsed
(reports.toml), and the field's type, nullability and checks (the pandera schema). The DuckDB types of
the stage columns (a file's checked rows, before ``queries/load/load_<kind>.sql`` shapes them into the
canonical table) are derived from the schema's dtypes here, in one place.

Recognising and validating files need each column's dtype, nullability, title and checks, read from the
YAML itself (:func:`schema_columns`, :func:`column_checks`): pandera takes 0.2–0.8 s to import, a third of
a small folder's run. Its schema object (:func:`pandera_schema`) is what tests/test_schema_yaml.py and
tests/test_pandera_equivalence.py compare that reading and the compiled SQL with.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from . import assets
from .model import TABLE_KINDS

if TYPE_CHECKING:
    import pandera.pandas as pa

# pandera dtype (as written in the YAML, or as pandera prints it) -> DuckDB type of the stage column
_DUCKDB_TYPES = {
    "str": "VARCHAR", "string[pyarrow]": "VARCHAR", "string": "VARCHAR",
    "int64": "BIGINT", "float64": "DOUBLE", "bool": "BOOLEAN",
    "datetime64[ns]": "TIMESTAMP", "date": "DATE",
}


@functools.lru_cache(maxsize=16384)   # the same few hundred synonyms are matched against every file's header
def normalize_header(text: str) -> str:
    """Header key used for matching: NFKC, casefold, BOM and quotes gone, '-', '_', spaces removed."""
    text = unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"[\s\-_]+", "", text.casefold())


@dataclass(frozen=True)
class FieldSpec:
    name: str
    headers: tuple[str, ...]
    parse: str                 # text | order_id | timestamp | date | feedback_date | int | money | bool
    duckdb_type: str
    nullable: bool
    title: str


@dataclass(frozen=True)
class CheckSpec:
    """One pandera check of a column as the YAML writes it: pandera's check name and statistics."""
    name: str
    statistics: dict[str, Any]


# YAML keys of a column that are not checks; every other key is a pandera check (name: its arguments)
_COLUMN_KEYS = frozenset({"dtype", "nullable", "title", "description", "unique", "coerce", "required",
                          "regex", "checks", "drop_invalid_rows", "default", "metadata", "report_duplicates"})
# The statistic a check written with one bare value stands for (``str_matches: ^[0-9]+$``).
_SCALAR_STATISTIC = {
    "str_matches": "pattern", "str_contains": "pattern", "str_startswith": "string", "str_endswith": "string",
    "greater_than_or_equal_to": "min_value", "greater_than": "min_value",
    "less_than_or_equal_to": "max_value", "less_than": "max_value",
    "equal_to": "value", "not_equal_to": "value",
    "isin": "allowed_values", "notin": "forbidden_values",
}


@dataclass(frozen=True)
class ReportSpec:
    kind: str
    label: str
    where: str
    fields: dict[str, FieldSpec]
    identify: tuple[tuple[str, ...], ...]
    required: tuple[str, ...]
    specific: frozenset[str]               # normalised headers that only this kind uses
    quiet_columns: frozenset[str]          # normalised headers known but unused (no warning)
    positional: tuple[str, ...]
    date_field: str
    partial_ok: bool           # recognisable from its specific headers alone (they are listed explicitly)
    noun: str = ""             # "an A-to-z claims export" (near-miss explanations)
    lacks: str = ""            # "no claim date, claim reason or claim decision column"
    rule_out: frozenset[str] = frozenset()  # normalised headers this kind never has

    @property
    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema of this kind (built on first use: validation's checks)."""
        return pandera_schema(self.kind)

    def header_index(self) -> dict[str, str]:
        """normalised header -> canonical field."""
        index: dict[str, str] = {}
        for f in self.fields.values():
            for h in (f.name, *f.headers):
                index.setdefault(normalize_header(h), f.name)
        return index

    def stage_columns(self) -> list[tuple[str, str]]:
        """(column, DuckDB type) of the stage columns: fields, a ``<ts>_has_time`` per timestamp, provenance."""
        cols: list[tuple[str, str]] = []
        for f in self.fields.values():
            cols.append((f.name, f.duckdb_type))
            if f.duckdb_type == "TIMESTAMP":
                cols.append((f"{f.name}_has_time", "BOOLEAN"))
        cols += [("source_file", "VARCHAR"), ("source_line", "BIGINT")]
        return cols


@functools.cache
def pandera_schema(kind: str) -> pa.DataFrameSchema:
    """The pandera schema of a report kind, from ``schemas/<kind>.yaml``."""
    import pandera.pandas as pa  # noqa: PLC0415 - here, not at the top: only validation needs the checks
    return pa.DataFrameSchema.from_yaml(assets.read_text("schemas", f"{kind}.yaml"))


@functools.cache
def schema_columns(kind: str) -> dict[str, dict[str, Any]]:
    """``schemas/<kind>.yaml``'s columns as written (dtype, nullable, title, checks), without pandera."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    columns = yaml.load(assets.read_text("schemas", f"{kind}.yaml"), Loader=loader)["columns"]
    return {name: dict(col or {}) for name, col in columns.items()}


@functools.cache
def column_checks(kind: str) -> dict[str, tuple[CheckSpec, ...]]:
    """Each column's pandera checks in ``schemas/<kind>.yaml``, in the order written, without pandera."""
    checks: dict[str, tuple[CheckSpec, ...]] = {}
    for name, col in schema_columns(kind).items():
        written = {k: v for k, v in col.items() if k not in _COLUMN_KEYS}
        written.update(col.get("checks") or {})
        checks[name] = tuple(
            CheckSpec(check, dict(args) if isinstance(args, dict) else {_SCALAR_STATISTIC[check]: args})
            for check, args in written.items())
    return checks


@functools.cache
def report_specs() -> dict[str, ReportSpec]:
    data = assets.load_toml("reports.toml")
    specs: dict[str, ReportSpec] = {}
    for kind in TABLE_KINDS:
        entry = data[kind]
        columns = schema_columns(kind)
        fields: dict[str, FieldSpec] = {}
        for name, fdef in entry["fields"].items():
            if name not in columns:
                raise RuntimeError(f"reports.toml field {kind}.{name} is not in schemas/{kind}.yaml")
            col = columns[name]
            fields[name] = FieldSpec(
                name=name, headers=tuple(fdef["headers"]), parse=fdef["parse"],
                duckdb_type=_DUCKDB_TYPES[str(col["dtype"])], nullable=bool(col.get("nullable", False)),
                title=col.get("title") or name.replace("_", " "))
        missing = set(columns) - set(fields)
        if missing:
            raise RuntimeError(f"schemas/{kind}.yaml columns without a reports.toml field: {sorted(missing)}")
        specific = {normalize_header(h) for h in entry.get("specific", [])}
        partial_ok = bool(specific)
        if not specific:  # kinds with distinctive headers everywhere: every synonym is specific
            specific = {normalize_header(h) for f in fields.values() for h in f.headers}
        specs[kind] = ReportSpec(
            kind=kind, label=entry["label"], where=entry["where"], fields=fields,
            identify=tuple(tuple(s) for s in entry["identify"]), required=tuple(entry["required"]),
            specific=frozenset(specific),
            quiet_columns=frozenset(normalize_header(h) for h in entry.get("columns_without_use", {}).get("names", [])),
            positional=tuple(entry.get("positional", ())),
            date_field=entry["date_field"], partial_ok=partial_ok, noun=entry.get("noun", entry["label"]),
            lacks=entry.get("lacks", ""),
            rule_out=frozenset(normalize_header(h) for h in entry.get("rule_out", ())))
    return specs
