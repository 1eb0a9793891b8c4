"""Amazon's own performance report (``GET_V2_SELLER_PERFORMANCE_REPORT``), one concern per module.

:mod:`.report` parses every spelling Amazon uses; :mod:`.checks` finds impossible counts and dates;
:mod:`.verdict` builds Amazon's verdict (account status, Account Health Rating, metrics it marks bad, policy
metrics, Invoice Defect Rate); :mod:`.history` keeps the snapshots; :mod:`.reconcile` recomputes each of
Amazon's metrics on its own window and explains the gaps; :mod:`.overview` ties them together for one
analysis. Import the module you need: this package imports none of them, so that a renderer can read
:mod:`.verdict` without pulling in the metrics engine through :mod:`.reconcile`; the public names below
are loaded lazily.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    "AmazonMetric": "report", "MarketplacePerformance": "report", "PerformanceReport": "report",
    "is_performance_report": "report", "load_performance": "report", "parse_performance": "report",
    "Reconciliation": "reconcile",
}
"""The package's public names, each loaded from its module on first use (``sellerdx.amazon.reconcile``
imports the metrics engine; reading a verdict must not). The function ``reconcile`` is imported from its
module, ``sellerdx.amazon.reconcile``, whose name it shares."""


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_PUBLIC)
