"""Benchmark ``sellerdx portfolio``: N generated accounts analysed locally with 1 and 2 worker processes.

Usage::

    python benchmarks/bench_portfolio.py [--accounts 50] [--orders 1000] [--workers 1 2] [--keep DIR]

Generates ``--accounts`` sample folders (``sellerdx.samplegen``, ``--orders`` orders over 120 days each,
seeds 1..N), then for each worker count runs :func:`sellerdx.portfolio.run_portfolio` into a fresh output
folder (every account analysed), and finally reruns the last one unchanged (every account reused, the
incremental morning run). Prints a Markdown table for docs/performance.md with the machine, the load
average when each run started (on a shared machine, other processes compete for the cores) and the
seconds per run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import sellerdx
from sellerdx.portfolio import run_portfolio
from sellerdx.samplegen import SampleSpec, generate


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", default=None, help="folder to keep the generated root and outputs in")
    args = parser.parse_args()

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sellerdx-bench-portfolio-"))
    root = base / "root"
    started = time.perf_counter()
    for i in range(1, args.accounts + 1):
        generate(root / f"account-{i:03d}", SampleSpec(seed=i, n_orders=args.orders, days=120, damaged_rows=1))
    generated = time.perf_counter() - started
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())

    rows = []
    out = None
    for workers in args.workers:
        out = base / f"out-{workers}"
        shutil.rmtree(out, ignore_errors=True)
        load = os.getloadavg()[0]
        t = time.perf_counter()
        result = run_portfolio(root, out, workers=workers)
        rows.append((f"{workers} worker{'s' if workers > 1 else ''}, every account analysed", result.analysed,
                     time.perf_counter() - t, load))
    if out is not None:
        load = os.getloadavg()[0]
        t = time.perf_counter()
        result = run_portfolio(root, out, workers=args.workers[-1])
        rows.append((f"{args.workers[-1]} workers, rerun with no export changed", result.analysed,
                     time.perf_counter() - t, load))

    print(f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, {_cpu()} "
          f"({platform.platform()}); Python {platform.python_version()}, sellerdx {sellerdx.__version__}.")
    print(f"{args.accounts} accounts of {args.orders:,} orders each ({size / 1e6:.0f} MB of exports; generated in "
          f"{generated:.0f} s). Command: `python benchmarks/bench_portfolio.py --accounts {args.accounts} "
          f"--orders {args.orders} --workers {' '.join(map(str, args.workers))}`.\n")
    print("| run | accounts analysed | seconds | s per account | 1-min load average at start |")
    print("|---|---:|---:|---:|---:|")
    for label, analysed, seconds, load in rows:
        per = f"{seconds / analysed:.2f}" if analysed else "–"
        print(f"| {label} | {analysed} | {seconds:.1f} | {per} | {load:.1f} |")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
