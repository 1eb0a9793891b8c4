"""Seeded generator of realistic Seller Central export folders with planted problems.

``generate(out_dir, SampleSpec(...))`` writes the exports a fictional seller would download (All Orders,
Feedback Manager, A-to-z claims, chargebacks, cancellations, shipment confirmations, MFN and FBA returns,
Amazon's performance JSON, plus files that are no report at all) in the real formats described in
``report-formats.md``, and returns a manifest of what was planted (also written to ``planted.json``).

Everything is drawn from one ``numpy`` generator seeded with ``spec.seed``, so the same spec gives the
same bytes. Arrays are generated vectorised and written through ``pyarrow.compute`` string joins in
chunks, so a million order items take seconds, not minutes; more than ``BLOCK_ORDERS`` orders are
simulated block by block, so memory does not grow with the folder. The catalogue, the per-marketplace
words, the buyers' comments and all rates live in ``data/samplegen.toml``.

The package holds one concern per module: :mod:`.spec` (what to generate, shared codes), :mod:`.seller`
(the seller model), :mod:`.columns` (Arrow column helpers), :mod:`.writers` (writing a file in chunks),
:mod:`.headers` and :mod:`.reports` (the report files), :mod:`.expected` (expected metrics and Amazon's
performance JSON) and :mod:`.planted` (planted problems, damaged rows).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sellerdx.assets import load_toml
from sellerdx.samplegen.expected import expected_metrics, merge_metrics, on_time_delivery, performance_report
from sellerdx.samplegen.headers import (
    CANCELLATIONS_HEADER,
    CHARGEBACKS_HEADER,
    CLAIMS_HEADER,
    INVENTORY_HEADER,
    LATE_SHIPMENTS_HEADER,
    ORDERS_HEADER,
    ORDERS_HEADER_OLD,
    RETURNS_FBA_HEADER,
    RETURNS_MFN_HEADER,
    SHIPMENTS_HEADER,
)
from sellerdx.samplegen.planted import damage_plan, planted_problems
from sellerdx.samplegen.reports import (
    write_cancellations,
    write_chargebacks,
    write_claims,
    write_feedback,
    write_orders,
    write_returns,
    write_shipments,
    write_unknown,
)
from sellerdx.samplegen.seller import Seller
from sellerdx.samplegen.spec import C_BUYER, SampleSpec
from sellerdx.samplegen.writers import FolderWriter

__all__ = ["SampleSpec", "generate", "ORDERS_HEADER", "ORDERS_HEADER_OLD", "RETURNS_MFN_HEADER",
           "RETURNS_FBA_HEADER", "SHIPMENTS_HEADER", "CLAIMS_HEADER", "CHARGEBACKS_HEADER",
           "CANCELLATIONS_HEADER", "LATE_SHIPMENTS_HEADER", "INVENTORY_HEADER"]


#: Orders simulated at once. A bigger folder is simulated block by block, each block from its own seeded
#: generator, its rows appended to the same files: memory stays flat in the number of orders. A folder of
#: at most this many orders is one block, drawn exactly as before blocks existed (the bundled samples).
BLOCK_ORDERS = 100_000


def _blocks(n_orders: int) -> list[tuple[int, int]]:
    """(first order, orders) of each block."""
    return [(first, min(BLOCK_ORDERS, n_orders - first)) for first in range(0, n_orders, BLOCK_ORDERS)]


def _excluded(s: Seller) -> dict[str, int]:
    return {
        "claims_denied": int((s.claim_status == 1).sum()),
        "claims_withdrawn": int((s.claim_status == 2).sum()),
        "claims_amazon_funded": int((s.claim_status == 3).sum()),
        "chargebacks_fraud": int((s.cb == 3).sum()),
        "cancellations_buyer": int((s.cancel_kind == C_BUYER).sum()),
        "feedback_removed": int((s.fb_status == 1).sum()),
        "feedback_struck_through": int((s.fb_status == 2).sum()),
    }


def _sum_counts(total: dict[str, Any], part: dict[str, Any]) -> None:
    """Add the integer counts of ``part`` into ``total`` (same keys)."""
    for key, value in part.items():
        if isinstance(value, int) and not isinstance(value, bool):
            total[key] += value


def generate(out_dir: str | os.PathLike[str], spec: SampleSpec = SampleSpec()) -> dict[str, Any]:  # noqa: B008 (frozen)
    """Write the folder; return the planted manifest (also written to out_dir/planted.json).

    The folder holds the exports of one fictional seller in the real Seller Central formats of the
    ``spec.variant`` marketplace, with four planted problems (see ``planted.json`` -> ``problems``),
    ``spec.damaged_rows`` damaged rows and Amazon's own performance JSON that differs from the exports
    by one claim (``performance_gap``). More than ``BLOCK_ORDERS`` orders are simulated block by block
    (damaged rows and the zipped older download come from the first block; counts add up over blocks).
    """
    cfg = load_toml("samplegen.toml")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if spec.n_orders < 1:
        raise ValueError("n_orders and days must be positive")
    plan = damage_plan(spec)
    fw: FolderWriter | None = None
    salt: int | None = None
    parts: list[dict[str, dict[str, Any]]] = []
    orders_info: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    excluded: dict[str, int] = {}
    otd = [0, 0]
    try:
        for block, (first, n) in enumerate(_blocks(spec.n_orders)):
            seller = Seller(spec, cfg, block=block, first=first, n=n, id_salt=salt)
            salt = seller.id_salt
            if fw is None:
                fw = FolderWriter(out, seller)
            fw.s = seller
            block_plan = plan if block == 0 else {}
            info = write_orders(fw, block_plan)
            write_feedback(fw, block_plan)
            write_claims(fw, block_plan)
            write_chargebacks(fw)
            write_cancellations(fw)
            write_shipments(fw, block_plan)
            write_returns(fw)
            if block == 0:
                write_unknown(fw)
                orders_info, problems, excluded = info, planted_problems(seller), _excluded(seller)
            else:
                examples = orders_info.get("pending_to_shipped_examples")
                _sum_counts(orders_info, info)
                if examples is not None:
                    orders_info["pending_to_shipped_examples"] = (examples + info["pending_to_shipped_examples"])[:3]
                for total, part in zip(problems, planted_problems(seller)):
                    _sum_counts(total["counts"], part["counts"])
                _sum_counts(excluded, _excluded(seller))
            parts.append(expected_metrics(seller))
            in30, on_time = on_time_delivery(seller)
            otd[0] += in30
            otd[1] += on_time
    finally:
        if fw is not None:
            fw.close()
    assert fw is not None
    metrics = parts[0] if len(parts) == 1 else merge_metrics(parts)
    gap = None
    if spec.performance_json:
        perf = performance_report(seller, metrics, extra_claim=1, otd=(otd[0], otd[1]))
        name = "SellerPerformance_GET_V2_SELLER_PERFORMANCE_REPORT.json"
        (out / name).write_bytes((json.dumps(perf, indent=2) + "\n").encode("utf-8"))
        fw.record(name, "performance", None, encoding="utf-8", delimiter=None)
        gap = ("Amazon's ODR (MFN) counts one more A-to-z claim than the claims export holds "
               f"({metrics['odr_mfn']['claims'] + 1} vs {metrics['odr_mfn']['claims']}), so its orders with "
               f"defects are {metrics['odr_mfn']['numerator'] + 1} against {metrics['odr_mfn']['numerator']} "
               "recomputed; every other number and window matches the exports.")
    manifest: dict[str, Any] = {
        "seed": spec.seed,
        "variant": spec.variant,
        "end_date": str(spec.end_date),
        "spec": {"n_orders": spec.n_orders, "days": spec.days, "damaged_rows": spec.damaged_rows,
                 "afn_share": spec.afn_share, "overlap_exports": spec.overlap_exports,
                 "performance_json": spec.performance_json},
        "files": fw.files,
        "orders": orders_info,
        "problems": problems,
        "damaged_rows": sorted(fw.damaged, key=lambda x: (x["path"], x["line"])),
        "excluded": excluded,
        "expected_metrics": metrics,
        "performance_gap": gap,
    }
    (out / "planted.json").write_bytes((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return manifest
