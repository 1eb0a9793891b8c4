"""Where the accounts are analysed: a local pool of worker processes, or a Dask distributed cluster.

One task per account, :func:`analyse_account`, does exactly what ``sellerdx analyze FOLDER --out
DIR/<account>`` does (the same library calls with the same options) and returns an :class:`Outcome`: the
account's summary.json document, or its one-line error. A task never raises for a bad account, so one
unusable folder never stops the others; a worker process that dies (out of memory, a crash) only fails the
account it was analysing.

* :func:`run_local` — ``concurrent.futures.ProcessPoolExecutor`` with ``workers`` processes (spawned, so
  no DuckDB thread or open file is inherited).
* :func:`run_dask` — ``distributed.Client(address)``; the package is optional (``sellerdx[cluster]``) and
  imported only here. Workers must see the account folders and DIR at the same paths (a shared
  filesystem) and run the same sellerdx version.
"""

from __future__ import annotations

import json
import multiprocessing
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BadOptionError, SellerdxError


@dataclass(frozen=True)
class Job:
    """One account to analyse (plain data: it travels to a worker process or a Dask worker)."""
    name: str
    folder: str                          # the account's exports (absolute path)
    out: str                             # DIR/<name> (absolute path)
    options: dict[str, Any] = field(default_factory=dict)   # keyword arguments of sellerdx.analyze
    cache: str | None = None             # --cache DIR, shared by every account


@dataclass(frozen=True)
class Outcome:
    """What one account's analysis gave: its summary.json document, or the one-line error."""
    name: str
    summary: dict[str, Any] | None
    error: str | None = None
    amazon_statuses: tuple[str, ...] = ()   # accountStatuses of Amazon's performance JSON in the folder
    seconds: float = 0.0
    reused: bool = False                    # outputs of the previous run reused (inputs unchanged)


OnDone = Callable[[Outcome], None]


def one_line(exc: BaseException) -> str:
    """An exception as the one line the portfolio lists: file, message and hint for input errors."""
    if isinstance(exc, SellerdxError):
        text = f"{exc.location()}{exc.message}" + (f" (hint: {exc.hint})" if exc.hint else "")
    else:
        text = f"internal error: {type(exc).__name__}: {exc} (a bug in sellerdx; run sellerdx analyze on " \
               "this folder with SELLERDX_DEBUG=1 and report the traceback)"
    return " ".join(text.split())


def analyse_account(job: Job) -> Outcome:
    """``sellerdx analyze job.folder --out job.out`` with the job's options; never raises."""
    started = time.perf_counter()
    try:
        from ..analysis import analyze  # noqa: PLC0415 - in the worker process: the parent never loads it
        kwargs = dict(job.options)
        if job.cache:
            kwargs["cache"] = job.cache
        analysis = analyze(job.folder, out=job.out, **kwargs)
        paths = analysis.write(job.out)
        summary = json.loads(Path(paths["summary"]).read_text(encoding="utf-8"))
        statuses = _performance_statuses(analysis)
        del analysis
        return Outcome(job.name, summary, None, statuses, time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - one bad account must not stop the others
        return Outcome(job.name, None, one_line(exc), (), time.perf_counter() - started)


def _performance_statuses(analysis: Any) -> tuple[str, ...]:
    """Amazon's account status words from the performance JSON the analysis parsed (none if absent)."""
    try:
        return tuple(str(mp.account_status) for report in analysis.performance
                     for mp in report.marketplaces if getattr(mp, "account_status", None))
    except Exception:  # noqa: BLE001 - Amazon's status is extra information, never a reason to fail
        return ()


# ------------------------------------------------------------------------------------------ local pool
def run_local(jobs: Iterable[Job], workers: int, on_done: OnDone | None = None) -> list[Outcome]:
    """Analyse every job in a pool of ``workers`` processes; outcomes in completion order."""
    jobs = list(jobs)
    if not jobs:
        return []
    context = multiprocessing.get_context("spawn")
    outcomes: list[Outcome] = []
    crashed: list[Job] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)

    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), mp_context=context) as pool:
        futures = {pool.submit(analyse_account, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                done(future.result())
            except BrokenProcessPool:
                crashed.append(futures[future])
    # A dead worker breaks the whole pool: analyse each account it took down alone, so only the
    # account that kills its process fails.
    for job in crashed:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            try:
                done(pool.submit(analyse_account, job).result())
            except BrokenProcessPool:
                done(Outcome(job.name, None, "the worker process analysing this account stopped unexpectedly "
                             "(out of memory or a crash); run sellerdx analyze on this folder alone to see why"))
    return outcomes


# ------------------------------------------------------------------------------------------ Dask
def run_dask(jobs: Iterable[Job], address: str, on_done: OnDone | None = None) -> list[Outcome]:
    """Analyse every job on the Dask distributed cluster whose scheduler is at ``address``."""
    jobs = list(jobs)
    try:
        from distributed import Client  # noqa: PLC0415 - optional extra sellerdx[cluster], only with --scheduler
        from distributed import as_completed as dask_completed  # noqa: PLC0415
    except ImportError:
        raise BadOptionError("--scheduler needs Dask's 'distributed' package, which is not installed",
                             hint='install the cluster extra: pip install "sellerdx[cluster]" '
                                  "(or run without --scheduler on this machine's cores)") from None
    try:
        client = Client(address, timeout="15s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise BadOptionError(f"cannot reach the Dask scheduler at {address}: {' '.join(str(exc).split())}",
                             hint="start it with `dask scheduler` and pass its address, e.g. "
                                  "--scheduler tcp://host:8786") from None
    outcomes: list[Outcome] = []
    run_id = uuid.uuid4().hex[:8]
    with client:
        futures = {client.submit(analyse_account, job, key=f"sellerdx-account-{run_id}-{i}", pure=False,
                                 retries=1): job for i, job in enumerate(jobs)}
        for future in dask_completed(list(futures)):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails this account only
                outcome = Outcome(job.name, None, "the Dask task failed: " + " ".join(
                    f"{type(exc).__name__}: {exc}".split()))
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    return outcomes


__all__ = ["Job", "Outcome", "analyse_account", "one_line", "run_dask", "run_local"]
