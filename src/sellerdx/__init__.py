"""sellerdx: diagnose an Amazon seller's account health from Seller Central exports, offline."""

from __future__ import annotations

__version__ = "0.1.0"
