"""sellerdx: diagnose an Amazon seller's account health from Seller Central exports, offline.

>>> import sellerdx
>>> analysis = sellerdx.analyze("sample_reports/us-seller")     # doctest: +SKIP
>>> analysis.metrics                                            # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from .analysis import Analysis, Inputs, Options, analyze  # noqa: E402

__all__ = ["Analysis", "Inputs", "Options", "analyze", "__version__"]
