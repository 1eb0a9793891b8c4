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
from typing import Any

from ..i18n import N_, Count, Message, Rate, Term
from ..i18n.fields import Joined, JoinedText, joined
from ..model import MetricResult, Serializable
from .report import AmazonMetric, MarketplacePerformance, PerformanceReport, amazon_cfg

NOT_RECOMPUTABLE = N_("Amazon's figure — not recomputable from these exports")
_NOT_COMPUTED = "not computed: {why}"      # sellerdx.metrics.availability's note of a metric not computed


def not_computed_reason(note: Any, *, first: bool = False) -> Any:
    """Why sellerdx did not compute a metric: its note without "not computed: " (a Message where the note is
    one); ``first``: only the first reason."""
    if not note:
        return ""
    parts = list(note.parts) if isinstance(note, JoinedText) else [note]
    head = parts[0]
    if isinstance(head, Message) and head.template == _NOT_COMPUTED:
        head = head.fields["why"]
        if first and isinstance(head, Joined) and head:
            return head[0]
    elif isinstance(head, str):
        head = head.removeprefix("not computed: ")
        if first:
            return head.split("; ")[0]
    return head if first else joined([head, *parts[1:]])


def _not_recomputable(reason: Any) -> Message:
    return Message("Amazon's figure — not recomputable from these exports: {reason}", {"reason": reason})


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
        return Message("all marketplaces")
    return amazon_cfg()["marketplaces"].get(marketplace_id, marketplace_id)


_ALONE = "{value}"    # a figure alone, as a text written in the reader's language (not a catalog message)


def _pct(rate: float | None) -> Any:
    return "—" if rate is None else Rate(rate)


def value_text(m: AmazonMetric) -> Any:
    """Amazon's figure in words: counts with their denominator and rate, or the count alone."""
    if not m.counts_valid:
        counts = (Message("{k} of {n}", {"k": Count(m.numerator), "n": Count(m.denominator)})
                  if m.numerator is not None and m.denominator is not None
                  else (Message(_ALONE, {"value": Count(m.numerator)}) if m.numerator is not None else "—"))
        return Message("{counts} — impossible counts, rate not used", {"counts": counts})
    if m.numerator is not None and m.denominator is not None:
        return Message("{k} of {n} ({rate})", {"k": Count(m.numerator), "n": Count(m.denominator),
                                               "rate": _pct(m.rate)})
    if m.numerator is not None:
        return Message(_ALONE, {"value": Count(m.numerator)})
    return Message(_ALONE, {"value": _pct(m.rate)})


def _needs(m: AmazonMetric, ours: MetricResult | None) -> str | None:
    cfg = amazon_cfg()
    if m.group == "rate" and ours is not None and ours.status != "not_computed":
        return None
    if ours is not None and ours.note:
        return _not_recomputable(not_computed_reason(ours.note))
    fig = cfg["figures"].get(m.key)
    if fig and fig.get("needs"):
        return _not_recomputable(Message(fig["needs"]))
    if not m.known:
        return _not_recomputable(Message("a metric sellerdx does not know yet ({name})", {"name": m.name}))
    return Message(NOT_RECOMPUTABLE)


def _figure(mp: MarketplacePerformance, m: AmazonMetric, results: Mapping[str, MetricResult]) -> Figure:
    ours = results.get(m.key)
    note = _needs(m, ours)
    return Figure(marketplace_id=mp.marketplace_id, marketplace=marketplace_name(mp.marketplace_id), key=m.key,
                  label=Term(m.label) if m.label else m.key, group=m.group, status=m.status, bad=m.bad, value=value_text(m),
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
                                            *mp.ahr_window, note=_not_recomputable(Message(cfg["ahr"]["needs"]))))
            for m in mp.metrics.values():
                figures.append(_figure(mp, m, results))
                problems.extend(f"{name}: {p}" if len(perf.marketplaces) > 1 else p for p in m.problems)
            states.extend((name, t, s) for t, s in mp.warning_states)
    figures.sort(key=lambda f: (not f.bad, _GROUP_ORDER.get(f.group, 9)))
    accounts.sort(key=lambda a: not a.bad)
    at_risk = (any(a.bad for a in accounts) or any(r.bad for r in ratings) or any(f.bad for f in figures))
    return AmazonVerdict(tuple(accounts), tuple(ratings), tuple(figures), tuple(states),
                         tuple(dict.fromkeys(problems)), at_risk, _headline(accounts, ratings, figures))


def rating_text(r: HealthRating) -> Any:
    """"WARNED, 150 points (at risk: 100-199)" (Amazon's status word is Amazon's, never translated)."""
    parts: list[Any] = [r.status] if r.status else []
    if r.score is not None:
        # TRANSLATORS: an Account Health Rating score ("150 points"), then Amazon's band in brackets
        score = format(r.score, "g")
        parts.append(Message("{score} points ({band})", {"score": score, "band": Term(r.band)}) if r.band
                     else Message("{score} points", {"score": score}))
    return joined(parts, ", ") or "—"


def _headline(accounts: Iterable[AccountStatus], ratings: Iterable[HealthRating],
              figures: Iterable[Figure]) -> Message:
    accounts, ratings, figures = list(accounts), list(ratings), list(figures)
    parts: list[Any] = []
    if accounts:
        # TRANSLATORS: {statuses} lists Amazon's status words with their marketplace ("SUSPENDED in Amazon.com")
        parts.append(Message("account {statuses}", {"statuses": Joined(
            (Message("{status} in {marketplace}", {"status": a.status.replace("_", " "), "marketplace": a.marketplace})
             for a in accounts), ", ")}))
    for r in ratings:
        parts.append(Message("Account Health Rating {rating} in {marketplace}",
                             {"rating": rating_text(r), "marketplace": r.marketplace}) if len(ratings) > 1
                     else Message("Account Health Rating {rating}", {"rating": rating_text(r)}))
    bad = [f for f in figures if f.bad]
    if bad:
        parts.append(Message("{n:metric|metrics} marked bad by Amazon: {labels}",
                             {"n": Count(len(bad)), "labels": Joined((f.label for f in bad), ", ")}))
    else:
        parts.append(Message("no metric marked bad by Amazon"))
    return Message("Amazon says: {parts}.", {"parts": Joined(parts)})


__all__ = ["AccountStatus", "AmazonVerdict", "Figure", "HealthRating", "NOT_RECOMPUTABLE", "amazon_verdict",
           "marketplace_name", "not_computed_reason", "rating_text", "value_text"]
