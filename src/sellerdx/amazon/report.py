"""Amazon's own numbers: the ``GET_V2_SELLER_PERFORMANCE_REPORT`` JSON, parsed tolerantly.

The payload's shape (report-formats.md) varies: Amazon's schema and example disagree on names
(``preFulfillmentCancellationRate`` vs ``prefulfillmentCancelRate``), statuses outside the schema appear
(``SUSPENDED``), counts come as numbers or ``{"count": n, "status": ..}``, and real payloads add
``lateShipmentRateList`` (10- and 30-day windows) and ``ahrScore``. Key names are therefore matched
ignoring case and punctuation, through the lists in ``data/metrics.toml`` ``[performance]``.

The reconciliation with sellerdx's numbers is :mod:`sellerdx.amazon.reconcile`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import assets
from ..errors import UnreadableFileError
from ..model import _Serializable


# --------------------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class AmazonMetric(_Serializable):
    """One metric as Amazon reports it, keyed like sellerdx's (odr_mfn, pfcr, lsr_10d, ...)."""
    key: str
    rate: float | None
    numerator: int | None
    denominator: int | None
    window_start: dt.date | None
    window_end: dt.date | None
    status: str | None                 # Amazon's own status word (GOOD, FAIR, POOR, NONE, ...)
    target: float | None = None
    target_condition: str | None = None
    components: dict[str, int] = field(default_factory=dict)   # odr: negative_feedback, claims, chargebacks


@dataclass(frozen=True)
class MarketplacePerformance(_Serializable):
    """Amazon's metrics for one marketplace."""
    marketplace_id: str | None
    account_status: str | None
    metrics: dict[str, AmazonMetric]
    ahr_status: str | None = None
    ahr_score: float | None = None


@dataclass(frozen=True)
class PerformanceReport(_Serializable):
    """A parsed seller performance report: one entry per marketplace, and what could not be read."""
    marketplaces: tuple[MarketplacePerformance, ...]
    warnings: tuple[str, ...] = ()
    source: str | None = None

    def marketplace(self, marketplace_id: str | None = None) -> MarketplacePerformance | None:
        """The given marketplace, or the first one."""
        for mp in self.marketplaces:
            if marketplace_id is None or mp.marketplace_id == marketplace_id:
                return mp
        return None


# --------------------------------------------------------------------------------------------------
# Parsing


def _cfg() -> dict[str, Any]:
    return assets.load_toml("metrics.toml")["performance"]


def _norm(key: str) -> str:
    return re.sub(r"[^0-9a-z]", "", key.lower())


def _get(obj: Any, names: list[str]) -> Any:
    """The value of the first key of ``obj`` matching one of ``names`` (case / punctuation ignored)."""
    if not isinstance(obj, Mapping):
        return None
    wanted = [_norm(n) for n in names]
    index = {_norm(str(k)): v for k, v in obj.items()}
    for w in wanted:
        if w in index:
            return index[w]
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, Mapping):
        value = _get(value, ["count", "value"])
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Mapping):
        value = _get(value, ["value", "rate"])
    try:
        return float(str(value).strip().rstrip("%")) / (100 if str(value).strip().endswith("%") else 1)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc)
    return stamp.date()


def _window(section: Any) -> tuple[dt.date | None, dt.date | None]:
    rng = _get(section, ["reportingDateRange", "dateRange"])
    if not isinstance(rng, Mapping):
        return None, None
    return (_date(_get(rng, ["reportingDateFrom", "from", "startDate"])),
            _date(_get(rng, ["reportingDateTo", "to", "endDate"])))


def _metric(key: str, family: str, section: Mapping[str, Any]) -> AmazonMetric:
    cfg = _cfg()
    start, end = _window(section)
    numerator = _count(_get(section, cfg["numerator"][family]))
    denominator = _count(_get(section, cfg["denominator"][family]))
    rate = _float(_get(section, ["rate"]))
    if rate is None and numerator is not None and denominator:
        rate = numerator / denominator
    components: dict[str, int] = {}
    if family == "odr":
        for name, keys in cfg["odr_components"].items():
            c = _count(_get(section, keys))
            if c is not None:
                components[name] = c
    status = _get(section, ["status"])
    cond = _get(section, ["targetCondition"])
    return AmazonMetric(key=key, rate=rate, numerator=numerator, denominator=denominator,
                        window_start=start, window_end=end,
                        status=str(status) if status is not None else None,
                        target=_float(_get(section, ["targetValue", "target"])),
                        target_condition=str(cond) if cond is not None else None, components=components)


def _lsr_key(start: dt.date | None, end: dt.date | None) -> str:
    cfg = _cfg()
    if start is None or end is None:
        return cfg["lsr_default"]
    return "lsr_10d" if (end - start).days + 1 <= int(cfg["lsr_split_days"]) else "lsr_30d"


def _payload(obj: Any) -> Any:
    if isinstance(obj, Mapping) and _get(obj, ["payload"]) is not None and _get(obj, _cfg()["top_keys"]) is None:
        return _get(obj, ["payload"])
    return obj


def is_performance_report(obj: Any) -> bool:
    """Whether a decoded JSON value looks like Amazon's seller performance report."""
    obj = _payload(obj)
    if not isinstance(obj, Mapping):
        return False
    pm = _get(obj, ["performanceMetrics"])
    if isinstance(pm, (list, Mapping)):
        return True
    return isinstance(_get(obj, ["accountStatuses"]), list)


def _marketplace(entry: Mapping[str, Any], statuses: dict[str | None, str], warnings: list[str]) -> MarketplacePerformance:
    cfg = _cfg()
    mp_id = _get(entry, ["marketplaceId"])
    found: dict[str, AmazonMetric] = {}
    for family, names in cfg["sections"].items():
        for name in names:
            section = _get(entry, [name])
            if section is None:
                continue
            if family == "odr":
                if not isinstance(section, Mapping):
                    warnings.append(f"{name}: expected an object with mfn / afn")
                    continue
                for channel in ("mfn", "afn"):
                    sub = _get(section, [channel])
                    if isinstance(sub, Mapping):
                        found.setdefault(f"odr_{channel}", _metric(f"odr_{channel}", "odr", sub))
            elif family == "lsr":
                items = section if isinstance(section, list) else [section]
                for item in items:
                    if isinstance(item, Mapping):
                        key = _lsr_key(*_window(item))
                        found.setdefault(key, _metric(key, "lsr", item))
            elif isinstance(section, Mapping):
                found.setdefault(family, _metric(family, family, section))
            else:
                warnings.append(f"{name}: expected an object, found {type(section).__name__}")
    ahr = _get(entry, ["accountHealthRating"])
    return MarketplacePerformance(
        marketplace_id=str(mp_id) if mp_id is not None else None,
        account_status=statuses.get(str(mp_id) if mp_id is not None else None) or statuses.get(None),
        metrics=found,
        ahr_status=(str(_get(ahr, ["ahrStatus", "status"])) if _get(ahr, ["ahrStatus", "status"]) else None),
        ahr_score=_float(_get(ahr, ["ahrScore", "score"]) if ahr is not None else _get(entry, ["ahrScore"])))


def parse_performance(obj: Any, *, source: str | None = None) -> PerformanceReport:
    """A :class:`PerformanceReport` from the decoded JSON; unknown parts become warnings, never errors."""
    obj = _payload(obj)
    warnings: list[str] = []
    if not is_performance_report(obj):
        raise UnreadableFileError("not a GET_V2_SELLER_PERFORMANCE_REPORT JSON (no performanceMetrics)",
                                  path=source)
    statuses: dict[str | None, str] = {}
    for st in _get(obj, ["accountStatuses"]) or []:
        if isinstance(st, Mapping) and _get(st, ["status"]) is not None:
            mp = _get(st, ["marketplaceId"])
            statuses[str(mp) if mp is not None else None] = str(_get(st, ["status"]))
    entries = _get(obj, ["performanceMetrics"]) or []
    if isinstance(entries, Mapping):
        entries = [entries]
    marketplaces = []
    for entry in entries:
        if isinstance(entry, Mapping):
            marketplaces.append(_marketplace(entry, statuses, warnings))
        else:
            warnings.append(f"performanceMetrics entry is {type(entry).__name__}, not an object: skipped")
    if not marketplaces and statuses:
        marketplaces = [MarketplacePerformance(marketplace_id=k, account_status=v, metrics={})
                        for k, v in statuses.items()]
    return PerformanceReport(marketplaces=tuple(marketplaces), warnings=tuple(warnings), source=source)


def load_performance(path: str | Path) -> PerformanceReport:
    """Read and parse a performance report file (``.json`` or ``.json.gz``)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        obj = json.loads(raw.decode("utf-8-sig"))
    except (OSError, ValueError, EOFError) as exc:
        raise UnreadableFileError(f"cannot read the performance report JSON: {exc}", path=str(path),
                                  hint="export GET_V2_SELLER_PERFORMANCE_REPORT again") from exc
    return parse_performance(obj, source=str(path))
