"""Shared builders for the metrics tests: tiny hand-made frames loaded through ``store.load_frames``."""


from __future__ import annotations

import datetime as dt

import pandas as pd

from sellerdx import store

AS_OF = dt.date(2026, 10, 31)


def oid(i: int) -> str:
    """A valid Amazon order id for test order number i."""
    return f"111-0000000-{i:07d}"


def order(i: int, day: str, *, channel: str = "Merchant", status: str = "Shipped", time: str = "12:00:00",
          sku: str = "SKU-A", asin: str = "B00000000A", **extra) -> dict:
    """One order-item row of the All Orders report, purchased at ``day`` ``time`` UTC."""
    row = {"order_id": oid(i), "purchase_ts": pd.Timestamp(f"{day}T{time}"), "order_status": status,
           "fulfillment_channel": channel, "sku": sku, "asin": asin, "quantity": 1, "item_price": 10.0}
    row.update(extra)
    return row


def daily_orders(first: int, start: str, days: int, per_day: int = 1, **kw) -> list[dict]:
    """``per_day`` orders on each of ``days`` consecutive days from ``start``, numbered from ``first``."""
    rows = []
    d0 = dt.date.fromisoformat(start)
    n = first
    for k in range(days):
        for _ in range(per_day):
            rows.append(order(n, (d0 + dt.timedelta(days=k)).isoformat(), **kw))
            n += 1
    return rows


def load(**frames: list[dict] | pd.DataFrame):
    """A fresh connection with the given kinds loaded (lists of row dicts or DataFrames)."""
    con = store.connect()
    store.load_frames(con, {k: v if isinstance(v, pd.DataFrame) else pd.DataFrame(v)
                            for k, v in frames.items()})
    return con


def feedback(i: int, rating: int, day: str = "2026-10-20", **extra) -> dict:
    row = {"feedback_date": dt.date.fromisoformat(day), "rating": rating, "order_id": oid(i),
           "comments": extra.pop("comments", "text")}
    row.update(extra)
    return row


def claim(i: int, status: str | None, day: str = "2026-10-20", **extra) -> dict:
    row = {"order_id": oid(i), "claim_date": dt.date.fromisoformat(day), "claim_reason": "Item not received",
           "claim_status": status, "amount": 10.0}
    row.update(extra)
    return row


def chargeback(i: int, ctype: str | None, reason: str | None = "Item not received",
               day: str = "2026-10-20") -> dict:
    return {"order_id": oid(i), "chargeback_date": dt.date.fromisoformat(day), "chargeback_reason": reason,
            "chargeback_type": ctype}


def cancellation(i: int, by: str | None, reason: str | None, day: str = "2026-10-28", sku: str | None = None) -> dict:
    return {"order_id": oid(i), "cancel_date": dt.date.fromisoformat(day), "cancelled_by": by,
            "cancel_reason": reason, "sku": sku}


def shipment(i: int, expected: str | None, confirmed: str | None, **extra) -> dict:
    row = {"order_id": oid(i),
           "expected_ship_ts": pd.Timestamp(expected) if expected else pd.NaT,
           "ship_confirm_ts": pd.Timestamp(confirmed) if confirmed else pd.NaT,
           "carrier": "UPS", "tracking_id": f"1Z{i:08d}"}
    row.update(extra)
    return row
