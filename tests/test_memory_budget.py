"""DuckDB's memory budget: set on a work database, lent back while the result is described."""

from __future__ import annotations

import pytest

from sellerdx import store


def _limit(con) -> int:
    return store._setting_bytes(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])


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
    assert store._setting_bytes(text) == expected
