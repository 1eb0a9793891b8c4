"""Amazon's snapshots kept: every performance report sellerdx reads is stored, so its numbers can be followed.

Amazon's ``GET_V2_SELLER_PERFORMANCE_REPORT`` is a snapshot of today (the API ignores the requested dates):
nobody can look back unless the earlier reports were kept. :func:`store_report` writes each report read
into the history folder (:func:`sellerdx.paths.history_dir`: ``history/`` in the cache folder, the user's
cache directory by default or ``--cache DIR``), kept even when the data cache is off. A report is stored
once: the file name carries its marketplaces, its reporting dates and the hash of its content
(``<marketplaces>_<first date>_<last date>_<sha256[:16]>.json``), so the same report read twice (even under
another file name) is one snapshot. :func:`load_snapshots` reads them back and :func:`trends` gives each of
Amazon's metrics over the snapshots, one point per reporting range end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Serializable
from .report import PerformanceReport, parse_performance

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class Snapshot(Serializable):
    """One stored performance report."""
    path: str
    digest: str                         # sha256 of the report's canonical JSON
    marketplaces: tuple[str, ...]
    period_start: dt.date | None        # earliest reporting date of its metrics
    period_end: dt.date | None          # latest reporting date of its metrics
    stored_at: str                      # ISO timestamp of the first time sellerdx read it
    source: str                         # the file name it was read from
    account_statuses: dict[str, str]


@dataclass(frozen=True)
class TrendPoint(Serializable):
    """One of Amazon's metrics in one snapshot."""
    date: dt.date                        # the end of the metric's reporting range (else the snapshot's)
    rate: float | None
    numerator: int | None
    denominator: int | None
    status: str | None
    snapshot: str                        # the snapshot's digest


def digest(raw: Any) -> str:
    """sha256 of the report's canonical JSON (key order and whitespace do not matter)."""
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") or "unknown"


def snapshot_name(report: PerformanceReport, content_digest: str) -> str:
    """``<marketplaces>_<first date>_<last date>_<digest[:16]>.json``."""
    ids = sorted({mp.marketplace_id or "unknown" for mp in report.marketplaces}) or ["unknown"]
    start, end = report.period
    return (f"{_safe('+'.join(ids))}_{start.isoformat() if start else 'nodate'}_"
            f"{end.isoformat() if end else 'nodate'}_{content_digest[:16]}.json")


def store_report(raw: Any, folder: str | os.PathLike[str], *, source: str | None = None,
                 now: dt.datetime | None = None) -> tuple[Path, bool]:
    """Store one decoded performance report in ``folder``; (its path, whether it was new).

    Deduplicated by content: a report already stored (under any name) is not written again.
    """
    base = Path(folder)
    content = digest(raw)
    existing = sorted(base.glob(f"*_{content[:16]}.json")) if base.is_dir() else []
    for path in existing:
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("digest") == content:
                return path, False
        except (OSError, ValueError):
            continue
    report = parse_performance(raw, source=source)
    base.mkdir(parents=True, exist_ok=True)
    target = base / snapshot_name(report, content)
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    envelope = {"sellerdx_snapshot": SNAPSHOT_FORMAT, "digest": content, "stored_at": stamp,
                "source": Path(source).name if source else "", "report": raw}
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(envelope, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, target)
    return target, True


def _snapshot(path: Path, envelope: dict[str, Any], report: PerformanceReport) -> Snapshot:
    start, end = report.period
    return Snapshot(path=str(path), digest=str(envelope.get("digest", "")),
                    marketplaces=tuple(sorted(mp.marketplace_id or "unknown" for mp in report.marketplaces)),
                    period_start=start, period_end=end, stored_at=str(envelope.get("stored_at", "")),
                    source=str(envelope.get("source", "")),
                    account_statuses={mp.marketplace_id or "unknown": mp.account_status
                                      for mp in report.marketplaces if mp.account_status})


def load_snapshots(folder: str | os.PathLike[str]) -> tuple[list[tuple[Snapshot, PerformanceReport]], list[str]]:
    """Every stored snapshot with its parsed report, oldest reporting date first; and the files skipped."""
    base = Path(folder)
    out: list[tuple[Snapshot, PerformanceReport]] = []
    skipped: list[str] = []
    if not base.is_dir():
        return out, skipped
    for path in sorted(base.glob("*.json")):
        try:
            envelope = json.loads(path.read_text(encoding="utf-8"))
            report = parse_performance(envelope["report"], source=str(path))
        except Exception as exc:  # a damaged snapshot never stops the run: it is named and skipped
            skipped.append(f"{path.name}: not a readable snapshot ({type(exc).__name__})")
            continue
        out.append((_snapshot(path, envelope, report), report))
    out.sort(key=lambda pair: (pair[0].period_end or dt.date.min, pair[0].stored_at))
    return out, skipped


def trends(snapshots: Sequence[tuple[Snapshot, PerformanceReport]]
           ) -> dict[tuple[str, str], list[TrendPoint]]:
    """(marketplace id, metric key) -> one point per snapshot (by range end, latest snapshot wins a tie)."""
    series: dict[tuple[str, str], dict[dt.date, TrendPoint]] = {}
    for snap, report in snapshots:
        for mp in report.marketplaces:
            for key, m in mp.metrics.items():
                when = m.window_end if m.window_valid and m.window_end else snap.period_end
                if when is None:
                    continue
                point = TrendPoint(date=when, rate=m.rate, numerator=m.numerator, denominator=m.denominator,
                                   status=m.status, snapshot=snap.digest)
                series.setdefault((mp.marketplace_id or "unknown", key), {})[when] = point
    return {k: [v[d] for d in sorted(v)] for k, v in series.items()}


def store_all(reports: Iterable[tuple[str, Any]], folder: str | os.PathLike[str]) -> tuple[int, list[str]]:
    """Store every (source, decoded JSON) pair; (how many were new, warnings for those that could not be)."""
    new, warnings = 0, []
    for source, raw in reports:
        try:
            _, added = store_report(raw, folder, source=source)
            new += int(added)
        except OSError as exc:
            warnings.append(f"{source}: could not keep this report in the history folder {folder} ({exc}); "
                            "use --cache DIR to name a folder you can write")
    return new, warnings


__all__ = ["Snapshot", "TrendPoint", "digest", "load_snapshots", "snapshot_name", "store_all", "store_report",
           "trends"]
