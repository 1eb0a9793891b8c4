"""The options of an analysis: each is also a ``sellerdx analyze`` flag of the same name."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from .assets import load_toml
from .errors import BadOptionError
from .i18n.active import _
from .i18n.languages import codes as language_codes
from .i18n.languages import normalise as normalise_language
from .i18n.languages import poa_codes

DEFAULT_OUT = "sellerdx-report"


def check_timezone(name: str) -> str:
    """``name`` if it is an IANA time zone (``Asia/Tokyo``, ``UTC``), else :class:`BadOptionError`."""
    try:
        zoneinfo.ZoneInfo(str(name).strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise BadOptionError(_("--timezone {name!r} is not a known time zone").format(name=name),
                             hint=_("use an IANA name such as America/Los_Angeles, Europe/Berlin, Asia/Tokyo "
                                    "or UTC")) from None
    return str(name).strip()


@dataclass(frozen=True)
class Options:
    """Analysis options; each is also a ``sellerdx analyze`` flag of the same name (``--odr-lag-days``)."""
    out: str = DEFAULT_OUT            # folder for report.html, summary.json, poa.md, evidence.csv, rejected_rows.csv
    as_of: dt.date | None = None      # the day the windows end; default: latest purchase date in the orders
    odr_lag_days: int = 14            # ODR window ends this many days before as_of
    marketplace: str | None = None    # two-letter marketplace (US, DE, JP, ...): date order of ambiguous dates
    cache: str | bool | None = True   # cache folder; True: the user cache folder, False/None: no cache
    notice: tuple[str, ...] | None = None   # metric families of Amazon's notice (odr, pfcr, lsr, vtr, otdr): the POA's scope
    timezone: str | None = None       # local time of weekday / hour statements; default: per sales channel
    lang: str = "en"                  # the language the report and terminal are written in (i18n.resolve decides it)
    poa_lang: str = "en"              # the language of poa.md / poa.txt: English, or a language Amazon reads
    sales_channel: str | None = None  # the top-level marketplace when the orders hold several (Amazon.de); default: most orders

    def __post_init__(self) -> None:
        if isinstance(self.as_of, str):
            try:
                object.__setattr__(self, "as_of", dt.date.fromisoformat(self.as_of))
            except ValueError:
                raise BadOptionError(_("--as-of {value!r} is not a date").format(value=self.as_of),
                                     hint=_("write it as YYYY-MM-DD, e.g. --as-of 2026-10-31")) from None
        if not isinstance(self.odr_lag_days, int) or not 0 <= self.odr_lag_days <= 90:
            raise BadOptionError(_("--odr-lag-days {value!r} is out of range").format(value=self.odr_lag_days),
                                 hint=_("use a whole number of days from 0 to 90 (Amazon's offset is 14)"))
        if self.marketplace is not None:
            code = str(self.marketplace).upper()
            known = load_toml("dates.toml")["marketplaces"]
            if code not in known or code == "DEFAULT":
                raise BadOptionError(_("--marketplace {value!r} is not known").format(value=self.marketplace),
                                     hint=_("use one of {choices}").format(
                                         choices=", ".join(k for k in known if k != "default")))
            object.__setattr__(self, "marketplace", code)
        if self.timezone is not None:
            object.__setattr__(self, "timezone", check_timezone(self.timezone))
        if self.lang not in language_codes():
            raise BadOptionError(_("--lang {value!r} has no catalog").format(value=self.lang),
                                 hint=_("use one of {choices}").format(choices=", ".join(language_codes())))
        poa_lang = normalise_language(str(self.poa_lang)) or ""
        if poa_lang not in poa_codes():
            raise BadOptionError(
                _("--poa-lang {value!r} is not a language Amazon reads a Plan of Action in").format(
                    value=self.poa_lang),
                hint=_("use one of {choices} (Amazon's form takes English everywhere, and the marketplace's "
                       "language in DE, FR, IT, ES and JP)").format(choices=", ".join(poa_codes())))
        object.__setattr__(self, "poa_lang", poa_lang)
        if self.sales_channel is not None:   # checked against the orders' marketplaces once they are loaded
            if not str(self.sales_channel).strip():
                raise BadOptionError(_("--sales-channel is empty"),
                                     hint=_("name a marketplace of the orders, e.g. --sales-channel Amazon.de"))
            object.__setattr__(self, "sales_channel", str(self.sales_channel).strip())
        if self.notice is not None:
            names = self.notice.split(",") if isinstance(self.notice, str) else list(self.notice)
            names = [n.strip().lower() for n in names if n and n.strip()]
            families = list(load_toml("poa.toml")["families"])
            unknown = [n for n in names if n not in families]
            if unknown or not names:
                raise BadOptionError(_("--notice {value} names no metric family").format(
                                         value=",".join(unknown) or "(empty)"),
                                     hint=_("list the families of Amazon's notice, e.g. --notice odr,lsr "
                                            "(one of {choices})").format(choices=", ".join(families)))
            object.__setattr__(self, "notice", tuple(dict.fromkeys(names)))


__all__ = ["DEFAULT_OUT", "Options"]
