"""``run_portfolio``: analyse every account of a portfolio and write the agency's outputs into DIR.

1. find the accounts (:mod:`.accounts`) and fingerprint each one (:mod:`.fingerprint`); an account whose
   inputs, options and sellerdx did not change since the last run keeps its outputs;
2. analyse the others, one task per account, locally or on Dask (:mod:`.run`), each into ``DIR/<account>/``;
3. compare with the previous run (:mod:`.history`), append this run to the history;
4. write ``index.html`` (:mod:`.page`), ``portfolio.csv``, ``portfolio.parquet`` and ``portfolio.json``
   (:mod:`.outputs`) and the new state.

Exit status (:attr:`PortfolioResult.exit_status`): 2 when no account could be analysed, else 1 when an
account is at risk (by sellerdx's metrics or Amazon's own status) or could not be analysed, else 0.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import BadOptionError
from . import history
from .accounts import Account, discover_accounts
from .fingerprint import account_fingerprint, load_state, save_state
from .outputs import (
    STATUS_AT_RISK,
    STATUS_FAILED,
    AccountView,
    account_document,
    account_view,
    portfolio_rows,
    rank_accounts,
    write_csv_rows,
    write_json,
    write_parquet_rows,
)
from .run import Job, Outcome, run_dask, run_local

EXIT_OK, EXIT_AT_RISK, EXIT_NOTHING = 0, 1, 2
Progress = Callable[[int, int, str], None]     # (accounts done, total, name of the last one)


@dataclass(frozen=True)
class PortfolioResult:
    """What a portfolio run did and wrote."""
    accounts: tuple[AccountView, ...]          # ranked, most urgent first; failed accounts last
    notes: tuple[str, ...]
    paths: dict[str, Path]
    run_id: str
    analysed: int                              # accounts analysed in this run
    reused: int                                # accounts whose previous outputs were kept
    where: str                                 # "local: N workers" or the scheduler address
    seconds: float = 0.0
    exit_status: int = EXIT_OK
    failed: tuple[AccountView, ...] = field(default=())

    @property
    def at_risk(self) -> tuple[AccountView, ...]:
        return tuple(v for v in self.accounts if v.status == STATUS_AT_RISK)


def run_portfolio(root: str | os.PathLike[str], out: str | os.PathLike[str], *, workers: int | None = None,
                  scheduler: str | None = None, cache: str | None = None, force: bool = False,
                  options: Mapping[str, Any] | None = None, progress: Progress | None = None) -> PortfolioResult:
    """Analyse every account under ``root`` into ``out``.

    ``workers``: processes of the local pool (default: the number of cores); ``scheduler``: address of a
    Dask scheduler (``tcp://host:8786``) instead of the local pool; ``cache``: the parsed-file cache folder
    every account shares (like ``sellerdx analyze --cache``); ``force``: analyse even unchanged accounts;
    ``options``: defaults for every account (as_of, odr_lag_days, marketplace; portfolio.toml's own
    account tables win over them).
    """
    started = time.perf_counter()
    if scheduler and workers:
        raise BadOptionError("--workers and --scheduler cannot be combined",
                             hint="--workers sizes the local pool; a Dask cluster's size is set when its "
                                  "workers are started (dask worker --nworkers N)")
    if workers is not None and workers < 1:
        raise BadOptionError(f"--workers {workers} is out of range", hint="use 1 or more worker processes")
    _check_options(options or {})
    target = Path(out).expanduser().resolve()
    accounts, notes = discover_accounts(root, exclude=[target], defaults=options)
    target.mkdir(parents=True, exist_ok=True)
    cache_dir = str(Path(cache).expanduser().resolve()) if cache else None
    previous_state = load_state(target)

    outcomes: dict[str, Outcome] = {}
    prints: dict[str, tuple[str, dict[str, Any]]] = {}
    jobs: list[Job] = []
    for account in accounts:
        if account.error:
            outcomes[account.name] = Outcome(account.name, None, account.error)
            continue
        before = previous_state.get(account.name) or {}
        fingerprint, files = account_fingerprint(account, before.get("files"), exclude=target)
        prints[account.name] = (fingerprint, files)
        reused = None if force else _reuse(target / account.name, before, fingerprint)
        if reused is not None:
            outcomes[account.name] = Outcome(account.name, reused, None,
                                             tuple(before.get("amazon_statuses") or ()), 0.0, reused=True)
        else:
            jobs.append(Job(account.name, account.folder, str(target / account.name), dict(account.options),
                            cache_dir))

    total = len(accounts)
    done = [len(outcomes)]
    if progress:
        progress(done[0], total, "")

    def finished(outcome: Outcome) -> None:
        done[0] += 1
        if progress:
            progress(done[0], total, outcome.name)

    if scheduler:
        where = scheduler
        ran = run_dask(jobs, scheduler, finished)
    else:
        count = workers or _cores()
        where = f"local: {count} worker process{'es' if count != 1 else ''}"
        ran = run_local(jobs, count, finished)
    outcomes.update({o.name: o for o in ran})

    run_id, run_at = history.new_run_id()
    previous = history.previous_metrics(target, run_id, [a.name for a in accounts])
    views = [_view(a, outcomes[a.name], previous.get(a.name), prints.get(a.name)) for a in accounts]
    ranked = rank_accounts(views)
    analysed = [v for v in ranked if v.status != STATUS_FAILED]
    failed = [v for v in ranked if v.status == STATUS_FAILED]
    history.append_run(target, run_id, run_at, (
        {"account": v.name, "account_status": v.status, "as_of": v.as_of, "metric": m.key, "rate": m.rate,
         "numerator": m.numerator, "denominator": m.denominator, "window_start": m.window_start,
         "window_end": m.window_end, "status": m.status} for v in analysed for m in v.metrics))

    if not analysed:
        exit_status = EXIT_NOTHING
    elif failed or any(v.status == STATUS_AT_RISK for v in analysed):
        exit_status = EXIT_AT_RISK
    else:
        exit_status = EXIT_OK
    rows = portfolio_rows(ranked)
    paths = {"csv": write_csv_rows(target / "portfolio.csv", rows),
             "parquet": write_parquet_rows(target / "portfolio.parquet", rows)}
    result = PortfolioResult(accounts=tuple(ranked), notes=tuple(notes), paths=paths, run_id=run_id,
                             analysed=len(jobs), reused=len(accounts) - len(jobs) - sum(1 for a in accounts if a.error),
                             where=where, seconds=time.perf_counter() - started, exit_status=exit_status,
                             failed=tuple(failed))
    paths["json"] = write_json(target / "portfolio.json", _document(result, root, target, run_at))
    from .page import write_index  # noqa: PLC0415 - Jinja and the report environment only when writing
    paths["index"] = write_index(target / "index.html", result, root=str(root), generated_at=run_at)
    save_state(target, {v.name: {"fingerprint": prints[v.name][0], "files": prints[v.name][1],
                                 "amazon_statuses": list(outcomes[v.name].amazon_statuses)}
                        for v in analysed})
    return result


def _check_options(options: Mapping[str, Any]) -> None:
    """Refuse a bad option of the whole run at once (exit 2), as ``sellerdx analyze`` would; an account's
    own bad option in portfolio.toml fails that account only."""

    from ..analysis import Options  # noqa: PLC0415 - the engine only when options are checked
    fields = {f.name for f in dataclasses.fields(Options)}
    Options(**{k: v for k, v in options.items() if k in fields})


def _cores() -> int:
    """The cores this process may use (a container's CPU set, not the host's core count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:      # macOS, Windows
        return os.cpu_count() or 1


def _reuse(folder: Path, before: Mapping[str, Any], fingerprint: str) -> dict[str, Any] | None:
    """The previous summary.json of an unchanged account whose outputs are all still there, else None."""
    if before.get("fingerprint") != fingerprint or not (folder / "report.html").is_file():
        return None
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) else None


def _view(account: Account, outcome: Outcome, previous: Mapping[str, Any] | None,
          fingerprint: tuple[str, dict[str, Any]] | None) -> AccountView:
    return account_view(account.name, account.folder, outcome.summary, error=outcome.error,
                        warnings=account.warnings, amazon_fallback=outcome.amazon_statuses, previous=previous,
                        reanalysed=not outcome.reused, fingerprint=fingerprint[0] if fingerprint else None,
                        seconds=outcome.seconds)


def _document(result: PortfolioResult, root: str | os.PathLike[str], out: Path, run_at: Any) -> dict[str, Any]:
    """portfolio.json."""
    return {
        "schema_version": 1,
        "sellerdx_version": __version__,
        "run_id": result.run_id,
        "generated_at": run_at.isoformat(),
        "root": str(root),
        "out": str(out),
        "where": result.where,
        "exit_status": result.exit_status,
        "totals": {"accounts": len(result.accounts), "at_risk": len(result.at_risk),
                   "failed": len(result.failed), "analysed": result.analysed, "reused": result.reused,
                   "became_at_risk": sum(1 for v in result.accounts if v.became_at_risk)},
        "notes": list(result.notes),
        "accounts": [account_document(v) for v in result.accounts],
    }


__all__ = ["EXIT_AT_RISK", "EXIT_NOTHING", "EXIT_OK", "PortfolioResult", "run_portfolio"]
