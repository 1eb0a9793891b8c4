"""Amazon's own numbers: the ``GET_V2_SELLER_PERFORMANCE_REPORT`` JSON, parsed tolerantly.

The payload's shape (report-formats.md, metrics-spec.md) varies: Amazon's schema and example disagree on
names (``preFulfillmentCancellationRate`` vs ``prefulfillmentCancelRate``, ``documentRequests`` vs
``documentRequest``, ``warningStates`` vs ``warningState``, ``accountHealthRatingStatus`` vs ``ahrStatus``),
statuses outside the schema appear (``SUSPENDED``), counts come as numbers or ``{"count": n, "status": ..}``,
timestamps may lack seconds (``2020-11-18T23:59Z``), the example's ``afn`` block says
``fulfillmentType: "mfn"`` (the block's key is trusted), and real payloads add ``lateShipmentRateList``
(10- and 30-day windows) and ``ahrScore``. Key names are therefore matched ignoring case and punctuation,
through the lists in ``data/metrics.toml`` ``[performance]`` (the metrics sellerdx recomputes) and
``data/amazon.toml`` (account status, Account Health Rating, policy metrics, Invoice Defect Rate).

Nothing is dropped: a metric name sellerdx does not know yet is kept as one of Amazon's figures
(``known=False``) and listed. Impossible counts and windows are named by :mod:`sellerdx.amazon.checks`.
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
from ..model import Serializable
from .checks import check_figure

# --------------------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class AmazonMetric(Serializable):
    """One metric as Amazon reports it, keyed like sellerdx's (odr_mfn, pfcr, lsr_10d, ...) when sellerdx
    recomputes it, else by its own key (idr, listing_policy_violations, ...; an unknown name in snake case).
    """
    key: str
    rate: float | None                 # None when Amazon gives none or its counts are impossible
    numerator: int | None              # policy metrics: Amazon's defectsCount
    denominator: int | None
    window_start: dt.date | None
    window_end: dt.date | None
    status: str | None                 # Amazon's own status word (GOOD, BAD, POOR, NONE, ...)
    target: float | None = None
    target_condition: str | None = None
    components: dict[str, int] = field(default_factory=dict)   # odr: negative_feedback, claims, chargebacks;
                                                                # idr: missing_invoice, late_invoice
    label: str = ""                    # what the report calls it
    name: str = ""                     # Amazon's JSON name (listingPolicyViolations, ...)
    group: str = "rate"                # rate (recomputable), invoice, policy, other (a name not known yet)
    known: bool = True                 # False: a metric name sellerdx does not know yet, kept as Amazon's figure
    bad: bool = False                  # Amazon marks it bad (its status, else its own target)
    problems: tuple[str, ...] = ()     # impossible counts / window, in words (sellerdx.amazon.checks)
    counts_valid: bool = True          # False: the counts are impossible and the rate is not used
    window_valid: bool = True          # False: the reporting range ends before it starts
    amazon_rate: float | None = None   # the rate field exactly as Amazon wrote it (even when not usable)


@dataclass(frozen=True)
class MarketplacePerformance(Serializable):
    """Amazon's metrics and verdict for one marketplace."""
    marketplace_id: str | None
    account_status: str | None
    metrics: dict[str, AmazonMetric]
    ahr_status: str | None = None
    ahr_score: float | None = None
    ahr_band: str | None = None                        # Amazon's band of the score: healthy, at risk, unhealthy
    ahr_window: tuple[dt.date | None, dt.date | None] = (None, None)
    warning_states: tuple[tuple[str, str], ...] = ()   # (warningType, status)

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """(earliest start, latest end) over the valid reporting ranges of the metrics."""
        starts = [m.window_start for m in self.metrics.values() if m.window_start and m.window_valid]
        ends = [m.window_end for m in self.metrics.values() if m.window_end and m.window_valid]
        return (min(starts) if starts else None, max(ends) if ends else None)


@dataclass(frozen=True)
class PerformanceReport(Serializable):
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

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """(earliest start, latest end) of the reporting ranges over every marketplace."""
        spans = [mp.period for mp in self.marketplaces]
        starts = [s for s, _ in spans if s]
        ends = [e for _, e in spans if e]
        return (min(starts) if starts else None, max(ends) if ends else None)


# --------------------------------------------------------------------------------------------------
# Parsing


def performance_cfg() -> dict[str, Any]:
    """``[performance]`` of ``data/metrics.toml``: the names Amazon's report uses for each metric."""
    return assets.load_toml("metrics.toml")["performance"]


def amazon_cfg() -> dict[str, Any]:
    """``data/amazon.toml``: status words, AHR bands, labels and exports of Amazon's figures."""
    return assets.load_toml("amazon.toml")


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
        stamp = stamp.astimezone(dt.UTC)
    return stamp.date()


def _window(section: Any) -> tuple[dt.date | None, dt.date | None]:
    """(from, to) of the section's ``reportingDateRange`` as UTC dates (seconds optional)."""
    rng = _get(section, ["reportingDateRange", "dateRange"])
    if not isinstance(rng, Mapping):
        return None, None
    return (_date(_get(rng, ["reportingDateFrom", "from", "startDate"])),
            _date(_get(rng, ["reportingDateTo", "to", "endDate"])))


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def _words(name: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").strip()
    return text[:1].upper() + text[1:].lower()


def _status(section: Any) -> str | None:
    status = _get(section, ["status"])
    return str(status) if status is not None and not isinstance(status, (Mapping, list)) else None


def _is_bad(status: str | None, rate: float | None, count: int | None, target: float | None,
            condition: str | None) -> bool:
    """Amazon marks it bad: by its status word, else (no status) by its own target and condition."""
    bad_words = {s.upper() for s in amazon_cfg()["metric_status"]["bad"]}
    if status is not None and status.strip():
        return status.strip().upper() in bad_words
    value = rate if rate is not None else (float(count) if count is not None else None)
    if value is None or target is None or not condition:
        return False
    cond = condition.upper()
    if cond == "LESS_THAN":
        return not value < target
    if cond == "GREATER_THAN":
        return not value > target
    if cond == "EQUALS":
        return value != target
    return False


def _figure(key: str, section: Mapping[str, Any], *, label: str, name: str, group: str, known: bool,
            numerator_names: list[str], denominator_names: list[str],
            parts: Mapping[str, list[str]] | None = None) -> AmazonMetric:
    """One of Amazon's figures from its JSON object, checked (sellerdx.amazon.checks)."""
    start, end = _window(section)
    num_name = next((n for n in numerator_names if _get(section, [n]) is not None), numerator_names[0]
                    if numerator_names else "count")
    den_name = next((n for n in denominator_names if _get(section, [n]) is not None), denominator_names[0]
                    if denominator_names else "total")
    numerator = _count(_get(section, numerator_names)) if numerator_names else None
    denominator = _count(_get(section, denominator_names)) if denominator_names else None
    raw_rate = _float(_get(section, ["rate"]))
    components: dict[str, int] = {}
    for part, keys in (parts or {}).items():
        c = _count(_get(section, keys))
        if c is not None:
            components[part] = c
    checked = check_figure(label, numerator=(num_name, numerator), denominator=(den_name, denominator),
                           parts=components, rate=raw_rate, window=(start, end))
    rate = raw_rate
    if rate is None and numerator is not None and denominator:
        rate = numerator / denominator
    if not checked.counts_valid:
        rate = None
    status = _status(section)
    target = _float(_get(section, ["targetValue", "target"]))
    cond = _get(section, ["targetCondition"])
    cond = str(cond) if cond is not None else None
    return AmazonMetric(key=key, rate=rate, numerator=numerator, denominator=denominator,
                        window_start=start, window_end=end, status=status, target=target,
                        target_condition=cond, components=components, label=label, name=name, group=group,
                        known=known,
                        bad=_is_bad(status, rate if checked.counts_valid else None,
                                    numerator if denominator is None else None, target, cond),
                        problems=checked.problems, counts_valid=checked.counts_valid,
                        window_valid=checked.window_valid, amazon_rate=raw_rate)


def _label(key: str) -> str:
    rec = amazon_cfg()["recomputable"].get(key, {})
    return rec.get("label") or _words(key)


def _metric(key: str, family: str, section: Mapping[str, Any], name: str) -> AmazonMetric:
    cfg = performance_cfg()
    return _figure(key, section, label=_label(key), name=name, group="rate", known=True,
                   numerator_names=cfg["numerator"][family], denominator_names=cfg["denominator"][family],
                   parts=cfg["odr_components"] if family == "odr" else None)


def _lsr_key(start: dt.date | None, end: dt.date | None) -> str:
    cfg = performance_cfg()
    if start is None or end is None:
        return cfg["lsr_default"]
    return "lsr_10d" if (end - start).days + 1 <= int(cfg["lsr_split_days"]) else "lsr_30d"


def _payload(obj: Any) -> Any:
    if isinstance(obj, Mapping) and _get(obj, ["payload"]) is not None and _get(obj, performance_cfg()["top_keys"]) is None:
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


_DENOMINATOR_WORDS = ("ordercount", "shipmentcount", "shipmentcountwithvalidtracking", "totalunitcount",
                      "unitcount", "totalcount")


def _unknown(name: str, value: Any, warnings: list[str]) -> list[AmazonMetric]:
    """A metric name sellerdx does not know yet: kept as Amazon's figure, never dropped."""
    items = value if isinstance(value, list) else [value]
    out: list[AmazonMetric] = []
    key = _snake(name)
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            warnings.append(f"{name}: an unknown part of Amazon's report that is not a metric object "
                            f"({type(item).__name__}); shown as is: {json.dumps(item, default=str)[:80]}")
            continue
        keys = [str(k) for k in item]
        counts = [k for k in keys if _norm(k).endswith("count") and _count(item[k]) is not None]
        den = [k for k in counts if _norm(k) in _DENOMINATOR_WORDS]
        num = [k for k in counts if k not in den]
        out.append(_figure(key if len(items) == 1 else f"{key}_{i + 1}", item, label=_words(name), name=name,
                           group="other", known=False, numerator_names=num[:1], denominator_names=den[:1]))
    return out


def _names(cfg_names: list[str]) -> set[str]:
    return {_norm(n) for n in cfg_names}


def _marketplace(entry: Mapping[str, Any], statuses: dict[str | None, str],
                 warnings: list[str]) -> MarketplacePerformance:
    cfg, acfg = performance_cfg(), amazon_cfg()
    mp_id = _get(entry, ["marketplaceId"])
    found: dict[str, AmazonMetric] = {}
    handled = {_norm("marketplaceId")}
    for family, names in cfg["sections"].items():
        handled |= _names(names)
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
                        said = _get(sub, ["fulfillmentType"])
                        if isinstance(said, str) and said.strip().lower() != channel:
                            warnings.append(f"{name}.{channel} says fulfillmentType {said!r}: read as "
                                            f"{channel.upper()}, the block's key (Amazon's example has this slip)")
                        found.setdefault(f"odr_{channel}", _metric(f"odr_{channel}", "odr", sub, f"{name}.{channel}"))
            elif family == "lsr":
                items = section if isinstance(section, list) else [section]
                for item in items:
                    if isinstance(item, Mapping):
                        key = _lsr_key(*_window(item))
                        found.setdefault(key, _metric(key, "lsr", item, name))
            elif isinstance(section, Mapping):
                found.setdefault(family, _metric(family, family, section, name))
            else:
                warnings.append(f"{name}: expected an object, found {type(section).__name__}")
    for key, fig in acfg["figures"].items():
        handled |= _names(fig["names"])
        for name in fig["names"]:
            section = _get(entry, [name])
            if section is None:
                continue
            if not isinstance(section, Mapping):
                warnings.append(f"{name}: expected an object, found {type(section).__name__}")
                break
            found.setdefault(key, _figure(
                key, section, label=fig["label"], name=name, group=fig["group"], known=True,
                numerator_names=fig.get("numerator", acfg["policy"]["count"]),
                denominator_names=fig.get("denominator", []), parts=fig.get("parts")))
            break
    # Account Health Rating
    ahr_cfg = acfg["ahr"]
    handled |= _names(ahr_cfg["names"]) | _names(ahr_cfg["score_names"]) | _names(ahr_cfg["status_names"])
    ahr = _get(entry, ahr_cfg["names"])
    ahr_status = _get(ahr, ahr_cfg["status_names"]) if isinstance(ahr, Mapping) else (
        _get(entry, ahr_cfg["status_names"]))
    score = _get(ahr, ahr_cfg["score_names"]) if isinstance(ahr, Mapping) else None
    if score is None:
        score = _get(entry, ahr_cfg["score_names"])
    ahr_score = _float(score)
    band = None
    if ahr_score is not None:
        band = next((b["band"] for b in ahr_cfg["bands"] if b["min"] <= ahr_score <= b["max"]), None)
    # warning states
    handled |= _names(acfg["policy"]["warning_states"])
    states = []
    for st in _get(entry, acfg["policy"]["warning_states"]) or []:
        if isinstance(st, Mapping):
            states.append((str(_get(st, ["warningType"]) or "warning"), str(_get(st, ["status"]) or "")))
    # anything else: a metric sellerdx does not know yet
    for raw_name, value in entry.items():
        if _norm(str(raw_name)) in handled:
            continue
        for fig in _unknown(str(raw_name), value, warnings):
            found.setdefault(fig.key, fig)
    mp_key = str(mp_id) if mp_id is not None else None
    return MarketplacePerformance(
        marketplace_id=mp_key,
        account_status=statuses.get(mp_key) or statuses.get(None),
        metrics=found,
        ahr_status=str(ahr_status) if ahr_status not in (None, "") else None,
        ahr_score=ahr_score, ahr_band=band,
        ahr_window=_window(ahr) if isinstance(ahr, Mapping) else (None, None),
        warning_states=tuple(states))


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
    # a marketplace with a status but no metrics (Amazon's example: three statuses, one metrics entry)
    seen = {mp.marketplace_id for mp in marketplaces}
    marketplaces += [MarketplacePerformance(marketplace_id=k, account_status=v, metrics={})
                     for k, v in statuses.items() if k not in seen and (k is not None or not marketplaces)]
    return PerformanceReport(marketplaces=tuple(marketplaces), warnings=tuple(warnings), source=source)


def load_performance(path: str | Path) -> PerformanceReport:
    """Read and parse a performance report file (``.json`` or ``.json.gz``)."""
    return parse_performance(read_json(path), source=str(path))


def read_json(path: str | Path) -> Any:
    """The decoded JSON of a performance report file (``.json`` or ``.json.gz``); exit-2 error if unreadable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return json.loads(raw.decode("utf-8-sig"))
    except (OSError, ValueError, EOFError) as exc:
        raise UnreadableFileError(f"cannot read the performance report JSON: {exc}", path=str(path),
                                  hint="export GET_V2_SELLER_PERFORMANCE_REPORT again") from exc


__all__ = ["AmazonMetric", "MarketplacePerformance", "PerformanceReport", "amazon_cfg",
           "is_performance_report", "load_performance", "parse_performance", "read_json"]
