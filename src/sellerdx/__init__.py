"""sellerdx: diagnose an Amazon seller's account health from Seller Central exports, offline.

>>> import sellerdx
>>> analysis = sellerdx.analyze("sample_reports/us-seller")     # doctest: +SKIP
>>> analysis.metrics                                            # doctest: +SKIP
"""

from __future__ import annotations

from .analysis import Analysis, Inputs, Options, analyze
from .version import __version__

__all__ = ["Analysis", "Inputs", "Options", "analyze", "__version__"]
