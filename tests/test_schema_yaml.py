"""The report specs read each column's type, nullability and title from the schema YAML without pandera;
pandera builds the same schema (with its checks) only when a file is validated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sellerdx.model import TABLE_KINDS
from sellerdx.schema import _DUCKDB_TYPES, pandera_schema, report_specs

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
    assert spec.schema is schema   # the checks come from pandera's own reading


def test_recognising_a_folder_does_not_import_pandera() -> None:
    code = ("import sys; from sellerdx import ingest; inv = ingest.discover(sys.argv[1]); "
            "assert inv.sources, 'nothing recognised'; "
            "print('pandera' in sys.modules, sorted({s.kind for s in inv.sources}))")
    done = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=True)
    imported, kinds = done.stdout.strip().split(" ", 1)
    assert imported == "False"
    assert "'orders'" in kinds and "'feedback'" in kinds
