"""``DIR/index.html``: the agency's morning page, one self-contained file.

Python decides what to show (:class:`PageContext`: accounts ranked by urgency, what changed since the
previous run); ``templates/portfolio.html.j2`` decides how, rendered through sellerdx's one Jinja2
environment (:func:`sellerdx.render.html.environment`: autoescaped, StrictUndefined). The page loads
nothing: inline CSS, no script, links only to each account's own ``<account>/report.html``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..i18n.active import use
from ..render.html import environment, html_lang
from .outputs import STATUS_AT_RISK, STATUS_FAILED, AccountView

if TYPE_CHECKING:
    from .build import PortfolioResult

TEMPLATE = "portfolio.html.j2"


@dataclass(frozen=True)
class PageContext:
    """Everything index.html shows."""
    version: str
    root: str
    generated_at: dt.datetime
    where: str
    accounts: tuple[AccountView, ...]      # analysed, most urgent first
    failed: tuple[AccountView, ...]        # could not be analysed, with their errors
    notes: tuple[str, ...]
    at_risk: int
    became_at_risk: int
    analysed: int
    reused: int
    compared: bool                         # a previous run exists for at least one account


def page_context(result: PortfolioResult, *, root: str, generated_at: dt.datetime) -> PageContext:
    accounts = tuple(v for v in result.accounts if v.status != STATUS_FAILED)
    return PageContext(
        version=__version__, root=root, generated_at=generated_at, where=result.where, accounts=accounts,
        failed=result.failed, notes=result.notes,
        at_risk=sum(1 for v in accounts if v.status == STATUS_AT_RISK),
        became_at_risk=sum(1 for v in accounts if v.became_at_risk), analysed=result.analysed,
        reused=result.reused, compared=any(v.previous_run for v in accounts))


def render_index(ctx: PageContext, lang: str | None = None) -> str:
    """index.html in ``lang`` (default: the language being written, :mod:`sellerdx.i18n.active`)."""
    with use(lang):
        return environment().get_template(TEMPLATE).render(ctx=ctx, html_lang=html_lang())


def write_index(path: str | os.PathLike[str], result: PortfolioResult, *, root: str,
                generated_at: dt.datetime, lang: str | None = None) -> Path:
    target = Path(path)
    target.write_text(render_index(page_context(result, root=root, generated_at=generated_at), lang),
                      encoding="utf-8")
    return target


__all__ = ["PageContext", "TEMPLATE", "page_context", "render_index", "write_index"]
