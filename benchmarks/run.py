"""Scale benchmark: sellerdx analyze end to end beside the DuckDB floor and a pandas + pandera reference.

Usage (from the repository root; ``bash benchmarks/run.sh`` sets up the venv and runs this)::

    python benchmarks/run.py [--sizes 1000000 5000000] [--repeat 1] [--doc docs/performance.md]

For every size (order items) the folder ``benchmarks/data/<size>/exports`` is generated if missing
(``benchmarks/generate.py``), then each measurement runs in its own Python subprocess so that its peak
RSS (``ru_maxrss`` from ``os.wait4``) belongs to that measurement alone:

- ``floor``:    DuckDB ``SELECT count(*)`` over every tabular export (read_csv, tab, quote='', all_varchar);
- ``sellerdx``: ``sellerdx.analyze(folder).write(out)`` with no cache, seconds per stage from ``timings``;
- ``cold`` / ``warm``: the same with ``cache=DIR``, first into an empty cache, then again with ``--as-of`` one
  day earlier (the second run: the cached database and its as-of-independent tables reused);
- ``pandas``:   ``benchmarks/pandas_reference.py`` (pandas read_csv + pandera validate + the 3 metrics).

Then the everyday case (``benchmarks/everyday.py``): the US sample folder and ``--version`` / ``--help``
from the shell, each a fresh process of the console script (skip with ``--everyday-repeat 0``).

With ``--repeat N`` every measurement runs N times and the fastest run is reported (peak RSS: the
largest). Results go to ``benchmarks/data/results.json`` and into ``docs/performance.md`` between the
``<!-- results:start -->`` / ``<!-- results:end -->`` markers (the text around them is kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

STAGES = ("discover", "cache", "read", "validate", "load", "metrics", "diagnose", "render")
METRICS = ("odr_mfn", "pfcr", "lsr_10d")
TABULAR_SUFFIXES = (".txt", ".csv", ".tsv", ".gz")
START, END = "<!-- results:start -->", "<!-- results:end -->"


# --------------------------------------------------------------------------------------------- children
def child_floor(folder: Path) -> dict[str, Any]:
    """DuckDB reads every report export once: the least any tool must spend on these files.

    The files are those samplegen lists as reports (not the two non-report files, not the 6-row zip
    member DuckDB cannot open)."""
    import duckdb
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    params = json.loads((folder.parent / "params.json").read_text(encoding="utf-8"))
    names = [f["path"] for f in params["files"] if f["kind"] not in ("skipped", "performance")
             and f["path"].endswith(TABULAR_SUFFIXES)]
    rows: dict[str, int] = {}
    started = time.perf_counter()
    for name in names:
        path = folder / name
        rows[name] = con.execute(
            "SELECT count(*) FROM read_csv($p, delim = '\t', quote = '', escape = '', header = true, "
            "all_varchar = true, strict_mode = false, null_padding = true)", {"p": str(path)}).fetchone()[0]
    return {"seconds": time.perf_counter() - started, "rows": rows}


def child_sellerdx(folder: Path, out: Path, cache: str | None, as_of: str | None = None) -> dict[str, Any]:
    """sellerdx end to end (what ``sellerdx analyze FOLDER --out OUT [--cache DIR] [--as-of D]`` runs).

    A stage that raises is recorded (``errors``) and the later stages are skipped, so a broken renderer
    or rule does not hide the numbers of the stages before it. Also records every query run with its
    calls and seconds (``sellerdx.metrics.runner.QUERY_STATS``) and the as-of date used.
    """
    import sellerdx
    from sellerdx.metrics import runner
    runner.QUERY_STATS.clear()
    started = time.perf_counter()
    analysis = sellerdx.analyze(folder, out=str(out), cache=cache, as_of=as_of or None)
    errors: dict[str, str] = {}
    steps = (("inputs", lambda: analysis.inputs), ("metrics", lambda: analysis.metric_results),
             ("diagnose", lambda: analysis.finding_list), ("render", lambda: analysis.write(out)))
    for name, step in steps:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - reported in the results, see above
            errors[name] = f"{type(exc).__name__}: {exc}"
            break
    seconds = time.perf_counter() - started
    metrics = {}
    if "inputs" not in errors and "metrics" not in errors:
        for key in METRICS:
            m = analysis.metric(key)
            metrics[key] = {"numerator": m.numerator, "denominator": m.denominator, "rate": m.rate}
    rows = {}
    if "inputs" not in errors:
        rows = {"rows_read": analysis.inputs.rows_read, "rows_loaded": analysis.inputs.rows_loaded}
    queries = {name: [int(calls), secs] for name, (calls, secs) in runner.QUERY_STATS.items()}
    as_of_used = str(analysis.as_of) if "inputs" not in errors else None
    return {"seconds": seconds, "timings": dict(analysis.timings), "metrics": metrics, "errors": errors,
            "queries": queries, "as_of": as_of_used, **rows}


def child_pandas(folder: Path) -> dict[str, Any]:
    import pandas_reference
    result = pandas_reference.run(folder)
    return {"seconds": result["timings"]["total"], **result}


def child_main(argv: list[str]) -> int:
    kind, folder = argv[0], Path(argv[1])
    if kind == "floor":
        result = child_floor(folder)
    elif kind == "sellerdx":
        result = child_sellerdx(folder, Path(argv[2]), argv[3] if len(argv) > 3 and argv[3] else None,
                                argv[4] if len(argv) > 4 and argv[4] else None)
    elif kind == "pandas":
        result = child_pandas(folder)
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    Path(os.environ["SELLERDX_BENCH_RESULT"]).write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------------------------- parent
def measure(kind: str, *args: str) -> dict[str, Any]:
    """Run one measurement in a fresh subprocess; its result plus wall seconds and peak RSS (MB)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        result_path = fh.name
    env = {**os.environ, "SELLERDX_BENCH_RESULT": result_path, "CI": "1"}
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", kind, *args], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        if proc.returncode != 0:
            raise RuntimeError(f"measurement {kind} {args} failed with exit code {proc.returncode}")
        result = json.loads(Path(result_path).read_text(encoding="utf-8"))
    finally:
        os.unlink(result_path)
    result["process_seconds"] = wall
    result["peak_rss_mb"] = usage.ru_maxrss / 1024          # Linux: kilobytes
    result["load_average"] = load_before                     # 1-minute load average as it started
    return result


def best(kind: str, repeat: int, *args: str, before: Any = None) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(kind, *args))
    fastest = min(runs, key=lambda r: r["seconds"])
    fastest["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    fastest["all_seconds"] = [r["seconds"] for r in runs]
    return fastest


def run_size(size: int, repeat: int, work: Path) -> dict[str, Any]:
    import generate
    data = generate.DATA / str(size)
    params = generate.ensure(data, generate.orders_for_items(size))
    folder = data / "exports"
    out = work / f"out-{size}"
    cache = work / f"cache-{size}"
    log = lambda text: print(f"[{size:,}] {text}", file=sys.stderr, flush=True)  # noqa: E731
    res: dict[str, Any] = {"size": size, "params": {k: v for k, v in params.items() if k != "files"},
                           "files": params["files"]}
    log("floor: DuckDB count(*) over each file")
    res["floor"] = best("floor", repeat, str(folder))
    log("sellerdx analyze, no cache")
    res["sellerdx"] = best("sellerdx", repeat, str(folder), str(out), "")
    log("sellerdx analyze, first run into an empty cache")
    res["cold"] = best("sellerdx", repeat, str(folder), str(out), str(cache),
                       before=lambda: shutil.rmtree(cache, ignore_errors=True))
    # The second run as a user makes it: the same folder a day later, so a new --as-of (the cached
    # database and its as-of-independent tables are reused; the window work runs again).
    cold_as_of = res["cold"].get("as_of")
    new_as_of = str(dt.date.fromisoformat(cold_as_of) - dt.timedelta(days=1)) if cold_as_of else ""
    log(f"sellerdx analyze, second run (warm cache, --as-of {new_as_of or 'default'})")
    res["warm"] = best("sellerdx", repeat, str(folder), str(out), str(cache), new_as_of)
    res["warm"]["as_of_asked"] = new_as_of
    log("pandas + pandera reference")
    res["pandas"] = best("pandas", repeat, str(folder))
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return res


# --------------------------------------------------------------------------------------------- report
def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for pkg in ("sellerdx", "duckdb", "pandas", "pandera", "pyarrow", "numpy"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": mem_gb, "os": platform.platform(),
            "versions": versions}


def _s(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _rss(r: dict[str, Any]) -> str:
    return f"{r['peak_rss_mb']:,.0f}"


def size_table(res: dict[str, Any]) -> list[str]:
    floor = res["floor"]["seconds"]
    lines = [f"### {res['params']['order_items']:,} order items ({res['size']:,} asked; "
             f"{res['params']['bytes'] / 1e6:,.0f} MB of exports, "
             f"{sum(f['rows'] or 0 for f in res['files'] if f['kind'] not in ('skipped', 'performance')):,} rows)",
             "",
             "| run | " + " | ".join(STAGES) + " | total s | × floor | peak RSS MB |",
             "|---|" + "---:|" * (len(STAGES) + 3)]
    for key, label in (("sellerdx", "sellerdx, no cache"), ("cold", "sellerdx, 1st run (fills cache)"),
                       ("warm", "sellerdx, 2nd run (warm cache, new --as-of)")):
        r = res[key]
        cells = [_s(r["timings"].get(stage)) for stage in STAGES]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | **{r['seconds']:.2f}** | "
                     f"{r['seconds'] / floor:.1f} | {_rss(r)} |")
    pt = res["pandas"]["timings"]
    lines.append("| pandas + pandera reference | – | – | " + _s(pt["read"]) + " | " + _s(pt["validate"])
                 + " | – | " + _s(pt["metrics"]) + f" | – | – | **{res['pandas']['seconds']:.2f}** | "
                 f"{res['pandas']['seconds'] / floor:.1f} | {_rss(res['pandas'])} |")
    lines.append("| floor: DuckDB count(*) per file | – | – | " + _s(floor) + " | – | – | – | – | – | "
                 f"**{floor:.2f}** | 1.0 | {_rss(res['floor'])} |")
    lines += ["", "Metrics (numerator / denominator), sellerdx vs the pandas reference:", "",
              "| metric | sellerdx | pandas reference | agree |", "|---|---|---|---|"]
    for key in METRICS:
        a, b = res["sellerdx"]["metrics"].get(key), res["pandas"][key]
        if a is None:
            lines.append(f"| {key} | not computed | {b['numerator']:,} / {b['denominator']:,} | – |")
            continue
        agree = (a["numerator"], a["denominator"]) == (b["numerator"], b["denominator"])
        lines.append(f"| {key} | {a['numerator']:,} / {a['denominator']:,} = {a['rate']:.4%} | "
                     f"{b['numerator']:,} / {b['denominator']:,} = {b['rate']:.4%} | {'yes' if agree else '**NO**'} |")
    for key in ("sellerdx", "cold", "warm"):
        for stage, error in res[key].get("errors", {}).items():
            lines += ["", f"**{key}: the {stage} stage failed** ({error[:300]}); its column and the later "
                      "ones are empty and the total stops before it."]
    lines += where_time_goes(res)
    process = res["sellerdx"]["process_seconds"]
    lines += ["", f"Process wall time including Python start-up and imports: sellerdx {process:.2f} s, "
              f"floor {res['floor']['process_seconds']:.2f} s, pandas {res['pandas']['process_seconds']:.2f} s. "
              f"Generating this folder took {res['params']['generate_seconds']:.1f} s. 1-minute load average "
              "as each measurement started: " + ", ".join(f"{k} {res[k]['load_average']:.1f}" for k in
                                                          ("floor", "sellerdx", "cold", "warm", "pandas"))
              + f" (on {os.cpu_count()} cores; above that, other processes were competing).", ""]
    return lines


def where_time_goes(res: dict[str, Any], top: int = 8) -> list[str]:
    """The per-stage profile of the runs: the most expensive queries (``runner.QUERY_STATS``) and how
    many statements read each big table (``profile_run.table_scans``)."""
    from profile_run import table_scans
    lines = ["", "Where the time goes (queries of `queries/` by seconds; statements that read each big table, "
             "source_counts left out):", ""]
    for key, label in (("sellerdx", "no cache"), ("warm", "2nd run, new --as-of")):
        queries = res[key].get("queries") or {}
        if not queries:
            continue
        ranked = sorted(queries.items(), key=lambda kv: -kv[1][1])[:top]
        total = sum(s for _, s in queries.values())
        scans = table_scans({k: c for k, (c, _) in queries.items() if k != "source_counts"})
        lines.append(f"- {label}: {sum(c for c, _ in queries.values()):,} queries, {total:.1f} s; top: "
                     + ", ".join(f"{name} {secs:.1f} s ({calls}×)" for name, (calls, secs) in ranked)
                     + "; reads: " + ", ".join(f"{t} {n}" for t, n in scans.items()) + ".")
    return lines


def everyday_targets(everyday: dict[str, Any] | None) -> list[str]:
    """The everyday targets' rows (US sample under 1.5 s, --version / --help under 0.3 s)."""
    if not everyday:
        return []
    sample, version, help_ = everyday["no_cache"]["best"], everyday["--version"]["best"], everyday["--help"]["best"]
    again = everyday["cache_again"]["best"]
    ok = lambda x, budget: "**holds**" if x < budget else f"**misses** ({x / budget:.1f}× the {budget} s budget)"  # noqa: E731
    return [f"| US sample folder end to end from the shell under 1.5 s | `--no-cache` {sample:.2f} s; default cache, "
            f"unchanged folder again {again:.2f} s | " + ok(sample, 1.5) + " |",
            f"| `sellerdx --version` / `--help` under 0.3 s | {version:.2f} s / {help_:.2f} s | "
            + ok(max(version, help_), 0.3) + " |"]


def targets(results: list[dict[str, Any]], everyday: dict[str, Any] | None = None) -> list[str]:
    big = max(results, key=lambda r: r["size"])
    small = min(results, key=lambda r: r["size"])
    s, floor, pandas_s = big["sellerdx"]["seconds"], big["floor"]["seconds"], big["pandas"]["seconds"]
    rss = big["sellerdx"]["peak_rss_mb"]
    growth = rss / small["sellerdx"]["peak_rss_mb"] if small is not big else None
    input_growth = big["params"]["order_items"] / small["params"]["order_items"] if small is not big else None
    warm_share = big["warm"]["seconds"] / big["cold"]["seconds"]

    def verdict(ok: bool, miss: str) -> str:
        return "**holds**" if ok else f"**misses** ({miss})"

    n = f"{big['params']['order_items']:,} items"
    rows = ["| target (at the largest size) | measured | verdict |", "|---|---|---|",
            f"| analyze within 3× the floor | {s:.1f} s = {s / floor:.1f}× floor ({floor:.1f} s), {n} | "
            + verdict(s <= 3 * floor, f"{s / (3 * floor):.1f}× over the 3× budget of {3 * floor:.1f} s") + " |",
            f"| at least 3× faster than pandas + pandera | pandas {pandas_s:.1f} s / sellerdx {s:.1f} s = "
            f"{pandas_s / s:.1f}× | " + verdict(pandas_s >= 3 * s, f"needs sellerdx ≤ {pandas_s / 3:.1f} s") + " |",
            f"| peak RSS under 1 GB | {rss:,.0f} MB | " + verdict(rss < 1024, f"{rss / 1024:.1f}× the 1 GB budget") + " |"]
    if growth is not None:
        rows.append(f"| RSS not proportional to input ({small['size']:,} → {big['size']:,}) | RSS ×{growth:.1f} for "
                    f"input ×{input_growth:.1f} | " + verdict(growth <= input_growth / 2,
                                                            "grows at more than half the input's rate") + " |")
    rows.append(f"| second run under 25% of the first | {big['warm']['seconds']:.1f} s / {big['cold']['seconds']:.1f} s"
                f" = {warm_share:.0%} | " + verdict(warm_share < 0.25, f"{warm_share / 0.25:.1f}× the 25% budget") + " |")
    nocache_share = big["warm"]["seconds"] / s
    rows.append(f"| the same second run against the no-cache run | {big['warm']['seconds']:.1f} s / {s:.1f} s = "
                f"{nocache_share:.0%} | " + verdict(nocache_share < 0.25, f"{nocache_share / 0.25:.1f}× the 25% budget")
                + " |")
    return rows + everyday_targets(everyday)


def render(results: list[dict[str, Any]], info: dict[str, Any], command: str,
           everyday: dict[str, Any] | None = None) -> str:
    v = info["versions"]
    lines = [START, "", f"Measured {info['when']} on {info['cores']} cores, {info['cpu']}, {info['memory_gb']} GB RAM "
             f"({info['os']}); Python {v['python']}, sellerdx {v['sellerdx']}, duckdb {v['duckdb']}, "
             f"pandas {v['pandas']}, pandera {v['pandera']}, pyarrow {v['pyarrow']}, numpy {v['numpy']}.", "",
             f"Reproduce: `{command}` (or `bash benchmarks/run.sh`). Seconds per stage from "
             "`Analysis.timings`; total = `analyze()` through `write()`; peak RSS of the measuring process "
             f"(`ru_maxrss`); best of {info['repeat']} run(s).", "", "## Targets", ""]
    lines += targets(results, everyday)
    if everyday:
        import everyday as everyday_bench
        lines += ["", "## The everyday case", ""] + everyday_bench.table(everyday)
    lines += ["", "## Results per size", ""]
    for res in results:
        lines += size_table(res)
    lines.append(END)
    return "\n".join(lines)


def write_doc(doc: Path, block: str) -> None:
    if doc.exists():
        text = doc.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            tail = rest.split(END, 1)[1]
            doc.write_text(head + block + tail, encoding="utf-8")
            return
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text("# Performance\n\n" + block + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child_main(argv[1:])
    parser = argparse.ArgumentParser(description="sellerdx scale benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000], help="order items")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--no-doc", action="store_true", help="print the results only")
    parser.add_argument("--everyday-repeat", type=int, default=5,
                        help="runs of each everyday command (benchmarks/everyday.py); 0 skips them")
    args = parser.parse_args(argv)
    info = {**machine(), "repeat": args.repeat, "when": dt.date.today().isoformat()}
    command = "python benchmarks/run.py --sizes " + " ".join(map(str, args.sizes)) + f" --repeat {args.repeat}"
    results = []
    with tempfile.TemporaryDirectory(prefix="sellerdx-bench-") as work:
        for size in sorted(args.sizes):
            results.append(run_size(size, args.repeat, Path(work)))
    everyday = None
    if args.everyday_repeat > 0:
        import everyday as everyday_bench
        print("[everyday] the US sample folder, --version and --help from the shell", file=sys.stderr, flush=True)
        everyday = everyday_bench.measure_everyday(repeat=args.everyday_repeat)
    (HERE / "data").mkdir(exist_ok=True)
    (HERE / "data" / "results.json").write_text(json.dumps({"machine": info, "results": results, "everyday": everyday}, indent=2,
                                                           default=str), encoding="utf-8")
    block = render(results, info, command, everyday)
    print(block)
    if not args.no_doc:
        write_doc(args.doc, block)
        print(f"wrote {args.doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
