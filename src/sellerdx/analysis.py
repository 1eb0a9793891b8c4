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
import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from . import ingest, store, validate
from .errors import BadOptionError
from .model import FileReport, Finding, MetricResult, RejectedRow, SkippedFile

DEFAULT_OUT = "sellerdx-report"
METRIC_KEYS = ("odr_mfn", "odr_afn", "odr_all", "pfcr", "lsr_10d", "lsr_30d", "vtr", "otdr", "otdr_units")
METRIC_ALIASES = {"odr": "odr_all", "lsr": "lsr_10d"}   # family names accepted by breakdown() and daily()


@dataclass(frozen=True)
class Options:
    """Analysis options; each is also a ``sellerdx analyze`` flag of the same name (``--odr-lag-days``)."""
    out: str = DEFAULT_OUT            # folder for report.html, summary.json, poa.md, evidence.csv, rejected_rows.csv
    as_of: dt.date | None = None      # the day the windows end; default: latest purchase date in the orders
    odr_lag_days: int = 14            # ODR window ends this many days before as_of
    marketplace: str | None = None    # two-letter marketplace (US, DE, JP, ...): date order of ambiguous dates
    cache: str | None = None          # folder of the on-disk cache of parsed files ('' or None: no cache)
    timezone: str | None = None       # local time of weekday / hour statements; default: per sales channel

    def __post_init__(self) -> None:
        if isinstance(self.as_of, str):
            try:
                object.__setattr__(self, "as_of", dt.date.fromisoformat(self.as_of))
            except ValueError:
                raise BadOptionError(f"--as-of {self.as_of!r} is not a date",
                                     hint="write it as YYYY-MM-DD, e.g. --as-of 2026-10-31") from None
        if not isinstance(self.odr_lag_days, int) or not 0 <= self.odr_lag_days <= 90:
            raise BadOptionError(f"--odr-lag-days {self.odr_lag_days!r} is out of range",
                                 hint="use a whole number of days from 0 to 90 (Amazon's offset is 14)")
        if self.marketplace is not None:
            code = str(self.marketplace).upper()
            from .assets import load_toml
            known = load_toml("dates.toml")["marketplaces"]
            if code not in known or code == "DEFAULT":
                raise BadOptionError(f"--marketplace {self.marketplace!r} is not known",
                                     hint="use one of " + ", ".join(k for k in known if k != "default"))
            object.__setattr__(self, "marketplace", code)
        if self.timezone is not None:
            from .metrics import check_timezone
            object.__setattr__(self, "timezone", check_timezone(self.timezone))


@dataclass(frozen=True)
class Inputs:
    """What was read: a report per file, the files skipped and why, and the quarantined rows."""
    folder: str
    files: tuple[FileReport, ...]
    skipped: tuple[SkippedFile, ...]
    rejected: pd.DataFrame                  # path, line, column_name, value, reason
    performance_files: tuple[str, ...] = ()

    @property
    def rows_read(self) -> int:
        """Data rows read from every file (blank lines are not rows)."""
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        """Rows that passed every check and were loaded (rows_read = rows_loaded + rows_rejected)."""
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        """Rows quarantined, each with its reason in ``rejected``."""
        return sum(f.rows_rejected for f in self.files)

    def to_frame(self) -> pd.DataFrame:
        """One row per file (read or skipped)."""
        rows = [{"path": f.path, "kind": f.kind, "encoding": f.encoding, "delimiter": f.delimiter,
                 "rows_read": f.rows_read, "rows_loaded": f.rows_loaded, "rows_rejected": f.rows_rejected,
                 "rows_duplicate": f.rows_duplicate, "date_min": f.date_min, "date_max": f.date_max,
                 "warnings": "; ".join(f.warnings)} for f in self.files]
        rows += [{"path": p, "kind": "performance"} for p in self.performance_files]
        rows += [{"path": s.path, "kind": "skipped", "warnings": s.reason} for s in self.skipped]
        frame = pd.DataFrame(rows)
        for col in ("rows_read", "rows_loaded", "rows_rejected", "rows_duplicate"):
            if col in frame:
                frame[col] = frame[col].astype("Int64")
        return frame

    def _repr_html_(self) -> str:
        """The per-file table, for Jupyter."""
        return self.to_frame().to_html(index=False, na_rep="")


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
        """Seconds spent in each stage so far: discover, cache, read, validate, load, metrics, diagnose, render."""

    # ------------------------------------------------------------------------------------- stages
    @functools.cached_property
    def inventory(self) -> ingest.Inventory:
        """Stage 1: the files found and recognised (raises on unusable input)."""
        with self._timed("discover"):
            return ingest.discover(self.folder, exclude=(self.options.out,))

    @functools.cached_property
    def _loaded(self) -> tuple[duckdb.DuckDBPyConnection, validate.LoadResult]:
        inventory = self.inventory
        total = len(inventory.sources)
        counter = iter(range(1, total + 1))

        def on_file(src: ingest.SourceFile) -> None:
            if self._progress:
                self._progress(f"reading {src.path}", next(counter), total)

        if not self.options.cache:
            workdir = tempfile.mkdtemp(prefix="sellerdx-")
            con = store.connect(os.path.join(workdir, "work.duckdb"), temp_directory=workdir)
            weakref.finalize(self, _close_and_remove, con, workdir)
            result = validate.load_inventory(con, inventory, marketplace=self.options.marketplace,
                                             progress=on_file)
            self.timings.update(result.timings)
            return con, result
        return self._load_with_cache(inventory, on_file)

    def _load_with_cache(self, inventory: ingest.Inventory,
                         on_file: Callable[[ingest.SourceFile], None]) -> tuple[duckdb.DuckDBPyConnection,
                                                                                 validate.LoadResult]:
        """Open the folder's cached database, or build it (reusing every unchanged file's rows)."""
        from .cache import FileCache
        cache = FileCache(self.options.cache, marketplace=self.options.marketplace)
        tables = [s for s in inventory.sources if s.kind != "performance"]
        db_path, reports_path = cache.database_paths(tables)
        started = time.perf_counter()
        if db_path.exists() and reports_path.exists():
            try:
                con = store.connect(str(db_path), temp_directory=str(cache.folder))
                result = validate.LoadResult(cache.load_reports(reports_path),
                                             validate.read_performance(inventory))
                self.timings["cache"] = time.perf_counter() - started
                return con, result
            except duckdb.IOException:
                pass  # another process holds the database: build a private one below
        building = db_path.with_suffix(f".{os.getpid()}.tmp")
        con = store.connect(str(building), temp_directory=str(cache.folder))
        result = validate.load_inventory(con, inventory, marketplace=self.options.marketplace,
                                         progress=on_file, cache=cache)
        self.timings.update(result.timings)
        con.close()
        os.replace(building, db_path)
        cache.save_reports(reports_path, result.files)
        return store.connect(str(db_path), temp_directory=str(cache.folder)), result

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
    def params(self) -> Any:
        """The metric parameters in force (as_of resolved)."""
        from .metrics import MetricParams, resolve_as_of
        as_of = resolve_as_of(self.con, self.options.as_of)
        return MetricParams(as_of=as_of, odr_lag_days=self.options.odr_lag_days, timezone=self.options.timezone)

    @property
    def as_of(self) -> dt.date:
        """The day the metric windows end (``--as-of``, else the latest purchase date in the orders)."""
        return self.params.as_of

    @functools.cached_property
    def metric_results(self) -> dict[str, MetricResult]:
        """Stage 3: every metric keyed odr_mfn, odr_afn, odr_all, pfcr, lsr_10d, lsr_30d, vtr, otdr."""
        from .metrics import check_windows_hold_orders, compute_metrics
        con, params = self.con, self.params
        self._step("computing metrics")
        with self._timed("metrics"):
            results = compute_metrics(con, params)
        check_windows_hold_orders(con, results)   # no window holds an order: exit 2, never "all is well"
        return results

    @property
    def warnings(self) -> list[str]:
        """Warnings about the data against the options (an --as-of past the orders' last day, ...)."""
        from .metrics import data_warnings
        return data_warnings(self.con, self.params)

    @property
    def metrics(self) -> pd.DataFrame:
        """The metrics as a tidy DataFrame, one row per metric."""
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
        from .metrics import breakdown
        return breakdown(self.con, self._metric_key(metric), by, self.params)

    def daily(self, metric: str) -> pd.DataFrame:
        """The metric's rolling rate for every day of the data's span (date, numerator, denominator, rate)."""
        from .metrics import daily
        return daily(self.con, self._metric_key(metric), self.params)

    def _metric_key(self, metric: str) -> str:
        key = METRIC_ALIASES.get(metric, metric)
        self.metric(key)  # raises a clear error for an unknown name
        return key

    @functools.cached_property
    def finding_list(self) -> list[Finding]:
        """Stage 4: root causes with evidence."""
        from .diagnose import diagnose
        metrics = self.metric_results
        self._step("diagnosing root causes")
        with self._timed("diagnose"):
            return diagnose(self.con, metrics, self.params)

    @property
    def findings(self) -> pd.DataFrame:
        """The findings as a DataFrame (``finding_list`` has the objects)."""
        return pd.DataFrame([{"code": f.code, "metric": f.metric, "share": f.share, "confidence": f.confidence,
                              "statement": f.statement, "orders": len(f.order_ids),
                              **{k: ", ".join(v) for k, v in f.entities.items()}} for f in self.finding_list])

    @functools.cached_property
    def performance(self) -> list[Any]:
        """Amazon's own performance reports found in the folder, parsed."""
        from .performance import parse_performance
        return [parse_performance(data) for _, data in self._loaded[1].performance]

    @functools.cached_property
    def reconciliation(self) -> list[Any]:
        """Amazon's numbers beside the recomputed ones, each gap explained (empty without Amazon's JSON)."""
        from .performance import reconcile
        return [row for perf in self.performance
                for row in reconcile(perf, self.metric_results, self.con, self.params)]

    def sql(self, query: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run your own read-only SQL on the loaded tables (orders, feedback, claims, ..., order_facts).

        Only queries (SELECT, WITH ... SELECT, VALUES, DESCRIBE, SUMMARIZE, EXPLAIN of a query) are run;
        anything that could change the data (INSERT, DELETE, UPDATE, CREATE, DROP, ATTACH, COPY, SET ...)
        raises :class:`~sellerdx.errors.ReadOnlyQueryError` before it runs.

        ``params`` are bound to ``$name`` placeholders: ``a.sql("... WHERE asin = $asin", {"asin": "B0..."})``.
        """
        from .metrics import prepare
        from .readonly import check_read_only
        prepare(self.con, timezone=self.options.timezone)  # order_facts, metric_orders, defect_events
        check_read_only(self.con, query)   # a write would change later results and the cached database
        return self.con.execute(query, params or {}).df()

    def poa(self) -> str:
        """The Plan of Action skeleton (Markdown) for the at-risk metrics and their root causes."""
        from .poa import render_poa
        return render_poa(self.metric_results, self.finding_list, as_of=self.as_of,
                          marketplace=self.options.marketplace)

    # ------------------------------------------------------------------------------------- outputs
    def summary(self) -> dict[str, Any]:
        """The ``summary.json`` document (schema_version 1, documented in the README)."""
        from .render.summary import build_summary
        return build_summary(self)

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write ``summary.json``."""
        from .render.summary import write_summary
        return write_summary(self, path)

    def to_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the self-contained HTML report."""
        from .render.build import build_context
        from .render.html import write_html
        self._step("rendering the report")
        return write_html(build_context(self), path)

    def write(self, out: str | os.PathLike[str] | None = None) -> dict[str, Path]:
        """Write every output into ``out`` (default: the ``out`` option): report.html, summary.json,
        poa.md, evidence.csv and rejected_rows.csv. Returns their paths."""
        from .poa import write_evidence_csv
        folder = Path(out or self.options.out)
        folder.mkdir(parents=True, exist_ok=True)
        self.finding_list  # noqa: B018 - run the analysis stages before timing the rendering
        started = time.perf_counter()
        paths = {"summary": self.to_json(folder / "summary.json")}
        poa_path = folder / "poa.md"
        poa_path.write_text(self.poa(), encoding="utf-8")
        paths["poa"] = poa_path
        write_evidence_csv(folder / "evidence.csv", self.con, self.finding_list)
        paths["evidence"] = folder / "evidence.csv"
        paths["rejected_rows"] = self.write_rejected(folder / "rejected_rows.csv")
        paths["report"] = self.to_html(folder / "report.html")
        self.timings["render"] = time.perf_counter() - started
        return paths

    def write_rejected(self, path: str | os.PathLike[str]) -> Path:
        """``rejected_rows.csv``: file, line, column, value, reason of every quarantined row."""
        from .safecsv import write_csv
        rej = self.inputs.rejected
        write_csv(path, ["file", "line", "column", "value", "reason"], rej.itertuples(index=False, name=None))
        return Path(path)

    def rejected_rows(self) -> list[RejectedRow]:
        """Every quarantined row as a ``RejectedRow`` (path, line, column, value, reason)."""
        return [RejectedRow(*row) for row in self.inputs.rejected.itertuples(index=False, name=None)]

    # ------------------------------------------------------------------------------------- notebook
    def _repr_html_(self) -> str:
        """The headline cards (one per metric), shown inline in Jupyter."""
        from .render.html import render_cards
        return render_cards(list(self.metric_results.values()), as_of=self.as_of, folder=str(self.folder))

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


def _close_and_remove(con: duckdb.DuckDBPyConnection, workdir: str) -> None:
    """Finalizer of an Analysis without cache: close its work database and delete it."""
    try:
        con.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def analyze(folder: str | os.PathLike[str], *, out: str = DEFAULT_OUT, as_of: dt.date | str | None = None,
            odr_lag_days: int = 14, marketplace: str | None = None, cache: str | None = None,
            timezone: str | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> Analysis:
    """Analyse a folder of Seller Central exports. Nothing is read until a result is asked for.

    Args mirror ``sellerdx analyze``: ``out`` (output folder), ``as_of`` (YYYY-MM-DD; default the latest
    purchase date), ``odr_lag_days`` (14), ``marketplace`` (two letters, for ambiguous dates), ``cache``
    (folder of the parsed-file cache; None: none), ``timezone`` (IANA zone of the weekday / hour
    statements; default: each order's marketplace zone). ``progress(label, done, total)`` is called as
    files are read and stages run.
    """
    options = Options(out=out, as_of=as_of, odr_lag_days=odr_lag_days, marketplace=marketplace, cache=cache,
                      timezone=timezone)
    return Analysis(folder, options, progress=progress)


__all__ = ["Analysis", "Inputs", "Options", "analyze", "DEFAULT_OUT", "METRIC_KEYS"]
