"""Several marketplaces in one folder: one analysis per marketplace, by the one pipeline.

Amazon judges each marketplace separately. When the orders hold more than one marketplace (sales channels
``Amazon.com``, ``Amazon.de``, ... — ``data/marketplaces.toml``), the analysis of a marketplace is the same
:func:`sellerdx.describe.describe` run on a *view* of the loaded database: a database of its own (beside the
work database) holding copies of the canonical tables restricted to that marketplace — the orders of its sales channel, and the shipments, returns, feedback, claims,
chargebacks and cancellations of those orders (a defect follows its order's marketplace, by order id).

What no marketplace claims stays with the *top-level* marketplace (the one chosen with
``--sales-channel``, else the one with most orders): orders without a sales channel or of a channel that
names no marketplace ("Non-Amazon"), and defects whose order is not in the orders data (reported as
unmatched, as with one marketplace). Amazon's performance report names its marketplace: each marketplace
is reconciled with Amazon's figures for that marketplace; figures of a marketplace the orders do not hold
stay with the top-level one.

A folder with one marketplace (or none named) is analysed exactly as before: no view, no change.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from . import assets, store
from .amazon.verdict import marketplace_name
from .describe import Step, describe
from .errors import BadOptionError, QueryParameterError
from .i18n import Count, Message, _
from .i18n.fields import Joined
from .metrics import MetricParams
from .model import TABLE_KINDS, Finding, MetricResult
from .options import Options
from .result import AnalysisResult, Inputs, MarketplaceResult

BINDINGS: dict[str, frozenset[str]] = {
    "marketplace_channels": frozenset({"marketplace_prefix"}),
    "marketplace_order_ids": frozenset({"channel_key", "marketplace_prefix", "top_level"}),
}
"""The queries of this module (``queries/load/``) and the ``$parameters`` each is bound with."""


@dataclass(frozen=True)
class Channel:
    """One marketplace of the orders: ``key`` (lower-cased sales channel), its spelling, its orders."""
    key: str
    sales_channel: str
    orders: int

    @property
    def slug(self) -> str:
        """A file-name part: ``amazon-de`` for Amazon.de (``poa-amazon-de.md``)."""
        return re.sub(r"[^a-z0-9]+", "-", self.key).strip("-") or "marketplace"


@dataclass
class Split:
    """The marketplaces of a loaded database and a connection on each one's view (only when several)."""
    channels: tuple[Channel, ...] = ()            # every marketplace, most orders first
    top: Channel | None = None                    # the top-level marketplace (None: no marketplace named)
    views: dict[str, duckdb.DuckDBPyConnection] = field(default_factory=dict)   # channel key -> view (open)

    @property
    def multiple(self) -> bool:
        """Whether the orders hold more than one marketplace (then every output is per marketplace)."""
        return len(self.channels) > 1

    def close(self) -> None:
        """Close every view's database (their files go with the analysis' work folder)."""
        for con in self.views.values():
            con.close()

    @property
    def others(self) -> tuple[Channel, ...]:
        """The marketplaces other than the top-level one, most orders first."""
        return tuple(c for c in self.channels if c != self.top)


def _prefix() -> str:
    return str(assets.load_toml("marketplaces.toml")["prefix"]).strip().lower()


def _check(name: str, params: Mapping[str, Any]) -> None:
    if set(params) != BINDINGS[name]:
        raise QueryParameterError(f"{name}.sql is bound with {sorted(params)}, declares {sorted(BINDINGS[name])}")


def _run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any]) -> list[tuple]:
    _check(name, params)
    return con.execute(assets.load_query(name), dict(params)).fetchall()


def list_channels(con: duckdb.DuckDBPyConnection) -> tuple[Channel, ...]:
    """The marketplaces of the orders, most orders first (``queries/load/marketplace_channels.sql``); read
    from the folder's cache entry when :func:`store_channels` stored them for the same orders."""
    rows = _stored_channels(con)
    if rows is None:
        rows = _run(con, "marketplace_channels", {"marketplace_prefix": _prefix()})
    return tuple(Channel(str(key), str(name), int(n)) for key, name, n in rows)


# -- stored with a folder's cache entry (round five): the channels depend on the orders only, so a later run
# -- of the folder (a new --as-of or --out) does not count the distinct orders of every marketplace again.
_STORED = "marketplace_channels_info"


def _stored_key(con: duckdb.DuckDBPyConnection) -> str:
    """What the stored channels were counted from: the orders' row count and the marketplace prefix."""
    return json.dumps([con.execute("SELECT count(*) FROM orders").fetchone()[0], _prefix()])


def store_channels(con: duckdb.DuckDBPyConnection) -> None:
    """Store the orders' marketplaces in ``con``'s database (the folder's cache entry being built)."""
    rows = _run(con, "marketplace_channels", {"marketplace_prefix": _prefix()})
    con.execute(f"CREATE OR REPLACE TABLE {_STORED} AS SELECT CAST($k AS VARCHAR) AS key, "
                "CAST($rows AS VARCHAR) AS rows",
                {"k": _stored_key(con), "rows": json.dumps([[str(a), str(b), int(n)] for a, b, n in rows])})


def _stored_channels(con: duckdb.DuckDBPyConnection) -> list[tuple] | None:
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $t AND NOT temporary",
                        {"t": _STORED}).fetchone()[0]
    if not found:
        return None
    row = con.execute(f"SELECT key, rows FROM {_STORED}").fetchone()
    if row is None or row[0] != _stored_key(con):
        return None
    return [tuple(r) for r in json.loads(row[1])]


def _listing(channels: Sequence[Channel]) -> str:
    return ", ".join(format(Message("{channel} ({orders:order|orders})",
                                    {"channel": c.sales_channel, "orders": Count(c.orders)}), "") for c in channels)


def choose(channels: Sequence[Channel], wanted: str | None) -> Channel | None:
    """The top-level marketplace: ``wanted`` (any case, e.g. ``amazon.de``), else the one with most orders.

    An unknown ``wanted`` is a :class:`BadOptionError` listing the marketplaces of the orders (exit 2).
    """
    if wanted is None:
        return channels[0] if channels else None
    key = str(wanted).strip().lower()
    for c in channels:
        if c.key == key:
            return c
    if not channels:
        raise BadOptionError(_("--sales-channel {wanted!r}: the orders name no marketplace in their "
                               "sales-channel column").format(wanted=wanted),
                             hint=_("leave --sales-channel out, or add the All Orders report with its "
                                    "sales-channel column"))
    raise BadOptionError(_("--sales-channel {wanted!r} is not a marketplace of these orders").format(wanted=wanted),
                         hint=_("the orders hold {channels}; pass one of them, e.g. --sales-channel {example}").format(
                             channels=_listing(channels), example=channels[0].sales_channel))


def _database_path(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return str(row[0]) if row and row[0] else None


_COPIED = (*TABLE_KINDS, "supplied", "unusable")
"""The tables of a view: the canonical tables (restricted to the marketplace) and the supplied / unusable
kinds (as loaded: an export supplied for the folder is supplied for each of its marketplaces)."""


def view(con: duckdb.DuckDBPyConnection, channel: Channel, index: int, *, top_level: bool) -> duckdb.DuckDBPyConnection:
    """A database of its own holding ``channel``'s view of the loaded data in ``con``.

    A separate DuckDB database (a file ``marketplace_<index>.duckdb`` beside the work database, or in
    memory), so every query and every table the analysis builds (order_facts, feedback_themes, ...) sees
    this marketplace alone. Rows stream across as Arrow batches.
    """
    path = _database_path(con)
    target = None
    if path:
        target = os.path.join(os.path.dirname(path), f"marketplace_{int(index)}.duckdb")
        for leftover in (target, target + ".wal"):
            if os.path.exists(leftover):
                os.remove(leftover)
    out = store.connect(target, temp_directory=os.path.dirname(target) if target else None)
    ids = assets.load_query("marketplace_order_ids")
    params = {"channel_key": channel.key, "marketplace_prefix": _prefix(), "top_level": top_level}
    _check("marketplace_order_ids", params)
    search_path = con.execute("SELECT current_setting('search_path')").fetchone()[0] or ""
    for table in _COPIED:   # names from the fixed list of tables, never from the data
        if table == "orders":
            sql, bound = f"SELECT * FROM orders WHERE order_id IN ({ids})", params
        elif table in TABLE_KINDS:   # a row follows its order; the top-level view keeps the unmatched
            sql = (f"SELECT * FROM {table} WHERE order_id IN ({ids}) OR (CAST($top_level AS BOOLEAN) AND NOT "
                   f"EXISTS (SELECT 1 FROM orders o WHERE o.order_id = {table}.order_id))")
            bound = params
        else:
            sql, bound = f"SELECT * FROM {table}", {}
        source = con.cursor()   # its own result stream; the same search path (the cache's tables)
        try:
            source.execute("SET search_path = $p", {"p": search_path})
            out.register("_marketplace_rows", source.sql(sql, params=bound).to_arrow_reader())
            out.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _marketplace_rows")
        finally:
            out.unregister("_marketplace_rows")
            source.close()
    store.changed(out)
    return out


def split(con: duckdb.DuckDBPyConnection, wanted: str | None) -> Split:
    """The marketplaces of ``con``'s orders, the top-level one and, when there are several, a view of each."""
    channels = list_channels(con)
    top = choose(channels, wanted)
    result = Split(channels, top)
    if result.multiple:
        for i, c in enumerate(channels):
            result.views[c.key] = view(con, c, i, top_level=c == top)
    return result


def _reconciled_with(channel: Channel, split_: Split) -> Callable[[str | None], bool]:
    """Which of Amazon's marketplaces (by id) a marketplace is reconciled with: its own; the top-level one
    also takes those the orders do not hold."""
    keys = {c.key for c in split_.channels}

    def keep(marketplace_id: str | None) -> bool:
        name = marketplace_name(marketplace_id).strip().lower()
        return name == channel.key or (channel == split_.top and name not in keys)
    return keep


def other_marketplaces_warning(split_: Split, results: Mapping[str, AnalysisResult]) -> Message:
    """The top-level result's warning naming the other marketplaces (a Message: written in the reader's
    language where it is shown)."""
    assert split_.top is not None
    others = Joined(Message("{channel} ({orders:order|orders}, {status})",
                              {"channel": c.sales_channel, "orders": Count(c.orders), "status": _status(results[c.key])})
                      for c in split_.others)
    return Message("the orders hold {n} marketplaces, which Amazon judges separately: these figures are "
                   "{top}'s ({orders:order|orders}); each other one is analysed on its own (the report's "
                   "Marketplaces section, summary.json \"marketplaces\", poa-<marketplace>.md): {others}; choose "
                   "the marketplace of these figures with --sales-channel",
                   {"n": Count(len(split_.channels)), "top": split_.top.sales_channel,
                    "orders": Count(split_.top.orders), "others": others})


def _status(result: AnalysisResult) -> Message:
    risky = len(result.at_risk)
    return Message("{n:metric|metrics} at risk", {"n": Count(risky)}) if risky else Message("no metric at risk")


def describe_marketplaces(con: duckdb.DuckDBPyConnection, split_: Split, *, folder: str, options: Options,
                          params: MetricParams, inputs: Inputs, performance_files: Sequence[tuple[str, Any]] = (),
                          metrics: Mapping[str, MetricResult] | None = None,
                          findings: Sequence[Finding] | None = None, step: Step | None = None,
                          timed: Callable[[str], Any] | None = None) -> AnalysisResult:
    """Every marketplace described on its own view; the top-level result is the top-level marketplace's,
    with ``marketplaces`` (every marketplace, most orders first) and a warning naming the others.

    ``metrics`` / ``findings`` are the top-level marketplace's when the caller has them already.
    """
    assert split_.top is not None and split_.multiple
    results: dict[str, AnalysisResult] = {}

    for c in split_.channels:
        cur = split_.views[c.key]
        given = c == split_.top
        if step:
            step(f"analysing {c.sales_channel}")
        # describe() computes (and times) the metrics and findings a marketplace does not have yet
        results[c.key] = describe(cur, folder=folder, options=options, params=params, inputs=inputs,
                                  performance_files=performance_files, metrics=metrics if given else None,
                                  findings=findings if given else None, step=None, timed=timed,
                                  keep_marketplace=_reconciled_with(c, split_))
        if not given:   # described once: its database is not needed again (the top-level one is, by Analysis)
            split_.views.pop(c.key).close()
    entries = tuple(MarketplaceResult(c.sales_channel, c.orders, dataclasses.replace(results[c.key],
                                                                                     sales_channel=c.sales_channel),
                                      top_level=c == split_.top, slug=c.slug) for c in split_.channels)
    top = results[split_.top.key]
    return dataclasses.replace(top, sales_channel=split_.top.sales_channel, marketplaces=entries,
                               data_warnings=(*top.data_warnings, other_marketplaces_warning(split_, results)))


__all__ = ["BINDINGS", "Channel", "Split", "choose", "describe_marketplaces", "list_channels", "split",
           "store_channels", "view"]
