"""The ``Analysis`` facade: one object for the CLI, Jupyter users and the renderers.

``sellerdx.analyze(folder, **options)`` returns an ``Analysis`` immediately; each stage runs the first time
something needs it and is cached: ``inputs`` (discover + read + validate + load), ``metrics``,
``findings``, ``poa()``, and the writers ``to_html``/``to_json``/``write``. Options carry the same names and
defaults as the ``sellerdx analyze`` flags (a test checks this).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from . import ingest, marketplaces, store, themes, validate
from .assets import load_toml
from .cache import FileCache, resolve
from .describe import describe
from .diagnose import diagnose
from .errors import BadOptionError
from .i18n import N_, use
from .i18n.message import Message
from .metrics import (
    METRIC_KEYS,
    MetricParams,
    breakdown,
    check_windows_hold_orders,
    compute_metrics,
    daily,
    data_warnings,
    prepare,
    resolve_as_of,
    store_prepared,
)
from .model import Finding, MetricResult, RejectedRow
from .options import DEFAULT_OUT, Options
from .readonly import check_read_only
from .render import charts
from .render import html as html_render
from .render import poa as poa_render
from .render.html import render_cards, write_html
from .render.poa import poa_text, render_poa, write_evidence_csv
from .render.report import report_context
from .render.summary import summary_document, write_summary
from .result import AnalysisResult, Inputs
from .safecsv import write_csv

METRIC_ALIASES: dict[str, str] = dict(load_toml("metrics.toml")["family_keys"])
"""Family names accepted by breakdown() and daily() -> the metric key each stands for (data/metrics.toml)."""


class Analysis:
    """An account-health analysis of one folder of Seller Central exports (lazy, cached).

    >>> a = sellerdx.analyze("sample_reports/us-seller")      # doctest: +SKIP
    >>> a.metric("lsr_10d").rate, a.finding_list[0].statement   # doctest: +SKIP
    """

    def __init__(self, folder: str | os.PathLike[str], options: Options | None = None, *,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        self.folder = Path(folder)
        self.options = options or Options()
        self._progress = progress
        self.timings: dict[str, float] = {}
        """Seconds spent in each stage so far: discover, cache, read, validate, load, metrics, diagnose, render
        (every output; html: the report, part of render)."""
        self.file_cache: Any = None
        """The ``sellerdx.cache.FileCache`` used to load the folder (hits, misses, rebuilt), None without cache."""
        """Seconds spent in each stage so far: discover, cache, read, validate, load, metrics, diagnose, render."""
        self._rejected_file: str | None = None   # rejected_rows.csv once written (named by input errors)
        self.language_warning: str | None = None
        """Set when the language asked for has no catalog (English is written instead); one of :attr:`warnings`."""

    # ------------------------------------------------------------------------------------- stages
    @functools.cached_property
    def inventory(self) -> ingest.Inventory:
        """Stage 1: the files found and recognised (raises on unusable input)."""
        with self._timed("discover"):
            # The folder's cache entry, guessed from the files' sizes and times, is checked on a thread
            # while discover hashes the files (cache.FileCache.expect); used only if the hashes name it.
            early = self._file_cache
            if early is not None:
                early.expect(self.folder, exclude=(self.options.out,))
            return ingest.discover(self.folder, exclude=(self.options.out,))

    @functools.cached_property
    def _loaded(self) -> tuple[duckdb.DuckDBPyConnection, validate.LoadResult]:
        inventory = self.inventory
        total = len(inventory.sources)
        counter = iter(range(1, total + 1))

        def on_file(src: ingest.SourceFile) -> None:
            if self._progress:
                self._progress(Message(N_("reading {file}"), {"file": src.path}), next(counter), total)

        workdir = tempfile.mkdtemp(prefix="sellerdx-")
        cache = self._file_cache
        if cache is None:
            con = store.connect(os.path.join(workdir, "work.duckdb"), temp_directory=workdir)
            weakref.finalize(self, _close_and_remove, con, workdir)
            result = validate.load_inventory(con, inventory, marketplace=self.options.marketplace,
                                             progress=on_file)
            self.timings.update(result.timings)
            return con, result
        return self._load_with_cache(inventory, on_file, cache, workdir)

    @functools.cached_property
    def _file_cache(self) -> Any:
        """The cache of this run (``cache`` option: True = the user cache folder), None when off or unusable;
        made once per analysis."""
        folder = resolve(self.options.cache)
        if folder is None:
            return None
        try:
            return FileCache(folder, marketplace=self.options.marketplace)
        except OSError as exc:   # the cache only saves time: an unwritable folder must not stop the run
            logging.getLogger(__name__).warning("cache folder %s is not usable (%s); running without cache",
                                                folder, exc.strerror or exc)
            return None

    def _load_with_cache(self, inventory: ingest.Inventory, on_file: Callable[[ingest.SourceFile], None],
                         cache: Any, workdir: str) -> tuple[duckdb.DuckDBPyConnection, validate.LoadResult]:
        """Attach the folder's cached database, or build it (reusing every unchanged file's rows)."""
        tables = [s for s in inventory.sources if s.kind != "performance"]
        started = time.perf_counter()
        built: list[validate.LoadResult] = []

        def build(con: duckdb.DuckDBPyConnection) -> validate.LoadResult:
            built.append(validate.load_inventory(con, inventory, marketplace=self.options.marketplace,
                                                 progress=on_file, cache=cache))
            self.timings.update(built[0].timings)
            # The as-of-independent tables (order_facts, metric_orders, ...) are stored with the loaded
            # database, so a later run of this folder (another --as-of or --out) reruns only the windows.
            with self._timed("metrics"):
                store_prepared(con, timezone=self.options.timezone)
                marketplaces.store_channels(con)   # the orders' marketplaces: as-of independent too
            return built[0]

        con, reports = cache.open_database(tables, os.path.join(workdir, "work.duckdb"), build)
        weakref.finalize(self, _close_and_remove, con, workdir)
        self.file_cache = cache
        if built:
            return con, built[0]
        self.timings["cache"] = time.perf_counter() - started
        return con, validate.LoadResult(reports, validate.read_performance(inventory))

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection holding the canonical tables (orders, feedback, claims, ...)."""
        return self._loaded[0]

    @functools.cached_property
    def inputs(self) -> Inputs:
        """Stage 2: what was read, loaded, rejected and skipped."""
        con, result = self._loaded
        rejected = con.execute("SELECT path, line, column_name, value, reason FROM rejected_rows "
                               "ORDER BY path, line").df()
        rejected = rejected.astype(object).where(rejected.notna(), None)   # NULL is None, never NaN
        return Inputs(str(self.folder), result.files, self.inventory.skipped, rejected,
                      tuple(p for p, _ in result.performance))

    @functools.cached_property
    def params(self) -> MetricParams:
        """The metric parameters in force (as_of resolved)."""
        # An All Orders report whose every row was rejected is named, with the first reasons (exit 2).
        validate.require_usable_orders(self.con, self._loaded[1].files, rejected_file=self._rejected_file)
        as_of = resolve_as_of(self.con, self.options.as_of)
        return MetricParams(as_of=as_of, odr_lag_days=self.options.odr_lag_days, timezone=self.options.timezone)

    @functools.cached_property
    def _split(self) -> marketplaces.Split:
        """The orders' marketplaces, the top-level one (``sales_channel`` option, else most orders) and a view
        of each when there are several (an unknown ``sales_channel`` raises, listing the marketplaces)."""
        _ = self.params   # the orders are usable (else exit 2 naming the file) before their channels are read
        split = marketplaces.split(self.con, self.options.sales_channel)
        if split.views:   # closed before the work folder is removed (finalizers run newest first)
            weakref.finalize(self, split.close)
        return split

    @property
    def _data(self) -> duckdb.DuckDBPyConnection:
        """The connection the metrics read: the top-level marketplace's view with several, else :attr:`con`."""
        split = self._split
        return split.views[split.top.key] if split.multiple and split.top is not None else self.con

    @property
    def marketplaces(self) -> tuple[Any, ...]:
        """With several marketplaces in the orders, each one's :class:`~sellerdx.result.MarketplaceResult`
        (most orders first; the top-level one marked ``top_level``); empty with one."""
        return self.result.marketplaces

    @property
    def as_of(self) -> dt.date:
        """The day the metric windows end (``--as-of``, else the latest purchase date in the orders)."""
        return self.params.as_of

    @functools.cached_property
    def metric_results(self) -> dict[str, MetricResult]:
        """Stage 3, as objects: every :class:`MetricResult` keyed odr_mfn, odr_afn, odr_all, pfcr, lsr_10d,
        lsr_30d, vtr, otdr, otdr_units. The same metrics as a table: :attr:`metrics`."""
        con, params = self._data, self.params
        self._step(N_("computing metrics"))
        with self._timed("metrics"), use("en"):   # see `result`: what the pipeline composes is language-neutral
            results = compute_metrics(con, params)
        check_windows_hold_orders(con, results)   # no window holds an order: exit 2, never "all is well"
        return results

    @property
    def warnings(self) -> list[str]:
        """Warnings about the data against the options (an --as-of past the orders' last day, several
        marketplaces in the orders, a language without a catalog, ...)."""
        if self._split.multiple:   # the result's warnings name the other marketplaces and their status
            return list(self.result.data_warnings)
        return [*([self.language_warning] if self.language_warning else []), *data_warnings(self._data, self.params)]

    @property
    def metrics(self) -> pd.DataFrame:
        """Stage 3, as a table: the metrics as a tidy DataFrame, one row per metric. The same metrics as
        objects: :attr:`metric_results`."""
        rows = []
        for m in self.metric_results.values():
            row = {k: v for k, v in dataclasses.asdict(m).items() if k != "extras"}
            row.update({f"extra_{k}": v for k, v in m.extras.items() if not isinstance(v, (list, dict))})
            rows.append(row)
        return pd.DataFrame(rows)

    def metric(self, key: str) -> MetricResult:
        """One metric by key (``odr_mfn``, ``pfcr``, ``lsr_10d`` ...)."""
        try:
            return self.metric_results[key]
        except KeyError:
            raise BadOptionError(f"unknown metric {key!r}", hint="one of " + ", ".join(self.metric_results)) from None

    def breakdown(self, metric: str, by: str) -> pd.DataFrame:
        """A metric's defects broken down ``by`` asin, sku, channel, carrier, weekday, ... biggest first.

        ``metric`` is a key of ``metric_results`` or a family name (``odr`` = all channels, ``lsr`` = 10 days).
        """
        return breakdown(self._data, self._metric_key(metric), by, self.params)

    def daily(self, metric: str) -> pd.DataFrame:
        """The metric's rolling rate for every day of the data's span (date, numerator, denominator, rate)."""
        return daily(self._data, self._metric_key(metric), self.params)

    def _metric_key(self, metric: str) -> str:
        key = METRIC_ALIASES.get(metric, metric)
        self.metric(key)  # raises a clear error for an unknown name
        return key

    @functools.cached_property
    def finding_list(self) -> list[Finding]:
        """Stage 4, as objects: root causes with evidence, each a :class:`Finding`. The same findings as a
        table: :attr:`findings`."""
        metrics = self.metric_results
        self._step(N_("diagnosing root causes"))
        with self._timed("diagnose"), use("en"):   # see `result`
            return diagnose(self._data, metrics, self.params)

    @property
    def findings(self) -> pd.DataFrame:
        """Stage 4, as a table: the findings as a DataFrame, one row each. The same findings as objects:
        :attr:`finding_list`."""
        return pd.DataFrame([{"code": f.code, "metric": f.metric, "share": f.share, "confidence": f.confidence,
                              "statement": f.statement, "orders": len(f.order_ids),
                              **{k: ", ".join(v) for k, v in f.entities.items()}} for f in self.finding_list])

    @functools.cached_property
    def result(self) -> AnalysisResult:
        """Stage 5: everything any output shows, computed once (every writer below renders this)."""
        metrics, findings = self.metric_results, self.finding_list
        # The result is language-neutral: its sentences are Messages (English as str, written in any language
        # by a renderer); a text still composed as a plain string is English, never half in the caller's
        # language (the CLI runs inside `use(lang)`), so summary.json and the POA read the same in every run.
        # DuckDB hands back most of its budget while the result is described: the Python objects grow with
        # the account from here on (store.lend_memory), and both stay within the budget's bound.
        with use("en"), store.lend_memory([self.con, *self._split.views.values()]):
            if self._split.multiple:   # one result per marketplace; the top-level one's figures on top
                result = marketplaces.describe_marketplaces(
                    self.con, self._split, folder=str(self.folder), options=self.options, params=self.params,
                    inputs=self.inputs, performance_files=list(self._loaded[1].performance),
                    metrics=metrics, findings=findings, step=self._step, timed=self._timed)
            else:
                result = describe(self.con, folder=str(self.folder), options=self.options, params=self.params,
                                  inputs=self.inputs, performance_files=list(self._loaded[1].performance),
                                  metrics=metrics, findings=findings, step=self._step, timed=self._timed)
        if self.language_warning:   # the reader asked for a language sellerdx cannot write: said in every output
            result = dataclasses.replace(result, data_warnings=(self.language_warning, *result.data_warnings))
        return result

    @property
    def performance(self) -> tuple[Any, ...]:
        """Amazon's own performance reports found in the folder, parsed."""
        return self.result.performance

    @property
    def reconciliation(self) -> tuple[Any, ...]:
        """Amazon's numbers beside the recomputed ones, each gap explained (empty without Amazon's JSON)."""
        return self.result.reconciliation

    @property
    def amazon(self) -> Any:
        """Amazon's own verdict (account status, Account Health Rating, metrics it marks bad, policy metrics,
        Invoice Defect Rate), the period check and the snapshot history; ``None`` without Amazon's JSON."""
        return self.result.amazon

    def sql(self, query: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run your own read-only SQL on the loaded tables (orders, feedback, claims, ..., order_facts).

        Only queries (SELECT, WITH ... SELECT, VALUES, DESCRIBE, SUMMARIZE, EXPLAIN of a query) are run;
        anything that could change the data (INSERT, DELETE, UPDATE, CREATE, DROP, ATTACH, COPY, SET ...)
        raises :class:`~sellerdx.errors.ReadOnlyQueryError` before it runs.

        ``params`` are bound to ``$name`` placeholders: ``a.sql("... WHERE asin = $asin", {"asin": "B0..."})``.
        """
        prepare(self.con, timezone=self.options.timezone)  # order_facts, metric_orders, defect_events
        check_read_only(self.con, query)   # a write would change later results and the cached database
        return self.con.execute(query, params or {}).df()

    def poa(self) -> str:
        """The Plan of Action draft (Markdown): one section per root cause, every counted defect answered."""
        with use(self.options.poa_lang):   # the language Amazon reads, whatever the report's
            return render_poa(self.result)

    def poa_text(self) -> str:
        """The Plan of Action as plain text for Amazon's appeal form (what poa.txt holds)."""
        with use(self.options.poa_lang):
            return poa_text(self.result)

    # ------------------------------------------------------------------------------------- outputs
    def summary(self) -> dict[str, Any]:
        """The ``summary.json`` document (schema_version 1, documented in the README)."""
        return summary_document(self.result)

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write ``summary.json``."""
        return write_summary(self.result, path)

    def to_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the self-contained HTML report."""
        result = self.result
        self._step(N_("rendering the report"))
        with self._timed("html"):   # part of "render" (every output); `analyze --timings` shows it apart
            return write_html(report_context(result, poa=self.poa_text()), path)

    def write(self, out: str | os.PathLike[str] | None = None) -> dict[str, Path]:
        """Write every output into ``out`` (default: the ``out`` option): report.html, summary.json,
        poa.md, poa.txt, evidence.csv and rejected_rows.csv, all rendered from one :attr:`result` (with several
        marketplaces also poa-<marketplace>.md/.txt and evidence-<marketplace>.csv of each other one). Returns
        their paths."""
        folder = Path(out or self.options.out)
        folder.mkdir(parents=True, exist_ok=True)
        # What is compiled or imported once per process is done beside the work below (mostly DuckDB's,
        # outside the GIL): the lexicon before diagnosis needs it, then the templates and the charts' library.
        threading.Thread(target=_warm, name=themes.WARM_THREAD, daemon=True).start()
        # First, so that an error about unusable rows can point to the file that lists them.
        rejected = self.write_rejected(folder / "rejected_rows.csv")
        self._rejected_file = str(rejected)
        result = self.result  # every stage runs here, before the rendering is timed
        started = time.perf_counter()
        paths = {"summary": write_summary(result, folder / "summary.json")}
        poa_path = folder / "poa.md"
        poa_path.write_text(self.poa(), encoding="utf-8")
        paths["poa"] = poa_path
        plain = self.poa_text()
        paths["poa_text"] = folder / "poa.txt"
        paths["poa_text"].write_text(plain, encoding="utf-8")
        for mp in result.other_marketplaces:   # the Plan of Action and evidence of every other marketplace
            for suffix, text in (("md", render_poa(mp.result)), ("txt", poa_text(mp.result))):
                target = folder / f"poa-{mp.slug}.{suffix}"
                target.write_text(text, encoding="utf-8")
                paths[f"poa-{mp.slug}.{suffix}"] = target
            write_evidence_csv(folder / f"evidence-{mp.slug}.csv", mp.result)
            paths[f"evidence-{mp.slug}"] = folder / f"evidence-{mp.slug}.csv"
        write_evidence_csv(folder / "evidence.csv", result)
        paths["evidence"] = folder / "evidence.csv"
        paths["rejected_rows"] = rejected
        self._step(N_("rendering the report"))
        with self._timed("html"):   # part of "render" (every output); `analyze --timings` shows it apart
            paths["report"] = write_html(report_context(result, poa=plain), folder / "report.html")
        self.timings["render"] = time.perf_counter() - started
        return paths

    def write_rejected(self, path: str | os.PathLike[str]) -> Path:
        """``rejected_rows.csv``: file, line, column, value, reason of every quarantined row."""
        rej = self.inputs.rejected
        write_csv(path, ["file", "line", "column", "value", "reason"], rej.itertuples(index=False, name=None))
        return Path(path)

    def rejected_rows(self) -> list[RejectedRow]:
        """Every quarantined row as a ``RejectedRow`` (path, line, column, value, reason)."""
        return [RejectedRow(*row) for row in self.inputs.rejected.itertuples(index=False, name=None)]

    # ------------------------------------------------------------------------------------- notebook
    def _repr_html_(self) -> str:
        """The headline cards (one per metric), shown inline in Jupyter."""
        return render_cards(self.result)

    def __repr__(self) -> str:
        return f"<sellerdx.Analysis folder={str(self.folder)!r} options={self.options}>"

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started

    def _step(self, label: str) -> None:
        if self._progress:
            self._progress(label, 0, 0)


def _warm() -> None:
    """Compile the lexicon and the templates and import matplotlib, in this order, ahead of their first use
    (a background thread of :meth:`Analysis.write`). Never raises: what fails here fails again, with its
    message, where the pipeline itself uses it."""
    for step in (themes.warm, html_render.warm, poa_render.warm, charts.preload):
        try:
            step()
        except Exception:  # noqa: BLE001, S112 - reported by the pipeline's own call, not by a background thread
            continue


def _close_and_remove(con: duckdb.DuckDBPyConnection, workdir: str) -> None:
    """Finalizer of an Analysis without cache: close its work database and delete it."""
    try:
        con.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def analyze(folder: str | os.PathLike[str], *, out: str = DEFAULT_OUT, as_of: dt.date | str | None = None,
            odr_lag_days: int = 14, marketplace: str | None = None, cache: str | bool | None = True,
            notice: str | tuple[str, ...] | None = None, timezone: str | None = None,
            sales_channel: str | None = None, lang: str | None = None, poa_lang: str = "en",
            progress: Callable[[str, int, int], None] | None = None) -> Analysis:
    """Analyse a folder of Seller Central exports. Nothing is read until a result is asked for.

    Args mirror ``sellerdx analyze``: ``out`` (output folder), ``as_of`` (YYYY-MM-DD; default the latest
    purchase date), ``odr_lag_days`` (14), ``marketplace`` (two letters, for ambiguous dates), ``cache``
    (True: the user cache folder, ``sellerdx.paths.user_cache_dir()``; a folder; False: no cache), ``notice``
    (metric families of Amazon's notice, e.g. ``"odr,lsr"``: the Plan of Action's scope), ``timezone`` (IANA
    zone of the weekday / hour statements; default: each order's marketplace zone), ``sales_channel``
    (the marketplace of the top-level figures when the orders hold several, any case, e.g. ``"Amazon.de"``;
    default: the one with most orders; every marketplace is analysed, see :attr:`Analysis.marketplaces`),
    ``lang`` (the report's language: en, zh, ja, de, fr, it, es, vi; default ``$SELLERDX_LANG``, else the
    system locale, else English; an unknown one is English with a warning in :attr:`Analysis.warnings` and
    the result's warnings), ``poa_lang`` (the Plan of Action's language: en, ja, de, fr, it, es).
    ``progress(label, done, total)`` is called as files are read and stages run; ``label`` is a ``str`` in
    English (a :class:`sellerdx.i18n.message.Message` or a marked msgid: ``localize``/``gettext`` it to show it
    in another language).
    """
    from .i18n import resolve  # noqa: PLC0415 - the language chosen like the CLI's --lang
    choice = resolve(lang)
    options = Options(out=out, as_of=as_of, odr_lag_days=odr_lag_days, marketplace=marketplace, cache=cache,
                      notice=notice, timezone=timezone, sales_channel=sales_channel, lang=choice.code,
                      poa_lang=poa_lang)
    analysis = Analysis(folder, options, progress=progress)
    analysis.language_warning = choice.warning
    return analysis


__all__ = ["Analysis", "AnalysisResult", "Inputs", "Options", "analyze", "DEFAULT_OUT", "METRIC_KEYS"]
