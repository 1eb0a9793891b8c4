"""Generate a benchmark folder of Seller Central exports at scale with ``sellerdx.samplegen``.

Usage::

    python benchmarks/generate.py --items 1000000            # -> benchmarks/data/1000000/exports/
    python benchmarks/generate.py --orders 800000 --out DIR  # an exact number of orders instead

``--items`` asks for that many order ITEMS (rows of the All Orders report): samplegen draws 1..3 items
per order, about 1.249 on average, so the number of orders is ``items / 1.249`` and the real item count
comes out within a fraction of a percent. Feedback, A-to-z claims, chargebacks, cancellations,
shipment confirmations and returns come out in proportion (samplegen's rates).

The exports go to ``<out>/exports/`` (the folder to analyse) and samplegen's manifest to
``<out>/planted.json`` (outside the analysed folder), beside ``<out>/params.json``. An existing folder
made with the same parameters is reused; one made with other parameters is replaced.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from sellerdx.samplegen import SampleSpec, generate

ITEMS_PER_ORDER = 1.249     # measured: 100k orders -> 124,890 items; 800,700 orders -> 1,000,826 items
DATA = Path(__file__).resolve().parent / "data"
FORMAT = 3                  # bump when the folder layout or the parameters below change


def spec_for(n_orders: int, *, seed: int = 7, days: int = 180) -> SampleSpec:
    """The benchmark spec: one clean US seller (UTF-8, tab-separated), a single All Orders export.

    No damaged rows, no overlapping exports (so "N order items" is N rows of one file) and no
    performance JSON (a few KB; the benchmark measures the tabular exports). samplegen's two files that
    are no report (``inventory.txt``, ``notes.txt``) are removed after generation.
    """
    return SampleSpec(seed=seed, n_orders=n_orders, days=days, variant="us", damaged_rows=0,
                      overlap_exports=False, performance_json=False)


def _drop_non_reports(exports: Path, files: list[dict[str, Any]]) -> None:
    """Remove samplegen's two files that are no report (an inventory list, a notes file).

    They test discovery, not scale, and are not part of what the benchmark compares.
    """
    for f in files:
        if f["kind"] == "skipped":
            (exports / f["path"]).unlink(missing_ok=True)


def orders_for_items(items: int) -> int:
    """How many orders give about ``items`` order items."""
    return max(1, round(items / ITEMS_PER_ORDER))


def ensure(out: Path, n_orders: int, *, seed: int = 7, days: int = 180, quiet: bool = False) -> dict[str, Any]:
    """Make sure ``out`` holds the folder for these parameters; return its params (with the real counts)."""
    spec = spec_for(n_orders, seed=seed, days=days)
    wanted = {"format": FORMAT, "n_orders": n_orders, "seed": seed, "days": days}
    params_path = out / "params.json"
    if params_path.exists():
        have = json.loads(params_path.read_text(encoding="utf-8"))
        if {k: have.get(k) for k in wanted} == wanted and (out / "exports").is_dir():
            _drop_non_reports(out / "exports", have["files"])
            if not quiet:
                print(f"reusing {out} ({have['order_items']:,} order items)", file=sys.stderr)
            return have
    if out.exists():
        shutil.rmtree(out)
    exports = out / "exports"
    started = time.perf_counter()
    manifest = generate(exports, spec)
    seconds = time.perf_counter() - started
    (exports / "planted.json").replace(out / "planted.json")
    _drop_non_reports(exports, manifest["files"])
    files = [{"path": f["path"], "kind": f["kind"], "rows": f["rows"],
              "bytes": (exports / f["path"]).stat().st_size} for f in manifest["files"] if f["kind"] != "skipped"]
    params = {**wanted, "order_items": manifest["orders"]["order_items"], "generate_seconds": round(seconds, 2),
              "files": files, "bytes": sum(f["bytes"] for f in files)}
    params_path.write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
    if not quiet:
        print(f"generated {out} in {seconds:.1f} s: {params['order_items']:,} order items, "
              f"{params['bytes'] / 1e6:,.0f} MB", file=sys.stderr)
    return params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--items", type=int, help="order items wanted (orders = items / 1.249)")
    group.add_argument("--orders", type=int, help="number of orders")
    parser.add_argument("--out", type=Path, help="folder (default benchmarks/data/<items or orders>)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=180, help="span of purchase dates")
    args = parser.parse_args(argv)
    n_orders = args.orders if args.orders else orders_for_items(args.items)
    out = args.out or DATA / str(args.items or args.orders)
    ensure(out, n_orders, seed=args.seed, days=args.days)
    return 0


if __name__ == "__main__":
    sys.exit(main())
