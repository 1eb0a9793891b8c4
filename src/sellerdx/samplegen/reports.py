"""The report files of a folder: All Orders (one or two overlapping downloads), Feedback Manager, A-to-z
claims, chargebacks, cancellations, shipment confirmations (and an older zipped download), MFN and FBA
returns, and files that are no report at all."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sellerdx.samplegen.columns import (
    Col,
    const,
    date_text,
    from_array,
    int_str,
    iso_offset,
    join,
    money,
    null_where,
    rand_text,
    strings,
    take,
    ts_text,
)
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
from sellerdx.samplegen.seller import Seller, block_rng, norm, uniform_int
from sellerdx.samplegen.spec import (
    C_AMAZON,
    C_BUYER,
    C_STOCKOUT,
    CANCELLED,
    DAY,
    FB_AFNLATE,
    FB_CATEGORIES,
    FB_DAMAGED,
    FB_NONE,
    FB_NR,
    FB_POS,
    FB_REVIEW,
    FB_SELLER,
    HOUR,
    ITEM_STATUS,
    ORDER_STATUS,
    PENDING,
    date_of,
)
from sellerdx.samplegen.writers import Damage, FolderWriter, write_table


def _orders_columns(s: Seller, state: np.ndarray, updated: np.ndarray, header: Sequence[str]) -> list[Col]:
    v, w, dec = s.v, s.w, s.decimals
    io_ = s.item_order
    unit = 10 ** dec
    fees = np.array([round(f * unit) for f in v["ship_fees"]], np.int64)
    tax = float(v["tax_rate"])
    addresses = v["addresses"]
    city = strings([a[0] for a in addresses])
    st = strings([a[1] for a in addresses])
    postal = strings([a[2] for a in addresses])

    def o(idx: np.ndarray) -> np.ndarray:
        return io_[idx]

    def cancelled(idx: np.ndarray) -> np.ndarray:
        return state[o(idx)] == CANCELLED

    def price(idx: np.ndarray) -> pa.Array:
        return money(s.price[s.item_product[idx]] * s.item_qty[idx], dec, null=cancelled(idx))

    def item_tax(idx: np.ndarray) -> pa.Array:
        return money(np.rint(s.price[s.item_product[idx]] * s.item_qty[idx] * tax), dec, null=cancelled(idx))

    def ship_fee(idx: np.ndarray) -> np.ndarray:
        fee = np.where(s.afn[o(idx)], 0, fees[s.service[o(idx)]])
        return np.where(s.item_first[idx], fee, 0)

    def qty(idx: np.ndarray) -> pa.Array:
        return int_str(np.where(cancelled(idx), 0, s.item_qty[idx]))

    def currency(idx: np.ndarray) -> pa.Array:
        return null_where(pa.repeat(pa.scalar(v["currency"]), len(idx)), cancelled(idx))

    zero = money(np.zeros(1, np.int64), dec)[0].as_py()

    def zero_money(idx: np.ndarray) -> pa.Array:
        return null_where(pa.repeat(pa.scalar(zero), len(idx)), cancelled(idx))

    cols: dict[str, Col] = {
        "amazon-order-id": lambda idx: pc.take(s.order_id, pa.array(o(idx))),
        "merchant-order-id": const(""),
        "purchase-date": lambda idx: iso_offset(s.purchase[o(idx)], s.offset_min[o(idx)]),
        "last-updated-date": lambda idx: iso_offset(updated[o(idx)], s.offset_min[o(idx)]),
        "order-status": lambda idx: take(strings(ORDER_STATUS), state[o(idx)]),
        "fulfillment-channel": lambda idx: take(strings(["Merchant", "Amazon"]), s.afn[o(idx)].astype(np.int8)),
        "sales-channel": const(v["sales_channel"]),
        "order-channel": const(""),
        "url": const(""),
        "ship-service-level": lambda idx: take(strings(w["ship_service_levels"]), s.service[o(idx)]),
        "product-name": lambda idx: take(s.pname, s.item_product[idx]),
        "sku": lambda idx: take(s.sku, s.item_product[idx]),
        "asin": lambda idx: take(s.asin, s.item_product[idx]),
        "item-status": lambda idx: take(strings(ITEM_STATUS), state[o(idx)]),
        "quantity": qty,
        "currency": currency,
        "item-price": price,
        "item-tax": item_tax,
        "shipping-price": lambda idx: money(ship_fee(idx), dec, null=cancelled(idx)),
        "shipping-tax": lambda idx: money(np.rint(ship_fee(idx) * tax), dec, null=cancelled(idx)),
        "gift-wrap-price": const(""),
        "gift-wrap-tax": const(""),
        "item-promotion-discount": zero_money,
        "ship-promotion-discount": zero_money,
        "ship-city": lambda idx: take(city, s.address[o(idx)]),
        "ship-state": lambda idx: take(st, s.address[o(idx)]),
        "ship-postal-code": lambda idx: take(postal, s.address[o(idx)]),
        "ship-country": const(v["ship_country"]),
        "promotion-ids": const(""),
        "cpf": const(""),
        "is-business-order": lambda idx: take(strings(["false", "true"]), s.business[o(idx)].astype(np.int8)),
        "purchase-order-number": const(""),
        "price-designation": lambda idx: take(strings(["", "BusinessPrice"]), s.business[o(idx)].astype(np.int8)),
        "signature-confirmation-recommended": const("false"),
    }
    return [cols[h] for h in header]


def write_orders(fw: FolderWriter, damage_plan: dict[str, list[str]]) -> dict[str, Any]:
    s, spec = fw.s, fw.spec
    names: list[tuple[str, np.ndarray, int, tuple[str, ...]]] = []
    item_day = s.day[s.item_order]
    if spec.overlap_exports and spec.days >= 4:
        cut_a = s.start + max(1, round(0.6 * spec.days)) - 1         # file A: start .. cut_a
        cut_b = s.start + round(0.45 * spec.days)                      # file B: cut_b .. end
        cut_b = min(cut_b, cut_a)
        t_a = (cut_a + 1) * DAY + 6 * HOUR
        header_a = ORDERS_HEADER_OLD if spec.variant == "us" else ORDERS_HEADER
        names.append((f"All_Orders_{date_of(s.start)}_{date_of(cut_a)}.txt",
                      np.flatnonzero(item_day <= cut_a), t_a, header_a))
        names.append((f"All_Orders_{date_of(cut_b)}_{date_of(s.end)}.txt",
                      np.flatnonzero(item_day >= cut_b), s.export_b, ORDERS_HEADER))
    else:
        names.append((f"All_Orders_{date_of(s.start)}_{date_of(s.end)}.txt",
                      np.arange(len(s.item_order)), s.export_b, ORDERS_HEADER))
    states = []
    for i, (name, idx, t, header) in enumerate(names):
        state, updated = s.state_at(t)
        states.append(state)
        damages = []
        for reason in damage_plan.get(f"orders{i}", []):
            # damage a copy of one of the oldest rows of the file (outside every metric window)
            row = int(len(damages) * 3 + 1) % max(1, len(idx))
            if reason == "truncated":
                damages.append(Damage(row, "truncated line: fewer fields than the header", keep_fields=9))
            else:
                damages.append(Damage(row, "negative quantity", column="quantity", value="-1"))
        fw.table(name, "orders", header, _orders_columns(s, state, updated, header), idx, damages=damages,
                 header_variant="old" if header is ORDERS_HEADER_OLD else "current",
                 purchase_dates=[str(date_of(s.day[s.item_order[idx]].min())),
                                 str(date_of(s.day[s.item_order[idx]].max()))] if len(idx) else None)
    info: dict[str, Any] = {"orders": s.n, "order_items": int(len(s.item_order)),
                            "mfn_orders": int(s.mfn.sum()), "afn_orders": int(s.afn.sum()),
                            "orders_in_both_exports": 0, "status_changed_between_exports": 0}
    if len(names) == 2:
        in_a = np.zeros(s.n, bool)
        in_b = np.zeros(s.n, bool)
        in_a[s.item_order[names[0][1]]] = True
        in_b[s.item_order[names[1][1]]] = True
        both = in_a & in_b
        changed = both & (states[0] != states[1])
        info["orders_in_both_exports"] = int(both.sum())
        info["status_changed_between_exports"] = int(changed.sum())
        pend_ship = changed & (states[0] == PENDING) & (states[1] != CANCELLED)
        info["pending_to_shipped_examples"] = pc.take(s.order_id, pa.array(np.flatnonzero(pend_ship)[:3])).to_pylist()
    return info


def write_feedback(fw: FolderWriter, damage_plan: dict[str, list[str]]) -> None:
    s = fw.s
    v, spec = s.v, s.spec
    comments = s.cfg["comments"][spec.variant]
    rng = block_rng(s, 11)
    rows = np.flatnonzero(s.fb_cat != FB_NONE)
    rows = rows[np.lexsort((rows, -s.fb_day[rows]))]               # newest first, as Feedback Manager
    labels: list[str] = []
    offsets = []
    for c in FB_CATEGORIES:
        offsets.append(len(labels))
        labels.extend(comments[c])
    sizes = np.array([len(comments[c]) for c in FB_CATEGORIES])
    cat = s.fb_cat
    pick = np.array(offsets)[np.maximum(cat, 0)] + (rng.integers(0, 1 << 30, s.n) % sizes[np.maximum(cat, 0)])
    comment_labels = strings(labels)
    emails = join([rand_text(rng, s.n, 12, "abcdefghijklmnopqrstuvwxyz0123456789"),
                    pa.repeat(pa.scalar(v["email_domain"]), s.n)], "@")
    responses = strings(comments["response"])
    yes_no = strings(["Yes", "No"])

    def answer(bad_for: tuple[int, ...]) -> Col:
        blank = rng.random(s.n) < 0.3
        bad = np.isin(cat, bad_for) | ((s.fb_rating <= 2) & (rng.random(s.n) < 0.3))
        codes = np.where(blank, -1, bad.astype(np.int64))
        return lambda idx: take(yes_no, codes[idx])

    cols: list[Col] = [
        lambda idx: date_text(s.fb_day[idx], v["feedback_date"]),
        lambda idx: int_str(s.fb_rating[idx]),
        lambda idx: take(comment_labels, pick[idx]),
        lambda idx: take(responses, s.fb_response[idx]),
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: pc.take(emails, pa.array(idx)),
    ]
    header = list(v["feedback_headers"])
    extra = {
        "Arrived On Time": answer((FB_AFNLATE, FB_NR)),
        "Item As Described": answer((FB_DAMAGED, FB_REVIEW)),
        "Customer Service": answer((FB_SELLER,)),
        "Status": lambda idx: take(strings(["", "Removed", "Struck through"]), s.fb_status[idx]),
    }
    for h in v["feedback_extra_headers"]:
        header.append(h)
        cols.append(extra[h])
    damages = []
    for _ in damage_plan.get("feedback", []):
        positive = np.flatnonzero(s.fb_cat[rows] == FB_POS)
        row = int(positive[-1 - len(damages)]) if len(positive) > len(damages) else len(rows) - 1
        damages.append(Damage(row, "rating out of range (7)", column=header[1], value="7"))
    fw.table(f"FeedbackManager_{spec.end_date}.csv", "feedback", header, cols, rows, damages=damages,
             language=spec.variant)


def write_claims(fw: FolderWriter, damage_plan: dict[str, list[str]]) -> None:
    s = fw.s
    w, v = s.w, s.v
    rows = np.flatnonzero(s.claim >= 0)
    rows = rows[np.lexsort((rows, s.claim_day[rows]))]
    counted = w["claim_statuses_counted"]
    denied = w["claim_status_denied"]
    words = list(counted) + list(denied) + [w["claim_status_withdrawn"], w["claim_status_amazon_funded"]]
    code = np.select([s.claim_status == 0, s.claim_status == 1, s.claim_status == 2],
                     [s.claim_counted_word, len(counted) + s.claim_denied_word, len(counted) + len(denied)],
                     len(counted) + len(denied) + 1)
    funded_code = np.where(s.claim_status == 3, 1,
                           np.where((s.claim_status == 0) & np.isin(np.array(counted)[s.claim_counted_word % len(counted)],
                                                                     ["Granted", "Granted - seller funded", "Refunded by seller"]), 0, -1))
    cols: list[Col] = [
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: date_text(s.claim_day[idx], v["other_date"]),
        lambda idx: take(strings(w["claim_reasons_base"]), s.claim[idx]),
        lambda idx: take(strings(words), code[idx]),
        lambda idx: money(s.order_value[idx], s.decimals),
        lambda idx: take(strings(["Seller", "Amazon"]), funded_code[idx]),
    ]
    damages = []
    for _ in damage_plan.get("claims", []):
        excluded = np.flatnonzero(s.claim_status[rows] > 0)
        row = int(excluded[len(damages) % len(excluded)]) if len(excluded) else 0
        damages.append(Damage(row, "malformed order id", column="Order ID", value="123-45"))
    fw.table("AtoZ_Claims.txt", "claims", CLAIMS_HEADER, cols, rows, damages=damages)


def write_chargebacks(fw: FolderWriter) -> None:
    s = fw.s
    w, v = s.w, s.v
    rows = np.flatnonzero(s.cb > 0)
    rows = rows[np.lexsort((rows, s.cb_day[rows]))]
    service, fraud = w["chargeback_service_reasons"], w["chargeback_fraud_reasons"]
    words = ["Item not received"] + list(service) + list(fraud)
    code = np.select([s.cb == 1, s.cb == 2], [0, 1 + s.cb_word % len(service)], 1 + len(service) + s.cb_word % len(fraud))
    cols: list[Col] = [
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: date_text(s.cb_day[idx], v["other_date"]),
        lambda idx: take(strings(words), code[idx]),
        lambda idx: take(strings(["Service", "Fraud"]), (s.cb[idx] == 3).astype(np.int8)),
    ]
    fw.table("Chargebacks.txt", "chargebacks", CHARGEBACKS_HEADER, cols, rows)


def write_cancellations(fw: FolderWriter) -> None:
    s = fw.s
    w, v = s.w, s.v
    rows = np.flatnonzero(s.cancelled)
    rows = rows[np.lexsort((rows, s.cancel_ts[rows]))]
    by = np.select([s.cancel_kind == C_BUYER, s.cancel_kind == C_AMAZON], [1, 2], 0)
    reasons = list(w["seller_cancel_reasons"]) + ["Buyer canceled", "Not confirmed in time"]
    no_inv = reasons.index("No inventory")
    reason = np.select([s.cancel_kind == C_STOCKOUT, s.cancel_kind == C_BUYER, s.cancel_kind == C_AMAZON],
                       [no_inv, len(w["seller_cancel_reasons"]), len(w["seller_cancel_reasons"]) + 1],
                       s.cancel_reason)
    cols: list[Col] = [
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: date_text(s.cancel_ts[idx] // DAY, v["other_date"]),
        lambda idx: take(strings(["Seller", "Buyer", "Amazon"]), by[idx]),
        lambda idx: take(strings(reasons), reason[idx]),
        lambda idx: take(s.sku, s.cancel_product[idx]),
    ]
    if fw.spec.variant == "de":
        # re-saved by German Excel: semicolons, every field quoted, decimal commas, CRLF
        cols.append(lambda idx: money(s.order_value[idx], s.decimals, sep=","))
        fw.table("Stornierungen.csv", "cancellations", CANCELLATIONS_HEADER + ("Amount",), cols, rows,
                 delimiter=";", quote_all=True, newline="\r\n", excel_resaved=True)
    else:
        fw.table("Cancellations.txt", "cancellations", CANCELLATIONS_HEADER, cols, rows)


def _tracking(s: Seller) -> pa.Array:
    rng = block_rng(s, 23)
    digits = rand_text(rng, s.n, 12, "0123456789")
    prefix = take(strings(s.tracking_prefix), s.carrier)
    return null_where(join([prefix, digits]), s.no_tracking)


def write_shipments(fw: FolderWriter, damage_plan: dict[str, list[str]]) -> None:
    s = fw.s
    rows = np.flatnonzero(s.in_ship)
    tracking = _tracking(s)
    carriers = strings(s.carrier_names)
    cols: list[Col] = [
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: ts_text(s.expected[idx]),
        lambda idx: ts_text(s.confirm[idx]),
        lambda idx: take(carriers, s.carrier[idx]),
        from_array(tracking),
        lambda idx: take(strings(s.w["ship_service_levels"]), s.service[idx]),
        lambda idx: ts_text(s.first_scan[idx], null=s.no_tracking[idx]),
        lambda idx: date_text(s.promised_day[idx], "%Y-%m-%d"),
        lambda idx: date_text(s.delivered_day[idx], "%Y-%m-%d", null=~s.has_delivered[idx]),
    ]
    damages = []
    for _ in damage_plan.get("shipments", []):
        row = 2 * len(damages)
        damages.append(Damage(row, "not a date in a date column", column="Ship Confirm Date", value="unknown"))
    fw.table("Shipment_Confirmations.txt", "shipments", SHIPMENTS_HEADER, cols, rows, damages=damages,
             style="all_shipments")
    if fw.spec.variant == "us" and s.block == 0:
        # an older 'late shipments only' download, zipped in a subfolder: date-only expected ship date
        late_old = np.flatnonzero(s.late & (s.day < s.end - 30))
        late_rows = late_old[-6:] if len(late_old) else np.flatnonzero(s.late)[:6]
        buf = io.BytesIO()
        written = write_table(buf, LATE_SHIPMENTS_HEADER, [
            lambda idx: pc.take(s.order_id, pa.array(idx)),
            lambda idx: date_text(s.expected[idx] // DAY, "%Y-%m-%d"),
            lambda idx: ts_text(s.confirm[idx]),
            lambda idx: take(carriers, s.carrier[idx]),
            from_array(tracking),
            const("Yes"),
        ], late_rows, encoding=fw.enc)
        name = f"downloads/older/late_shipments_{date_of(s.end - 30)}.zip"
        path = fw.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        info = zipfile.ZipInfo("Late_Shipments.txt", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(info, buf.getvalue())
        fw.record(name, "shipments", written, encoding=fw.enc, delimiter="\t", compression="zip",
                   member="Late_Shipments.txt", style="late_only",
                   order_ids=pc.take(s.order_id, pa.array(late_rows)).to_pylist())


def write_returns(fw: FolderWriter) -> None:
    s = fw.s
    w, v, spec = s.w, s.v, s.spec
    rng = block_rng(s, 31)
    rows = np.flatnonzero(s.ret_mfn >= 0)
    rows = rows[np.lexsort((rows, s.ret_day[rows]))]
    first_item = np.flatnonzero(s.item_first)
    # the returned item: the fragile one for broken deliveries, else the order's first item
    fragile_item = np.full(s.n, -1)
    fi = np.flatnonzero(s.item_product == s.fragile_p)
    fragile_item[s.item_order[fi]] = fi
    item = np.where(s.ret_mfn == len(s.mfn_reason_words) - 1, fragile_item, first_item)
    item = np.where(item < 0, first_item, item)
    rma = join(["D", rand_text(rng, s.n, 9, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")])
    ret_tracking = rand_text(rng, s.n, 18, "0123456789")
    label_cost = uniform_int(rng, 4 * 10 ** s.decimals, 9 * 10 ** s.decimals, s.n)
    prime = rng.random(s.n) < 0.6
    amount = s.price[s.item_product[item]] * s.item_qty[item]
    status = rng.integers(0, len(w["mfn_return_statuses"]), s.n)
    resolution = rng.integers(0, len(w["mfn_resolutions"]), s.n)
    claimed = (s.claim >= 0).astype(np.int8)
    return_carrier = strings(s.carrier_names)
    yn = strings(["N", "Y"])
    cols: dict[str, Col] = {
        "Order ID": lambda idx: pc.take(s.order_id, pa.array(idx)),
        "Order date": lambda idx: date_text(s.day[idx], "%d-%b-%Y"),
        "Return request date": lambda idx: date_text(s.ret_day[idx], "%d-%b-%Y"),
        "Return request status": lambda idx: take(strings(w["mfn_return_statuses"]), status[idx]),
        "Amazon RMA ID": from_array(rma),
        "Merchant RMA ID": const(""),
        "Label type": const("AmazonPrePaidLabel"),
        "Label cost": lambda idx: money(label_cost[idx], s.decimals),
        "Currency code": const(v["currency"]),
        "Return carrier": lambda idx: take(return_carrier, np.zeros(len(idx), np.int64)),
        "Tracking ID": from_array(ret_tracking),
        "Label to be paid by": const("Seller"),
        "A-to-Z Claim": lambda idx: take(yn, claimed[idx]),
        "Is prime": lambda idx: take(yn, prime[idx].astype(np.int8)),
        "ASIN": lambda idx: take(s.asin, s.item_product[item[idx]]),
        "Merchant SKU": lambda idx: take(s.sku, s.item_product[item[idx]]),
        "Item Name": lambda idx: take(s.pname, s.item_product[item[idx]]),
        "Return quantity": lambda idx: int_str(s.item_qty[item[idx]]),
        "Return Reason": lambda idx: take(strings(s.mfn_reason_words), s.ret_mfn[idx]),
        "In policy": const("Y"),
        "Return type": const("C-Returns"),
        "Resolution": lambda idx: take(strings(w["mfn_resolutions"]), resolution[idx]),
        "Invoice number": const(""),
        "Return delivery date": lambda idx: date_text(s.ret_day[idx] + 4, "%d-%b-%Y", null=s.ret_day[idx] + 4 > s.end),
        "Order Amount": lambda idx: money(s.order_value[idx], s.decimals),
        "Order quantity": lambda idx: int_str(s.item_qty[item[idx]]),
        "SafeT Action reason": const(""),
        "SafeT claim id": const(""),
        "SafeT claim state": const(""),
        "SafeT claim creation time": const(""),
        "SafeT claim reimbursement amount": const(""),
        "Refunded Amount": lambda idx: money(amount[idx], s.decimals),
    }
    fw.table(f"Returns_MFN_{date_of(s.start)}_{date_of(s.end)}.txt", "returns_mfn", RETURNS_MFN_HEADER,
             [cols[h] for h in RETURNS_MFN_HEADER], rows)

    # FBA customer returns
    rows = np.flatnonzero(s.ret_fba)
    rows = rows[np.lexsort((rows, s.fba_ret_day[rows]))]
    fr = w["fba_return_reasons"]
    reason = rng.choice(len(fr), s.n, p=norm(w["fba_return_weights"]))
    disp = rng.choice(len(w["fba_dispositions"]), s.n, p=norm(w["fba_disposition_weights"]))
    fnsku = join(["X00", rand_text(rng, s.n, 7, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")])
    lpn = join(["LPN", rand_text(rng, s.n, 10, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")])
    fc = v["fulfillment_centers"]
    fc_code = rng.integers(0, len(fc), s.n)
    st = rng.integers(0, len(w["fba_statuses"]), s.n)
    ret_ts = s.fba_ret_day * DAY + uniform_int(rng, 0, DAY - 1, s.n)
    comments = s.cfg["comments"][spec.variant]
    comment_words = strings(list(comments["product_review"]) + list(comments["neutral"]))
    comment_code = np.where(rng.random(s.n) < 0.3, rng.integers(0, len(comment_words), s.n), -1)
    fba_cols: list[Col] = [
        lambda idx: iso_offset(ret_ts[idx], np.zeros(len(idx), np.int64)),
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: take(s.sku, s.item_product[first_item[idx]]),
        lambda idx: take(s.asin, s.item_product[first_item[idx]]),
        from_array(fnsku),
        lambda idx: take(s.pname, s.item_product[first_item[idx]]),
        lambda idx: int_str(s.item_qty[first_item[idx]]),
        lambda idx: take(strings(fc), fc_code[idx]),
        lambda idx: take(strings(w["fba_dispositions"]), disp[idx]),
        lambda idx: take(strings(fr), reason[idx]),
        lambda idx: take(strings(w["fba_statuses"]), st[idx]),
        from_array(lpn),
        lambda idx: take(comment_words, comment_code[idx]),
    ]
    if spec.variant == "us":
        fw.table("FBA_Customer_Returns.txt.gz", "returns_fba", RETURNS_FBA_HEADER, fba_cols, rows, compress="gzip")
    else:
        fw.table("FBA_Customer_Returns.txt", "returns_fba", RETURNS_FBA_HEADER, fba_cols, rows)


def write_unknown(fw: FolderWriter) -> None:
    s = fw.s
    idx = np.arange(s.n_products)
    stock = np.where(idx == s.stockout_p, 0, 20 + (idx * 37) % 180)
    fw.table("inventory.txt", "skipped", INVENTORY_HEADER, [
        from_array(s.sku), from_array(s.asin), lambda i: money(s.price[i], s.decimals), lambda i: int_str(stock[i]),
    ], idx, reason="inventory report: not an account-health export")
    text = (
        "Notes for the account health review\n"
        "===================================\n\n"
        f"Downloaded the exports on {date_of(s.end + 1)} from Seller Central.\n"
        "- The warehouse was short-staffed on Mondays; check the weekend orders.\n"
        "- Call the carrier about parcels that never arrived.\n"
        "- Ask the packaging supplier about thicker padding for the glass vase.\n"
    )
    (fw.out / "notes.txt").write_bytes(text.encode("utf-8"))
    fw.record("notes.txt", "skipped", None, encoding="utf-8", delimiter=None, reason="free text")

