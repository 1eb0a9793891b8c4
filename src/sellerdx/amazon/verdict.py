"""Amazon's verdict, shown first: account status per marketplace, Account Health Rating, every metric Amazon
marks bad (recomputable or not), the Invoice Defect Rate and the policy-compliance metrics.

:func:`amazon_verdict` turns the parsed reports (and sellerdx's own metrics, to say which of Amazon's
figures sellerdx recomputes) into an :class:`AmazonVerdict` that the terminal headline, the report banner
and ``summary.json`` all read. ``at_risk`` is what makes ``sellerdx analyze`` exit 1 even when sellerdx's
own metrics are fine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model import MetricResult, Serializable
from .report import AmazonMetric, MarketplacePerformance, PerformanceReport, amazon_cfg

NOT_RECOMPUTABLE = "Amazon's figure — not recomputable from these exports"


@dataclass(frozen=True)
class AccountStatus(Serializable):
    """Amazon's account status in one marketplace."""
    marketplace_id: str | None
    marketplace: str                 # Amazon.com, Amazon.de, ... (the id when unknown)
    status: str
    bad: bool


@dataclass(frozen=True)
class HealthRating(Serializable):
    """Amazon's Account Health Rating in one marketplace (status and/or 0-1000 score with Amazon's band)."""
    marketplace_id: str | None
    marketplace: str
    status: str | None
    score: float | None
    band: str | None                 # healthy (200+), at risk (100-199), unhealthy (0-99)
    bad: bool
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Figure(Serializable):
    """One of Amazon's metrics as the verdict lists it."""
    marketplace_id: str | None
    marketplace: str
    key: str
    label: str
    group: str                       # rate, invoice, policy, other (a name sellerdx does not know yet)
    status: str | None               # Amazon's status word
    bad: bool                        # Amazon marks it bad
    value: str                       # "86", "315 of 9,001 (3.50%)", "impossible counts: ..."
    window_start: dt.date | None
    window_end: dt.date | None
    recomputable: bool               # sellerdx recomputed it from the exports
    note: str | None                 # "Amazon's figure — not recomputable from these exports (needs ...)"
    parts: dict[str, int]
    problems: tuple[str, ...]
    known: bool = True


@dataclass(frozen=True)
class AmazonVerdict(Serializable):
    """Everything Amazon itself says about the account, worst first."""
    accounts: tuple[AccountStatus, ...]
    ratings: tuple[HealthRating, ...]
    figures: tuple[Figure, ...]
    warning_states: tuple[tuple[str, str, str], ...]   # (marketplace, warningType, status)
    problems: tuple[str, ...]                          # impossible counts / windows, in words
    at_risk: bool
    headline: str

    @property
    def bad(self) -> tuple[Figure, ...]:
        """Every metric Amazon marks bad."""
        return tuple(f for f in self.figures if f.bad)

    @property
    def invoice(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.group == "invoice")

    @property
    def policy(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.group == "policy")

    @property
    def unknown(self) -> tuple[Figure, ...]:
        """Metrics whose names sellerdx does not know yet: listed as Amazon's figures."""
        return tuple(f for f in self.figures if not f.known)


def marketplace_name(marketplace_id: str | None) -> str:
    """Amazon.com for ATVPDKIKX0DER, ...; the id itself when unknown."""
    if marketplace_id is None:
        return "all marketplaces"
    return amazon_cfg()["marketplaces"].get(marketplace_id, marketplace_id)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


def value_text(m: AmazonMetric) -> str:
    """Amazon's figure in words: counts with their denominator and rate, or the count alone."""
    if not m.counts_valid:
        counts = (f"{m.numerator:,} of {m.denominator:,}" if m.numerator is not None and m.denominator is not None
                  else (f"{m.numerator:,}" if m.numerator is not None else "—"))
        return f"{counts} — impossible counts, rate not used"
    if m.numerator is not None and m.denominator is not None:
        return f"{m.numerator:,} of {m.denominator:,} ({_pct(m.rate)})"
    if m.numerator is not None:
        return f"{m.numerator:,}"
    return _pct(m.rate)


def _needs(m: AmazonMetric, ours: MetricResult | None) -> str | None:
    cfg = amazon_cfg()
    if m.group == "rate" and ours is not None and ours.status != "not_computed":
        return None
    if ours is not None and ours.note:
        reason = ours.note.removeprefix("not computed: ")
        return f"{NOT_RECOMPUTABLE}: {reason}"
    fig = cfg["figures"].get(m.key)
    if fig and fig.get("needs"):
        return f"{NOT_RECOMPUTABLE}: {fig['needs']}"
    if not m.known:
        return f"{NOT_RECOMPUTABLE}: a metric sellerdx does not know yet ({m.name})"
    return NOT_RECOMPUTABLE


def _figure(mp: MarketplacePerformance, m: AmazonMetric, results: Mapping[str, MetricResult]) -> Figure:
    ours = results.get(m.key)
    note = _needs(m, ours)
    return Figure(marketplace_id=mp.marketplace_id, marketplace=marketplace_name(mp.marketplace_id), key=m.key,
                  label=m.label or m.key, group=m.group, status=m.status, bad=m.bad, value=value_text(m),
                  window_start=m.window_start, window_end=m.window_end, recomputable=note is None, note=note,
                  parts=dict(m.components), problems=m.problems, known=m.known)


_GROUP_ORDER = {"rate": 0, "invoice": 1, "policy": 2, "other": 3}


def amazon_verdict(reports: Sequence[PerformanceReport],
                   results: Mapping[str, MetricResult] | None = None) -> AmazonVerdict | None:
    """Amazon's verdict over the performance reports of the folder; ``None`` without any."""
    if not reports:
        return None
    results = results or {}
    cfg = amazon_cfg()
    bad_accounts = {s.upper() for s in cfg["account_status"]["bad"]}
    bad_ahr = {s.upper() for s in cfg["ahr"]["bad_status"]}
    band_bad = {b["band"]: bool(b["bad"]) for b in cfg["ahr"]["bands"]}
    accounts: list[AccountStatus] = []
    ratings: list[HealthRating] = []
    figures: list[Figure] = []
    states: list[tuple[str, str, str]] = []
    problems: list[str] = []
    for perf in reports:
        for mp in perf.marketplaces:
            name = marketplace_name(mp.marketplace_id)
            if mp.account_status:
                accounts.append(AccountStatus(mp.marketplace_id, name, mp.account_status,
                                              mp.account_status.strip().upper() in bad_accounts))
            if mp.ahr_status or mp.ahr_score is not None:
                bad = ((mp.ahr_status or "").strip().upper() in bad_ahr) or band_bad.get(mp.ahr_band or "", False)
                ratings.append(HealthRating(mp.marketplace_id, name, mp.ahr_status, mp.ahr_score, mp.ahr_band, bad,
                                            *mp.ahr_window, note=f"{NOT_RECOMPUTABLE}: {cfg['ahr']['needs']}"))
            for m in mp.metrics.values():
                figures.append(_figure(mp, m, results))
                problems.extend(f"{name}: {p}" if len(perf.marketplaces) > 1 else p for p in m.problems)
            states.extend((name, t, s) for t, s in mp.warning_states)
    figures.sort(key=lambda f: (not f.bad, _GROUP_ORDER.get(f.group, 9)))
    accounts.sort(key=lambda a: not a.bad)
    at_risk = (any(a.bad for a in accounts) or any(r.bad for r in ratings) or any(f.bad for f in figures))
    return AmazonVerdict(tuple(accounts), tuple(ratings), tuple(figures), tuple(states),
                         tuple(dict.fromkeys(problems)), at_risk, _headline(accounts, ratings, figures))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def rating_text(r: HealthRating) -> str:
    """"WARNED, 150 points (at risk: 100-199)"."""
    parts = [r.status] if r.status else []
    if r.score is not None:
        parts.append(f"{r.score:g} points" + (f" ({r.band})" if r.band else ""))
    return ", ".join(parts) or "—"


def _headline(accounts: Iterable[AccountStatus], ratings: Iterable[HealthRating],
              figures: Iterable[Figure]) -> str:
    accounts, ratings, figures = list(accounts), list(ratings), list(figures)
    parts = []
    if accounts:
        parts.append("account " + ", ".join(f"{a.status.replace('_', ' ')} in {a.marketplace}" for a in accounts))
    for r in ratings:
        parts.append(f"Account Health Rating {rating_text(r)}"
                     + (f" in {r.marketplace}" if len(ratings) > 1 else ""))
    bad = [f for f in figures if f.bad]
    if bad:
        parts.append(f"{_plural(len(bad), 'metric')} marked bad by Amazon: " + ", ".join(f.label for f in bad))
    else:
        parts.append("no metric marked bad by Amazon")
    return "Amazon says: " + "; ".join(parts) + "."


__all__ = ["AccountStatus", "AmazonVerdict", "Figure", "HealthRating", "NOT_RECOMPUTABLE", "amazon_verdict",
           "marketplace_name", "rating_text", "value_text"]
