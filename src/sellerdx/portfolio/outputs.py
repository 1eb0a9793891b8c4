"""What the agency sees: each account's view (ranked by urgency) and the rows of portfolio.csv/.parquet/.json.

Everything is read from the account's summary.json document (the public contract), defensively: a key
that a later sellerdx adds (a metric's ``coverage``, Amazon's account status) is used when present and
never required.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pyarrow.parquet as pq

from ..assets import load_toml
from ..safecsv import write_csv

STATUS_AT_RISK, STATUS_OK, STATUS_FAILED = "at_risk", "ok", "failed"


@dataclass(frozen=True)
class MetricView:
    """One metric of one account, with its change since the previous run."""
    key: str
    label: str
    rate: float | None
    numerator: int | None
    denominator: int | None
    window_start: str | None
    window_end: str | None
    target: float | None
    direction: str | None
    status: str
    coverage: float | None = None
    recovery_date: str | None = None
    top_finding: str | None = None
    gap: float | None = None                 # how far beyond target (fraction points; > 0 when at risk)
    previous_rate: float | None = None
    previous_status: str | None = None
    change: float | None = None              # rate - previous rate (fraction points)

    @property
    def at_risk(self) -> bool:
        return self.status == STATUS_AT_RISK


@dataclass(frozen=True)
class AccountView:
    """One account as the portfolio shows it."""
    name: str
    folder: str
    status: str                                  # at_risk | ok | failed
    error: str | None = None
    warnings: tuple[str, ...] = ()
    amazon_status: str | None = None
    amazon_at_risk: bool = False
    amazon_rank: int = 0
    as_of: str | None = None
    metrics: tuple[MetricView, ...] = ()
    days_to_recovery: int | None = None          # days from as-of until every at-risk metric is back
    recovery_date: str | None = None
    root_cause: str | None = None                # the main root cause, one line
    report: str | None = None                    # relative link to DIR/<account>/report.html
    summary: str | None = None                   # relative link to DIR/<account>/summary.json
    previous_run: str | None = None              # run id of the run compared with (None: first time seen)
    became_at_risk: bool = False
    reanalysed: bool = True
    fingerprint: str | None = None
    seconds: float = 0.0

    @property
    def at_risk_metrics(self) -> tuple[MetricView, ...]:
        return tuple(m for m in self.metrics if m.at_risk)

    @property
    def worst_gap(self) -> float:
        """The largest gap beyond target relative to the target (0 when none is at risk)."""
        return max((_relative_gap(m) for m in self.at_risk_metrics), default=0.0)


def _relative_gap(m: MetricView) -> float:
    if m.gap is None or not m.target:
        return 0.0
    return m.gap / m.target


# ------------------------------------------------------------------------------------------ reading summaries
def summary_metrics(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every metric of a summary.json in display order; a metric sellerdx could not compute is a row
    with status ``not_computed`` (summary.json has null there)."""
    config = load_toml("metrics.toml")["metrics"]
    tree = summary.get("metrics") or {}
    found: dict[str, dict[str, Any]] = {}
    _collect(tree, found)
    rows = []
    for key, cfg in config.items():
        node: Any = tree
        for part in cfg.get("summary_path", [key]):
            node = node.get(part) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping):
            rows.append(dict(node))
        else:
            rows.append({"key": key, "label": cfg.get("label", key), "status": "not_computed",
                         "target": cfg.get("target"), "direction": cfg.get("direction")})
        found.pop(key, None)
    rows += found.values()     # metrics a later sellerdx adds, after the known ones
    return rows


def _collect(node: Any, found: dict[str, dict[str, Any]]) -> None:
    if isinstance(node, Mapping):
        if isinstance(node.get("key"), str) and "status" in node:
            found.setdefault(node["key"], dict(node))
            return
        for value in node.values():
            _collect(value, found)


def amazon_status(summary: Mapping[str, Any] | None, fallback: Sequence[str] = ()) -> str | None:
    """Amazon's own account status: from summary.json when it carries it, else ``fallback`` (the statuses
    parsed from Amazon's performance JSON); the most urgent word when there are several."""
    words: list[str] = []
    for path in load_toml("portfolio.toml")["amazon_status_keys"]["paths"]:
        node: Any = summary or {}
        for part in path.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        words = _status_words(node)
        if words:
            break
    if not words:
        words = [str(w).strip().upper() for w in fallback if str(w).strip()]
    if not words:
        return None
    return max(words, key=lambda w: status_rank(w)[0])


def _status_words(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node.strip().upper()] if node.strip() else []
    if isinstance(node, Mapping):
        for key in ("status", "account_status"):
            if node.get(key) is not None:
                return _status_words(node[key])
        return []
    if isinstance(node, (list, tuple)):
        return [w for item in node for w in _status_words(item)]
    return []


def status_rank(word: str | None) -> tuple[int, bool]:
    """(urgency rank, counts as at risk) of one of Amazon's status words (data/portfolio.toml)."""
    if not word:
        return 0, False
    table = load_toml("portfolio.toml")["amazon_status"]
    entry = table.get(word.upper())
    if isinstance(entry, Mapping):
        return int(entry["rank"]), bool(entry["at_risk"])
    return int(table["unknown_rank"]), True


# ------------------------------------------------------------------------------------------ views
def account_view(name: str, folder: str, summary: Mapping[str, Any] | None, *, error: str | None = None,
                 warnings: Sequence[str] = (), amazon_fallback: Sequence[str] = (),
                 previous: Mapping[str, Any] | None = None, reanalysed: bool = True,
                 fingerprint: str | None = None, seconds: float = 0.0) -> AccountView:
    """The view of one account from its summary.json (None with ``error`` when it could not be analysed)
    and ``previous``, its entry of :func:`history.previous_metrics`."""
    if summary is None:
        return AccountView(name=name, folder=folder, status=STATUS_FAILED, error=error or "not analysed",
                           warnings=tuple(warnings), reanalysed=reanalysed, fingerprint=fingerprint,
                           seconds=seconds)
    findings = [f for f in summary.get("findings") or [] if isinstance(f, Mapping)]
    before = (previous or {}).get("metrics", {})
    metrics = tuple(_metric_view(m, findings, before.get(m.get("key"))) for m in summary_metrics(summary))
    word = amazon_status(summary, amazon_fallback)
    rank, amazon_risk = status_rank(word)
    at_risk = [m for m in metrics if m.at_risk]
    status = STATUS_AT_RISK if at_risk or amazon_risk else STATUS_OK
    as_of = summary.get("as_of")
    recovery, days = _recovery(at_risk, as_of)
    prev_status = (previous or {}).get("account_status")
    href = quote(name, safe="")
    return AccountView(
        name=name, folder=folder, status=status, warnings=tuple(warnings), amazon_status=word,
        amazon_at_risk=amazon_risk, amazon_rank=rank, as_of=as_of, metrics=metrics,
        days_to_recovery=days, recovery_date=recovery, root_cause=_root_cause(findings, at_risk, metrics),
        report=f"{href}/report.html", summary=f"{href}/summary.json",
        previous_run=(previous or {}).get("run_id"),
        became_at_risk=previous is not None and status == STATUS_AT_RISK and prev_status != STATUS_AT_RISK,
        reanalysed=reanalysed, fingerprint=fingerprint, seconds=seconds)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return None
    return float(value)


def _int(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _metric_view(m: Mapping[str, Any], findings: Sequence[Mapping[str, Any]],
                 before: Mapping[str, Any] | None) -> MetricView:
    key = str(m.get("key"))
    rate, target = _number(m.get("rate")), _number(m.get("target"))
    direction = m.get("direction")
    gap = None
    if rate is not None and target is not None:
        gap = rate - target if direction != "above" else target - rate
    top = next((f for f in findings if f.get("metric") == key), None)
    prev_rate = _number((before or {}).get("rate"))
    return MetricView(
        key=key, label=str(m.get("label") or key), rate=rate, numerator=_int(m.get("numerator")),
        denominator=_int(m.get("denominator")), window_start=m.get("window_start"),
        window_end=m.get("window_end"), target=target, direction=direction, status=str(m.get("status")),
        coverage=_number(m.get("coverage")), recovery_date=m.get("recovery_date"),
        top_finding=str(top.get("title")) if top and top.get("title") else None, gap=gap,
        previous_rate=prev_rate, previous_status=(before or {}).get("status"),
        change=rate - prev_rate if rate is not None and prev_rate is not None else None)


def _recovery(at_risk: Sequence[MetricView], as_of: Any) -> tuple[str | None, int | None]:
    """The day every at-risk metric is back under target and the days from as-of until then (None when
    one of them does not recover without action, or nothing is at risk)."""
    dates = [m.recovery_date for m in at_risk]
    if not dates or any(d is None for d in dates) or not as_of:
        return None, None
    last = max(str(d)[:10] for d in dates)
    return last, (dt.date.fromisoformat(last) - dt.date.fromisoformat(str(as_of)[:10])).days


def _root_cause(findings: Sequence[Mapping[str, Any]], at_risk: Sequence[MetricView],
                metrics: Sequence[MetricView]) -> str | None:
    """The main root cause in one line: the first finding about an at-risk metric (else the first)."""
    keys = {m.key for m in at_risk}
    finding = next((f for f in findings if f.get("metric") in keys), findings[0] if findings else None)
    if not finding or not finding.get("title"):
        return None
    text = " ".join(str(finding["title"]).split())
    share = _number(finding.get("share"))
    label = next((m.label for m in metrics if m.key == finding.get("metric")), finding.get("metric"))
    if share is not None and label:
        text += f" ({share * 100:.0f}% of the {label} defects)"
    return text


def rank_accounts(views: Sequence[AccountView]) -> list[AccountView]:
    """Most urgent first: Amazon's status, then the number of metrics at risk, then by how much, then the
    days until back under target (longer first); accounts that could not be analysed come last."""
    def key(v: AccountView) -> tuple[Any, ...]:
        return (v.status == STATUS_FAILED, -v.amazon_rank, v.status != STATUS_AT_RISK, -len(v.at_risk_metrics),
                -v.worst_gap, -(v.days_to_recovery if v.days_to_recovery is not None else 10 ** 6
                                if v.at_risk_metrics else 0), v.name)
    return sorted(views, key=key)


# ------------------------------------------------------------------------------------------ files
ROW_COLUMNS = ("account", "account_status", "amazon_status", "as_of", "metric", "label", "rate", "numerator",
               "denominator", "window_start", "window_end", "target", "direction", "status", "coverage",
               "recovery_date", "top_finding", "previous_rate", "change", "report", "error")
_ROW_TYPES = {"rate": pa.float64(), "numerator": pa.int64(), "denominator": pa.int64(), "target": pa.float64(),
              "coverage": pa.float64(), "previous_rate": pa.float64(), "change": pa.float64()}
ROW_SCHEMA = pa.schema([(c, _ROW_TYPES.get(c, pa.string())) for c in ROW_COLUMNS])


def portfolio_rows(views: Sequence[AccountView]) -> list[dict[str, Any]]:
    """One row per account and metric (an account that could not be analysed: one row with its error)."""
    rows = []
    for v in views:
        base = {"account": v.name, "account_status": v.status, "amazon_status": v.amazon_status, "as_of": v.as_of,
                "report": v.report if v.status != STATUS_FAILED else None, "error": v.error}
        if not v.metrics:
            rows.append({c: base.get(c) for c in ROW_COLUMNS})
            continue
        for m in v.metrics:
            row = {**base, "metric": m.key, "label": m.label, "rate": m.rate, "numerator": m.numerator,
                   "denominator": m.denominator, "window_start": m.window_start, "window_end": m.window_end,
                   "target": m.target, "direction": m.direction, "status": m.status, "coverage": m.coverage,
                   "recovery_date": m.recovery_date, "top_finding": m.top_finding,
                   "previous_rate": m.previous_rate, "change": m.change}
            rows.append({c: row.get(c) for c in ROW_COLUMNS})
    return rows


def write_csv_rows(path: str | os.PathLike[str], rows: Sequence[Mapping[str, Any]]) -> Path:
    """portfolio.csv (formula-neutralised, UTF-8 with BOM; floats written with full precision)."""
    write_csv(path, ROW_COLUMNS, ([r[c] for c in ROW_COLUMNS] for r in rows))
    return Path(path)


def write_parquet_rows(path: str | os.PathLike[str], rows: Sequence[Mapping[str, Any]]) -> Path:
    """portfolio.parquet with the same rows and typed columns (:data:`ROW_SCHEMA`)."""
    target = Path(path)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    pq.write_table(pa.Table.from_pylist([dict(r) for r in rows], schema=ROW_SCHEMA), tmp)
    os.replace(tmp, target)
    return target


def write_json(path: str | os.PathLike[str], document: Mapping[str, Any]) -> Path:
    target = Path(path)
    target.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return target


def account_document(v: AccountView) -> dict[str, Any]:
    """One account of portfolio.json."""
    doc = asdict(v)
    doc["metrics"] = {m.key: asdict(m) for m in v.metrics}
    doc["at_risk_metrics"] = [m.key for m in v.at_risk_metrics]
    doc["warnings"] = list(v.warnings)
    return doc


__all__ = ["AccountView", "MetricView", "ROW_COLUMNS", "account_document", "account_view", "amazon_status",
           "portfolio_rows", "rank_accounts", "status_rank", "summary_metrics", "write_csv_rows",
           "write_json", "write_parquet_rows", "STATUS_AT_RISK", "STATUS_FAILED", "STATUS_OK"]
