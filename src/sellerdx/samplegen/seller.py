"""The seller model: every generated fact about the fictional seller's orders, as numpy arrays drawn from
one generator seeded with ``spec.seed`` (orders, items, cancellations, shipping, feedback, claims,
chargebacks, returns), and the planted problems' periods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sellerdx.samplegen.columns import int_str, join, strings, take
from sellerdx.samplegen.spec import (
    C_AMAZON,
    C_BUYER,
    C_NONE,
    C_SELLER,
    C_STOCKOUT,
    CANCELLED,
    DAY,
    DELIVERED,
    FB_AFNLATE,
    FB_DAMAGED,
    FB_NEU,
    FB_NONE,
    FB_NR,
    FB_POS,
    FB_REVIEW,
    FB_SELLER,
    HOUR,
    PENDING,
    SHIPPED,
    VARIANTS,
    SampleSpec,
    day_of,
)


def _weekday(day: np.ndarray) -> np.ndarray:
    return (np.asarray(day) + 3) % 7          # 1970-01-01 was a Thursday; Monday = 0


def uniform_int(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    return rng.integers(int(lo), int(hi) + 1, size=n, dtype=np.int64)


class Seller:
    """All generated facts about the fictional seller's orders, as numpy arrays."""

    def __init__(self, spec: SampleSpec, cfg: dict[str, Any], *, block: int = 0, first: int = 0,
                 n: int | None = None, id_salt: int | None = None) -> None:
        """The orders ``first .. first + n`` of the folder (all of them by default), simulated as block
        ``block``. Block 0 draws from the generator seeded ``[seed, variant]``; a later block from its own
        ``[seed, variant, block]``, so a block never depends on another's draws (see ``generate``).
        ``id_salt`` (block 0's) keeps order ids unique across blocks."""
        if spec.variant not in VARIANTS:
            raise ValueError(f"unknown variant {spec.variant!r}; choose one of {', '.join(VARIANTS)}")
        if spec.n_orders < 1 or spec.days < 1:
            raise ValueError("n_orders and days must be positive")
        self.spec = spec
        self.cfg = cfg
        self.v = cfg["variant"][spec.variant]
        self.w = cfg["words"]
        self.r = cfg["rates"]
        self.block = block
        rng = self.rng = np.random.default_rng([spec.seed, VARIANTS.index(spec.variant)] + ([block] if block else []))
        r = self.r
        n = self.n = spec.n_orders if n is None else n
        self.end = day_of(spec.end_date)
        self.start = self.end - (spec.days - 1)
        self.export_b = (self.end + 1) * DAY + 6 * HOUR        # last downloads: next morning
        self.decimals = int(self.v["price_decimals"])
        unit = 10 ** self.decimals

        # catalogue
        products = cfg["products"]
        self.n_products = len(products)
        self.sku = strings([p["sku"] for p in products])
        self.asin = strings([p["asin"] for p in products])
        self.pname = strings([p[f"name_{spec.variant}"] for p in products])
        self.price = np.array([round(p[f"price_{spec.variant}"] * unit) for p in products], np.int64)
        weights = np.array([p["weight"] for p in products], float)
        roles = [p.get("role", "") for p in products]
        self.stockout_p = roles.index("stockout")
        self.fragile_p = roles.index("fragile")

        # orders: purchase times sorted, ids unique
        day = self.start + rng.integers(0, spec.days, n)
        day[0] = self.end
        ts = np.sort(day * DAY + rng.integers(0, DAY, n))
        self.purchase = ts
        self.day = ts // DAY
        self.wd = _weekday(self.day)
        prefixes = self.v["order_id_prefixes"]
        mid = rng.integers(0, 10 ** 7, n)
        salt = int(rng.integers(0, 10 ** 7))
        self.id_salt = salt if id_salt is None else id_salt
        # unique for every order of the folder (3,890,177 and 10^7 are coprime): the position is the global one
        last = (np.arange(first, first + n, dtype=np.int64) * 3_890_177 + self.id_salt) % 10 ** 7
        self.order_id = join([take(strings(prefixes), rng.integers(0, len(prefixes), n)),
                               int_str(mid, 7), int_str(last, 7)], "-")
        self.afn = rng.random(n) < spec.afn_share
        self.mfn = ~self.afn
        self.service = rng.choice(len(self.w["ship_service_levels"]), n,
                                  p=norm(self.w["ship_service_weights"]))
        self.address = rng.integers(0, len(self.v["addresses"]), n)
        self.business = rng.random(n) < r["business_order"]
        self.offset_min = np.where(rng.random(n) < float(self.v["local_offset_share"]),
                                   int(self.v["local_offset_minutes"]), 0).astype(np.int64)

        # items
        n_items = rng.choice(3, n, p=norm(r["items_per_order"])) + 1
        self.item_order = np.repeat(np.arange(n), n_items)
        first = np.concatenate([[0], np.cumsum(n_items)[:-1]])
        pos = np.arange(len(self.item_order)) - first[self.item_order]
        base = rng.choice(self.n_products, n, p=norm(weights))
        step = rng.integers(1, (self.n_products - 1) // 2 + 1, n)
        self.item_product = (base[self.item_order] + pos * step[self.item_order]) % self.n_products
        self.item_qty = np.where(rng.random(len(self.item_order)) < r["quantity_two"], 2, 1)
        self.item_first = pos == 0
        item_value = self.price[self.item_product] * self.item_qty
        self.order_value = np.bincount(self.item_order, weights=item_value, minlength=n).astype(np.int64)
        self.has_stockout = np.zeros(n, bool)
        self.has_fragile = np.zeros(n, bool)
        self.has_stockout[self.item_order[self.item_product == self.stockout_p]] = True
        self.has_fragile[self.item_order[self.item_product == self.fragile_p]] = True

        self._cancellations()
        self._shipping()
        self._defects()

    # ---- cancellations --------------------------------------------------------------------------
    def _cancellations(self) -> None:
        rng, r, n, end = self.rng, self.r, self.n, self.end
        so = r["stockout"]
        self.stockout_period = (end - so["first_day"], end - so["last_day"])
        in_so = (self.day >= self.stockout_period[0]) & (self.day <= self.stockout_period[1])
        kind = np.zeros(n, np.int8)
        u = rng.random(n)
        kind[self.mfn & self.has_stockout & in_so & (u < so["cancel_share"])] = C_STOCKOUT
        free = kind == C_NONE
        u = rng.random(n)
        kind[free & (u < r["buyer_cancel"])] = C_BUYER
        free = kind == C_NONE
        u = rng.random(n)
        kind[free & self.mfn & (u < r["seller_cancel"])] = C_SELLER
        free = kind == C_NONE
        u = rng.random(n)
        kind[free & self.mfn & (u < r["not_confirmed_cancel"])] = C_AMAZON
        self.cancel_kind = kind
        self.cancelled = kind != C_NONE
        delay = np.where(kind == C_AMAZON, uniform_int(rng, 2 * DAY, 4 * DAY, n),
                         uniform_int(rng, HOUR // 2, 20 * HOUR, n))
        self.cancel_ts = np.minimum(self.purchase + delay, self.export_b - 600)
        reasons = self.w["seller_cancel_reasons"]
        self.cancel_reason = rng.integers(0, len(reasons), n)       # for C_SELLER
        # the SKU named on the cancellation row: the stock-out SKU, else the order's first item
        first_product = self.item_product[np.flatnonzero(self.item_first)]
        self.cancel_product = np.where(kind == C_STOCKOUT, self.stockout_p, first_product)

    # ---- shipping -------------------------------------------------------------------------------
    def _shipping(self) -> None:
        rng, r, n, end = self.rng, self.r, self.n, self.end
        # expected ship date: the next business day after the purchase date, end of day UTC
        add = np.array([1, 1, 1, 1, 3, 2, 1])[self.wd]
        self.expected = (self.day + add) * DAY + DAY - 1
        wb = r["weekend_backlog"]
        self.weekend_period = (end - (wb["days"] - 1), end)
        weekend = np.isin(self.wd, wb["weekdays"]) & (self.day >= self.weekend_period[0])
        p_late = np.where(weekend, wb["late_share"], r["late_base"])
        late = self.mfn & ~self.cancelled & (rng.random(n) < p_late)
        on_time = self.purchase + (rng.uniform(0.1, 1.0, n) * (self.expected - self.purchase)).astype(np.int64)
        late_ts = self.expected + uniform_int(rng, HOUR, 48 * HOUR, n)
        self.confirm = np.where(late, late_ts, on_time)
        self.late_planned = late
        # FBA: Amazon ships within a day
        self.afn_ship = self.purchase + uniform_int(rng, 2 * HOUR, 24 * HOUR, n)
        self.ship_ts = np.where(self.afn, self.afn_ship, self.confirm)

        # which MFN orders appear in the shipments export (confirmed before the last download)
        self.in_ship = self.mfn & ~self.cancelled & (self.confirm <= self.export_b)
        self.late = self.in_ship & (self.confirm > self.expected)

        carriers = self.v["carriers"]
        self.carrier_names = list(carriers) + ["Other"]
        self.carrier = rng.choice(len(carriers), n, p=norm(self.v["carrier_weights"]))
        lost_cfg = r["lost"]
        self.lossy = carriers.index(lost_cfg["carrier"])
        other = rng.random(n) < r["other_carrier"]
        self.carrier = np.where(other, len(carriers), self.carrier)
        mt_start = end - (lost_cfg["missing_tracking_days"] - 1)
        missing = (self.carrier == self.lossy) & (self.day >= mt_start) & (rng.random(n) < lost_cfg["missing_tracking"])
        self.no_tracking = other | missing
        self.lossy_missing_tracking = missing & self.in_ship
        self.first_scan = self.confirm + uniform_int(rng, 2 * HOUR, 20 * HOUR, n)
        transit = np.array(self.w["transit_days"])[self.service]
        # Amazon's promise carries two days of buffer over the carrier's transit time.
        self.promised_day = self.expected // DAY + transit + 2
        lost_period_start = end - (lost_cfg["days"] - 1)
        self.lost_period = (lost_period_start, end)
        lost_planted = self.in_ship & (self.carrier == self.lossy) & (self.day >= lost_period_start) \
            & (rng.random(n) < lost_cfg["lost_share"])
        lost_base = self.in_ship & (rng.random(n) < r["lost_base"])
        self.lost = lost_planted | lost_base
        self.lost_planted = lost_planted
        noise = rng.choice(np.array([-1, 0, 0, 0, 0, 0, 0, 0, 1, 2]), n)
        deliver = self.first_scan // DAY + transit + noise
        deliver = np.maximum(deliver, self.first_scan // DAY)
        self.delivered_day = deliver
        self.has_delivered = self.in_ship & ~self.lost & ~self.no_tracking & (deliver <= end)
        self.tracking_prefix = list(self.v["tracking_prefixes"]) + [""]

        # the fragile item arrives broken (MFN, recent period)
        dmg = r["damaged"]
        self.damaged_period = (end - (dmg["days"] - 1), end)
        self.damaged = self.in_ship & self.has_fragile & ~self.lost & (self.day >= self.damaged_period[0]) \
            & (rng.random(n) < dmg["damaged_share"])

    # ---- feedback, claims, chargebacks, returns -------------------------------------------------
    def _defects(self) -> None:
        rng, r, n, end = self.rng, self.r, self.n, self.end
        shipped = self.in_ship | (self.afn & ~self.cancelled & (self.afn_ship <= self.export_b))
        self.shipped = shipped
        # feedback: one per order at most; negative categories override positive ones
        cat = np.full(n, FB_NONE, np.int8)
        base = shipped & (rng.random(n) < r["feedback"])
        ratings = np.array(r["feedback_ratings"])[rng.choice(len(r["feedback_ratings"]), n,
                                                             p=norm(r["feedback_rating_weights"]))]
        cat[base] = np.where(ratings[base] == 3, FB_NEU, FB_POS)
        rating = np.where(base, ratings, 0)
        neg = np.where(rng.random(n) < 0.6, 1, 2)
        for code, mask in (
            (FB_SELLER, self.in_ship & (rng.random(n) < r["negative_seller"])),   # FBA: Amazon serves the buyer
            (FB_REVIEW, shipped & (rng.random(n) < r["negative_product_review"])),
            (FB_AFNLATE, shipped & self.afn & (rng.random(n) < r["negative_afn_late"])),
            (FB_DAMAGED, self.damaged & (rng.random(n) < r["damaged"]["negative_feedback"])),
            (FB_NR, self.lost_planted & (rng.random(n) < r["lost"]["negative_feedback"])),
        ):
            cat[mask] = code
            rating = np.where(mask, neg, rating)
        delay = np.select(
            [cat == FB_DAMAGED, cat == FB_NR, cat == FB_AFNLATE],
            [uniform_int(rng, 3, 8, n), uniform_int(rng, 12, 20, n), uniform_int(rng, 4, 10, n)],
            uniform_int(rng, 3, 20, n))
        fb_day = self.day + delay
        cat[fb_day > end] = FB_NONE
        # every folder shows at least one removable comment of each kind, inside the ODR window
        odr_lo, odr_hi = end - 73, end - 14
        for code, chan in ((FB_REVIEW, self.in_ship), (FB_AFNLATE, shipped & self.afn)):
            if not (cat == code).any():
                cand = np.flatnonzero(chan & (cat == FB_NONE) & (self.day >= odr_lo) & (self.day <= odr_hi))
                if len(cand):
                    one = cand[int(rng.integers(0, len(cand)))]
                    cat[one], rating[one], fb_day[one] = code, 2, self.day[one] + 7
        self.fb_cat, self.fb_rating, self.fb_day = cat, rating, fb_day
        # Removed / struck-through rows (us): FBA late-delivery complaints Amazon took out
        self.fb_status = np.zeros(n, np.int8)            # 0 active, 1 Removed, 2 Struck through
        if "Status" in self.v["feedback_extra_headers"]:
            k = max(1, round(n * r["removed_feedback_per_4000"] / 4000))
            cand = np.flatnonzero(shipped & self.afn & (cat == FB_NONE) & (self.day + 10 <= end))
            pick = rng.choice(cand, min(len(cand), 2 * k), replace=False) if len(cand) else cand
            cat[pick] = FB_AFNLATE
            self.fb_rating[pick] = 1
            self.fb_day[pick] = self.day[pick] + 6
            self.fb_status[pick[:k]] = 1
            self.fb_status[pick[k:]] = 2
        self.fb_response = np.where((rating <= 2) & (rng.random(n) < 0.4),
                                    rng.integers(0, len(self.cfg["comments"][self.spec.variant]["response"]), n), -1)

        # claims: one per order at most
        claim = np.full(n, -1, np.int16)                 # index into claim reason words, -1 none
        status = np.full(n, -1, np.int8)                 # 0 counted, 1 denied, 2 withdrawn, 3 amazon funded
        reasons = list(self.w["claim_reasons_base"])
        inr, nad, dmg_reason = (reasons.index("Item not received"), reasons.index("Item not as described"),
                                reasons.index("Item damaged"))
        m = self.lost_planted & (rng.random(n) < r["lost"]["claim"])
        claim[m] = inr
        m2 = self.damaged & (claim < 0) & (rng.random(n) < r["damaged"]["claim"])
        claim[m2] = np.where(rng.random(n) < 0.5, dmg_reason, nad)[m2]
        clean = self.fb_status == 0                     # keep removed feedback's orders free of other defects
        m3 = self.in_ship & clean & (claim < 0) & (rng.random(n) < r["claim_base"])
        claim[m3] = rng.integers(0, len(reasons), n)[m3]
        status[claim >= 0] = 0
        k_ex = max(1, round(n * r["claim_excluded_per_order"]))
        for code in (1, 2, 3):
            cand = np.flatnonzero(self.in_ship & clean & (claim < 0) & (self.day + 30 <= end))
            if len(cand):
                pick = rng.choice(cand, min(k_ex, len(cand)), replace=False)
                claim[pick] = rng.integers(0, len(reasons), len(pick))
                status[pick] = code
        claim_delay = np.where(claim == inr, uniform_int(rng, 10, 16, n), uniform_int(rng, 8, 25, n))
        self.claim_day = self.day + claim_delay
        drop = self.claim_day > end
        claim[drop], status[drop] = -1, -1
        self.claim, self.claim_status = claim, status
        counted = self.w["claim_statuses_counted"]
        self.claim_counted_word = rng.integers(0, len(counted), n)
        self.claim_denied_word = rng.integers(0, len(self.w["claim_status_denied"]), n)

        # chargebacks: 0 none, 1 service INR, 2 service other, 3 fraud
        cb = np.zeros(n, np.int8)
        self.cb_day = self.day + np.where(self.lost_planted, uniform_int(rng, 12, 25, n), uniform_int(rng, 15, 40, n))
        lost_ok = self.lost_planted & (self.cb_day <= end)
        cb[lost_ok & (claim < 0) & (rng.random(n) < r["lost"]["chargeback_if_no_claim"])] = 1
        if not (cb == 1).any() and lost_ok.any():       # the problem always shows at least one INR chargeback
            cb[np.flatnonzero(lost_ok)[-1]] = 1
        cb[(cb == 0) & shipped & clean & (claim < 0) & (rng.random(n) < r["chargeback_service"])] = 2
        k_f = max(2, round(n * r["chargeback_fraud_per_order"]))
        cand = np.flatnonzero(shipped & clean & (cb == 0) & (claim < 0) & (self.day + 40 <= end))
        if len(cand):
            cb[rng.choice(cand, min(k_f, len(cand)), replace=False)] = 3
        cb[self.cb_day > end] = 0
        self.cb = cb
        self.cb_word = rng.integers(0, 2, n)

        # returns
        ret_day = np.where(self.has_delivered, self.delivered_day, self.day + 5) + uniform_int(rng, 1, 10, n)
        self.ret_day = ret_day
        w_reasons = self.w["mfn_return_reasons"]
        self.ret_mfn = np.full(n, -1, np.int16)
        base_ret = self.has_delivered & (rng.random(n) < r["return_mfn"]) & (ret_day <= end)
        self.ret_mfn[base_ret] = rng.choice(len(w_reasons), n, p=norm(self.w["mfn_return_weights"]))[base_ret]
        dmg_ret = self.damaged & self.has_delivered & (rng.random(n) < r["damaged"]["mfn_return"]) & (ret_day <= end)
        self.ret_mfn[dmg_ret] = len(w_reasons)            # CR-DAMAGED_BY_CARRIER
        self.mfn_reason_words = list(w_reasons) + ["CR-DAMAGED_BY_CARRIER"]
        fba_day = self.afn_ship // DAY + uniform_int(rng, 5, 25, n)
        self.ret_fba = shipped & self.afn & (rng.random(n) < r["return_fba"]) & (fba_day <= end)
        self.fba_ret_day = fba_day

    # ---- derived per-order state ----------------------------------------------------------------
    def state_at(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Order state codes and last-updated times as a download made at unix time ``t`` shows them."""
        state = np.full(self.n, PENDING, np.int8)
        updated = self.purchase + 120
        shipped = (~self.cancelled) & (self.ship_ts <= t)
        state[shipped] = SHIPPED
        updated = np.where(shipped, self.ship_ts + 60, updated)
        delivered = shipped & self.mfn & self.has_delivered & ((self.delivered_day + 1) * DAY - DAY // 2 <= t)
        state[delivered] = DELIVERED
        updated = np.where(delivered, (self.delivered_day * DAY) + 18 * HOUR, updated)
        cancelled = self.cancelled & (self.cancel_ts <= t)
        state[cancelled] = CANCELLED
        updated = np.where(cancelled, self.cancel_ts + 30, updated)
        return state, updated


def block_rng(s: Seller, stream: int) -> np.random.Generator:
    """The generator of one writer's own draws (``stream``), for the seller's block."""
    return np.random.default_rng([s.spec.seed, stream] + ([s.block] if s.block else []))


def norm(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, float)
    return w / w.sum()

