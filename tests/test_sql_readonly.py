"""``Analysis.sql()`` is a read-only door (issue 12 point 6): a write is refused before it runs, so later
results and a cached database stay as they were."""

from __future__ import annotations

import pytest

import sellerdx
from sellerdx.errors import ReadOnlyQueryError
from test_cache import make_folder

# make_folder: 3 orders (SKU-1..3) and 2 claim lines, one quarantined -> 1 claim loaded


@pytest.mark.parametrize("statement", [
    "DELETE FROM claims",
    "delete /* sneaky */ from claims",
    "SELECT 1; DROP TABLE claims",
    "UPDATE orders SET quantity = 0",
    "INSERT INTO claims SELECT * FROM claims",
    "CREATE TABLE x AS SELECT 1",
    "ATTACH ':memory:' AS other",
    "COPY claims TO 'claims.csv'",
    "EXPLAIN ANALYZE DELETE FROM claims",
    "SET threads = 1",
])
def test_a_write_is_refused_and_changes_nothing(tmp_path, statement):
    a = sellerdx.analyze(make_folder(tmp_path), out=str(tmp_path / "out"))
    with pytest.raises(ReadOnlyQueryError, match="only runs queries"):
        a.sql(statement)
    assert a.sql("SELECT count(*) AS n FROM claims")["n"][0] == 1
    assert a.sql("SELECT count(*) AS n FROM orders")["n"][0] == 3


def test_queries_of_every_read_form_still_run(tmp_path):
    a = sellerdx.analyze(make_folder(tmp_path), out=str(tmp_path / "out"))
    assert a.sql("WITH c AS (SELECT order_id FROM claims) SELECT count(*) AS n FROM c")["n"][0] == 1
    assert a.sql("SELECT count(*) AS n FROM orders WHERE sku = $sku", {"sku": "SKU-2"})["n"][0] == 1
    assert len(a.sql("DESCRIBE orders")) > 5
    assert a.sql("FROM order_facts SELECT count(*) AS n")["n"][0] == 3


def test_unparseable_sql_is_a_clear_error_not_a_traceback(tmp_path):
    a = sellerdx.analyze(make_folder(tmp_path), out=str(tmp_path / "out"))
    with pytest.raises(ReadOnlyQueryError, match="cannot be parsed"):
        a.sql("SELEC nothing")


def test_the_cache_stays_intact_after_a_refused_write(tmp_path):
    folder = make_folder(tmp_path)
    cache = str(tmp_path / "cache")
    first = sellerdx.analyze(folder, out=str(tmp_path / "out"), cache=cache, odr_lag_days=0)
    odr_before = first.metric("odr_all")
    # lag 0: the window ends on the orders' day (2026-09-01); order 1 has a granted claim
    assert (odr_before.numerator, odr_before.denominator) == (1, 3)
    with pytest.raises(ReadOnlyQueryError):
        first.sql("DELETE FROM claims")
    del first
    second = sellerdx.analyze(folder, out=str(tmp_path / "out"), cache=cache, odr_lag_days=0)
    assert second.sql("SELECT count(*) AS n FROM claims")["n"][0] == 1
    odr_after = second.metric("odr_all")
    assert (odr_after.numerator, odr_after.denominator) == (1, 3)
