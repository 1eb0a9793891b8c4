"""The Plan of Action, decided once: which metrics it answers, one section per root cause, every counted
defect answered by exactly one section.

Amazon rejects plans that leave defects unanswered or blame others (``poa-guidance.md``). So the plan is
organised by cause, not by metric: each finding (or several findings about the same carrier) becomes a
section that answers every defect it explains, whatever the metric — a parcel the carrier lost answers an
A-to-z claim, a chargeback and a late delivery alike. Every counted defect order of the plan's metric
windows is attributed in this order (rules as data in ``data/poa.toml``):

1. the finding that names the order for that metric family;
2. the ``[[attribute]]`` rules: a defect's own reason and order decide (a chargeback for an item not
   received, on a parcel of the carrier a section names, belongs to that carrier's section);
3. an account-wide cause of the seller's process: complaints of one theme, spread over the products, too
   many to be "other" (``[account]``);
4. "Other defects", listed by their stated reason.

The root cause is written as the seller ("Our packing did not protect …") from ``data/poa.toml``
templates filled with the mechanism the data shows (dates, timing, counts, the buyers' words); ``[[…]]``
marks only what the seller alone knows. :mod:`sellerdx.render.poa` writes the result as Markdown and as
plain text; this module decides what the plan says.

Every sentence of the plan is a :class:`sellerdx.i18n.Message` (its ``str`` the English text, as always):
the plan is written in its own language (``--poa-lang``) and the report can show a translation beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .assets import load_toml
from .catalog import metric_family
from .frames import records
from .i18n import N_, Count, Day, Items, Message, Share, Term
from .i18n.fields import Alternatives, Clause, Sentence
from .model import Finding, MetricResult
from .result import AnsweredDefect, CauseSection, MetricFigure, PlanOfAction, PreventiveStep
from .text import EMPTY, is_missing, neutralize_text

_PREVENTIVE = re.compile(r"^(?P<action>.*?) — Owner: (?P<owner>.*?) · Frequency: (?P<frequency>.*?) · "
                         r"Measure: (?P<target>.*)$", re.DOTALL)


def settings() -> dict[str, Any]:
    """``data/poa.toml``."""
    return load_toml("poa.toml")


@functools.cache   # data files only; asked once per counted defect (100,000 times at a million items)
def family_of(metric_key: str) -> str | None:
    """The plan family of a metric key: the ``[families]`` of ``data/poa.toml`` that lists it (``otdr_units``
    -> ``otdr``), else its query in ``data/metrics.toml`` (``odr_all`` -> ``odr``)."""
    for family, keys in settings()["families"].items():
        if metric_key in keys:
            return family
    return metric_family(metric_key)


# --------------------------------------------------------------------------------------------------
# Scope


def plan_scope(metrics: Mapping[str, MetricResult], *, notice: Sequence[str] | None,
               amazon_at_risk: Iterable[str]) -> tuple[tuple[str, ...], str]:
    """(families, why): the notice's families; else those Amazon's report marks at risk; else those at risk
    in sellerdx's recomputation; else none."""
    order = list(settings()["families"])
    if notice:
        return tuple(f for f in order if f in set(notice)), "notice"
    amazon = {family_of(k) for k in amazon_at_risk} - {None}
    if amazon:
        return tuple(f for f in order if f in amazon), "amazon"
    ours = {family_of(k) for k, m in metrics.items() if m.status == "at_risk"} - {None}
    if ours:
        return tuple(f for f in order if f in ours), "at_risk"
    return (), "none"


def plan_keys(metrics: Mapping[str, MetricResult], families: Sequence[str],
              amazon_at_risk: Iterable[str] = ()) -> tuple[str, ...]:
    """The metric keys whose counted defects the plan answers: in each family, the keys at risk (by sellerdx
    or Amazon); a family named by the notice with none at risk answers all its keys with defects."""
    bad = set(amazon_at_risk)
    out: list[str] = []
    for family in families:
        keys = [k for k in settings()["families"][family] if k in metrics]
        risky = [k for k in keys if metrics[k].status == "at_risk" or k in bad]
        out += risky or [k for k in keys if metrics[k].numerator and metrics[k].status != "not_computed"]
    return tuple(out)


# --------------------------------------------------------------------------------------------------
# Defect tags


def defect_labels(row: Mapping[str, Any], family: str) -> list[str]:
    """The defect labels of one counted order (``data/poa.toml`` ``[defects]`` keys)."""
    defect = str(row.get("defect") or "")
    if family == "odr":
        return [d for d in defect.split("+") if d]
    if family == "pfcr":
        return ["cancellation"]
    return [defect] if defect else []


def _value(row: Mapping[str, Any], key: str) -> Any:
    value = row.get(key)
    return None if is_missing(value) else value


def defect_tags(row: Mapping[str, Any], family: str) -> list[str]:
    """What the data says about one counted defect, as tags the ``[[attribute]]`` rules read."""
    tags = defect_labels(row, family)
    if _value(row, "has_counting_claim"):
        tags.append(f"claim:{_value(row, 'claim_reason_code') or 'other'}")
    if _value(row, "has_counting_chargeback"):
        tags.append(f"chargeback:{_value(row, 'chargeback_reason_code') or 'other'}")
    if family == "pfcr":
        tags.append(f"cancel:{_value(row, 'cancel_reason_code') or 'unknown'}")
        if _value(row, "cancel_initiator") == "amazon":
            tags.append("initiator:amazon")
    if "negative_feedback" in tags:
        tags += [f"theme:{t}" for t in (_value(row, "themes") if _value(row, "themes") is not None else [])]
    if _value(row, "shipped_late"):
        tags.append("shipped_late")
    return tags


def _reason(tags: Sequence[str]) -> str:
    """The stated reason of a defect no cause explains (the first tag in ``[other] reason_order``)."""
    return _first_reason(tuple(tags))


@functools.lru_cache(maxsize=4096)
def _first_reason(tags: tuple[str, ...]) -> str:
    """:func:`_reason` of one combination of tags: a big account has ~100,000 defects but a few hundred
    combinations, each matched against every pattern of ``reason_order`` once."""
    for pattern in settings()["other"]["reason_order"]:
        if pattern.endswith(":*"):
            prefix = pattern[:-1]
            hit = next((t for t in tags if t.startswith(prefix)), None)
        else:
            hit = pattern if pattern in tags else None
        if hit:
            return hit
    return tags[0] if tags else "other"


# --------------------------------------------------------------------------------------------------
# Sections


@dataclass
class _Draft:
    code: str
    findings: list[Finding]
    kind: str = "cause"                        # cause | account | other
    theme: str | None = None
    rows: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)   # (metric, order, row)

    def entities(self, kind: str) -> list[str]:
        out: list[str] = []
        for f in self.findings:
            out += [v for v in f.entities.get(kind, []) if v not in out]
        return out

    def families(self) -> set[str]:
        return {family_of(f.metric) for f in self.findings}


def _drafts(findings: Sequence[Finding], themes: Mapping[str, str]) -> list[_Draft]:
    """One draft section per finding; findings about the same carriers merged. A low-confidence finding
    makes no section of its own (it joins a carrier section when one names its carrier)."""
    drafts: list[_Draft] = []
    by_carriers: dict[frozenset[str], _Draft] = {}
    for f in findings:
        carriers = frozenset(f.entities.get("carriers", []))
        if carriers and carriers in by_carriers:
            by_carriers[carriers].findings.append(f)
            continue
        draft = _Draft(code=f.code, findings=[f], theme=themes.get(f.code))
        drafts.append(draft)
        if carriers:
            by_carriers[carriers] = draft
    return [d for d in drafts if any(f.confidence != "low" for f in d.findings)]


def _matches(rule: Mapping[str, Any], tags: set[str], row: Mapping[str, Any], draft: _Draft) -> bool:
    if not tags & set(rule["tags"]):
        return False
    if rule.get("requires") and rule["requires"] not in tags:
        return False
    if rule.get("section_family") and rule["section_family"] not in draft.families():
        return False
    if rule.get("section_theme") and draft.theme != rule["section_theme"]:
        return False
    if rule.get("match"):
        value = _value(row, rule["entity"])
        if value is None or str(value) not in draft.entities(rule["match"]):
            return False
    return True


def attribute(drafts: list[_Draft], defects: Mapping[str, pd.DataFrame], keys: Sequence[str],
              metrics: Mapping[str, MetricResult]) -> tuple[list[_Draft], list[AnsweredDefect]]:
    """Attribute every counted defect of ``keys`` to one section (see the module docstring)."""
    cfg = settings()
    unanswered: dict[str, list[tuple[str, str, dict[str, Any], list[str]]]] = {}
    seen: set[tuple[str, str]] = set()
    answered: list[AnsweredDefect] = []

    def answer(draft: _Draft, key: str, order_id: str, row: dict[str, Any], tags: list[str]) -> None:
        draft.rows.append((key, order_id, row))
        family = family_of(key) or key
        label = "+".join(defect_labels(row, family))
        answered.append(AnsweredDefect(key, order_id, label, _reason(tags), draft.code))

    # (family, order) -> the first draft (in order) with a finding of that family naming the order: one
    # dict lookup per defect instead of a scan of every finding's orders (issue 14: 22% of a 5M rerun)
    owners: dict[tuple[str | None, str], _Draft] = {}
    for d in drafts:
        for f in d.findings:
            for finding_order in f.order_ids:
                owners.setdefault((family_of(f.metric), finding_order), d)
    for key in keys:
        family = family_of(key) or key
        frame = defects.get(key)
        if frame is None or frame.empty:
            continue
        for row in records(frame):
            order_id = str(row["order_id"])
            if (family, order_id) in seen:          # LSR 10 and 30 days: one answer per order
                continue
            seen.add((family, order_id))
            tags = defect_tags(row, family)
            own = owners.get((family, order_id))
            if own is None:
                tagset = set(tags)
                own = next((d for rule in cfg["attribute"] for d in drafts if _matches(rule, tagset, row, d)),
                           None)
            if own is not None:
                answer(own, key, order_id, row, tags)
            else:
                unanswered.setdefault(family, []).append((key, order_id, row, tags))
    # account-wide causes: one stated reason (a theme, a cancellation reason) over many products
    account: dict[str, _Draft] = {}
    acc = cfg["account"]
    rest: list[tuple[str, str, dict[str, Any], list[str]]] = []
    for family, items in unanswered.items():
        total = sum(metrics[k].numerator for k in keys if (family_of(k) or k) == family and k in metrics) or 1
        counts = Counter(t for *_, tags in items for t in set(tags) if t in acc["causes"])
        eligible = {t for t, n in counts.items() if n >= acc["min_orders"] and n / total >= acc["min_share"]}
        for item in items:
            key, order_id, row, tags = item
            cause = next((t for t in tags if t in eligible), None)
            if cause is None:
                rest.append(item)
                continue
            name = cause.split(":", 1)[1]
            draft = account.setdefault(cause, _Draft(code=f"account.{name}", findings=[], kind="account",
                                                     theme=cause))
            answer(draft, key, order_id, row, tags)
    out = drafts + list(account.values())
    if rest:
        other = _Draft(code="other", findings=[], kind="other")
        for key, order_id, row, tags in rest:
            answer(other, key, order_id, row, tags)
        out.append(other)
    return [d for d in out if d.rows], answered


# --------------------------------------------------------------------------------------------------
# Words


def _human(items: Sequence[Any], limit: int = 4) -> Items | str:
    """Names in a sentence: ``a, b and c`` (in the language written), beyond ``limit`` "and N more"; "" for
    none. Untrusted names are made inert; our own words (a :class:`Term`, a :class:`Message`) stay words."""
    items = [i if isinstance(i, Term | Message) else neutralize_text(i, 80) for i in items if i]
    return Items(items, limit=limit) if items else ""


def _words(label: str, n: int) -> Message:
    spec = settings()["defects"].get(label, {"one": label.replace("_", " "), "many": label.replace("_", " ")})
    # TRANSLATORS: a number of defects of one kind, e.g. "19 negative feedback", "2 A-to-z claims"
    return Message("{n} {defects}", {"n": Count(n), "defects": Term(spec["one"] if n == 1 else spec["many"])})


def _text(value: str) -> Message:
    """A sentence of data/poa.toml as written there (its msgid)."""
    return Message(value)


def _taken(action: str) -> Message:
    """A corrective action of data/poa.toml in the plan's form: ``[[date]]: We <past-tense action>``."""
    return Message("[[date]]: We {action:lower}", {"action": Clause(_text(action))})


def _step(spec: Mapping[str, str]) -> PreventiveStep:
    return PreventiveStep(**{k: _text(v) for k, v in spec.items()})


def defect_counts(rows: Sequence[tuple[str, str, dict[str, Any]]]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for key, _, row in rows:
        for label in defect_labels(row, family_of(key) or key):
            counts[label] += 1
    order = list(settings()["defects"])
    return {k: counts[k] for k in sorted(counts, key=lambda c: order.index(c) if c in order else len(order))}


_WEEK = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


def _weekdays(stamps: Iterable[Any]) -> Message | str:
    """"on Monday", "on Tuesday or Wednesday": the weekdays that hold most of the timestamps (each at least a
    quarter of the most common one's count), in week order."""
    days = Counter(pd.Timestamp(s).day_name() for s in stamps if not is_missing(s))
    if not days:
        return ""
    top = [d for d, n in days.most_common() if n >= max(days.values()) * 0.25][:3]
    return Message("on {weekdays}", {"weekdays": Alternatives([Term(d) for d in sorted(top, key=_WEEK.index)],
                                                              limit=4)})


def _delay(rows: Sequence[dict[str, Any]]) -> Message | str:
    hours = [(pd.Timestamp(r["ship_confirm_ts"]) - pd.Timestamp(r["expected_ship_ts"])).total_seconds() / 3600
             for r in rows if not is_missing(r.get("ship_confirm_ts")) and not is_missing(r.get("expected_ship_ts"))]
    if not hours:
        return "[[how long]]"
    median = statistics.median(hours)
    if median < 36:
        # TRANSLATORS: a median delay in hours (English writes "hours" for any number here, 1 included)
        return Message("{n} hours", {"n": Count(max(round(median), 1))})
    return Message("{n:day|days}", {"n": Count(round(median / 24))})


def _in_plan_language(text: str) -> bool:
    """Whether a comment can be quoted in an English plan: Latin script with a common English word."""
    if any(ord(ch) > 0x24F for ch in text):
        return False
    words = set(re.findall(r"[a-z]+", text.casefold()))
    return bool(words & set(settings()["quotes"]["words"]))


def _quotes(rows: Sequence[dict[str, Any]], limit: int = 2) -> list[str]:
    """Up to ``limit`` short buyer comments in the plan's language, most frequent first."""
    cap = int(settings()["quotes"]["max_chars"])
    comments = Counter(neutralize_text(r.get("comment"), 400).rstrip(".!。 ")
                       for r in rows if not is_missing(r.get("comment")))
    out = []
    for text, _ in comments.most_common():
        if text and len(text) <= cap and _in_plan_language(text):
            out.append(text)
        if len(out) == limit:
            break
    return out


def _date(value: Any) -> Day | str:
    return Day.of(pd.Timestamp(value).date()) if not is_missing(value) else "[[date]]"


def _period(dates: Sequence[dt.date]) -> tuple[Any, Any]:
    """({between_dates}, {from_to_dates}): "between <first> and <last>" / "from <first> to <last> (<n> days)",
    "on <day>" when the orders are of one day."""
    if not dates:
        return (Message("between {first} and {last}", {"first": "[[date]]", "last": "[[date]]"}),
                Message("from {first} to {last} ({days} days)", {"first": "[[date]]", "last": "[[date]]",
                                                                  "days": "[[number]]"}))
    first, last = Day.of(dates[0]), Day.of(dates[-1])
    if first == last:
        one = Message("on {day}", {"day": first})
        return one, one
    return (Message("between {first} and {last}", {"first": first, "last": last}),
            Message("from {first} to {last} ({days} days)",
                    {"first": first, "last": last, "days": Count((last - first).days + 1)}))


def _fields(draft: _Draft, metrics: Mapping[str, MetricResult]) -> dict[str, Any]:
    rows = [r for _, _, r in draft.rows]
    dates = sorted(pd.Timestamp(r["purchase_date"]).date() for r in rows if not is_missing(r.get("purchase_date")))
    late = [r for k, _, r in draft.rows if family_of(k) == "lsr"]
    counts = defect_counts(draft.rows)
    quotes = _quotes(rows)
    asins = draft.entities("asins") or [a for a, _ in Counter(str(r["asin"]) for r in rows
                                                              if not is_missing(r.get("asin"))).most_common(3)]
    products = [str(r["product_name"]) for r in rows if str(r.get("asin")) in asins and not is_missing(r.get("product_name"))]
    products = [p for p, _ in Counter(products).most_common(2)]
    keys = sorted({k for k, _, _ in draft.rows}, key=list(metrics).index)
    between, from_to = _period(dates)
    return {
        "orders": Count(len({o for _, o, _ in draft.rows})),
        "first_date": Day.of(dates[0]) if dates else "[[date]]",
        "last_date": Day.of(dates[-1]) if dates else "[[date]]",
        "span_days": Count((dates[-1] - dates[0]).days + 1) if dates else "[[number]]",
        "between_dates": between, "from_to_dates": from_to,
        "by_defect": _human([_words(label, n) for label, n in counts.items()], limit=6),
        "metric_names": _human([Term(metrics[k].label) for k in keys]),
        "asins": _human(asins), "skus": _human(draft.entities("skus")),
        "carriers": _human(draft.entities("carriers")), "weekdays": _human(draft.entities("weekdays")),
        "services": _human(draft.entities("shipping_services")), "products": _human(products, 2) or "[[product]]",
        "due_weekdays": _weekdays(r.get("expected_ship_ts") for r in late) or "[[when]]",
        "confirm_weekdays": _weekdays(r.get("ship_confirm_ts") for r in late) or "[[when]]",
        "median_delay": _delay(late),
        "never_delivered": Count(len({o for _, o, r in draft.rows if _value(r, "never_delivered")})),
        "shipped_late": Count(sum(1 for k, _, r in draft.rows
                                  if family_of(k) == "otdr" and _value(r, "shipped_late"))),
        "defects": Count(sum(counts.values())),
        # TRANSLATORS: {quotes} are the buyers' own words, each in quotation marks, never translated
        "quote": Message("Buyers wrote: {quotes}.", {"quotes": ", ".join(f"\u201c{q}\u201d" for q in quotes)})
        if quotes else "",
        "n_products": Count(len({str(r.get("asin")) for r in rows if not is_missing(r.get("asin"))})),
        "statement": draft.findings[0].statement if draft.findings else "",
        "window": "",
    }


def _fill(template: str, fields: Mapping[str, Any]) -> Sentence:
    """A template of data/poa.toml filled with the section's fields (an empty field leaves no double space
    and no space before a full stop, in every language)."""
    try:
        return Sentence(template, fields)
    except KeyError as exc:
        raise KeyError(f"data/poa.toml uses an unknown field: {exc.args[0]}") from None


def preventive_step(text: str) -> PreventiveStep:
    """A finding's preventive action line (``<action> — Owner: … · Frequency: … · Measure: …``) as a step."""
    fields = getattr(text, "fields", None)
    if isinstance(text, Message) and fields is not None and set(fields) == {"action", "owner", "frequency", "measure"}:
        return PreventiveStep(fields["action"], fields["owner"], fields["frequency"], fields["measure"])
    m = _PREVENTIVE.match(text)
    if not m:
        return PreventiveStep(text, "[[role]]", "[[how often]]", "[[measurable target]]")
    return PreventiveStep(m["action"], m["owner"], m["frequency"], m["target"])


def _share(value: Any) -> Share | str:
    return EMPTY if is_missing(value) else Share(value)


def _group_fact(f: Finding) -> Message | None:
    ev = f.evidence
    if not ev.get("group_orders") or ev.get("rest_orders") is None:
        return None
    phrases = settings()["entity_phrases"]
    kind = str(ev.get("entity_kind") or "")
    names = {"asins": _human(f.entities.get("asins", [])), "skus": _human(f.entities.get("skus", [])),
             "carriers": _human(f.entities.get("carriers", [])), "weekdays": _human(f.entities.get("weekdays", [])),
             "services": _human(f.entities.get("shipping_services", []))}
    phrase = Message(phrases.get(kind, phrases["default"]), names)
    noun = settings()["fact_nouns"].get(family_of(f.metric) or "", N_("this defect"))
    # TRANSLATORS: {phrase} names the group ("of B0…", "shipped with DHL"); {noun} is "a late shipment", …
    return Message("{group_defects} of the {group_orders} orders {phrase} ({rate_in}) had {noun}, against "
                   "{rest_defects} of the {rest_orders} other orders ({rate_out}).", {
                       "group_defects": Count(int(ev["group_defects"])), "group_orders": Count(int(ev["group_orders"])),
                       "phrase": phrase, "rate_in": _share(ev.get("rate_in")), "noun": Term(noun),
                       "rest_defects": Count(int(ev.get("rest_defects") or 0)),
                       "rest_orders": Count(int(ev["rest_orders"])), "rate_out": _share(ev.get("rate_out"))})


def _section(draft: _Draft, metrics: Mapping[str, MetricResult]) -> CauseSection:
    cfg = settings()
    fields = _fields(draft, metrics)
    counts = defect_counts(draft.rows)
    keys = tuple(sorted({k for k, _, _ in draft.rows}, key=list(metrics).index))
    orders = tuple(sorted({o for _, o, _ in draft.rows}))
    quotes = tuple(_quotes([r for _, _, r in draft.rows]))
    if draft.kind == "other":
        other = cfg["other"]
        by_reason: dict[str, list[str]] = {}
        for key, order_id, row in draft.rows:
            reason = _reason(defect_tags(row, family_of(key) or key))
            known = other["reasons"].get(reason)
            label = Term(known) if known else reason.replace("_", " ").replace(":", ": ")
            by_reason.setdefault(label, []).append(order_id)
        return CauseSection(
            code="other", title=_text(other["title"]), findings=(), metrics=keys, defect_counts=counts,
            root_cause=_text(other["intro"]), corrective=tuple(_taken(c) for c in other["corrective"]),
            preventive=tuple(_step(p) for p in other["preventive"]),
            attachments=tuple(_text(a) for a in other["attachments"]), orders=orders,
            reasons=tuple((label, tuple(ids)) for label, ids in by_reason.items()))
    if draft.kind == "account":
        spec = cfg["account"]["causes"][draft.theme]
        return CauseSection(
            code=draft.code, title=_text(spec["title"]), findings=(), metrics=keys, defect_counts=counts,
            root_cause=_fill(spec["root_cause"], fields), quotes=quotes,
            corrective=tuple(_taken(c) for c in spec["corrective"]),
            preventive=tuple(_step(p) for p in spec["preventive"]),
            attachments=tuple(_text(a) for a in spec["attachments"]), orders=orders)
    main = draft.findings[0]
    merged_carrier = len(draft.findings) > 1 and bool(draft.entities("carriers"))
    spec = cfg["cause_carrier"] if merged_carrier else cfg["cause"].get(main.code, cfg["cause_default"])
    title = _fill(spec.get("title", main.title), fields)
    facts = [fact for f in draft.findings if (fact := _group_fact(f))]
    if fields["shipped_late"] and "lsr" in draft.families():
        facts.append(_fill(cfg["late_delivery_note"]["text"], fields))
    corrective: list[str] = []
    preventive: list[PreventiveStep] = []
    for f in draft.findings:
        corrective += [c for c in f.corrective_actions if c not in corrective]
        preventive += [p for p in map(preventive_step, f.preventive_actions) if p not in preventive]
    return CauseSection(
        code=draft.code, title=title, findings=tuple(f.code for f in draft.findings), metrics=keys,
        defect_counts=counts, root_cause=_fill(spec["root_cause"], fields), facts=tuple(facts), quotes=quotes,
        corrective=tuple(corrective), preventive=tuple(preventive),
        attachments=tuple(_text(a) for a in spec.get("attachments", ())),
        orders=orders, confidence=main.confidence)


# --------------------------------------------------------------------------------------------------
# The plan


def build_plan(metrics: Mapping[str, MetricResult], findings: Sequence[Finding],
               defects: Mapping[str, pd.DataFrame], figures: Mapping[str, MetricFigure], *,
               notice: Sequence[str] | None = None, amazon_at_risk: Iterable[str] = (),
               themes: Mapping[str, str] | None = None, as_of: dt.date | None = None) -> PlanOfAction:
    """The Plan of Action of an analysis.

    ``defects`` holds, per metric key, the counted defect orders of its window
    (:func:`sellerdx.metrics.defect_orders`); ``figures`` the metrics as quoted (Amazon's figure first);
    ``themes`` maps a finding code to the feedback theme its rule looks for (``negative_feedback.damaged``
    -> ``damaged``).
    """
    amazon_bad = tuple(amazon_at_risk)
    families, source = plan_scope(metrics, notice=notice, amazon_at_risk=amazon_bad)
    keys = plan_keys(metrics, families, amazon_bad)
    drafts, answered = attribute(_drafts(findings, themes or {}), defects, keys, metrics)
    order = {"cause": 0, "account": 1, "other": 2}
    drafts.sort(key=lambda d: (order[d.kind], -len(d.rows), d.code))
    sections = tuple(_section(d, metrics) for d in drafts)
    in_plan = set(keys)
    quoted = {k for keys_ in settings()["families"].values() for k in keys_}
    also = tuple(figures[k] for k, m in metrics.items()
                 if m.status == "at_risk" and k not in in_plan and k in quoted and k in figures)
    return PlanOfAction(families=families, scope_source=source,
                        figures=tuple(figures[k] for k in keys if k in figures), sections=sections,
                        answered=tuple(answered), also_improving=also, as_of=as_of)


__all__ = ["build_plan", "defect_tags", "family_of", "plan_keys", "plan_scope", "preventive_step", "settings"]
