"""Configuration: metric definitions, windows and parameters from ``data/metrics.toml`` and ``data/breakdowns.toml``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sellerdx import assets
from sellerdx.errors import BadOptionError
from sellerdx.options import check_timezone


def metrics_config() -> dict[str, Any]:
    return assets.load_toml("metrics.toml")


def metric_configs() -> dict[str, dict[str, Any]]:
    return metrics_config()["metrics"]


def breakdown_configs() -> dict[str, dict[str, Any]]:
    return assets.load_toml("breakdowns.toml")["by"]


METRIC_KEYS: tuple[str, ...] = tuple(metric_configs())
"""The metric keys, in display order: odr_mfn, odr_afn, odr_all, pfcr, lsr_10d, lsr_30d, vtr, otdr, otdr_units."""


BREAKDOWNS: tuple[str, ...] = tuple(breakdown_configs())
"""The names accepted by ``breakdown(..., by=...)`` (whitelist in data/breakdowns.toml)."""


BY_COLUMN = re.compile(r"^[mfi]\.[a-z_][a-z0-9_]*$")


def _default_lag() -> int:
    return int(metrics_config()["defaults"]["odr_lag_days"])


@dataclass(frozen=True)
class MetricParams:
    """What the user may choose for a metrics run (metrics-spec [choice] parameters)."""
    as_of: dt.date | None = None          # None -> the latest purchase date in the orders data
    odr_lag_days: int = field(default_factory=_default_lag)   # ODR window ends on as_of - lag
    timezone: str | None = None           # local time of weekday / hour statements; None -> per sales channel

    def __post_init__(self) -> None:
        if isinstance(self.odr_lag_days, bool) or not isinstance(self.odr_lag_days, int) or self.odr_lag_days < 0:
            raise BadOptionError(f"ODR lag {self.odr_lag_days!r} is not a whole number of days >= 0",
                                 hint="pass e.g. --odr-lag-days 14")
        if self.timezone is not None:
            object.__setattr__(self, "timezone", check_timezone(self.timezone))


def timezone_table() -> dict[str, Any]:
    return assets.load_toml("timezones.toml")


def zone_of_channel(sales_channel: str | None) -> str:
    """The local time zone of a sales channel (``Amazon.co.jp`` -> ``Asia/Tokyo``; data/timezones.toml)."""
    table = timezone_table()
    return table["sales_channels"].get(str(sales_channel or "").strip().lower(), table["default"])


def metric_definitions() -> dict[str, dict[str, Any]]:
    """For the report's "Definitions" section: key -> label, definition, target, direction, window_days."""
    return {key: {"label": cfg["label"], "definition": " ".join(cfg["definition"].split()),
                  "target": float(cfg["target"]), "direction": cfg["direction"],
                  "window_days": int(cfg["window_days"]), "lagged": bool(cfg["lagged"]),
                  "lag_days": cfg.get("lag_days")}
            for key, cfg in metric_configs().items()}


def window_lag(cfg: Mapping[str, Any], params: MetricParams) -> int:
    """Days between as-of and the window's end: a metric's fixed ``lag_days`` (unit OTDR: 7), else the
    ODR lag option for ``lagged`` metrics, else 0."""
    if "lag_days" in cfg:
        return int(cfg["lag_days"])
    return int(params.odr_lag_days) if cfg["lagged"] else 0


def metric_window(metric: str, as_of: dt.date, params: MetricParams) -> tuple[dt.date, dt.date]:
    """(first, last) purchase date of a metric's window for an as-of date."""
    cfg = metric_config(metric)
    end = as_of - dt.timedelta(days=window_lag(cfg, params))
    return end - dt.timedelta(days=int(cfg["window_days"]) - 1), end


def metric_config(metric: str) -> dict[str, Any]:
    try:
        return metric_configs()[metric]
    except KeyError:
        raise BadOptionError(f"unknown metric {metric!r}",
                             hint="one of " + ", ".join(METRIC_KEYS)) from None
