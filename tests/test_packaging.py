"""An installed wheel (not only an editable install) carries and finds queries, schemas and data files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("sellerdx-*.whl"))


@pytest.mark.slow
def test_wheel_lists_every_asset(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, suffix in (("queries", ".sql"), ("schemas", ".yaml")):
        paths = list((ROOT / folder).rglob(f"*{suffix}"))
        assert paths, folder
        for path in paths:
            rel = path.relative_to(ROOT).as_posix()
            assert f"sellerdx/{rel}" in names, f"{rel} missing from the wheel"
    for path in (ROOT / "src/sellerdx/data").rglob("*.toml"):
        rel = path.relative_to(ROOT / "src").as_posix()
        assert rel in names
    for path in (ROOT / "src/sellerdx/templates").iterdir():
        assert f"sellerdx/templates/{path.name}" in names
    assert not any("__pycache__" in n or n.endswith((".pyc", "~")) for n in names), "stray files in the wheel"


@pytest.mark.slow
def test_installed_wheel_finds_its_assets(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import sellerdx, sellerdx.assets as a, sellerdx.schema as s;"
        "assert sellerdx.__file__.startswith(sys.argv[1]), sellerdx.__file__;"
        "assert str(a.asset_dir('queries')).startswith(sys.argv[1]);"
        "assert str(a.asset_dir('schemas')).startswith(sys.argv[1]);"
        "assert 'FROM staged AS r' in a.load_query('load_orders');"
        "assert set(s.report_specs()) >= {'orders', 'feedback'};"
        "print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
