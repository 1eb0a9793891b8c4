"""The report specs read each column's type, nullability, title and checks from the schema YAML without
pandera; pandera's own reading of the same YAML must agree with them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sellerdx.model import TABLE_KINDS
from sellerdx.schema import _DUCKDB_TYPES, column_checks, pandera_schema, report_specs

SAMPLE = Path(__file__).resolve().parents[1] / "sample_reports" / "us-seller"


@pytest.mark.parametrize("kind", TABLE_KINDS)
def test_fields_read_from_the_yaml_agree_with_pandera(kind: str) -> None:
    spec = report_specs()[kind]
    schema = pandera_schema(kind)
    assert set(spec.fields) == set(schema.columns)
    for name, field in spec.fields.items():
        column = schema.columns[name]
        assert field.duckdb_type == _DUCKDB_TYPES[str(column.dtype)], name
        assert field.nullable is bool(column.nullable), name
        assert field.title == (column.title or name.replace("_", " ")), name
    assert spec.schema is schema


@pytest.mark.parametrize("kind", TABLE_KINDS)
def test_checks_read_from_the_yaml_are_pandera_s_checks(kind: str) -> None:
    schema = pandera_schema(kind)
    checks = column_checks(kind)
    assert set(checks) == set(schema.columns)
    for name, column in schema.columns.items():
        ours = [(c.name, c.statistics) for c in checks[name]]
        theirs = [(c.name, {k: v for k, v in c.statistics.items() if v is not None}) for c in column.checks]
        assert ours == theirs, f"{kind}.{name}"


def test_the_checks_of_the_yaml_include_the_order_id_pattern_and_the_rating_range() -> None:
    # Hand-read from schemas/feedback.yaml: a missed check would let bad rows through validation unseen.
    checks = column_checks("feedback")
    assert [(c.name, c.statistics) for c in checks["order_id"]] == [
        ("str_matches", {"pattern": "^[0-9]{3}-[0-9]{7}-[0-9]{7}$"})]
    assert [(c.name, c.statistics) for c in checks["rating"]] == [
        ("in_range", {"min_value": 1, "max_value": 5, "include_min": True, "include_max": True})]
    assert checks["comments"] == ()


# Recognising a folder, and validating and loading it: neither imports pandera (the checks come from the YAML).
_STEPS = {
    "recognise": "from sellerdx import ingest; kinds = {s.kind for s in ingest.discover(sys.argv[1]).sources}",
    "validate": "from sellerdx import analyze; kinds = {r.kind for r in analyze(sys.argv[1], cache=False)"
                ".inputs.files if r.rows_loaded}",
}


@pytest.mark.parametrize("step", sorted(_STEPS))
def test_a_run_does_not_import_pandera(step: str) -> None:
    code = f"import sys; {_STEPS[step]}; print('pandera' in sys.modules, sorted(kinds))"
    done = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=True)
    imported, kinds = done.stdout.strip().split(" ", 1)
    assert imported == "False"
    assert "'orders'" in kinds and "'feedback'" in kinds
