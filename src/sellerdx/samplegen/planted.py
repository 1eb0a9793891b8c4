"""The planted problems of a folder (what sellerdx should find, with the counts that prove them) and the
plan of deliberately damaged rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from sellerdx.samplegen.seller import Seller
from sellerdx.samplegen.spec import C_STOCKOUT, FB_DAMAGED, FB_NONE, FB_NR, WEEKDAY_NAMES, SampleSpec, date_of

_DAMAGE_KINDS = (("truncated", "orders_b"), ("rating", "feedback"), ("order_id", "claims"),
                 ("date", "shipments"), ("negative_quantity", "orders_a"))


def damage_plan(spec: SampleSpec) -> dict[str, list[str]]:
    plan: dict[str, list[str]] = {}
    two = spec.overlap_exports and spec.days >= 4
    for i in range(max(0, spec.damaged_rows)):
        reason, target = _DAMAGE_KINDS[i % len(_DAMAGE_KINDS)]
        if target == "orders_b":
            target = "orders1" if two else "orders0"
        elif target == "orders_a":
            target = "orders0"
        plan.setdefault(target, []).append(reason)
    return plan


def planted_problems(s: Seller) -> list[dict[str, Any]]:
    end = s.end
    d = lambda day: str(date_of(day))  # noqa: E731
    sku, asin = s.sku.to_pylist(), s.asin.to_pylist()
    so0, so1 = s.stockout_period
    so_base = s.mfn & s.has_stockout & (s.day >= so0) & (s.day <= so1)
    wb = s.r["weekend_backlog"]
    w0 = s.weekend_period[0]
    recent = s.mfn & ~s.cancelled & (s.day >= w0)
    weekend = recent & np.isin(s.wd, wb["weekdays"])
    weekday = recent & ~np.isin(s.wd, wb["weekdays"])
    neg_fb = (s.fb_cat != FB_NONE) & (s.fb_rating <= 2) & (s.fb_status == 0)
    lost = s.lost_planted
    return [
        {"code": "cancellation.stockout", "metric": "pfcr",
         "entities": {"asins": [asin[s.stockout_p]], "skus": [sku[s.stockout_p]], "carriers": [],
                      "weekdays": [], "shipping_services": []},
         "period": [d(so0), d(so1)],
         "description": (f"SKU {sku[s.stockout_p]} ran out of stock from {d(so0)} to {d(so1)}; the seller "
                         "cancelled most MFN orders containing it with reason 'No inventory'."),
         "counts": {"orders_with_sku": int(so_base.sum()),
                    "cancelled_no_inventory": int((so_base & (s.cancel_kind == C_STOCKOUT)).sum())}},
        {"code": "late_shipment.weekend_backlog", "metric": "lsr_10d", "also_metrics": ["lsr_30d"],
         "entities": {"asins": [], "skus": [], "carriers": [],
                      "weekdays": [WEEKDAY_NAMES[i] for i in wb["weekdays"]], "shipping_services": []},
         "period": [d(w0), d(end)],
         "description": ("MFN orders placed Friday to Sunday (UTC purchase date) were confirmed after the "
                         "expected ship date far more often than weekday orders: a Monday backlog."),
         "counts": {"weekend_orders": int(weekend.sum()), "late_weekend_orders": int((weekend & s.late).sum()),
                    "weekday_orders": int(weekday.sum()), "late_weekday_orders": int((weekday & s.late).sum())}},
        {"code": "negative_feedback.damaged", "metric": "odr_mfn", "related_codes": ["claims.not_as_described"],
         "entities": {"asins": [asin[s.fragile_p]], "skus": [sku[s.fragile_p]], "carriers": [],
                      "weekdays": [], "shipping_services": []},
         "period": [d(s.damaged_period[0]), d(end)],
         "description": (f"The glass item {asin[s.fragile_p]} arrived broken on many MFN orders: 1-2 star "
                         "feedback about breakage, CR-DAMAGED_BY_CARRIER returns and some 'Item damaged' / "
                         "'Item not as described' A-to-z claims."),
         "counts": {"damaged_orders": int(s.damaged.sum()),
                    "negative_feedback": int((s.damaged & neg_fb & (s.fb_cat == FB_DAMAGED)).sum()),
                    "returns_damaged_by_carrier": int((s.ret_mfn == len(s.mfn_reason_words) - 1).sum()),
                    "claims": int((s.damaged & (s.claim >= 0) & (s.claim_status == 0)).sum())}},
        {"code": "claims.item_not_received", "metric": "odr_mfn",
         "entities": {"asins": [], "skus": [], "carriers": [s.carrier_names[s.lossy]], "weekdays": [],
                      "shipping_services": []},
         "period": [d(s.lost_period[0]), d(end)],
         "description": (f"Carrier {s.carrier_names[s.lossy]} lost parcels: 'Item not received' A-to-z claims, "
                         "a few service chargebacks and missing tracking ids on its MFN orders."),
         "counts": {"lost_parcels": int(lost.sum()),
                    "claims": int((lost & (s.claim >= 0) & (s.claim_status == 0)).sum()),
                    "chargebacks": int((lost & (s.cb == 1)).sum()),
                    "negative_feedback": int((lost & neg_fb & (s.fb_cat == FB_NR)).sum()),
                    "missing_tracking": int(s.lossy_missing_tracking.sum())}},
    ]

