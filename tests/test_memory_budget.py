"""DuckDB's memory budget: set on a work database, lent back while the result is described."""

from __future__ import annotations

from pathlib import Path

import pytest

from sellerdx import store
from sellerdx.text import parse_size


def _limit(con) -> int:
    return parse_size(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])


def test_the_budget_is_lowered_to_a_quarter_while_describing_and_restored(tmp_path, monkeypatch):
    monkeypatch.setenv("SELLERDX_MEMORY_LIMIT", "800MB")
    on_disk = store.connect(str(tmp_path / "work.duckdb"), temp_directory=str(tmp_path))
    in_memory = store.connect()
    before, untouched = _limit(on_disk), _limit(in_memory)
    assert before == pytest.approx(800e6, rel=0.01)
    with store.lend_memory([on_disk, in_memory]):
        assert _limit(on_disk) == pytest.approx(200e6, rel=0.01)     # DESCRIBE_SHARE of 800 MB
        assert _limit(in_memory) == untouched                        # not a budget sellerdx set
    assert _limit(on_disk) == pytest.approx(before, rel=0.001) and _limit(in_memory) == untouched


def test_a_connection_closed_meanwhile_is_not_an_error(tmp_path):
    con = store.connect(str(tmp_path / "view.duckdb"))
    with store.lend_memory([con]):
        con.close()                      # a marketplace's view closed by its owner during describe


@pytest.mark.parametrize(("text", "expected"), [("572.2 MiB", int(572.2 * 2**20)), ("600MB", 600 * 10**6),
                                                ("1.5 GiB", int(1.5 * 2**30)), ("512 bytes", 512)])
def test_duckdb_memory_settings_are_read_in_bytes(text, expected):
    assert parse_size(text) == expected


def _settings(con) -> tuple[str, str]:
    return con.execute("SELECT current_setting('threads'), current_setting('memory_limit')").fetchall()[0]


def test_a_statement_out_of_budget_runs_again_on_one_thread_then_with_twice_the_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("SELLERDX_MEMORY_LIMIT", "300MB")
    con = store.connect(str(tmp_path / "work.duckdb"), temp_directory=str(tmp_path))
    con.execute("SET threads = 2")
    start = _settings(con)
    seen: list[tuple[str, str]] = []

    def run(fails: int):
        def attempt():
            seen.append(_settings(con))
            if len(seen) <= fails:
                raise __import__("duckdb").OutOfMemoryException("failed to allocate data")
            return "built"
        return attempt

    assert store.within_budget(con, run(0)) == "built" and len(seen) == 1
    seen.clear()
    assert store.within_budget(con, run(1)) == "built"
    assert [s[0] for s in seen] == [2, 1] and seen[1][1] == start[1]            # one thread, same budget
    seen.clear()
    assert store.within_budget(con, run(2)) == "built"
    assert seen[2][0] == 1 and parse_size(seen[2][1]) == pytest.approx(600e6, rel=0.01)
    assert _settings(con)[0] == start[0]                                      # both restored
    assert parse_size(_settings(con)[1]) == pytest.approx(parse_size(start[1]), rel=0.001)
    seen.clear()
    with pytest.raises(__import__("duckdb").OutOfMemoryException):
        store.within_budget(con, run(3))
    assert _settings(con)[0] == start[0]


@pytest.mark.parametrize(("value", "says"), [("lots", "is not a size"), ("10KB", "is too small")])
def test_an_unusable_memory_budget_is_a_usage_error_naming_the_variable(tmp_path, monkeypatch, value, says):
    from click.testing import CliRunner

    from sellerdx.cli import main

    sample = Path(__file__).resolve().parent.parent / "sample_reports" / "us-seller"
    result = CliRunner().invoke(main, ["analyze", str(sample), "--out", str(tmp_path / "o"), "--no-cache"],
                                env={"SELLERDX_MEMORY_LIMIT": value})
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"error: SELLERDX_MEMORY_LIMIT='{value}' {says}" + ("" if says == "is not a size" else
                                                                            " for DuckDB to work in")
    assert lines[1].startswith("  hint:") and len(lines) == 2 and "Traceback" not in result.output
