"""Small-sample arithmetic: the Wilson interval, meeting a target, the recovery-date simulation."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from sellerdx.metrics.config import metrics_config


def wilson_interval(k: int, n: int, z: float | None = None) -> tuple[float, float] | None:
    """The Wilson score interval of the proportion k/n (95% by default); None when n is 0."""
    if n <= 0:
        return None
    if z is None:
        z = float(metrics_config()["defaults"]["wilson_z"])
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def meets(rate: float, target: float, direction: str) -> bool:
    return rate < target if direction == "below" else rate > target


def simulate_recovery(days: Mapping[dt.date, tuple[int, int]], *, as_of: dt.date, lag_days: int,
                      window_days: int, target: float, direction: str, daily_volume: float,
                      horizon_days: int | None = None) -> dt.date | None:
    """First as-of date after ``as_of`` on which the metric meets its target, if no new defect arrives.

    ``days`` maps a purchase date (up to ``as_of``) to (orders, bad outcomes) of the metric's
    denominator. For a future as-of ``as_of + k`` the window is shifted by k days; purchase dates up to
    ``as_of`` keep their known orders and defects, later dates get ``daily_volume`` orders and no defect.
    A window without any order and without any defect also ends the at-risk state. None if the target is
    not met within the horizon (lag + window days by default, after which the window holds only new days).
    """
    horizon = horizon_days if horizon_days is not None else lag_days + window_days
    for k in range(1, horizon + 1):
        end = as_of + dt.timedelta(days=k - lag_days)
        start = end - dt.timedelta(days=window_days - 1)
        orders = 0.0
        bad = 0
        for day, (n, b) in days.items():
            if start <= day <= end:
                orders += n
                bad += b
        future_first = max(start, as_of + dt.timedelta(days=1))
        if end >= future_first:
            orders += daily_volume * ((end - future_first).days + 1)
        if orders <= 0:
            if bad == 0:
                return as_of + dt.timedelta(days=k)
            continue
        bad_rate = bad / orders
        rate = bad_rate if direction == "below" else 1.0 - bad_rate
        if meets(rate, target, direction):
            return as_of + dt.timedelta(days=k)
    return None


def meets_target(rate: float, target: float, direction: str) -> bool:
    """Whether ``rate`` meets a target ("below": under it; "above": over it)."""
    return meets(rate, target, direction)
