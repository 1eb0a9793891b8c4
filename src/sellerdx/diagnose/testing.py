"""The rule-case language: a rule's ``[[rule.fires]]`` / ``[[rule.does_not_fire]]`` cases describe small data
sets in batches of orders; :func:`case_frames` expands one into DataFrames for
:func:`sellerdx.store.load_frames`. Used by the tests (tests/test_rules.py) and by nothing at run time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from sellerdx.diagnose.rules import settings

_ORDER_COUNTER_START = 1000001


def case_frames(spec: Mapping[str, Any]) -> tuple[dt.date, dict[str, pd.DataFrame]]:
    """Expand a rule test case (``[[rule.fires]]`` entry) into (as_of, frames for ``load_frames``).

    The case has ``as_of`` (default ``settings()['cases']['as_of']``), ``defaults`` (batch values shared by
    the case's batches) and ``batches``: each batch is ``n``
    identical orders purchased on the days ``days = [from, to]`` days before as-of (spread evenly, only on
    ``weekdays`` when given), with ``channel``, ``sku``, ``asin``, ``product``, ``carrier``, ``service``,
    ``tracking`` (false = no tracking id) and counts of defects given to the batch's first orders:
    ``late`` (confirmed ``late_days`` after the expected ship date; ``scan_on_time`` = handed to the
    carrier before it), ``negative`` (``rating``, ``comment``, ``feedback_status``), ``claims``
    (``claim_reason``, ``claim_status``), ``chargebacks`` (``chargeback_reason``, ``chargeback_type``),
    ``returns`` (``return_reason``, ``return_disposition``), ``delivered_late``, ``lost`` (the
    ``lost`` orders after the ``delivered_late`` ones have a promised but no delivered date); ``cancel``
    cancels the batch's last orders (``cancel_reason``, ``cancelled_by``).
    """
    defaults = settings()["cases"]
    as_of = dt.date.fromisoformat(str(spec.get("as_of", defaults["as_of"])))
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "orders", "shipments", "cancellations", "feedback", "claims", "chargebacks")}
    returns_mfn: list[dict[str, Any]] = []
    returns_fba: list[dict[str, Any]] = []
    counter = _ORDER_COUNTER_START
    for b_index, batch in enumerate(spec.get("batches", [])):
        b = {**defaults["batch"], **spec.get("defaults", {}), **batch}
        lo, hi = b["days"]
        days = [as_of - dt.timedelta(days=d) for d in range(lo, hi + 1)]
        if b.get("weekdays"):
            days = [d for d in days if d.strftime("%A") in b["weekdays"]]
        if not days:
            raise ValueError(f"case batch {b_index}: no purchase day matches days/weekdays")
        n = int(b["n"])
        n_cancel = int(b.get("cancel", 0))
        for i in range(n):
            counter += 1
            order_id = f"{111 + b_index % 800:03d}-{counter:07d}-{(counter * 7919) % 10_000_000:07d}"
            day = days[i % len(days)]
            purchase = dt.datetime.combine(day, dt.time(15, 0))
            cancelled = i >= n - n_cancel
            rows["orders"].append({
                "order_id": order_id, "purchase_ts": purchase, "last_updated_ts": purchase,
                "order_status": "Cancelled" if cancelled else "Shipped",
                "fulfillment_channel": "Merchant" if b["channel"] == "MFN" else "Amazon",
                "sales_channel": "Amazon.com", "ship_service_level": b["service"],
                "product_name": b["product"], "sku": b["sku"], "asin": b["asin"],
                "item_status": "Cancelled" if cancelled else "Shipped", "quantity": 1,
                "currency": "USD", "item_price": 20.0, "ship_country": "US", "ship_state": b.get("state")})
            if cancelled:
                rows["cancellations"].append({
                    "order_id": order_id, "cancel_date": day, "cancelled_by": b["cancelled_by"],
                    "cancel_reason": b["cancel_reason"], "sku": b["sku"]})
                continue
            if b["channel"] == "MFN":
                expected = purchase + dt.timedelta(days=int(b["handling_days"]), hours=8)
                late = i < int(b.get("late", 0))
                if late:
                    confirm = expected + dt.timedelta(days=int(b["late_days"]))
                    scan = (expected - dt.timedelta(hours=6)) if b.get("scan_on_time") else confirm + dt.timedelta(hours=3)
                else:
                    confirm = purchase + dt.timedelta(hours=20)
                    scan = confirm + dt.timedelta(hours=3)
                promised = (confirm + dt.timedelta(days=3)).date()
                n_late = int(b.get("delivered_late", 0))
                delivered: dt.date | None = promised + dt.timedelta(days=2 if i < n_late else -1)
                if n_late <= i < n_late + int(b.get("lost", 0)):
                    delivered = None
                rows["shipments"].append({
                    "order_id": order_id, "expected_ship_ts": expected, "ship_confirm_ts": confirm,
                    "carrier": b["carrier"], "shipping_service": b["service"],
                    "tracking_id": f"TRK{counter:09d}" if b["tracking"] else None,
                    "first_scan_ts": scan, "promised_delivery_date": promised, "delivered_date": delivered,
                    "sku": b["sku"], "asin": b["asin"]})
            later = min(day + dt.timedelta(days=5), as_of)
            if i < int(b.get("negative", 0)):
                rows["feedback"].append({
                    "feedback_date": later, "rating": int(b["rating"]), "comments": b["comment"],
                    "order_id": order_id, "status": b.get("feedback_status")})
            if i < int(b.get("claims", 0)):
                rows["claims"].append({
                    "order_id": order_id, "claim_date": later, "claim_reason": b["claim_reason"],
                    "claim_status": b["claim_status"], "amount": 20.0})
            if i < int(b.get("chargebacks", 0)):
                rows["chargebacks"].append({
                    "order_id": order_id, "chargeback_date": later, "chargeback_reason": b["chargeback_reason"],
                    "chargeback_type": b["chargeback_type"]})
            if i < int(b.get("returns", 0)):
                if b["channel"] == "MFN":
                    returns_mfn.append({
                        "order_id": order_id, "order_date": day, "return_request_date": later,
                        "asin": b["asin"], "sku": b["sku"], "item_name": b["product"],
                        "return_quantity": 1, "return_reason": b["return_reason"]})
                else:
                    returns_fba.append({
                        "return_date": dt.datetime.combine(later, dt.time(12)), "order_id": order_id,
                        "sku": b["sku"], "asin": b["asin"], "product_name": b["product"], "quantity": 1,
                        "reason": b["return_reason"], "detailed_disposition": b["return_disposition"]})
    frames = {k: pd.DataFrame(v) for k, v in rows.items()}
    if returns_mfn:
        frames["returns_mfn"] = pd.DataFrame(returns_mfn)
    if returns_fba:
        frames["returns_fba"] = pd.DataFrame(returns_fba)
    return as_of, frames
