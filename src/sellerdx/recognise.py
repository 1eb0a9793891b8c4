"""Which report is this header? Weigh the whole header against every kind, never force a file into one.

Every report kind of ``data/reports.toml`` and every Amazon report sellerdx knows but does not use
(``[unused.*]``: Fulfilled Shipments, settlement, listings, business reports, ...) is a possible answer.
A kind is a *candidate* when the header

* has every field of one of its ``identify`` sets,
* has at least one header that defines the kind (its ``specific`` list: a claims export has a claim date,
  reason or decision — an order id and a status are not enough), and
* has none of the headers that rule the kind out (``rule_out``: a ``shipment-id`` is never in All Orders).

Each candidate is scored over the whole header: every column the kind knows counts 1, or 2 when no other
kind knows it. The best candidate must beat the runner-up by ``[recognition].margin`` (else: ambiguous,
skipped with both names) and must know at least ``min_coverage`` of the file's columns (else: a weak
match, skipped). An unused Amazon report wins like any other candidate and is then skipped *by name*.
A header that nearly matched a kind is skipped with the reason ("looks like an order list, not an A-to-z
claims export: no claim date, claim reason or claim decision column").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from . import assets
from .i18n import Message, Term
from .i18n.fields import Alternatives
from .schema import ReportSpec, normalize_header, report_specs

MAPPING_FILE = "sellerdx-mapping.toml"
_ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")


@dataclass(frozen=True)
class UnusedReport:
    """An Amazon report sellerdx recognises and knowingly does not use."""
    key: str
    label: str
    reason: str
    report_type: str
    identify: tuple[frozenset[str], ...]     # normalised header sets
    headers: frozenset[str]                  # normalised real header

    @property
    def skip_reason(self) -> str:
        return Message("{label}: not used for these metrics ({reason})",
                       {"label": Term(self.label), "reason": Term(self.reason)})


@dataclass(frozen=True)
class Verdict:
    """What a header is: a kind with its column mapping, or None with the reason it is skipped."""
    kind: str | None
    mapping: dict[str, int] = field(default_factory=dict)
    reason: str = ""
    positional: bool = False
    header_row: int = 0          # index of the header among the non-blank lines (title lines above it)
    matched: bool = False        # some kind or known report was weighed seriously (not "unknown header")


@dataclass(frozen=True)
class _Candidate:
    key: str                     # report kind, or "unused.<key>"
    score: int
    known: int                   # columns of the file this kind knows
    mapping: dict[str, int]


@functools.cache
def settings() -> dict[str, object]:
    return dict(assets.load_toml("reports.toml")["recognition"])


@functools.cache
def unused_reports() -> dict[str, UnusedReport]:
    """The ``[unused.*]`` reports of data/reports.toml."""
    out: dict[str, UnusedReport] = {}
    for key, entry in assets.load_toml("reports.toml").get("unused", {}).items():
        sets = tuple(frozenset(normalize_header(h) for h in s) for s in entry["identify"])
        headers = frozenset(normalize_header(h) for h in entry["headers"]) | frozenset().union(*sets)
        out[key] = UnusedReport(key, entry["label"], entry["reason"], entry.get("report_type", ""), sets, headers)
    return out


def _extra_keys(extra: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """normalised user-mapped header -> field, for one kind."""
    return {normalize_header(h): name for name, headers in extra.items() for h in headers}


def _known(extra: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, frozenset[str]]:
    """Candidate key -> normalised headers it knows (synonyms, quiet columns, user mapping)."""
    known: dict[str, frozenset[str]] = {}
    for kind, spec in report_specs().items():
        known[kind] = (frozenset(spec.header_index()) | spec.quiet_columns
                       | frozenset(_extra_keys(extra.get(kind, {}))))
    for key, report in unused_reports().items():
        known[f"unused.{key}"] = report.headers
    return known


def _map(spec: ReportSpec, keys: Sequence[str], extra: Mapping[str, Sequence[str]]) -> tuple[dict[str, int], int]:
    """(canonical field -> column index, number of defining headers) of one kind for a header."""
    index = spec.header_index()
    user = _extra_keys(extra)
    index.update(user)
    mapping: dict[str, int] = {}
    defining = 0
    for i, key in enumerate(keys):
        name = index.get(key)
        if name and name not in mapping:
            mapping[name] = i
            if key in spec.specific or key in user:
                defining += 1
    return mapping, defining


def article(word: str) -> str:
    """'a' or 'an' before a word as it is spoken ("an 'order status' column", "a 'purchase date' column")."""
    return "an" if word.strip("'\"")[:1].lower() in "aeiou" else "a"


def _order_id_keys() -> set[str]:
    return {normalize_header(h) for spec in report_specs().values() if "order_id" in spec.fields
            for h in (*spec.fields["order_id"].headers, "order_id")}


def _name(key: str) -> str:
    return unused_reports()[key[len("unused."):]].label if key.startswith("unused.") else key


def _looks_like_feedback(rows: list[list[str]]) -> bool:
    """Positional fallback: translated feedback headers keep Date, Rating, Comments, Response, Order ID."""
    data = [r for r in rows if len(r) >= 5]
    if len(data) < 1:
        return False
    ratings = sum(1 for r in data if r[1].strip() in {"1", "2", "3", "4", "5"})
    order_ids = sum(1 for r in data if _ORDER_ID.match(r[4].strip()))
    return ratings >= 0.8 * len(data) and order_ids >= 0.8 * len(data)


def _weigh(header: Sequence[str], extra: Mapping[str, Mapping[str, Sequence[str]]]
           ) -> tuple[list[_Candidate], list[tuple[ReportSpec, str]], list[_Candidate]]:
    """(candidates, near misses (spec, why), partial matches) for one header line."""
    keys = [normalize_header(h) for h in header]
    present = {k for k in keys if k}
    known = _known(extra)
    how_many = Counter(k for headers in known.values() for k in headers)

    def score(key: str) -> tuple[int, int]:
        hits = present & known[key]
        return sum(2 if how_many[h] == 1 else 1 for h in hits), len(hits)

    candidates: list[_Candidate] = []
    near: list[tuple[ReportSpec, str]] = []
    partial: list[_Candidate] = []
    for kind, spec in report_specs().items():
        mapping, defining = _map(spec, keys, extra.get(kind, {}))
        ruled = [header[i] for i, k in enumerate(keys) if k in spec.rule_out]
        complete = any(all(f in mapping for f in ident) for ident in spec.identify)
        if complete and ruled:
            near.append((spec, Message("it has {article} {column} column, which {noun} never has",
                                       {"article": article(ruled[0]), "column": repr(ruled[0]),
                                        "noun": Term(spec.noun)})))
        elif complete and spec.partial_ok and not defining:
            near.append((spec, Term(spec.lacks)))
        elif complete:
            candidates.append(_Candidate(kind, *score(kind), mapping))
        elif spec.partial_ok and defining >= 2 and not ruled:
            # Headers only this kind uses, but not a whole fingerprint: the caller names the missing column.
            partial.append(_Candidate(kind, *score(kind), mapping))
    for key, report in unused_reports().items():
        if any(s <= present for s in report.identify):
            candidates.append(_Candidate(f"unused.{key}", *score(f"unused.{key}"), {}))
    candidates.sort(key=lambda c: c.score, reverse=True)
    partial.sort(key=lambda c: c.score, reverse=True)
    return candidates, near, partial


def _decide(candidates: list[_Candidate], header: Sequence[str]) -> Verdict:
    cfg = settings()
    best = candidates[0]
    if len(candidates) > 1 and best.score - candidates[1].score < int(cfg["margin"]):  # type: ignore[arg-type]
        other = candidates[1]
        return Verdict(None, matched=True, reason=Message(
            "ambiguous header: could be {best} or {other} (scores {best_score} and {other_score}); rename a "
            "column to a specific name (e.g. 'Claim Status', 'Chargeback Date') or map it in {mapping}",
            {"best": Term(_name(best.key)), "other": Term(_name(other.key)), "best_score": best.score,
             "other_score": other.score, "mapping": MAPPING_FILE}))
    if best.key.startswith("unused."):
        return Verdict(None, reason=unused_reports()[best.key[len("unused."):]].skip_reason, matched=True)
    named = sum(1 for h in header if h.strip())
    if named and best.known / named < float(cfg["min_coverage"]):  # type: ignore[arg-type]
        spec = report_specs()[best.key]
        return Verdict(None, matched=True, reason=Message(
            "weak match: only {known} of {named} columns are columns of {noun}; map the others in {mapping} "
            "if it is one", {"known": best.known, "named": named, "noun": Term(spec.noun), "mapping": MAPPING_FILE}))
    return Verdict(best.key, dict(best.mapping), matched=True)


def _near_miss_reason(header: Sequence[str], near: list[tuple[ReportSpec, str]]) -> str:
    cfg = settings()
    order_keys = _order_id_keys()
    looks = cfg["order_list"] if any(normalize_header(h) in order_keys for h in header) else cfg["other_table"]
    if len(near) == 1:
        spec, why = near[0]
        return Message("looks like {looks}, not {noun}: {why}", {"looks": Term(looks), "noun": Term(spec.noun),
                                                                 "why": why})
    return Message("looks like {looks}, not {kinds}", {"looks": Term(looks), "kinds": Alternatives(
        [Message("{noun} ({why})", {"noun": Term(spec.noun), "why": why}) for spec, why in near])})


def recognise(lines: Sequence[Sequence[str]], extra: Mapping[str, Mapping[str, Sequence[str]]]) -> Verdict:
    """The verdict for one header: ``lines`` are the header and the first data rows, split into cells."""
    if not lines:
        return Verdict(None, reason=Message("empty file"))
    header = list(lines[0])
    candidates, near, partial = _weigh(header, extra)
    if candidates:
        return _decide(candidates, header)
    fb = report_specs()["feedback"]
    rows = [list(r) for r in lines[1:]]
    if len(header) >= len(fb.positional) - 1 and _looks_like_feedback(rows):
        return Verdict("feedback", {name: i for i, name in enumerate(fb.positional) if i < len(header)},
                       positional=True, matched=True)
    if partial and (len(partial) == 1 or partial[0].score > partial[1].score):
        return Verdict(partial[0].key, dict(partial[0].mapping), matched=True)
    if near:
        return Verdict(None, reason=_near_miss_reason(header, near), matched=True)
    shown = ", ".join(h for h in header[:6] if h) or "(empty)"
    return Verdict(None, reason=Message("not a report sellerdx knows (header starts: {header})",
                                        {"header": shown[:120]}))


def recognise_table(table_at: Callable[[int], list[list[str]]], n_lines: int,
                    extra: Mapping[str, Mapping[str, Sequence[str]]]) -> Verdict:
    """The verdict for a file of ``n_lines`` non-blank lines; ``table_at(k)`` gives lines k.. split into cells
    (with the delimiter of line k). The header is line 0, or — when line 0 is no report header at all — the
    first of the next ``[recognition].preamble_lines`` lines that is (payments reports and spreadsheets put
    title lines above the header)."""
    first = recognise(table_at(0), extra)
    if first.kind or first.matched:
        return first
    for k in range(1, min(n_lines, 1 + int(settings()["preamble_lines"]))):  # type: ignore[arg-type]
        verdict = recognise(table_at(k), extra)
        if verdict.matched and (verdict.kind or not verdict.reason.startswith("looks like")):
            return replace(verdict, header_row=k)
    return first
