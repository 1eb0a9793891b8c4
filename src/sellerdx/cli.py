"""The ``sellerdx`` command. It only parses arguments, calls the library and maps errors to exit codes.

One function per command. Heavy libraries (pandas, DuckDB, pyarrow, pandera, matplotlib, rich's tables)
are imported inside the command that uses them, so ``sellerdx --version`` and ``--help`` stay fast.
Diagnostics (``-v``/``-q``) go through the ``logging`` module to standard error; the command's own output
(tables, summaries) goes to standard output.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import SellerdxError
from .version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

log = logging.getLogger("sellerdx")

# Exit codes (named, as the README and every --help document them).
EXIT_OK = 0
EXIT_FINDINGS = 1      # analyze: a metric is at risk; validate: rows were rejected; poa check: problems
EXIT_USAGE = 2         # unusable input or options
EXIT_INTERNAL = 3      # a bug in sellerdx
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), the shell convention

EXIT_CODES = {
    EXIT_OK: "success (analyze: every metric within target)",
    EXIT_FINDINGS: "findings (analyze: a metric at risk; validate: rows rejected; poa check: problems)",
    EXIT_USAGE: "unusable input or options (the message says which and how to fix it)",
    EXIT_INTERNAL: "a bug in sellerdx (rerun with SELLERDX_DEBUG=1 for the traceback)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
}
_EXIT_EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code:<4}{text}" for code, text in EXIT_CODES.items())


def _epilog(*examples: str) -> str:
    """Examples, then the exit codes; ``\\b`` keeps click from re-wrapping the lines."""
    parts = ["\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)] if examples else []
    return "\n\n".join([*parts, _EXIT_EPILOG])


# ------------------------------------------------------------------------------------------------ output
_consoles: dict[tuple[bool, int], Console] = {}
_PIPE_WIDTH = 4000      # "no wrapping" for rich (tables keep their natural width)


def _console(stderr: bool) -> Console:
    """rich's console for stdout or stderr, made on first use (rich is not imported for --help).

    One per stream object, so a test runner that swaps sys.stdout gets a console writing to its stream.
    """
    stream = sys.stderr if stderr else sys.stdout
    key = (stderr, id(stream))
    if key not in _consoles:
        from rich.console import Console
        # A terminal gets its own width (or $COLUMNS): text wraps there at word boundaries, never inside a word
        # or a number (sellerdx.terminal). Pipes and CI logs get whole, unwrapped lines, for grep.
        width = None if stream.isatty() or os.environ.get("COLUMNS") else _PIPE_WIDTH
        _consoles.clear() if len(_consoles) > 8 else None
        _consoles[key] = Console(file=stream, highlight=False, width=width)
    return _consoles[key]


def _out() -> Console:
    return _console(False)


def _err() -> Console:
    return _console(True)


class _StderrHandler(logging.Handler):
    """Log records as ``warning: ...`` lines on the current ``sys.stderr`` (looked up at each record)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.levelno >= logging.WARNING:
                text = f"{record.levelname.lower()}: {text}"
            elif record.levelno < logging.INFO:
                text = f"debug: {text}"
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 - logging must never break the command
            self.handleError(record)


def _setup_logging(verbose: int, quiet: bool) -> None:
    """-q: errors only; default: warnings; -v: what happens (files, cache); -vv: debug details."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logger = logging.getLogger("sellerdx")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        logger.addHandler(_StderrHandler())
    logger.setLevel(level)


def _quiet() -> bool:
    return logging.getLogger("sellerdx").getEffectiveLevel() > logging.WARNING


def _verbosity(func: Callable[..., Any]) -> Callable[..., Any]:
    """``-v/--verbose`` (repeatable) and ``-q/--quiet`` on a command (and on the group)."""

    def set_verbose(ctx: click.Context, _param: click.Parameter, value: int) -> None:
        state = ctx.find_root().meta.setdefault("sellerdx.verbosity", {"verbose": 0, "quiet": False})
        state["verbose"] = max(state["verbose"], value)
        _setup_logging(state["verbose"], state["quiet"])

    def set_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        state = ctx.find_root().meta.setdefault("sellerdx.verbosity", {"verbose": 0, "quiet": False})
        state["quiet"] = state["quiet"] or value
        _setup_logging(state["verbose"], state["quiet"])

    func = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=set_quiet,
                        help="Print only errors (the exit code tells the result).")(func)
    func = click.option("-v", "--verbose", count=True, expose_value=False, callback=set_verbose,
                        help="Say what happens (files read, cache use); -vv for details.")(func)
    return func


# ------------------------------------------------------------------------------------------------ language
# Help texts stay English (README, "Languages"): click writes --help before any language is chosen, and
# --help must not load a catalog.
_LANG_HELP = ("Language of the terminal output, errors and report: en, zh, ja, de, fr, it, es, vi. Default: "
              "$SELLERDX_LANG, else the system locale (LANG), else English.")
_POA_LANG_HELP = ("Language of the Plan of Action (poa.md, poa.txt): en, or the marketplace language Amazon "
                  "reads (ja, de, fr, it, es).")


def _lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--lang``: the command runs inside ``sellerdx.i18n.use(lang)`` (see :func:`_handle_errors`)."""
    return click.option("--lang", "lang", default=None, metavar="LANG", help=_LANG_HELP)(func)


def _poa_lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--poa-lang", "poa_lang", default="en", show_default=True, metavar="LANG",
                        help=_POA_LANG_HELP)(func)


# ------------------------------------------------------------------------------------------------ errors
def _is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, including DuckDB's ways of reporting it from inside a query ("Query interrupted")."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, KeyboardInterrupt) or type(exc).__name__ == "InterruptException":
            return True
        if isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def _handle_errors(func: Callable[..., int]) -> Callable[..., None]:
    """Map what a command raises to one or two lines on stderr and an exit code, never a traceback."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from .i18n import use  # here, not at the top: --help and --version never choose a language
        with use(_language(kwargs.get("lang"))):
            _run(func, *args, **kwargs)
    return wrapper


def _language(asked: str | None) -> str:
    """The language of the command (--lang, else SELLERDX_LANG, else the system locale, else English); an
    unknown one is English with one warning on stderr (sellerdx.i18n.resolve)."""
    from .i18n import resolve
    choice = resolve(asked)
    if choice.warning:
        log.warning("%s", choice.warning)
    return choice.code


def _run(func: Callable[..., int], *args: Any, **kwargs: Any) -> None:
    """Run a command in the language chosen; errors are printed in it (messages are translated where raised)."""
    from .i18n import _, localize
    try:
        code = func(*args, **kwargs)
    except SellerdxError as exc:
        label = _("error:")   # outside the f-string, so that Babel extracts it
        _err().print(f"[bold red]{label}[/] {_escape(exc.location() + localize(exc.message))}", markup=True,
                     soft_wrap=True)
        if exc.hint:
            _err().print("  " + _("hint: {hint}").format(hint=localize(exc.hint)), markup=False, soft_wrap=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit:
        raise
    except BaseException as exc:  # a bug: one line, the traceback only on request
        if isinstance(exc, SystemExit):
            raise
        if _is_interrupt(exc):
            _err().print(_("interrupted"), markup=False, soft_wrap=True)
            sys.exit(EXIT_INTERRUPTED)
        if os.environ.get("SELLERDX_DEBUG"):
            raise
        label = _("internal error:")
        _err().print(f"[bold red]{label}[/] {_escape(f'{type(exc).__name__}: {exc}')}", markup=True, soft_wrap=True)
        _err().print("  " + _("hint: this is a bug in sellerdx; rerun with SELLERDX_DEBUG=1 and report the "
                              "traceback"), markup=False, soft_wrap=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


def _escape(text: str) -> str:
    from rich.markup import escape
    return escape(text)


def _usage_error(message: str, hint: str, path: str | None = None) -> SellerdxError:
    from .errors import BadOptionError
    return BadOptionError(message, path=path, hint=hint)


def _check_out(out: str) -> None:
    """The output folder must be a folder we can write, checked before any work is done."""
    from .i18n import _
    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise _usage_error(_("--out names a file, not a folder"), path=out,
                           hint=_("pass a folder (new or existing); sellerdx writes report.html, summary.json, "
                                  "poa.md, evidence.csv and rejected_rows.csv into it"))
    parent = path
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise _usage_error(_("--out cannot be created: {folder} is a file").format(folder=parent), path=out,
                           hint=_("choose a folder path whose parents are folders"))
    if path.exists():
        try:
            with tempfile.TemporaryFile(dir=path):
                pass
        except OSError as exc:
            raise _usage_error(_("--out folder is not writable ({why})").format(why=exc.strerror or exc), path=out,
                               hint=_("choose a folder you can write to, e.g. --out ~/sellerdx-report")) from None
    elif not os.access(parent, os.W_OK | os.X_OK):
        raise _usage_error(_("--out cannot be created: {folder} is not writable").format(folder=parent), path=out,
                           hint=_("choose a folder you can write to, e.g. --out ~/sellerdx-report"))


def _check_cache(cache: str | None) -> None:
    from .i18n import _
    if cache and Path(cache).expanduser().exists() and not Path(cache).expanduser().is_dir():
        raise _usage_error(_("--cache names a file, not a folder"), path=cache,
                           hint=_("pass a folder for the cache, or --no-cache to run without one"))


def _freeze_imports() -> None:
    """Move what the imports created (modules, classes, tables of pandas, DuckDB, matplotlib...) out of the
    garbage collector's reach: none of it is garbage, and each full collection of a run scanned it all
    (~0.2 s of the US sample's run). A command's process ends with its run; Jupyter never comes here."""
    gc.freeze()


# ------------------------------------------------------------------------------------------------ progress
def _show_progress() -> bool:
    return _err().is_terminal and not os.environ.get("CI") and not _quiet()


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on a terminal; nothing in CI, with -q, or when stderr is a pipe.

    The bar is transient: it is removed when the block ends, also on Ctrl-C or an error.
    """
    if not _show_progress():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=_err(), transient=True)
    from .i18n import _, current, gettext, use
    from .i18n.message import Message, localize
    lang = current()   # the command's language; the stages report their steps from inside use("en")
    bar.start()
    try:
        task = bar.add_task(_("starting"), total=None)

        def update(label: str, done: int, total: int) -> None:
            with use(lang):   # the library's labels are marked msgids or Messages (English as str)
                text = localize(label) if isinstance(label, Message) else gettext(label)
            if total:
                bar.update(task, description=text, completed=done - 1, total=total)
            else:
                bar.update(task, description=text)
        yield update
    finally:
        bar.stop()
        _err().show_cursor(True)


# ------------------------------------------------------------------------------------------------ main
class _CacheDir(click.ParamType):
    """``--cache DIR``; its default, True, means the user cache folder (``sellerdx cache info``)."""
    name = "dir"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value if isinstance(value, bool) else str(value)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=_epilog("sellerdx sample demo-exports",
                            "sellerdx analyze demo-exports --out demo-report --open",
                            "sellerdx validate ~/Downloads/seller-central",
                            "sellerdx poa check demo-report/poa.md",
                            "sellerdx cache info"))
@click.version_option(__version__, "-V", "--version", prog_name="sellerdx")
@_verbosity
def main() -> None:
    """Diagnose an Amazon seller account's health from Seller Central exports, offline."""


# ------------------------------------------------------------------------------------------------ analyze
@main.command(epilog=_epilog("sellerdx analyze ~/Downloads/seller-central",
                             "sellerdx analyze exports --out report --as-of 2026-10-31 --marketplace UK",
                             "sellerdx analyze exports --json > summary.json",
                             "sellerdx analyze exports --no-cache --timings"))
@click.argument("folder", type=click.Path(file_okay=True, dir_okay=True, path_type=str))
@click.option("--out", default="sellerdx-report", show_default=True, help="Folder for report.html, "
              "summary.json, poa.md, evidence.csv and rejected_rows.csv.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
              help="Day the windows end. Default: the latest purchase date in the orders.")
@click.option("--odr-lag-days", "odr_lag_days", type=int, default=14, show_default=True,
              help="The ODR window ends this many days before --as-of.")
@click.option("--marketplace", default=None, metavar="XX",
              help="Marketplace (US, UK, DE, JP, ...): how to read ambiguous dates such as 03/04/26.")
@click.option("--cache", "cache", type=_CacheDir(), default=True, metavar="DIR",
              show_default="the user cache folder, see `sellerdx cache info`",
              help="Keep parsed files in DIR so the next run skips unchanged files.")
@click.option("--notice", default=None, metavar="FAMILIES",
              help="Metric families named by Amazon's deactivation or warning notice (odr, pfcr, lsr, vtr, "
                   "otdr; comma-separated): the Plan of Action answers these, other at-risk metrics go to "
                   "its appendix. Default: what Amazon's report marks at risk, else every at-risk metric.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Read every file again and store nothing.")
@click.option("--timings", is_flag=True, help="Print the seconds spent in each stage (to stderr).")
@click.option("--timezone", "timezone", default=None, metavar="ZONE",
              help="Time zone of weekday and hour statements (e.g. Asia/Tokyo). Default: each order's "
                   "marketplace (Amazon.com: America/Los_Angeles, Amazon.de: Europe/Berlin, ...).")
@click.option("--sales-channel", "sales_channel", default=None, metavar="CHANNEL",
              help="When the orders hold several marketplaces (each analysed on its own): the one of the "
                   "top-level figures, e.g. Amazon.de (any case). Default: the one with most orders.")
@click.option("--json", "as_json", is_flag=True, help="Print summary.json to standard output.")
@click.option("--open", "open_report", is_flag=True, help="Open report.html in the default browser.")
@_lang_option
@_poa_lang_option
@_verbosity
@_handle_errors
def analyze(folder: str, out: str, as_of: str | None, odr_lag_days: int, marketplace: str | None,
            cache: str | bool, notice: str | None, no_cache: bool, timings: bool, timezone: str | None,
            sales_channel: str | None, as_json: bool, open_report: bool, lang: str | None, poa_lang: str) -> int:
    """Recompute the account-health metrics of FOLDER and write the report, POA and summary."""
    _check_out(out)
    if no_cache:
        cache = False
    elif isinstance(cache, str):
        _check_cache(cache)
    from .analysis import analyze as run  # here, not at the top: keeps --help fast
    _freeze_imports()
    started = time.perf_counter()
    with _progress() as progress:
        analysis = run(folder, out=out, as_of=as_of, odr_lag_days=odr_lag_days, marketplace=marketplace,
                       cache=cache, notice=notice, timezone=timezone, sales_channel=sales_channel, lang=lang,
                       poa_lang=poa_lang,
                       progress=progress)
        paths = analysis.write(out)
    total = time.perf_counter() - started
    _log_cache(analysis)
    if as_json:
        click.echo(json.dumps(analysis.summary(), ensure_ascii=False, indent=2))
    elif not _quiet():
        from .terminal import print_analysis
        print_analysis(_out(), analysis, paths)
    if timings:
        from .terminal import print_timings
        print_timings(_err(), analysis.timings, total)
    if open_report:
        import webbrowser
        webbrowser.open(paths["report"].resolve().as_uri())
    at_risk = any(m.status == "at_risk" for m in analysis.metric_results.values()) or any(
        mp.result.at_risk for mp in analysis.marketplaces)   # Amazon judges every marketplace
    amazon_at_risk = analysis.amazon is not None and analysis.amazon.at_risk
    return EXIT_FINDINGS if at_risk or amazon_at_risk else EXIT_OK


def _log_cache(analysis: Any) -> None:
    cache = getattr(analysis, "file_cache", None)
    if cache is None:
        log.info("cache: off")
        return
    state = "folder from the cache" if "cache" in analysis.timings and "read" not in analysis.timings \
        else f"{cache.hits} file(s) from the cache, {cache.misses} read"
    log.info("cache: %s (%s)", state, cache.folder)
    for problem in cache.rebuilt:
        log.info("cache: rebuilt a damaged entry: %s", problem)


# ------------------------------------------------------------------------------------------------ history
@main.command("history", epilog=_epilog("sellerdx history", "sellerdx history --json",
                                        "sellerdx history --cache /shared/sellerdx-cache"))
@click.option("--cache", "cache", default=None, metavar="DIR",
              help="The cache folder whose history to list (default: the user's cache folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the snapshots as JSON.")
@_verbosity
@_handle_errors
def history_cmd(cache: str | None, as_json: bool) -> int:
    """List the snapshots of Amazon's performance report that sellerdx has kept.

    Every performance report `sellerdx analyze` reads is stored once (by content) in the history folder of
    the cache, even with the data cache off. Exit status: 0.
    """
    from .amazon.history import load_snapshots  # here, not at the top: keeps --help fast
    from .paths import history_dir
    from .terminal import print_history
    folder = history_dir(cache)
    pairs, skipped = load_snapshots(folder)
    if as_json:
        click.echo(json.dumps({"folder": str(folder), "snapshots": [s.to_dict() for s, _ in pairs],
                               "skipped": skipped}, ensure_ascii=False, indent=2))
        return EXIT_OK
    from .i18n import _, ngettext
    out = _out()
    if not pairs:
        out.print(_("no snapshot of Amazon's performance report in {folder} yet (sellerdx analyze stores each "
                    "one it reads)").format(folder=folder), markup=False)
    else:
        out.print(ngettext("{n} snapshot of Amazon's performance report in {folder}:",
                           "{n} snapshots of Amazon's performance report in {folder}:", len(pairs))
                  .format(n=len(pairs), folder=folder), markup=False)
        print_history(out, pairs)
    for s in skipped:
        out.print(_("skipped: {what}").format(what=s), markup=False)
    return EXIT_OK


# ------------------------------------------------------------------------------------------------ validate
@main.command("validate", epilog=_epilog("sellerdx validate ~/Downloads/seller-central",
                                         "sellerdx validate exports --rejected rejected.csv",
                                         "sellerdx validate exports --marketplace DE --json"))
@click.argument("folder", type=click.Path(path_type=str))
@click.option("--marketplace", default=None, metavar="XX", help="Marketplace, for ambiguous dates.")
@click.option("--rejected", "rejected_path", default=None, metavar="FILE",
              help="Also write the quarantined rows to this CSV (file, line, column, value, reason).")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@_lang_option
@_verbosity
@_handle_errors
def validate_cmd(folder: str, marketplace: str | None, rejected_path: str | None, as_json: bool,
                 lang: str | None) -> int:
    """Read and check every export in FOLDER without computing metrics (exit 1 when rows were rejected)."""
    from .i18n import _
    if rejected_path and Path(rejected_path).is_dir():
        raise _usage_error(_("--rejected names a folder, not a file"), path=rejected_path,
                           hint=_("pass a file name, e.g. --rejected rejected_rows.csv"))
    from .analysis import analyze as run  # here, not at the top: keeps --help fast
    _freeze_imports()
    with _progress() as progress:
        analysis = run(folder, marketplace=marketplace, cache=False, lang=lang, progress=progress)
        inputs = analysis.inputs
    if rejected_path:
        analysis.write_rejected(rejected_path)
    if as_json:
        click.echo(json.dumps({"files": [f.to_dict() for f in inputs.files],
                               "skipped": [s.to_dict() for s in inputs.skipped],
                               "rejected": inputs.rejected.astype(object).where(inputs.rejected.notna(), None)
                               .to_dict(orient="records")}, ensure_ascii=False, indent=2, default=str))
    elif not _quiet():
        from .terminal import print_inputs
        print_inputs(_out(), inputs)
    return EXIT_FINDINGS if inputs.rows_rejected else EXIT_OK


# ------------------------------------------------------------------------------------------------ sample
@main.command(epilog=_epilog("sellerdx sample demo-exports",
                             "sellerdx sample demo-jp --variant jp --orders 2000",
                             "sellerdx sample demo-exports --force    # replace an earlier sample"))
@click.argument("folder", type=click.Path(path_type=str))
@click.option("--variant", type=click.Choice(["us", "jp", "de"]), default="us", show_default=True,
              help="us: UTF-8 English; jp: Shift-JIS Japanese; de: Windows-1252 German.")
@click.option("--orders", "n_orders", type=click.IntRange(50, 20_000_000), default=4000, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--days", type=click.IntRange(30, 730), default=120, show_default=True)
@click.option("--damaged-rows", type=click.IntRange(0, 1000), default=3, show_default=True)
@click.option("--force", is_flag=True, help="Write into FOLDER even if it is not empty (files of the same "
              "name are replaced).")
@_verbosity
@_handle_errors
def sample(folder: str, variant: str, n_orders: int, seed: int, days: int, damaged_rows: int,
           force: bool) -> int:
    """Write a folder of realistic sample exports with planted problems (and planted.json)."""
    from .i18n import _
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        raise _usage_error(_("is a file, not a folder"), path=folder, hint=_("pass a new folder name"))
    if path.is_dir() and any(path.iterdir()) and not force:
        raise _usage_error(_("folder is not empty; the sample would replace files in it"), path=folder,
                           hint=_("pass a new or empty folder, or --force to write into it anyway"))
    from .samplegen import SampleSpec, generate  # here, not at the top: keeps --help fast
    manifest = generate(folder, SampleSpec(seed=seed, n_orders=n_orders, days=days, variant=variant,
                                           damaged_rows=damaged_rows))
    if not _quiet():
        _out().print(_("wrote {n} files to {folder}; planted: {codes}").format(
            n=len(manifest["files"]), folder=folder, codes=", ".join(p["code"] for p in manifest["problems"])),
            markup=False)
    return EXIT_OK


# ------------------------------------------------------------------------------------------------ portfolio
@main.command("portfolio", epilog=_epilog("sellerdx portfolio clients/ --out morning/",
                                          "sellerdx portfolio clients/ --workers 2 --as-of 2026-10-31",
                                          "sellerdx portfolio /shared/clients --scheduler tcp://10.0.0.5:8786"))
@click.argument("root", type=click.Path(path_type=str))
@click.option("--out", "out_dir", default="sellerdx-portfolio", show_default=True,
              help="Folder for index.html, portfolio.csv/.parquet/.json, the history and one folder per account.")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="Worker processes of the local pool. Default: the number of cores.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run one task per account on a Dask cluster (tcp://host:8786); needs sellerdx[cluster] "
                   "and a filesystem the workers share.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
              help="Day the windows end, for every account without its own as_of in portfolio.toml.")
@click.option("--odr-lag-days", "odr_lag_days", type=int, default=None, help="ODR lag for every account (14).")
@click.option("--marketplace", default=None, metavar="XX", help="Marketplace for accounts without their own.")
@click.option("--cache", "cache", default=None, metavar="DIR",
              help="Keep parsed files in DIR (shared by every account) so changed accounts read only new files.")
@click.option("--force", is_flag=True, help="Analyse every account, even those whose exports did not change.")
@_lang_option
@_verbosity
@_handle_errors
def portfolio_cmd(root: str, out_dir: str, workers: int | None, scheduler: str | None, as_of: str | None,
                  odr_lag_days: int | None, marketplace: str | None, cache: str | None, force: bool,
                  lang: str | None) -> int:
    """Analyse every account of ROOT (its subfolders, or ROOT/portfolio.toml) and rank them by urgency.

    Each account is analysed as `sellerdx analyze` would, into OUT/<account>/; unchanged accounts keep
    their previous outputs. Exit status: 0 no account at risk, 1 an account is at risk or could not be
    analysed, 2 no account could be analysed (or unusable options).
    """
    from .i18n import _
    from .portfolio import run_portfolio  # here, not at the top: keeps --help fast
    defaults = {k: v for k, v in (("as_of", as_of), ("odr_lag_days", odr_lag_days), ("marketplace", marketplace),
                                  ("lang", lang)) if v is not None}
    with _progress() as progress:
        def on_account(done: int, total: int, name: str) -> None:
            if progress:   # the bar shows done - 1 of total for its argument "done"
                progress(_("accounts analysed: {name}").format(name=name) if name else _("accounts analysed"),
                         done + 1, total)
        result = run_portfolio(root, out_dir, workers=workers, scheduler=scheduler, cache=cache, force=force,
                               options=defaults, progress=on_account)
    if not _quiet():
        from .terminal import print_portfolio  # here, not at the top: keeps --help fast
        print_portfolio(_out(), result)
    return result.exit_status


# ------------------------------------------------------------------------------------------------ poa
@main.group(epilog=_epilog("sellerdx poa check sellerdx-report/poa.md"))
def poa() -> None:
    """Work with a Plan of Action."""


@poa.command("check", epilog=_epilog("sellerdx poa check sellerdx-report/poa.md",
                                     "sellerdx poa check my-edited-plan.md -q && echo ready"))
@click.argument("file", type=click.Path(path_type=str))
@click.option("--notice", default=None, metavar="METRICS",
              help="Metrics the deactivation or warning notice names, e.g. odr,lsr (odr, lsr, pfcr, vtr, otdr): "
                   "each needs a root-cause section.")
@_lang_option
@_poa_lang_option
@_verbosity
@_handle_errors
def poa_check(file: str, notice: str | None, lang: str | None, poa_lang: str) -> int:
    """Lint a Plan of Action (Markdown or plain text): blanks, the three answers of every root cause,
    tense, blame, apologies, questions, unmeasurable measures, metric manipulation, language, length."""
    from .errors import NoInputError
    from .i18n import _, ngettext
    from .options import Options
    from .poa_lint import lint_file, parse_notice
    from .text import count
    families = parse_notice(notice)
    poa_lang = Options(poa_lang=poa_lang).poa_lang      # one Amazon reads (exit 2 otherwise)
    if not os.path.isfile(file):
        raise NoInputError(_("file not found"), path=file, hint=_("pass the poa.md written by sellerdx analyze"))
    from .poa_lint import not_a_plan
    text = Path(file).read_bytes().decode("utf-8-sig", errors="replace")
    reason = not_a_plan(text)
    if reason:
        raise _usage_error(_("not a Plan of Action: {reason}").format(reason=_(reason)), path=file,
                           hint=_("pass the poa.md or poa.txt written by sellerdx analyze (or your edited copy)"))
    problems = lint_file(file, notice=families, poa_lang=poa_lang)
    if not _quiet():
        for p in problems:
            _out().print(f"{file}:{p.line}: {p.code}: {p.message}", markup=False, soft_wrap=True)
        # English has always written "1 problem(s)": the plural form is the catalog's business
        _out().print(ngettext("{n} problem(s)", "{n} problem(s)", len(problems)).format(n=count(len(problems)))
                     if problems else _("no problems found"), markup=False)
    return EXIT_FINDINGS if problems else EXIT_OK


# ------------------------------------------------------------------------------------------------ cache
_CACHE_OPTION = click.option("--cache", "cache_dir", default=None, metavar="DIR",
                             help="The cache folder (default: $SELLERDX_CACHE_DIR or the user cache folder).")


@main.group("cache", epilog=_epilog("sellerdx cache info", "sellerdx cache clear",
                                    "SELLERDX_CACHE_MAX_BYTES=500MB sellerdx analyze exports"))
def cache_group() -> None:
    """The cache of parsed files: where it is, how big, and emptying it.

    The cache is on by default (analyze --no-cache turns it off, --cache DIR moves it). It keeps at most
    $SELLERDX_CACHE_MAX_BYTES (default 2GB), deleting the least recently used entries.
    """


def _cache_root(cache_dir: str | None) -> Path:
    from .cache import resolve
    if cache_dir:
        _check_cache(cache_dir)
    root = resolve(cache_dir or True)
    assert root is not None
    return root


@cache_group.command("info", epilog=_epilog("sellerdx cache info", "sellerdx cache info --cache /tmp/sdx"))
@_CACHE_OPTION
@_verbosity
@_handle_errors
def cache_info(cache_dir: str | None) -> int:
    """Print the cache's location, number of entries and size."""
    from . import cache
    from .i18n import _
    from .text import count
    root = _cache_root(cache_dir)
    found = cache.info(root)
    if not _quiet():
        # TRANSLATORS: the three lines of `sellerdx cache info`; the labels are padded to one width
        _out().print(_("location: {folder}").format(folder=found.location), markup=False)
        _out().print(_("entries:  {entries} ({folders} folders, {files} files)").format(
            entries=count(found.entries), folders=count(found.folders), files=count(found.files)), markup=False)
        _out().print(_("size:     {size} of at most {limit} (${variable})").format(
            size=_bytes(found.size), limit=_bytes(found.max_bytes), variable=cache.MAX_BYTES_ENV), markup=False)
    return EXIT_OK


@cache_group.command("clear", epilog=_epilog("sellerdx cache clear", "sellerdx cache clear --cache /tmp/sdx"))
@_CACHE_OPTION
@_verbosity
@_handle_errors
def cache_clear(cache_dir: str | None) -> int:
    """Delete every cache entry (the next analyze reads every file again)."""
    from . import cache
    from .i18n import _
    from .text import count
    root = _cache_root(cache_dir)
    entries, size = cache.clear(root)
    if not _quiet():
        _out().print(_("deleted {n} entries ({size}) from {folder}").format(n=count(entries), size=_bytes(size),
                                                                          folder=root), markup=False)
    return EXIT_OK


def _bytes(n: int) -> str:
    from .i18n import _
    from .i18n.formats import decimal
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{decimal(n / size, 1)} {unit}"
    return _("{n} bytes").format(n=decimal(n))


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="sellerdx")
