"""Where validate + load spend their time: every SQL statement of ``load_inventory``, timed.

    python benchmarks/profile_load.py FOLDER [--top 25] [--memory-limit 1GB]

Discovers FOLDER, then runs ``sellerdx.validate.load_inventory`` into a fresh database file (as an
analysis without cache does) through a connection wrapper that times each ``execute``. Prints the stage
seconds (read / validate / load), the statements grouped by their first words, most expensive first,
and the process's peak RSS. Benchmark-only: nothing in ``sellerdx`` imports this file.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


class TimedConnection:
    """A DuckDB connection whose ``execute`` calls are timed (results are fetched by the caller)."""

    def __init__(self, con):
        self._con = con
        self.stats: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])

    def execute(self, sql, *args, **kwargs):
        started = time.perf_counter()
        out = self._con.execute(sql, *args, **kwargs)
        label = _label(sql)
        self.stats[label][0] += 1
        self.stats[label][1] += time.perf_counter() - started
        return out

    def __getattr__(self, name):
        return getattr(self._con, name)


def _label(sql: str) -> str:
    body = re.sub(r"--[^\n]*", " ", sql)
    body = " ".join(body.split())
    m = re.match(r"(INSERT INTO \w+|CREATE OR REPLACE (?:TEMP )?(?:TABLE|VIEW) \w+|DELETE FROM \w+|"
                 r"CREATE (?:TEMP )?TABLE \w+|DROP \w+|SELECT|UPDATE \w+|SET \w+|WITH|ALTER TABLE \w+)", body)
    head = m.group(1) if m else body[:40]
    if head in ("SELECT", "WITH"):
        head += " " + body[len(head):len(head) + 60]
    return head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    from sellerdx import ingest, store, validate

    inventory = ingest.discover(args.folder)
    with tempfile.TemporaryDirectory(prefix="sellerdx-prof-") as tmp:
        con = store.connect(str(Path(tmp) / "data.duckdb"), temp_directory=tmp)
        timed = TimedConnection(con)
        started = time.perf_counter()
        result = validate.load_inventory(timed, inventory)
        total = time.perf_counter() - started
        con.close()
    print(f"total {total:.2f} s; " + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(result.timings.items())))
    print(f"rows read {result.rows_read:,}, rejected {result.rows_rejected:,}")
    for label, (calls, secs) in sorted(timed.stats.items(), key=lambda kv: -kv[1][1])[: args.top]:
        print(f"{secs:8.2f} s {calls:4d}x  {label}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
