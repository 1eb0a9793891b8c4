"""Amazon's own numbers: the ``GET_V2_SELLER_PERFORMANCE_REPORT`` JSON, parsed tolerantly and reconciled.

The payload's shape (report-formats.md) varies: Amazon's schema and example disagree on names
(``preFulfillmentCancellationRate`` vs ``prefulfillmentCancelRate``), statuses outside the schema appear
(``SUSPENDED``), counts come as numbers or ``{"count": n, "status": ..}``, and real payloads add
``lateShipmentRateList`` (10- and 30-day windows) and ``ahrScore``. Key names are therefore matched
ignoring case and punctuation, through the lists in ``data/metrics.toml`` ``[performance]``.

:func:`reconcile` puts each of Amazon's numbers beside sellerdx's, recomputes sellerdx's on Amazon's
window, and explains every gap in words with numbers.
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

import duckdb

from . import assets, metrics, store
from .errors import UnreadableFileError
from .metrics import MetricParams
from .model import MetricResult, Serializable


# --------------------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class AmazonMetric(Serializable):
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
class MarketplacePerformance(Serializable):
    """Amazon's metrics for one marketplace."""
    marketplace_id: str | None
    account_status: str | None
    metrics: dict[str, AmazonMetric]
    ahr_status: str | None = None
    ahr_score: float | None = None


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


@dataclass(frozen=True)
class Reconciliation(Serializable):
    """Amazon's number beside sellerdx's for one metric and marketplace, with the gap explained."""
    marketplace_id: str | None
    metric: str
    label: str
    amazon: AmazonMetric
    ours: MetricResult
    ours_on_amazon_window: MetricResult | None
    gap: float | None                       # ours.rate - amazon.rate
    explanations: tuple[str, ...]


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


# --------------------------------------------------------------------------------------------------
# Reconciliation


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _pct(rate: float | None) -> str:
    return "no rate" if rate is None else f"{rate * 100:.2f}%"


def _frac(k: int | None, n: int | None, rate: float | None) -> str:
    if k is None or n is None:
        return _pct(rate)
    return f"{k} of {n} ({_pct(rate)})"


def _days(start: dt.date | None, end: dt.date | None) -> str:
    if start is None or end is None:
        return "an unstated window"
    return f"{start.isoformat()} to {end.isoformat()} ({(end - start).days + 1} days)"


_COMPONENT_KIND = {"negative_feedback": ("negative_feedback", "negative feedback", "feedback"),
                   "claims": ("a_to_z_claim", "A-to-z claims", "claims"),
                   "chargebacks": ("chargeback", "chargebacks", "chargebacks")}


def _unmatched_since(unmatched: list[dict[str, Any]], kind: str, start: dt.date | None) -> int:
    return sum(1 for u in unmatched if u["kind"] == kind
               and (start is None or u["defect_date"] is None or u["defect_date"] >= start))


def _explain(amazon: AmazonMetric, ours: MetricResult, same: MetricResult | None, *,
             as_of: dt.date, params: MetricParams, span: tuple[dt.date | None, dt.date | None],
             supplied: set[str], unmatched: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    label = ours.label
    if amazon.rate is None and amazon.denominator is None:
        return [f"Amazon's report gives no number for {label}."]
    if ours.status == "not_computed":
        reason = (ours.note or "").removeprefix("not computed: ")
        out.append(f"sellerdx could not recompute {label}: {reason}. Amazon reports "
                   f"{_frac(amazon.numerator, amazon.denominator, amazon.rate)}.")
        return out
    # 1. windows
    same_window = (amazon.window_start, amazon.window_end) == (ours.window_start, ours.window_end)
    if amazon.window_end is not None and not same_window:
        text = (f"Different windows: Amazon counts purchases from {_days(amazon.window_start, amazon.window_end)}, "
                f"sellerdx from {_days(ours.window_start, ours.window_end)} (as-of {as_of.isoformat()}")
        if ours.key.startswith("odr"):
            text += f", ODR lag {params.odr_lag_days} days"
        text += ")."
        if ours.key.startswith("odr"):
            lag = (as_of - amazon.window_end).days
            if lag != params.odr_lag_days and lag >= 0:
                text += (f" Amazon's window ends {lag} days before sellerdx's as-of; an ODR lag of {lag} days "
                         "would align them.")
        out.append(text)
    if same is not None and not same_window:
        out.append(f"On Amazon's window sellerdx counts {_frac(same.numerator, same.denominator, same.rate)} "
                   f"(on its own window {_frac(ours.numerator, ours.denominator, ours.rate)}).")
    ref = same if same is not None else ours
    # 2. coverage of the orders data
    first, last = span
    if amazon.window_start and first and first > amazon.window_start:
        out.append(f"The orders data starts on {first.isoformat()}, {(first - amazon.window_start).days} days "
                   f"after Amazon's window starts ({amazon.window_start.isoformat()}): the orders before it are "
                   "missing from sellerdx's count.")
    if amazon.window_end and last and last < amazon.window_end:
        out.append(f"The orders data ends on {last.isoformat()}, {(amazon.window_end - last).days} days before "
                   f"Amazon's window ends ({amazon.window_end.isoformat()}).")
    # 3. denominator
    if amazon.denominator is not None and ref.denominator != amazon.denominator:
        diff = ref.denominator - amazon.denominator
        gaps = _cfg()["denominator_gap"]
        gap = gaps.get(ours.key, gaps["default"])
        why = " ".join((gap["fewer"] if diff < 0 else gap["more"]).split())
        out.append(f"Denominator: Amazon counts {amazon.denominator} {gap['noun']}, sellerdx {ref.denominator} "
                   f"on the same window ({diff:+d}). "
                   + why.format(pending=int((ref.extras or {}).get("pending", 0))))
    # 4. numerator, with the ODR parts
    if amazon.numerator is not None and ref.numerator != amazon.numerator:
        diff = ref.numerator - amazon.numerator
        out.append(f"Numerator: Amazon counts {amazon.numerator}, sellerdx {ref.numerator} ({diff:+d}).")
    if amazon.components:
        ref_extras = ref.extras or {}
        for comp, (kind, words, export) in _COMPONENT_KIND.items():
            if comp not in amazon.components:
                continue
            a, b = amazon.components[comp], int(ref_extras.get(comp, 0))
            if a == b:
                continue
            if export not in supplied:
                out.append(f"Amazon counts {_n(a, 'order')} with {words}; sellerdx {b} because no {export} "
                           "export was supplied.")
                continue
            text = f"Amazon counts {_n(a, 'order')} with {words}, sellerdx {b}."
            n_unmatched = _unmatched_since(unmatched, kind, amazon.window_start)
            if b < a and n_unmatched:
                text += (f" {_n(n_unmatched, 'defect')} of this kind in the exports, dated from the window's start, "
                         f"{'refers' if n_unmatched == 1 else 'refer'} to orders that are not in the orders data, "
                         "so sellerdx cannot place them in a window.")
            elif b < a:
                text += " The export may be older than Amazon's report or cover a shorter period."
            else:
                text += (" Amazon may have removed feedback or decided claims since the export was made, "
                         "or the export holds defects Amazon does not count.")
            out.append(text)
    elif amazon.numerator is not None and ref.numerator < amazon.numerator:
        kinds = {"pfcr": "seller_cancellation", "lsr_10d": "late_shipment", "lsr_30d": "late_shipment"}
        kind = kinds.get(ours.key)
        if kind:
            n_unmatched = _unmatched_since(unmatched, kind, amazon.window_start)
            if n_unmatched:
                out.append(f"{_n(n_unmatched, kind.replace('_', ' ') + ' row')} in the exports "
                           f"{'refers' if n_unmatched == 1 else 'refer'} to orders that are not in the orders data.")
    if amazon.numerator is None and amazon.denominator is None and amazon.rate is not None \
            and ref.rate is not None and abs(ref.rate - amazon.rate) > 1e-9:
        out.append(f"Amazon reports {_pct(amazon.rate)} without counts; sellerdx {_pct(ref.rate)} on the same "
                   "window.")
    if ours.note:
        out.append(f"Note on sellerdx's number: {ours.note}.")
    counts_match = (amazon.numerator is not None and amazon.denominator is not None
                    and ref.numerator == amazon.numerator and ref.denominator == amazon.denominator)
    if counts_match:
        out.append(f"On Amazon's window sellerdx's recomputation matches: "
                   f"{_frac(ref.numerator, ref.denominator, ref.rate)}.")
    return out


def reconcile(perf: PerformanceReport, results: Mapping[str, MetricResult], con: duckdb.DuckDBPyConnection,
              params: MetricParams | None = None) -> list[Reconciliation]:
    """Amazon's numbers beside sellerdx's, one :class:`Reconciliation` per (marketplace, metric).

    For every metric Amazon reports with a window, sellerdx's metric is also recomputed on that window
    (:func:`sellerdx.metrics.metric_on_window`), so the explanation separates the window difference from
    differences in the data (missing exports, unmatched defects, orders missing from the export).
    """
    params = params or MetricParams()
    metrics.prepare(con)
    as_of = metrics.resolve_as_of(con, params.as_of)
    span = metrics.order_span(con)
    supplied = store.supplied_kinds(con)
    unmatched = metrics.unmatched_defects(con, params)
    unmatched_rows = [{"kind": k, "defect_date": (d.date() if hasattr(d, "date") and d == d else None)}
                      for k, d in zip(unmatched["kind"], unmatched["defect_date"])]
    out: list[Reconciliation] = []
    for mp in perf.marketplaces:
        for key in metrics.METRIC_KEYS:
            amazon = mp.metrics.get(key)
            ours = results.get(key)
            if amazon is None or ours is None:
                continue
            same = None
            if (amazon.window_start and amazon.window_end and amazon.window_start <= amazon.window_end
                    and ours.status != "not_computed"):
                same = metrics.metric_on_window(con, key, amazon.window_start, amazon.window_end, params)
            gap = (ours.rate - amazon.rate) if ours.rate is not None and amazon.rate is not None else None
            out.append(Reconciliation(
                marketplace_id=mp.marketplace_id, metric=key, label=ours.label, amazon=amazon, ours=ours,
                ours_on_amazon_window=same, gap=gap,
                explanations=tuple(_explain(amazon, ours, same, as_of=as_of, params=params, span=span,
                                            supplied=supplied, unmatched=unmatched_rows))))
    return out
