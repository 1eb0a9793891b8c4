"""Every queries/*.sql file declares exactly the $parameters that sellerdx.metrics binds for it."""

from __future__ import annotations

import pytest

from sellerdx import assets, metrics
from sellerdx.errors import QueryParameterError

# The metrics engine's queries are those in metrics.BINDINGS; load_*.sql (store), rule_*.sql (diagnose)
# and other modules' queries are checked by their owners.
ALL = assets.query_names()
OWN = sorted(metrics.BINDINGS)


def test_every_binding_has_its_query_file():
    assert set(OWN) <= set(ALL), "a binding without its queries/<name>.sql"
    for name in ("odr", "pfcr", "lsr", "vtr", "otdr", "order_facts", "metric_daily", "breakdown", "recovery",
                 "unmatched_defects", "removable_feedback"):
        assert name in metrics.BINDINGS


@pytest.mark.parametrize("name", OWN)
def test_declared_parameters_equal_bound(name):
    sql = assets.load_query(name)
    assert metrics.query_parameters(sql) == metrics.BINDINGS[name]


@pytest.mark.parametrize("name", OWN)
def test_header_comment_lists_parameters(name):
    sql = assets.load_query(name)
    header = "\n".join(line for line in sql.splitlines() if line.startswith("--"))
    assert header.startswith(f"-- {name}:"), "the header names the query"
    assert "Inputs:" in header and ("Output" in header)
    for param in metrics.BINDINGS[name]:
        assert f"${param}" in header, f"${param} not documented in the header of {name}.sql"
    if not metrics.BINDINGS[name]:
        assert "Parameters: none" in header


def test_parameter_parser_ignores_comments_and_strings():
    sql = "-- uses $ghost\nSELECT '$not_a_param', $real, x FROM t WHERE y = $other -- $also_ghost"
    assert metrics.query_parameters(sql) == {"real", "other"}


def test_run_refuses_a_wrong_binding():
    import duckdb
    con = duckdb.connect()
    with pytest.raises(QueryParameterError):
        metrics.run_query(con, "pfcr", {"as_of": "2026-10-31"})            # window_days missing
    with pytest.raises(QueryParameterError):
        metrics.run_query(con, "order_span", {"extra": 1})


def test_load_queries_have_no_parameters_left_unbound():
    # the store runs load_*.sql without parameters
    for name, path in assets.query_paths().items():
        if name.startswith("load_"):
            assert path.parent.name == "load", name
            assert metrics.query_parameters(assets.load_query(name)) == frozenset(), name
