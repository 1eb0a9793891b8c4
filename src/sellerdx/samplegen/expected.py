"""The metrics the generated data implies (sellerdx's definitions, metrics-spec) — ``expected_metrics`` of
``planted.json`` — and Amazon's own performance report JSON built from them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sellerdx.samplegen.seller import Seller
from sellerdx.samplegen.spec import C_AMAZON, C_SELLER, C_STOCKOUT, FB_NONE, date_of


def _window(end: int, days: int) -> tuple[int, int]:
    return end - (days - 1), end


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def expected_metrics(s: Seller) -> dict[str, dict[str, Any]]:
    end = s.end
    in_win = lambda w: (s.day >= w[0]) & (s.day <= w[1])  # noqa: E731
    neg_fb = (s.fb_cat != FB_NONE) & (s.fb_rating <= 2) & (s.fb_status == 0)
    claim_c = (s.claim >= 0) & (s.claim_status == 0)
    cb_c = (s.cb == 1) | (s.cb == 2)
    defect = neg_fb | claim_c | cb_c
    out: dict[str, dict[str, Any]] = {}
    odr_w = _window(end - 14, 60)
    for key, chan in (("odr_mfn", s.mfn), ("odr_afn", s.afn), ("odr_all", np.ones(s.n, bool))):
        base = in_win(odr_w) & chan
        num, den = int((base & defect).sum()), int(base.sum())
        out[key] = {"numerator": num, "denominator": den, "rate": _rate(num, den),
                    "window": [str(date_of(odr_w[0])), str(date_of(odr_w[1]))],
                    "negative_feedback": int((base & neg_fb).sum()), "claims": int((base & claim_c).sum()),
                    "chargebacks": int((base & cb_c).sum())}
    w7 = _window(end, 7)
    base = in_win(w7) & s.mfn
    seller = np.isin(s.cancel_kind, [C_SELLER, C_AMAZON, C_STOCKOUT])
    out["pfcr"] = {"numerator": int((base & seller).sum()), "denominator": int(base.sum()),
                   "window": [str(date_of(w7[0])), str(date_of(w7[1]))]}
    for key, days in (("lsr_10d", 10), ("lsr_30d", 30)):
        w = _window(end, days)
        base = in_win(w) & s.mfn & ~s.cancelled
        out[key] = {"numerator": int((base & s.late).sum()), "denominator": int(base.sum()),
                    "window": [str(date_of(w[0])), str(date_of(w[1]))]}
    w30 = _window(end, 30)
    base = in_win(w30) & s.in_ship
    out["vtr"] = {"numerator": int((base & ~s.no_tracking).sum()), "denominator": int(base.sum()),
                  "window": [str(date_of(w30[0])), str(date_of(w30[1]))]}
    for m in out.values():
        m["rate"] = _rate(m["numerator"], m["denominator"])
    return out


def on_time_delivery(s: Seller) -> tuple[int, int]:
    """(shipments with valid tracking in the last 30 days, of which delivered on time)."""
    in30 = (s.day >= s.end - 29) & s.in_ship & ~s.no_tracking & (s.has_delivered | (s.promised_day < s.end))
    on_time = in30 & s.has_delivered & (s.delivered_day <= s.promised_day)
    return int(in30.sum()), int(on_time.sum())


def merge_metrics(parts: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The expected metrics of a folder simulated in blocks: counts summed, rates recomputed."""
    out = {key: dict(m) for key, m in parts[0].items()}
    for part in parts[1:]:
        for key, m in part.items():
            for field, value in m.items():
                if field not in ("window", "rate"):
                    out[key][field] += value
    for m in out.values():
        m["rate"] = _rate(m["numerator"], m["denominator"])
    return out


def performance_report(s: Seller, metrics: dict[str, dict[str, Any]], extra_claim: int,
                       otd: tuple[int, int] | None = None) -> dict[str, Any]:
    """Amazon's performance JSON; ``otd`` (shipments, on time) summed over blocks, else ``s``'s own."""
    def rng_of(window: Sequence[str]) -> dict[str, str]:
        return {"reportingDateFrom": f"{window[0]}T00:00:00Z", "reportingDateTo": f"{window[1]}T23:59:59Z"}

    def status(rate: float | None, target: float, below: bool) -> str:
        if rate is None:
            return "NONE"
        return "GOOD" if (rate < target if below else rate > target) else "BAD"

    def odr(key: str, ftype: str, plus_claim: int) -> dict[str, Any]:
        m = metrics[key]
        num = m["numerator"] + plus_claim
        rate = _rate(num, m["denominator"])
        return {"reportingDateRange": rng_of(m["window"]), "orderCount": m["denominator"],
                "orderWithDefects": {"count": num, "status": status(rate, 0.01, True)},
                "claims": {"count": m["claims"] + plus_claim, "status": "GOOD" if m["claims"] + plus_claim == 0 else "BAD"},
                "chargebacks": {"count": m["chargebacks"], "status": "GOOD" if m["chargebacks"] == 0 else "BAD"},
                "negativeFeedback": {"count": m["negative_feedback"],
                                     "status": "GOOD" if m["negative_feedback"] == 0 else "BAD"},
                "fulfillmentType": ftype, "status": status(rate, 0.01, True), "rate": rate,
                "targetValue": 0.01, "targetCondition": "LESS_THAN"}

    def lsr(key: str) -> dict[str, Any]:
        m = metrics[key]
        return {"reportingDateRange": rng_of(m["window"]), "orderCount": m["denominator"],
                "lateShipmentCount": m["numerator"], "status": status(m["rate"], 0.04, True), "rate": m["rate"],
                "targetValue": 0.04, "targetCondition": "LESS_THAN"}

    pf, vt = metrics["pfcr"], metrics["vtr"]
    w30 = metrics["vtr"]["window"]
    otd_count, on_time_count = on_time_delivery(s) if otd is None else otd
    otd_rate = _rate(on_time_count, otd_count)
    mfn_odr = odr("odr_mfn", "MFN", extra_claim)
    statuses = [mfn_odr["status"], lsr("lsr_10d")["status"], status(pf["rate"], 0.025, True)]
    account = "AT_RISK" if "BAD" in statuses else "NORMAL"
    mp = s.v["marketplace_id"]
    return {
        "accountStatuses": [{"marketplaceId": mp, "status": account}],
        "performanceMetrics": [{
            "marketplaceId": mp,
            "orderDefectRate": {"mfn": mfn_odr, "afn": odr("odr_afn", "AFN", 0)},
            "lateShipmentRate": lsr("lsr_10d"),
            "lateShipmentRateList": [lsr("lsr_10d"), lsr("lsr_30d")],
            "preFulfillmentCancellationRate": {
                "reportingDateRange": rng_of(pf["window"]), "orderCount": pf["denominator"],
                "cancellationCount": pf["numerator"], "status": status(pf["rate"], 0.025, True),
                "rate": pf["rate"], "targetValue": 0.025, "targetCondition": "LESS_THAN"},
            "validTrackingRate": {
                "reportingDateRange": rng_of(vt["window"]), "shipmentCount": vt["denominator"],
                "validTrackingCount": vt["numerator"], "status": status(vt["rate"], 0.95, False),
                "rate": vt["rate"], "targetValue": 0.95, "targetCondition": "GREATER_THAN"},
            "onTimeDeliveryRate": {
                "reportingDateRange": rng_of(w30), "shipmentCountWithValidTracking": otd_count,
                "onTimeDeliveryCount": on_time_count, "status": status(otd_rate, 0.9, False),
                "rate": otd_rate, "targetValue": 0.9, "targetCondition": "GREATER_THAN"},
            "accountHealthRating": {"ahrStatus": "AT_RISK" if account == "AT_RISK" else "GREAT"},
            "ahrScore": 180 if account == "AT_RISK" else 420,
        }],
    }

