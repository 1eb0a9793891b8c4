"""Shared fixtures: the bundled sample folders and an Analysis of each (computed once per session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
SAMPLE_FOLDERS = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()) if SAMPLES.exists() else []


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """The cache is on by default: every test (and every `sellerdx` subprocess, which inherits the
    environment) uses a cache folder of its own session, never the user's real cache folder."""
    folder = tmp_path_factory.mktemp("sellerdx-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELLERDX_CACHE_DIR", str(folder))
        mp.delenv("SELLERDX_CACHE_MAX_BYTES", raising=False)
        yield folder


@pytest.fixture(scope="session", autouse=True)
def _english_unless_asked():
    """Outputs follow $SELLERDX_LANG and the system locale: the suite writes English whatever the machine's
    locale (a test of another language asks for it: --lang, lang=, or its own environment)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELLERDX_LANG", "en")
        yield


@pytest.fixture(autouse=True)
def _garbage_collector_unfrozen():
    """`sellerdx analyze` freezes what its imports created (cli._freeze_imports); run in-process by CliRunner
    it would freeze the test runner's objects for good: each test leaves the collector as it found it."""
    import gc

    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def us_analysis(tmp_path_factory: pytest.TempPathFactory):
    """The bundled US sample analysed once, outputs written to a temp folder."""
    import sellerdx
    out = tmp_path_factory.mktemp("us-report")
    analysis = sellerdx.analyze(SAMPLES / "us-seller", out=str(out))
    analysis.write(out)
    return analysis


@pytest.fixture(scope="session")
def planted() -> dict[str, dict]:
    """planted.json of every bundled sample folder."""
    return {name: json.loads((SAMPLES / name / "planted.json").read_text(encoding="utf-8"))
            for name in SAMPLE_FOLDERS}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user cache folder of a test (what platformdirs would give, overridden), with no size bound set."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("SELLERDX_CACHE_DIR", str(folder))
    monkeypatch.delenv("SELLERDX_CACHE_MAX_BYTES", raising=False)
    return folder
