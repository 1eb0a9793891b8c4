"""Every date column of a file decided together (validate.dates.infer_date_groups): the same formats, zone flags
and ambiguity as one column at a time, for a small file (one statement) and a big one (a sample per column)."""

from __future__ import annotations

import pytest

from sellerdx import store
from sellerdx.validate import dates

# One file's date columns, as text (the "parsed" view of a file): four rows each.
COLUMNS = {
    "c_iso": ["2026-10-01T10:00:00+00:00", "2026-10-02T11:00:00-07:00", None, "2026-10-04"],
    "c_zoned": ["2026-10-01 10:00:00 PDT", "2026-10-02 20:00:00 PST", "2026-10-03 01:00:00 PDT", None],
    "c_us": ["10/01/2026", "10/13/2026", "10/20/2026", "10/31/2026"],
    "c_day_first": ["01/10/2026", "13/10/2026", "20/10/2026", "31/10/2026"],
    "c_ambiguous": ["05/06/2026", "05/06/2026", None, None],
    "c_iso_but_one": ["2026-10-01", "2026-10-02", "10/03/2026", "2026-10-04"],
    "c_feedback": ["10/1/26", "10/13/26", "10/20/26", None],
}
PARSE = {"c_feedback": "feedback_date"}

# (group, has zone names, ambiguous), worked out by hand from the values above for a US seller:
EXPECTED = {
    "c_iso": ("iso", False, False),
    "c_zoned": ("iso", True, False),          # zone names are turned into offsets, then every value is ISO
    "c_us": ("us", False, False),             # a month of 13, 20, 31 does not exist: the day is second
    "c_day_first": ("day_first", False, False),
    "c_ambiguous": ("us", False, True),       # May 6 or June 5: equally read, equally narrow: the US order
    "c_iso_but_one": ("iso", False, False),   # ISO still reads most values (3 of 4): scored, ISO wins
    "c_feedback": ("us", False, False),       # Feedback Manager's M/D/YY
}


@pytest.fixture
def con():
    con = store.connect()
    names = list(COLUMNS)
    rows = list(zip(*(COLUMNS[n] for n in names)))
    con.execute(f"CREATE TABLE parsed ({', '.join(f'{n} VARCHAR' for n in names)})")
    con.executemany(f"INSERT INTO parsed VALUES ({', '.join('?' for _ in names)})", rows)
    yield con
    con.close()


def _columns():
    return [(name, PARSE.get(name, "timestamp")) for name in COLUMNS]


def _summary(found):
    return {column: (group, zones, ambiguous) for column, (group, _fmts, zones, ambiguous) in found.items()}


def test_small_file_every_column_at_once(con):
    assert _summary(dates.infer_date_groups(con, _columns(), "US", rows=4)) == EXPECTED


def test_big_file_each_column_on_its_sample(con, monkeypatch):
    monkeypatch.setattr(dates, "_SAMPLE_ROWS", 2)   # 4 rows is "big": each column asked on its own sample
    found = _summary(dates.infer_date_groups(con, _columns(), "US", rows=4))
    # The sample is a column's first 2 non-empty values: "10/03/2026" is left out, so ISO reads all of them.
    assert found == EXPECTED


def test_one_column_at_a_time_agrees(con):
    for column, parse in _columns():
        group, _fmts, zones, ambiguous = dates.infer_date_group(con, column, parse, "US", rows=4)
        assert (group, zones, ambiguous) == EXPECTED[column], column


def test_formats_of_a_scored_column_are_the_groups_formats(con):
    group, fmts, _zones, _ambiguous = dates.infer_date_groups(con, [("c_day_first", "date")], "DE", rows=4)["c_day_first"]
    assert group == "day_first"
    assert fmts == dates._dates()["groups"]["day_first"]


def test_no_date_columns_no_statement():
    class NoQueries:
        def execute(self, *_args, **_kwargs):
            raise AssertionError("no statement expected")

    assert dates.infer_date_groups(NoQueries(), [], "US", rows=10) == {}
