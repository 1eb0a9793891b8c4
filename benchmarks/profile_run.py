"""Where the time of one sellerdx run goes: seconds per stage, per SQL statement and per Python function.

    python benchmarks/profile_run.py FOLDER [--out DIR] [--cache DIR | --no-cache] [--as-of YYYY-MM-DD] [--top 25]

Runs ``sellerdx.analyze(FOLDER).write(OUT)`` once in this process and prints
  1. ``Analysis.timings`` (seconds per stage),
  2. every query of ``queries/`` run through ``sellerdx.metrics.runner`` (metrics, describe, the rules'
     evidence queries) with calls and seconds, most expensive first,
  3. pyinstrument's call tree (needs the ``bench`` extra: ``pip install -e .[bench]``), when installed.

Wall-clock seconds on a shared machine are noisy; compare the shares. Benchmark-only: nothing in
``sellerdx`` imports this file or pyinstrument.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

BIG_TABLES = ("orders", "shipments", "defect_events", "order_facts", "order_items", "metric_orders")


def table_scans(calls: dict[str, int]) -> dict[str, int]:
    """Big table -> how many of the statements run read it: each query's calls, counted once per table
    its SQL text names after FROM or JOIN (comments stripped). A static count: a query that reads a table
    twice (a self-join, two CTEs) counts once; the window tables read instead of order_facts are not big."""
    from sellerdx import assets

    out = dict.fromkeys(BIG_TABLES, 0)
    for name, n in calls.items():
        try:
            sql = assets.load_query(name)
        except FileNotFoundError:   # not a query of queries/: not counted
            continue
        body = re.sub(r"--[^\n]*", " ", sql)
        for table in BIG_TABLES:
            if re.search(rf"\b(FROM|JOIN)\s+{table}\b", body, re.IGNORECASE):
                out[table] += n
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--out")
    ap.add_argument("--cache", default=None, help="cache folder (default: a fresh temporary folder)")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--as-of")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--json", help="also write the figures as JSON to this file")
    args = ap.parse_args(argv)

    import sellerdx
    from sellerdx.metrics import runner

    out = args.out or tempfile.mkdtemp(prefix="sellerdx-profile-")
    cache: str | bool = False if args.no_cache else (args.cache or tempfile.mkdtemp(prefix="sellerdx-cache-"))
    runner.QUERY_STATS.clear()
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    profiler = Profiler(interval=0.01) if Profiler else None
    started = time.perf_counter()
    if profiler:
        profiler.start()
    analysis = sellerdx.analyze(args.folder, out=out, cache=cache, as_of=args.as_of)
    analysis.write(out)
    if profiler:
        profiler.stop()
    total = time.perf_counter() - started

    print(f"total {total:.2f} s  ({args.folder}, cache={'off' if cache is False else cache})")
    print("\nstage seconds (Analysis.timings):")
    for stage, seconds in sorted(analysis.timings.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<10} {seconds:8.2f}")
    print("\nqueries (sellerdx.metrics.runner): name, calls, seconds, most expensive first")
    ranked = sorted(runner.QUERY_STATS.items(), key=lambda kv: -kv[1][1])
    for name, (calls, seconds) in ranked[: args.top]:
        print(f"  {name:<28} {calls:5d} {seconds:8.2f}")
    print(f"  (all {sum(c for c, _ in runner.QUERY_STATS.values())} runner queries: "
          f"{sum(s for _, s in runner.QUERY_STATS.values()):.2f} s)")
    scans = table_scans({k: c for k, (c, _) in runner.QUERY_STATS.items() if k != "source_counts"})
    print("\nbig-table reads (statements run that read the table, from each query's FROM / JOIN; "
          "source_counts, the row counts that tell whether the data changed, left out):")
    for table, count in scans.items():
        print(f"  {table:<16} {count:5d}")
    if profiler:
        print("\npyinstrument (functions above 2% of the run):")
        print(profiler.output_text(unicode=False, color=False))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "total": total, "timings": analysis.timings,
            "queries": {k: {"calls": c, "seconds": s} for k, (c, s) in ranked}, "scans": scans}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
