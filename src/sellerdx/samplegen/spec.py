"""What to generate (:class:`SampleSpec`) and the generator's shared vocabulary: time units, day numbers,
and the codes of the per-order state arrays (order states, cancellation initiators, feedback categories)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

VARIANTS = ("us", "jp", "de")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY = 86400
HOUR = 3600
_EPOCH = dt.date(1970, 1, 1)

# order states (codes of the per-order state arrays)
PENDING, SHIPPED, DELIVERED, CANCELLED = 0, 1, 2, 3
ORDER_STATUS = ("Pending", "Shipped", "Shipped - Delivered to Buyer", "Cancelled")
ITEM_STATUS = ("Unshipped", "Shipped", "Shipped", "Cancelled")

# cancellation initiators and feedback categories
C_NONE, C_SELLER, C_BUYER, C_AMAZON, C_STOCKOUT = 0, 1, 2, 3, 4
FB_CATEGORIES = ("positive", "neutral", "seller", "product_review", "afn_late", "damaged", "not_received")
FB_NONE = -1
FB_POS, FB_NEU, FB_SELLER, FB_REVIEW, FB_AFNLATE, FB_DAMAGED, FB_NR = range(7)


@dataclass(frozen=True)
class SampleSpec:
    """What to generate. The defaults give the bundled ``us-seller`` folder."""
    seed: int = 7
    n_orders: int = 4000          # orders (an order has 1..3 items; ~1.25 items per order on average)
    days: int = 120               # span of purchase dates, ending on end_date
    end_date: dt.date = dt.date(2026, 10, 31)
    variant: str = "us"           # "us" (UTF-8), "jp" (cp932), "de" (cp1252 + one Excel re-saved file)
    damaged_rows: int = 3         # rows deliberately damaged (0 for clean output)
    afn_share: float = 0.3        # share of orders fulfilled by Amazon
    overlap_exports: bool = True  # split orders into two overlapping downloads (dedup must count once)
    performance_json: bool = True  # write Amazon's performance report JSON



def day_of(date: dt.date) -> int:
    return (date - _EPOCH).days


def date_of(day: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(day))

