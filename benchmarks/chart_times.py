"""What the report's charts cost: CPU milliseconds per chart and the seconds of report.html.

    python benchmarks/chart_times.py FOLDER [--lang CODE] [--repeat 3]

Computes the analysis of FOLDER (no cache; not timed), then renders report.html ``--repeat`` times in this
process (into a temporary folder) and prints, per run, the CPU milliseconds of every chart (the daily trend
charts, the findings' Pareto / bar charts, Amazon's snapshot charts) in the order the report draws them, and
the CPU seconds of the whole report.html (charts included). The first run pays for importing matplotlib (the
first chart imports it); the later runs show the steady cost. CPU time of this process (``time.process_time``),
so other load on a shared machine inflates it less than wall-clock seconds. Benchmark-only.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import time
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from sellerdx import Analysis
    from sellerdx.options import Options
    from sellerdx.render import amazon, charts

    analysis = Analysis(args.folder, Options(cache=False, lang=args.lang))
    started = time.perf_counter()
    _ = analysis.result
    print(f"analysis (not timed below): {time.perf_counter() - started:.2f} s wall")

    times: dict[str, list[float]] = collections.defaultdict(list)

    def timed(module: Any, name: str) -> None:
        real = getattr(module, name)

        def wrapper(*a: Any, **k: Any) -> Any:
            begin = time.process_time()
            try:
                return real(*a, **k)
            finally:
                times[name].append(time.process_time() - begin)

        setattr(module, name, wrapper)

    timed(charts, "daily_chart")
    timed(charts, "breakdown_chart")
    timed(amazon, "snapshot_chart")
    with tempfile.TemporaryDirectory() as folder:
        for run in range(1, args.repeat + 1):
            times.clear()
            begin = time.process_time()
            analysis.to_html(Path(folder) / "report.html")
            html = time.process_time() - begin
            drawn = sum(sum(v) for v in times.values())
            print(f"run {run}: report.html {html:.2f} s CPU, of which charts {drawn:.2f} s")
            for name, values in times.items():
                each = " ".join(f"{1000 * v:.0f}" for v in values)
                print(f"  {name}: {len(values)} charts, {1000 * sum(values) / len(values):.0f} ms mean; each: {each}")


if __name__ == "__main__":
    main()
