"""The ``sellerdx`` command. It only parses arguments, calls the library and maps errors to exit codes."""

from __future__ import annotations

import json
import os
import sys
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import SellerdxError

# Exit codes (named, as the README documents them).
EXIT_OK = 0
EXIT_FINDINGS = 1      # analyze: a metric is at risk; validate: rows were rejected; poa check: problems
EXIT_USAGE = 2         # unusable input or options
EXIT_INTERNAL = 3      # a bug in sellerdx

def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    # Pipes and CI logs get wide, unwrapped lines; a terminal gets its own width.
    width = None if stream.isatty() else 160
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width)


out = _console(False)
err = _console(True)


def _handle_errors(func: Callable[..., int]) -> Callable[..., None]:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = func(*args, **kwargs)
        except SellerdxError as exc:
            err.print(f"[bold red]error:[/] {exc.location()}{exc.message}", markup=True, highlight=False)
            if exc.hint:
                err.print(f"  hint: {exc.hint}", markup=False)
            sys.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            err.print("interrupted", markup=False)
            sys.exit(130)
        except Exception as exc:  # a bug: one line, the traceback only on request
            if os.environ.get("SELLERDX_DEBUG"):
                raise
            err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}", markup=True, highlight=False)
            err.print("  hint: this is a bug in sellerdx; rerun with SELLERDX_DEBUG=1 and report the traceback",
                      markup=False)
            sys.exit(EXIT_INTERNAL)
        sys.exit(code)
    return wrapper


def _show_progress() -> bool:
    return err.is_terminal and not os.environ.get("CI")


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on a terminal; nothing in CI or when stderr is a pipe."""
    if not _show_progress():
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def update(label: str, done: int, total: int) -> None:
            if total:
                bar.update(task, description=label, completed=done - 1, total=total)
            else:
                bar.update(task, description=label)
        yield update


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sellerdx")
def main() -> None:
    """Diagnose an Amazon seller account's health from Seller Central exports, offline."""


# ------------------------------------------------------------------------------------------------ analyze
@main.command()
@click.argument("folder", type=click.Path(file_okay=True, dir_okay=True, path_type=str))
@click.option("--out", default="sellerdx-report", show_default=True, help="Folder for report.html, "
              "summary.json, poa.md, evidence.csv and rejected_rows.csv.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
              help="Day the windows end. Default: the latest purchase date in the orders.")
@click.option("--odr-lag-days", "odr_lag_days", type=int, default=14, show_default=True,
              help="The ODR window ends this many days before --as-of.")
@click.option("--marketplace", default=None, metavar="XX",
              help="Marketplace (US, UK, DE, JP, ...): how to read ambiguous dates such as 03/04/26.")
@click.option("--cache", "cache", default=None, metavar="DIR",
              help="Keep parsed files in DIR so the next run skips unchanged files.")
@click.option("--timezone", "timezone", default=None, metavar="ZONE",
              help="Time zone of weekday and hour statements (e.g. Asia/Tokyo). Default: each order's "
                   "marketplace (Amazon.com: America/Los_Angeles, Amazon.de: Europe/Berlin, ...).")
@click.option("--json", "as_json", is_flag=True, help="Print summary.json to standard output.")
@click.option("--open", "open_report", is_flag=True, help="Open report.html in the default browser.")
@_handle_errors
def analyze(folder: str, out: str, as_of: str | None, odr_lag_days: int, marketplace: str | None,
            cache: str | None, timezone: str | None, as_json: bool, open_report: bool) -> int:
    """Recompute the account-health metrics of FOLDER and write the report, POA and summary.

    Exit status: 0 metrics were computed and every one is within target, 1 a metric is at risk, 2 unusable
    input or options (also: no metric window holds a single order, e.g. --as-of past the data).
    """
    from .analysis import analyze as run
    with _progress() as progress:
        analysis = run(folder, out=out, as_of=as_of, odr_lag_days=odr_lag_days, marketplace=marketplace,
                       cache=cache, timezone=timezone, progress=progress)
        paths = analysis.write(out)
    if as_json:
        click.echo(json.dumps(analysis.summary(), ensure_ascii=False, indent=2))
    else:
        _print_summary(analysis, paths)
    if open_report:
        webbrowser.open(paths["report"].resolve().as_uri())
    at_risk = any(m.status == "at_risk" for m in analysis.metric_results.values())
    return EXIT_FINDINGS if at_risk else EXIT_OK


_STATUS_STYLE = {"ok": "green", "at_risk": "bold red", "no_orders": "yellow", "not_computed": "dim"}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _print_summary(analysis: Any, paths: dict[str, Any]) -> None:
    inputs = analysis.inputs
    out.print(f"sellerdx {__version__} — {analysis.folder} — as of {analysis.as_of.isoformat()}", markup=False)
    out.print(f"read {len(inputs.files)} files, {inputs.rows_read:,} rows: {inputs.rows_loaded:,} loaded, "
              f"{inputs.rows_rejected:,} rejected; {len(inputs.skipped)} files skipped", markup=False)
    table = Table(show_edge=False, pad_edge=False, box=None)
    for col in ("metric", "window (UTC)", "defects / orders", "rate", "target", "status"):
        table.add_column(col, justify="right" if col in ("defects / orders", "rate", "target") else "left")
    for m in analysis.metric_results.values():
        window = (f"{m.window_start:%Y-%m-%d} – {m.window_end:%Y-%m-%d}" if m.window_start and m.window_end else "—")
        op = "<" if m.direction == "below" else ">"
        status = m.status.replace("_", " ")
        if m.coverage is not None and m.coverage < 1 and m.window_start and m.window_end:
            days = (m.window_end - m.window_start).days + 1
            status += f" (orders cover {round(m.coverage * days)} of {days} days)"
        from .metrics import metric_wording
        counted = metric_wording(m.key)[0]
        counts = f"{m.numerator:,} / {m.denominator:,}" + ("" if counted == "orders" else f" {counted}")
        table.add_row(m.label, window, counts, _pct(m.rate), f"{op} {_pct(m.target)}",
                      f"[{_STATUS_STYLE.get(m.status, '')}]{status}[/]")
    out.print(table)
    for w in analysis.warnings:
        out.print(f"warning: {w}", markup=False)
    for m in analysis.metric_results.values():
        if m.coverage_note:
            out.print(f"partial data ({m.key}): {m.coverage_note}", markup=False)
        if m.note:
            out.print(f"note ({m.key}): {m.note}", markup=False)
    for f in analysis.finding_list[:5]:
        out.print(f"• {f.statement}", markup=False)
    out.print("wrote " + ", ".join(str(p) for p in paths.values()), markup=False)


# ------------------------------------------------------------------------------------------------ validate
@main.command("validate")
@click.argument("folder", type=click.Path(path_type=str))
@click.option("--marketplace", default=None, metavar="XX", help="Marketplace, for ambiguous dates.")
@click.option("--rejected", "rejected_path", default=None, metavar="FILE",
              help="Also write the quarantined rows to this CSV (file, line, column, value, reason).")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@_handle_errors
def validate_cmd(folder: str, marketplace: str | None, rejected_path: str | None, as_json: bool) -> int:
    """Read and check every export in FOLDER without computing metrics.

    Exit status: 0 clean, 1 rows were rejected, 2 unusable input.
    """
    from .analysis import analyze as run
    with _progress() as progress:
        analysis = run(folder, marketplace=marketplace, progress=progress)
        inputs = analysis.inputs
    if rejected_path:
        analysis.write_rejected(rejected_path)
    if as_json:
        click.echo(json.dumps({"files": [f.to_dict() for f in inputs.files],
                               "skipped": [s.to_dict() for s in inputs.skipped],
                               "rejected": inputs.rejected.astype(object).where(inputs.rejected.notna(), None)
                               .to_dict(orient="records")}, ensure_ascii=False, indent=2, default=str))
    else:
        _print_inputs(inputs)
    return EXIT_FINDINGS if inputs.rows_rejected else EXIT_OK


def _print_inputs(inputs: Any) -> None:
    table = Table(show_edge=False, pad_edge=False, box=None)
    for col in ("file", "kind", "encoding", "delimiter", "read", "loaded", "rejected", "dates"):
        table.add_column(col, justify="right" if col in ("read", "loaded", "rejected") else "left")
    for f in inputs.files:
        dates = f"{f.date_min} – {f.date_max}" if f.date_min else "—"
        table.add_row(f.path, f.kind, f.encoding, f.delimiter, f"{f.rows_read:,}", f"{f.rows_loaded:,}",
                      f"[red]{f.rows_rejected:,}[/]" if f.rows_rejected else "0", dates)
    for p in inputs.performance_files:
        table.add_row(p, "performance", "utf-8", "json", "", "", "", "")
    out.print(table)
    for f in inputs.files:
        for w in f.warnings:
            out.print(f"warning: {f.path}: {w}", markup=False)
        if f.rows_duplicate:
            out.print(f"note: {f.path}: {f.rows_duplicate:,} rows also in a newer export (counted once)",
                      markup=False)
    for s in inputs.skipped:
        out.print(f"skipped: {s.path}: {s.reason}", markup=False)
    for row in inputs.rejected.head(20).itertuples(index=False):
        column = f" ({row.column_name})" if isinstance(row.column_name, str) else ""
        out.print(f"rejected: {row.path}:{row.line}{column}: {row.reason}", markup=False)
    if len(inputs.rejected) > 20:
        out.print(f"… {len(inputs.rejected) - 20:,} more rejected rows (use --rejected FILE)", markup=False)
    out.print(f"total: {inputs.rows_read:,} rows read = {inputs.rows_loaded:,} loaded + "
              f"{inputs.rows_rejected:,} rejected", markup=False)


# ------------------------------------------------------------------------------------------------ sample
@main.command()
@click.argument("folder", type=click.Path(path_type=str))
@click.option("--variant", type=click.Choice(["us", "jp", "de"]), default="us", show_default=True,
              help="us: UTF-8 English; jp: Shift-JIS Japanese; de: Windows-1252 German.")
@click.option("--orders", "n_orders", type=click.IntRange(50, 20_000_000), default=4000, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--days", type=click.IntRange(30, 730), default=120, show_default=True)
@click.option("--damaged-rows", type=click.IntRange(0, 1000), default=3, show_default=True)
@_handle_errors
def sample(folder: str, variant: str, n_orders: int, seed: int, days: int, damaged_rows: int) -> int:
    """Write a folder of realistic sample exports with planted problems (and planted.json)."""
    from .samplegen import SampleSpec, generate
    manifest = generate(folder, SampleSpec(seed=seed, n_orders=n_orders, days=days, variant=variant,
                                           damaged_rows=damaged_rows))
    out.print(f"wrote {len(manifest['files'])} files to {folder}; planted: "
              + ", ".join(p["code"] for p in manifest["problems"]), markup=False)
    return EXIT_OK


# ------------------------------------------------------------------------------------------------ poa
@main.group()
def poa() -> None:
    """Work with a Plan of Action."""


@poa.command("check")
@click.argument("file", type=click.Path(path_type=str))
@_handle_errors
def poa_check(file: str) -> int:
    """Lint a Plan of Action you edited: blanks, tense, emotive or blaming words, missing answers.

    Exit status: 0 no problem, 1 problems found, 2 the file cannot be read.
    """
    from .errors import NoInputError
    from .poa_lint import lint_file
    if not os.path.isfile(file):
        raise NoInputError("file not found", path=file, hint="pass the poa.md written by sellerdx analyze")
    problems = lint_file(file)
    for p in problems:
        out.print(f"{file}:{p.line}: {p.code}: {p.message}", markup=False)
    out.print(f"{len(problems)} problem(s)" if problems else "no problems found", markup=False)
    return EXIT_FINDINGS if problems else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    main()
