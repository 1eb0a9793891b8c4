"""Amazon's own performance report (``GET_V2_SELLER_PERFORMANCE_REPORT``): parsing and reconciliation.

One concern per module: :mod:`.report` parses every spelling Amazon uses, :mod:`.reconcile` puts Amazon's
numbers beside sellerdx's.
"""

from .reconcile import Reconciliation, reconcile
from .report import (AmazonMetric, MarketplacePerformance, PerformanceReport, is_performance_report,
                     load_performance, parse_performance)

__all__ = ["AmazonMetric", "MarketplacePerformance", "PerformanceReport", "Reconciliation",
           "is_performance_report", "load_performance", "parse_performance", "reconcile"]
