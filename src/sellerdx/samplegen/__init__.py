"""Seeded generator of realistic Seller Central export folders with planted problems.

``generate(out_dir, SampleSpec(...))`` writes the exports a fictional seller would download (All Orders,
Feedback Manager, A-to-z claims, chargebacks, cancellations, shipment confirmations, MFN and FBA returns,
Amazon's performance JSON, plus files that are no report at all) in the real formats described in
``report-formats.md``, and returns a manifest of what was planted (also written to ``planted.json``).

Everything is drawn from one ``numpy`` generator seeded with ``spec.seed``, so the same spec gives the
same bytes. Arrays are generated vectorised and written through ``pyarrow.compute`` string joins in
chunks, so a million order items take seconds, not minutes. The catalogue, the per-marketplace words,
the buyers' comments and all rates live in ``data/samplegen.toml``.

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
from sellerdx.samplegen.expected import expected_metrics, performance_report
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


def generate(out_dir: str | os.PathLike[str], spec: SampleSpec = SampleSpec()) -> dict[str, Any]:  # noqa: B008 (frozen)
    """Write the folder; return the planted manifest (also written to out_dir/planted.json).

    The folder holds the exports of one fictional seller in the real Seller Central formats of the
    ``spec.variant`` marketplace, with four planted problems (see ``planted.json`` -> ``problems``),
    ``spec.damaged_rows`` damaged rows and Amazon's own performance JSON that differs from the exports
    by one claim (``performance_gap``).
    """
    cfg = load_toml("samplegen.toml")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seller = Seller(spec, cfg)
    fw = FolderWriter(out, seller)
    plan = damage_plan(spec)
    orders_info = write_orders(fw, plan)
    write_feedback(fw, plan)
    write_claims(fw, plan)
    write_chargebacks(fw)
    write_cancellations(fw)
    write_shipments(fw, plan)
    write_returns(fw)
    write_unknown(fw)
    metrics = expected_metrics(seller)
    gap = None
    if spec.performance_json:
        perf = performance_report(seller, metrics, extra_claim=1)
        name = "SellerPerformance_GET_V2_SELLER_PERFORMANCE_REPORT.json"
        (out / name).write_bytes((json.dumps(perf, indent=2) + "\n").encode("utf-8"))
        fw.record(name, "performance", None, encoding="utf-8", delimiter=None)
        gap = ("Amazon's ODR (MFN) counts one more A-to-z claim than the claims export holds "
               f"({metrics['odr_mfn']['claims'] + 1} vs {metrics['odr_mfn']['claims']}), so its orders with "
               f"defects are {metrics['odr_mfn']['numerator'] + 1} against {metrics['odr_mfn']['numerator']} "
               "recomputed; every other number and window matches the exports.")
    s = seller
    excluded = {
        "claims_denied": int((s.claim_status == 1).sum()),
        "claims_withdrawn": int((s.claim_status == 2).sum()),
        "claims_amazon_funded": int((s.claim_status == 3).sum()),
        "chargebacks_fraud": int((s.cb == 3).sum()),
        "cancellations_buyer": int((s.cancel_kind == C_BUYER).sum()),
        "feedback_removed": int((s.fb_status == 1).sum()),
        "feedback_struck_through": int((s.fb_status == 2).sum()),
    }
    manifest: dict[str, Any] = {
        "seed": spec.seed,
        "variant": spec.variant,
        "end_date": str(spec.end_date),
        "spec": {"n_orders": spec.n_orders, "days": spec.days, "damaged_rows": spec.damaged_rows,
                 "afn_share": spec.afn_share, "overlap_exports": spec.overlap_exports,
                 "performance_json": spec.performance_json},
        "files": fw.files,
        "orders": orders_info,
        "problems": planted_problems(seller),
        "damaged_rows": sorted(fw.damaged, key=lambda x: (x["path"], x["line"])),
        "excluded": excluded,
        "expected_metrics": metrics,
        "performance_gap": gap,
    }
    (out / "planted.json").write_bytes((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return manifest
