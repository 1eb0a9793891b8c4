"""docs/api.md is generated from the docstrings by scripts/gen_api_docs.py; it must not go stale."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
API_MD = ROOT / "docs" / "api.md"
SCRIPT = ROOT / "scripts" / "gen_api_docs.py"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_api_docs", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_api_docs", module)
    spec.loader.exec_module(module)
    return module


def test_api_md_is_up_to_date(gen: ModuleType) -> None:
    expected = gen.render()
    current = API_MD.read_text(encoding="utf-8") if API_MD.exists() else ""
    if current != expected:
        cur, exp = current.splitlines(), expected.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(cur, exp)) if a != b), min(len(cur), len(exp)))
        pytest.fail(f"docs/api.md is stale (first difference at line {first + 1}: "
                    f"{cur[first] if first < len(cur) else '<end>'!r} vs "
                    f"{exp[first] if first < len(exp) else '<end>'!r}); "
                    f"regenerate it with: python scripts/gen_api_docs.py", pytrace=False)


def test_render_is_reproducible(gen: ModuleType) -> None:
    text = gen.render()
    assert text == gen.render()
    assert " at 0x" not in text, "an object repr with a memory address leaked into the docs"
    assert str(ROOT) not in text, "an absolute path leaked into the docs"


def test_api_md_documents_the_issue_api(gen: ModuleType) -> None:
    text = gen.render()
    assert "analyze(folder: str | os.PathLike[str], *, out: str = 'sellerdx-report'" in text
    for member in ("inputs", "metrics", "metric", "breakdown", "daily", "findings", "finding_list", "sql",
                   "poa", "to_html", "to_json", "_repr_html_"):
        assert f"### `Analysis.{member}`" in text, member
    for cls in ("Options", "Inputs", "MetricResult", "Finding", "FileReport", "SkippedFile", "RejectedRow"):
        assert f"## `{cls}`" in text, cls
    # A field's meaning comes from its trailing comment in model.py, written here by hand.
    assert "| `one_more_rate` | `float \\| None` | `None` | the rate if one more order had the defect |" in text
    assert "| `odr_lag_days` | `int` | `14` | ODR window ends this many days before as_of |" in text
    # The flag table pairs each keyword with its CLI flag.
    assert "| `odr_lag_days` | `--odr-lag-days` | `14` |" in text


def test_doctest_lines_become_code_blocks(gen: ModuleType) -> None:
    def sample() -> None:
        """Intro.

        >>> x = 1      # doctest: +SKIP
        ... y = 2
        Outro.
        """
    assert gen.docstring_md(sample) == "Intro.\n\n```python\nx = 1\ny = 2\n```\nOutro."


def test_check_mode_reports_stale_file(gen: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "api.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert gen.main(["--check", "--out", str(stale)]) == 1
    assert "python scripts/gen_api_docs.py" in capsys.readouterr().err
    assert gen.main(["--out", str(stale)]) == 0
    assert gen.main(["--check", "--out", str(stale)]) == 0
