"""Seeded generator of realistic Seller Central export folders with planted problems.

``generate(out_dir, SampleSpec(...))`` writes the exports a fictional seller would download (All Orders,
Feedback Manager, A-to-z claims, chargebacks, cancellations, shipment confirmations, MFN and FBA returns,
Amazon's performance JSON, plus files that are no report at all) in the real formats described in
``report-formats.md``, and returns a manifest of what was planted (also written to ``planted.json``).

Everything is drawn from one ``numpy`` generator seeded with ``spec.seed``, so the same spec gives the
same bytes. Arrays are generated vectorised and written through ``pyarrow.compute`` string joins in
chunks, so a million order items take seconds, not minutes. The catalogue, the per-marketplace words,
the buyers' comments and all rates live in ``data/samplegen.toml``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sellerdx.assets import load_toml

__all__ = ["SampleSpec", "generate", "ORDERS_HEADER", "ORDERS_HEADER_OLD", "RETURNS_MFN_HEADER",
           "RETURNS_FBA_HEADER", "SHIPMENTS_HEADER", "CLAIMS_HEADER", "CHARGEBACKS_HEADER",
           "CANCELLATIONS_HEADER", "LATE_SHIPMENTS_HEADER", "INVENTORY_HEADER"]

ORDERS_HEADER: tuple[str, ...] = (
    "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
    "fulfillment-channel", "sales-channel", "order-channel", "ship-service-level", "product-name", "sku",
    "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price",
    "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount",
    "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
    "promotion-ids", "cpf", "is-business-order", "purchase-order-number", "price-designation",
    "signature-confirmation-recommended",
)
# Older All Orders files: `url` after `order-channel`, no `cpf` / `signature-confirmation-recommended`.
ORDERS_HEADER_OLD: tuple[str, ...] = (
    ORDERS_HEADER[:8] + ("url",) + tuple(h for h in ORDERS_HEADER[8:]
                                         if h not in ("cpf", "signature-confirmation-recommended"))
)
RETURNS_MFN_HEADER: tuple[str, ...] = (
    "Order ID", "Order date", "Return request date", "Return request status", "Amazon RMA ID",
    "Merchant RMA ID", "Label type", "Label cost", "Currency code", "Return carrier", "Tracking ID",
    "Label to be paid by", "A-to-Z Claim", "Is prime", "ASIN", "Merchant SKU", "Item Name",
    "Return quantity", "Return Reason", "In policy", "Return type", "Resolution", "Invoice number",
    "Return delivery date", "Order Amount", "Order quantity", "SafeT Action reason", "SafeT claim id",
    "SafeT claim state", "SafeT claim creation time", "SafeT claim reimbursement amount",
    "Refunded Amount",
)
RETURNS_FBA_HEADER: tuple[str, ...] = (
    "return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
    "fulfillment-center-id", "detailed-disposition", "reason", "status", "license-plate-number",
    "customer-comments",
)
SHIPMENTS_HEADER: tuple[str, ...] = (
    "Order ID", "Expected Ship Date", "Ship Confirm Date", "Carrier", "Tracking ID", "Shipping Service",
    "First Carrier Scan", "Promised Delivery Date", "Delivered Date",
)
LATE_SHIPMENTS_HEADER: tuple[str, ...] = (
    "Order ID", "Expected Ship Date", "Ship Confirm Date", "Carrier", "Tracking ID", "Late",
)
CLAIMS_HEADER: tuple[str, ...] = (
    "Order ID", "Claim Date", "Claim Reason", "Claim Status", "Claim Amount", "Funded By",
)
CHARGEBACKS_HEADER: tuple[str, ...] = (
    "Order ID", "Chargeback Date", "Chargeback Reason", "Chargeback Type",
)
CANCELLATIONS_HEADER: tuple[str, ...] = (
    "Order ID", "Cancellation Date", "Cancelled By", "Cancellation Reason", "SKU",
)
INVENTORY_HEADER: tuple[str, ...] = ("sku", "asin", "price", "quantity")

VARIANTS = ("us", "jp", "de")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY = 86400
_HOUR = 3600
_EPOCH = dt.date(1970, 1, 1)
_CHUNK = 200_000
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TS_FMT = "%Y-%m-%d %H:%M:%S"
_ISO_FMT = "%Y-%m-%dT%H:%M:%S"

# order states (codes of the per-order state arrays)
_PENDING, _SHIPPED, _DELIVERED, _CANCELLED = 0, 1, 2, 3
_ORDER_STATUS = ("Pending", "Shipped", "Shipped - Delivered to Buyer", "Cancelled")
_ITEM_STATUS = ("Unshipped", "Shipped", "Shipped", "Cancelled")

# cancellation initiators and feedback categories
_C_NONE, _C_SELLER, _C_BUYER, _C_AMAZON, _C_STOCKOUT = 0, 1, 2, 3, 4
_FB_CATEGORIES = ("positive", "neutral", "seller", "product_review", "afn_late", "damaged", "not_received")
_FB_NONE = -1
_FB_POS, _FB_NEU, _FB_SELLER, _FB_REVIEW, _FB_AFNLATE, _FB_DAMAGED, _FB_NR = range(7)


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


# --------------------------------------------------------------------------------------------------
# small vectorised formatting helpers (numpy in, pyarrow strings out)

Col = Callable[[np.ndarray], pa.Array]


def _strings(values: Sequence[str]) -> pa.Array:
    return pa.array(list(values), pa.string())


def _take(labels: pa.Array, codes: np.ndarray) -> pa.Array:
    """labels[codes]; a negative code gives null (written as an empty field)."""
    codes = np.asarray(codes)
    if codes.size and codes.min() < 0:
        return pc.take(labels, pa.array(np.where(codes < 0, 0, codes), mask=codes < 0))
    return pc.take(labels, pa.array(codes))


def _int_str(values: np.ndarray, width: int = 0) -> pa.Array:
    out = pa.array(np.asarray(values, dtype=np.int64)).cast(pa.string())
    return pc.utf8_lpad(out, width=width, padding="0") if width else out


def _join(parts: Sequence[pa.Array | str], sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep, null_handling="replace", null_replacement="")


def _null_where(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    if not mask.any():
        return arr
    return pc.if_else(pa.array(mask), pa.nulls(len(arr), pa.string()), arr)


def _money(minor: np.ndarray, decimals: int, sep: str = ".", null: np.ndarray | None = None) -> pa.Array:
    """Amounts in minor units (cents, or yen when decimals == 0) as text: 1299 -> '12.99'."""
    minor = np.asarray(minor, dtype=np.int64)
    if decimals == 0:
        out = _int_str(minor)
    else:
        unit = 10 ** decimals
        out = _join([_int_str(minor // unit), _int_str(minor % unit, decimals)], sep)
    return _null_where(out, null) if null is not None else out


def _ts(sec: np.ndarray, fmt: str = _TS_FMT, null: np.ndarray | None = None) -> pa.Array:
    """Unix seconds as formatted UTC text."""
    arr = pa.array(np.asarray(sec, dtype=np.int64).astype("datetime64[s]"), mask=null)
    if fmt in (_TS_FMT, _ISO_FMT):
        # Arrow's cast writes 'YYYY-MM-DD HH:MM:SS' and is ~30x faster than strftime
        text = arr.cast(pa.string())
        return pc.replace_substring(text, " ", "T") if fmt == _ISO_FMT else text
    return pc.strftime(arr, format=fmt)


def _date(days: np.ndarray, pattern: str, null: np.ndarray | None = None) -> pa.Array:
    """Day numbers (days since 1970-01-01) as text. Pattern tokens: %Y %y %m %-m %d %-d %b."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d - months).astype(np.int64) + 1
    tokens = {"%Y": lambda: _int_str(year, 4), "%y": lambda: _int_str(year % 100, 2),
              "%m": lambda: _int_str(month, 2), "%-m": lambda: _int_str(month),
              "%d": lambda: _int_str(day, 2), "%-d": lambda: _int_str(day),
              "%b": lambda: _take(_strings(_MONTHS), month - 1)}
    parts: list[pa.Array | str] = []
    i = 0
    while i < len(pattern):
        for tok in ("%-m", "%-d", "%Y", "%y", "%m", "%d", "%b"):
            if pattern.startswith(tok, i):
                parts.append(tokens[tok]())
                i += len(tok)
                break
        else:
            n = len(d)
            parts.append(pa.repeat(pa.scalar(pattern[i], pa.string()), n))
            i += 1
    out = _join(parts)
    return _null_where(out, null) if null is not None else out


def _iso_offset(sec: np.ndarray, offset_min: np.ndarray) -> pa.Array:
    """ISO 8601 with the row's UTC offset: '2026-07-18T11:52:47-07:00'."""
    offset_min = np.asarray(offset_min, dtype=np.int64)
    local = _ts(np.asarray(sec, dtype=np.int64) + offset_min * 60, _ISO_FMT)
    sign = np.where(offset_min < 0, "-", "+")
    hh, mm = np.abs(offset_min) // 60, np.abs(offset_min) % 60
    suffix = _join([pa.array(sign), _int_str(hh, 2), _int_str(mm, 2)], "")
    suffix = _join([pc.utf8_slice_codeunits(suffix, 0, 3), pc.utf8_slice_codeunits(suffix, 3, 5)], ":")
    return _join([local, suffix])


def _rand_text(rng: np.random.Generator, n: int, k: int, alphabet: str) -> pa.Array:
    """n random strings of k characters drawn from alphabet."""
    table = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    chars = np.ascontiguousarray(table[rng.integers(0, len(table), size=(n, k))])
    offsets = np.arange(0, (n + 1) * k, k, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars))


def _const(value: str) -> Col:
    return lambda idx: pa.repeat(pa.scalar(value, pa.string()), len(idx))


def _from(arr: pa.Array) -> Col:
    return lambda idx: pc.take(arr, pa.array(idx))


# --------------------------------------------------------------------------------------------------
# writing


@dataclass
class _Damage:
    """A damaged copy of data row ``after`` (0-based), inserted right after it."""
    after: int
    reason: str
    column: str | None = None      # header of the field replaced by ``value``
    value: str | None = None
    keep_fields: int = 0           # > 0: truncate the line to this many fields


@dataclass
class _Written:
    rows: int
    damaged_lines: list[tuple[int, _Damage]] = field(default_factory=list)


def _quote(arr: pa.Array) -> pa.Array:
    return _join(["\"", pc.replace_substring(pc.fill_null(arr, ""), "\"", "\"\""), "\""])


def _quote_py(value: str) -> str:
    return "\"" + value.replace("\"", "\"\"") + "\""


def _write_lines(dest: BinaryIO, lines: pa.Array, encoding: str) -> int:
    """Write a slice of newline-terminated lines straight from the Arrow buffer; return how many."""
    if not len(lines):
        return 0
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    data = lines.buffers()[2][offsets[0]:offsets[-1]]
    dest.write(data if encoding == "utf-8" else bytes(data).decode("utf-8").encode(encoding))
    return len(lines)


def _write_table(dest: BinaryIO, header: Sequence[str], cols: Sequence[Col], idx: np.ndarray, *,
                 encoding: str, delimiter: str = "\t", quote_all: bool = False, newline: str = "\n",
                 damages: Sequence[_Damage] = ()) -> _Written:
    """Write header + one line per row of ``idx`` (row selector passed to every column), in chunks."""
    def enc(text: str) -> bytes:
        return text.encode(encoding)

    head = [(_quote_py(h) if quote_all else h) for h in header]
    dest.write(enc(delimiter.join(head) + newline))
    by_row: dict[int, list[_Damage]] = {}
    for d in damages:
        by_row.setdefault(d.after, []).append(d)
    written = _Written(rows=len(idx))
    line_no = 1
    n = len(idx)
    for a in range(0, max(n, 1), _CHUNK):
        b = min(n, a + _CHUNK)
        if b <= a:
            break
        sub = idx[a:b]
        fields = [c(sub) for c in cols]
        if quote_all:
            fields = [_quote(f) for f in fields]
        lines = _join([_join(fields, delimiter), ""], newline)
        start = a
        for r in sorted(r for r in by_row if a <= r < b):
            line_no += _write_lines(dest, lines.slice(start - a, r + 1 - start), encoding)
            start = r + 1
            for dmg in by_row[r]:
                row = [f[0].as_py() or "" for f in (c(idx[r:r + 1]) for c in cols)]
                if dmg.column is not None:
                    row[list(header).index(dmg.column)] = dmg.value or ""
                if dmg.keep_fields:
                    row = row[:dmg.keep_fields]
                text = delimiter.join(_quote_py(v) for v in row) if quote_all else delimiter.join(row)
                dest.write(enc(text + newline))
                line_no += 1
                written.damaged_lines.append((line_no, dmg))
                written.rows += 1
        line_no += _write_lines(dest, lines.slice(start - a, b - start), encoding)
    return written


# --------------------------------------------------------------------------------------------------
# the simulation


def _day_of(date: dt.date) -> int:
    return (date - _EPOCH).days


def _date_of(day: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(day))


def _weekday(day: np.ndarray) -> np.ndarray:
    return (np.asarray(day) + 3) % 7          # 1970-01-01 was a Thursday; Monday = 0


def _uniform_int(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    return rng.integers(int(lo), int(hi) + 1, size=n, dtype=np.int64)


class _Seller:
    """All generated facts about the fictional seller's orders, as numpy arrays."""

    def __init__(self, spec: SampleSpec, cfg: dict[str, Any]) -> None:
        if spec.variant not in VARIANTS:
            raise ValueError(f"unknown variant {spec.variant!r}; choose one of {', '.join(VARIANTS)}")
        if spec.n_orders < 1 or spec.days < 1:
            raise ValueError("n_orders and days must be positive")
        self.spec = spec
        self.cfg = cfg
        self.v = cfg["variant"][spec.variant]
        self.w = cfg["words"]
        self.r = cfg["rates"]
        rng = self.rng = np.random.default_rng([spec.seed, VARIANTS.index(spec.variant)])
        r = self.r
        n = self.n = spec.n_orders
        self.end = _day_of(spec.end_date)
        self.start = self.end - (spec.days - 1)
        self.export_b = (self.end + 1) * _DAY + 6 * _HOUR        # last downloads: next morning
        self.decimals = int(self.v["price_decimals"])
        unit = 10 ** self.decimals

        # catalogue
        products = cfg["products"]
        self.n_products = len(products)
        self.sku = _strings([p["sku"] for p in products])
        self.asin = _strings([p["asin"] for p in products])
        self.pname = _strings([p[f"name_{spec.variant}"] for p in products])
        self.price = np.array([round(p[f"price_{spec.variant}"] * unit) for p in products], np.int64)
        weights = np.array([p["weight"] for p in products], float)
        roles = [p.get("role", "") for p in products]
        self.stockout_p = roles.index("stockout")
        self.fragile_p = roles.index("fragile")

        # orders: purchase times sorted, ids unique
        day = self.start + rng.integers(0, spec.days, n)
        day[0] = self.end
        ts = np.sort(day * _DAY + rng.integers(0, _DAY, n))
        self.purchase = ts
        self.day = ts // _DAY
        self.wd = _weekday(self.day)
        prefixes = self.v["order_id_prefixes"]
        mid = rng.integers(0, 10 ** 7, n)
        last = (np.arange(n, dtype=np.int64) * 3_890_177 + int(rng.integers(0, 10 ** 7))) % 10 ** 7
        self.order_id = _join([_take(_strings(prefixes), rng.integers(0, len(prefixes), n)),
                               _int_str(mid, 7), _int_str(last, 7)], "-")
        self.afn = rng.random(n) < spec.afn_share
        self.mfn = ~self.afn
        self.service = rng.choice(len(self.w["ship_service_levels"]), n,
                                  p=_norm(self.w["ship_service_weights"]))
        self.address = rng.integers(0, len(self.v["addresses"]), n)
        self.business = rng.random(n) < r["business_order"]
        self.offset_min = np.where(rng.random(n) < float(self.v["local_offset_share"]),
                                   int(self.v["local_offset_minutes"]), 0).astype(np.int64)

        # items
        n_items = rng.choice(3, n, p=_norm(r["items_per_order"])) + 1
        self.item_order = np.repeat(np.arange(n), n_items)
        first = np.concatenate([[0], np.cumsum(n_items)[:-1]])
        pos = np.arange(len(self.item_order)) - first[self.item_order]
        base = rng.choice(self.n_products, n, p=_norm(weights))
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
        kind[self.mfn & self.has_stockout & in_so & (u < so["cancel_share"])] = _C_STOCKOUT
        free = kind == _C_NONE
        u = rng.random(n)
        kind[free & (u < r["buyer_cancel"])] = _C_BUYER
        free = kind == _C_NONE
        u = rng.random(n)
        kind[free & self.mfn & (u < r["seller_cancel"])] = _C_SELLER
        free = kind == _C_NONE
        u = rng.random(n)
        kind[free & self.mfn & (u < r["not_confirmed_cancel"])] = _C_AMAZON
        self.cancel_kind = kind
        self.cancelled = kind != _C_NONE
        delay = np.where(kind == _C_AMAZON, _uniform_int(rng, 2 * _DAY, 4 * _DAY, n),
                         _uniform_int(rng, _HOUR // 2, 20 * _HOUR, n))
        self.cancel_ts = np.minimum(self.purchase + delay, self.export_b - 600)
        reasons = self.w["seller_cancel_reasons"]
        self.cancel_reason = rng.integers(0, len(reasons), n)       # for _C_SELLER
        # the SKU named on the cancellation row: the stock-out SKU, else the order's first item
        first_product = self.item_product[np.flatnonzero(self.item_first)]
        self.cancel_product = np.where(kind == _C_STOCKOUT, self.stockout_p, first_product)

    # ---- shipping -------------------------------------------------------------------------------
    def _shipping(self) -> None:
        rng, r, n, end = self.rng, self.r, self.n, self.end
        # expected ship date: the next business day after the purchase date, end of day UTC
        add = np.array([1, 1, 1, 1, 3, 2, 1])[self.wd]
        self.expected = (self.day + add) * _DAY + _DAY - 1
        wb = r["weekend_backlog"]
        self.weekend_period = (end - (wb["days"] - 1), end)
        weekend = np.isin(self.wd, wb["weekdays"]) & (self.day >= self.weekend_period[0])
        p_late = np.where(weekend, wb["late_share"], r["late_base"])
        late = self.mfn & ~self.cancelled & (rng.random(n) < p_late)
        on_time = self.purchase + (rng.uniform(0.1, 1.0, n) * (self.expected - self.purchase)).astype(np.int64)
        late_ts = self.expected + _uniform_int(rng, _HOUR, 48 * _HOUR, n)
        self.confirm = np.where(late, late_ts, on_time)
        self.late_planned = late
        # FBA: Amazon ships within a day
        self.afn_ship = self.purchase + _uniform_int(rng, 2 * _HOUR, 24 * _HOUR, n)
        self.ship_ts = np.where(self.afn, self.afn_ship, self.confirm)

        # which MFN orders appear in the shipments export (confirmed before the last download)
        self.in_ship = self.mfn & ~self.cancelled & (self.confirm <= self.export_b)
        self.late = self.in_ship & (self.confirm > self.expected)

        carriers = self.v["carriers"]
        self.carrier_names = list(carriers) + ["Other"]
        self.carrier = rng.choice(len(carriers), n, p=_norm(self.v["carrier_weights"]))
        lost_cfg = r["lost"]
        self.lossy = carriers.index(lost_cfg["carrier"])
        other = rng.random(n) < r["other_carrier"]
        self.carrier = np.where(other, len(carriers), self.carrier)
        mt_start = end - (lost_cfg["missing_tracking_days"] - 1)
        missing = (self.carrier == self.lossy) & (self.day >= mt_start) & (rng.random(n) < lost_cfg["missing_tracking"])
        self.no_tracking = other | missing
        self.lossy_missing_tracking = missing & self.in_ship
        self.first_scan = self.confirm + _uniform_int(rng, 2 * _HOUR, 20 * _HOUR, n)
        transit = np.array(self.w["transit_days"])[self.service]
        # Amazon's promise carries two days of buffer over the carrier's transit time.
        self.promised_day = self.expected // _DAY + transit + 2
        lost_period_start = end - (lost_cfg["days"] - 1)
        self.lost_period = (lost_period_start, end)
        lost_planted = self.in_ship & (self.carrier == self.lossy) & (self.day >= lost_period_start) \
            & (rng.random(n) < lost_cfg["lost_share"])
        lost_base = self.in_ship & (rng.random(n) < r["lost_base"])
        self.lost = lost_planted | lost_base
        self.lost_planted = lost_planted
        noise = rng.choice(np.array([-1, 0, 0, 0, 0, 0, 0, 0, 1, 2]), n)
        deliver = self.first_scan // _DAY + transit + noise
        deliver = np.maximum(deliver, self.first_scan // _DAY)
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
        cat = np.full(n, _FB_NONE, np.int8)
        base = shipped & (rng.random(n) < r["feedback"])
        ratings = np.array(r["feedback_ratings"])[rng.choice(len(r["feedback_ratings"]), n,
                                                             p=_norm(r["feedback_rating_weights"]))]
        cat[base] = np.where(ratings[base] == 3, _FB_NEU, _FB_POS)
        rating = np.where(base, ratings, 0)
        neg = np.where(rng.random(n) < 0.6, 1, 2)
        for code, mask in (
            (_FB_SELLER, self.in_ship & (rng.random(n) < r["negative_seller"])),   # FBA: Amazon serves the buyer
            (_FB_REVIEW, shipped & (rng.random(n) < r["negative_product_review"])),
            (_FB_AFNLATE, shipped & self.afn & (rng.random(n) < r["negative_afn_late"])),
            (_FB_DAMAGED, self.damaged & (rng.random(n) < r["damaged"]["negative_feedback"])),
            (_FB_NR, self.lost_planted & (rng.random(n) < r["lost"]["negative_feedback"])),
        ):
            cat[mask] = code
            rating = np.where(mask, neg, rating)
        delay = np.select(
            [cat == _FB_DAMAGED, cat == _FB_NR, cat == _FB_AFNLATE],
            [_uniform_int(rng, 3, 8, n), _uniform_int(rng, 12, 20, n), _uniform_int(rng, 4, 10, n)],
            _uniform_int(rng, 3, 20, n))
        fb_day = self.day + delay
        cat[fb_day > end] = _FB_NONE
        # every folder shows at least one removable comment of each kind, inside the ODR window
        odr_lo, odr_hi = end - 73, end - 14
        for code, chan in ((_FB_REVIEW, self.in_ship), (_FB_AFNLATE, shipped & self.afn)):
            if not (cat == code).any():
                cand = np.flatnonzero(chan & (cat == _FB_NONE) & (self.day >= odr_lo) & (self.day <= odr_hi))
                if len(cand):
                    one = cand[int(rng.integers(0, len(cand)))]
                    cat[one], rating[one], fb_day[one] = code, 2, self.day[one] + 7
        self.fb_cat, self.fb_rating, self.fb_day = cat, rating, fb_day
        # Removed / struck-through rows (us): FBA late-delivery complaints Amazon took out
        self.fb_status = np.zeros(n, np.int8)            # 0 active, 1 Removed, 2 Struck through
        if "Status" in self.v["feedback_extra_headers"]:
            k = max(1, round(n * r["removed_feedback_per_4000"] / 4000))
            cand = np.flatnonzero(shipped & self.afn & (cat == _FB_NONE) & (self.day + 10 <= end))
            pick = rng.choice(cand, min(len(cand), 2 * k), replace=False) if len(cand) else cand
            cat[pick] = _FB_AFNLATE
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
        claim_delay = np.where(claim == inr, _uniform_int(rng, 10, 16, n), _uniform_int(rng, 8, 25, n))
        self.claim_day = self.day + claim_delay
        drop = self.claim_day > end
        claim[drop], status[drop] = -1, -1
        self.claim, self.claim_status = claim, status
        counted = self.w["claim_statuses_counted"]
        self.claim_counted_word = rng.integers(0, len(counted), n)
        self.claim_denied_word = rng.integers(0, len(self.w["claim_status_denied"]), n)

        # chargebacks: 0 none, 1 service INR, 2 service other, 3 fraud
        cb = np.zeros(n, np.int8)
        self.cb_day = self.day + np.where(self.lost_planted, _uniform_int(rng, 12, 25, n), _uniform_int(rng, 15, 40, n))
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
        ret_day = np.where(self.has_delivered, self.delivered_day, self.day + 5) + _uniform_int(rng, 1, 10, n)
        self.ret_day = ret_day
        w_reasons = self.w["mfn_return_reasons"]
        self.ret_mfn = np.full(n, -1, np.int16)
        base_ret = self.has_delivered & (rng.random(n) < r["return_mfn"]) & (ret_day <= end)
        self.ret_mfn[base_ret] = rng.choice(len(w_reasons), n, p=_norm(self.w["mfn_return_weights"]))[base_ret]
        dmg_ret = self.damaged & self.has_delivered & (rng.random(n) < r["damaged"]["mfn_return"]) & (ret_day <= end)
        self.ret_mfn[dmg_ret] = len(w_reasons)            # CR-DAMAGED_BY_CARRIER
        self.mfn_reason_words = list(w_reasons) + ["CR-DAMAGED_BY_CARRIER"]
        fba_day = self.afn_ship // _DAY + _uniform_int(rng, 5, 25, n)
        self.ret_fba = shipped & self.afn & (rng.random(n) < r["return_fba"]) & (fba_day <= end)
        self.fba_ret_day = fba_day

    # ---- derived per-order state ----------------------------------------------------------------
    def state_at(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Order state codes and last-updated times as a download made at unix time ``t`` shows them."""
        state = np.full(self.n, _PENDING, np.int8)
        updated = self.purchase + 120
        shipped = (~self.cancelled) & (self.ship_ts <= t)
        state[shipped] = _SHIPPED
        updated = np.where(shipped, self.ship_ts + 60, updated)
        delivered = shipped & self.mfn & self.has_delivered & ((self.delivered_day + 1) * _DAY - _DAY // 2 <= t)
        state[delivered] = _DELIVERED
        updated = np.where(delivered, (self.delivered_day * _DAY) + 18 * _HOUR, updated)
        cancelled = self.cancelled & (self.cancel_ts <= t)
        state[cancelled] = _CANCELLED
        updated = np.where(cancelled, self.cancel_ts + 30, updated)
        return state, updated


def _norm(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, float)
    return w / w.sum()


# --------------------------------------------------------------------------------------------------
# the files


class _FolderWriter:
    def __init__(self, out: Path, seller: _Seller) -> None:
        self.out = out
        self.s = seller
        self.spec = seller.spec
        self.enc = seller.v["encoding"]
        self.files: list[dict[str, Any]] = []
        self.damaged: list[dict[str, Any]] = []

    def _record(self, path: str, kind: str, written: _Written | None, *, encoding: str, delimiter: str | None,
                **extra: Any) -> None:
        entry: dict[str, Any] = {"path": path, "kind": kind, "encoding": encoding, "delimiter": delimiter,
                                 "rows": None if written is None else written.rows}
        entry.update(extra)
        self.files.append(entry)
        if written is not None:
            for line, d in written.damaged_lines:
                self.damaged.append({"path": path, "line": line, "reason": d.reason, "column": d.column,
                                     "value": d.value})

    def table(self, name: str, kind: str, header: Sequence[str], cols: Sequence[Col], idx: np.ndarray, *,
              delimiter: str = "\t", quote_all: bool = False, newline: str = "\n",
              damages: Sequence[_Damage] = (), compress: str | None = None, **extra: Any) -> _Written:
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        damages = sorted(damages, key=lambda d: d.after)
        if compress == "gzip":
            with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                         compresslevel=6) as gz:
                written = _write_table(gz, header, cols, idx, encoding=self.enc, delimiter=delimiter,
                                       quote_all=quote_all, newline=newline, damages=damages)
        else:
            with open(path, "wb") as fh:
                written = _write_table(fh, header, cols, idx, encoding=self.enc, delimiter=delimiter,
                                       quote_all=quote_all, newline=newline, damages=damages)
        self._record(name, kind, written, encoding=self.enc, delimiter=delimiter, compression=compress,
                     **extra)
        return written


def _orders_columns(s: _Seller, state: np.ndarray, updated: np.ndarray, header: Sequence[str]) -> list[Col]:
    v, w, dec = s.v, s.w, s.decimals
    io_ = s.item_order
    unit = 10 ** dec
    fees = np.array([round(f * unit) for f in v["ship_fees"]], np.int64)
    tax = float(v["tax_rate"])
    addresses = v["addresses"]
    city = _strings([a[0] for a in addresses])
    st = _strings([a[1] for a in addresses])
    postal = _strings([a[2] for a in addresses])

    def o(idx: np.ndarray) -> np.ndarray:
        return io_[idx]

    def cancelled(idx: np.ndarray) -> np.ndarray:
        return state[o(idx)] == _CANCELLED

    def price(idx: np.ndarray) -> pa.Array:
        return _money(s.price[s.item_product[idx]] * s.item_qty[idx], dec, null=cancelled(idx))

    def item_tax(idx: np.ndarray) -> pa.Array:
        return _money(np.rint(s.price[s.item_product[idx]] * s.item_qty[idx] * tax), dec, null=cancelled(idx))

    def ship_fee(idx: np.ndarray) -> np.ndarray:
        fee = np.where(s.afn[o(idx)], 0, fees[s.service[o(idx)]])
        return np.where(s.item_first[idx], fee, 0)

    def qty(idx: np.ndarray) -> pa.Array:
        return _int_str(np.where(cancelled(idx), 0, s.item_qty[idx]))

    def currency(idx: np.ndarray) -> pa.Array:
        return _null_where(pa.repeat(pa.scalar(v["currency"]), len(idx)), cancelled(idx))

    zero = _money(np.zeros(1, np.int64), dec)[0].as_py()

    def zero_money(idx: np.ndarray) -> pa.Array:
        return _null_where(pa.repeat(pa.scalar(zero), len(idx)), cancelled(idx))

    cols: dict[str, Col] = {
        "amazon-order-id": lambda idx: pc.take(s.order_id, pa.array(o(idx))),
        "merchant-order-id": _const(""),
        "purchase-date": lambda idx: _iso_offset(s.purchase[o(idx)], s.offset_min[o(idx)]),
        "last-updated-date": lambda idx: _iso_offset(updated[o(idx)], s.offset_min[o(idx)]),
        "order-status": lambda idx: _take(_strings(_ORDER_STATUS), state[o(idx)]),
        "fulfillment-channel": lambda idx: _take(_strings(["Merchant", "Amazon"]), s.afn[o(idx)].astype(np.int8)),
        "sales-channel": _const(v["sales_channel"]),
        "order-channel": _const(""),
        "url": _const(""),
        "ship-service-level": lambda idx: _take(_strings(w["ship_service_levels"]), s.service[o(idx)]),
        "product-name": lambda idx: _take(s.pname, s.item_product[idx]),
        "sku": lambda idx: _take(s.sku, s.item_product[idx]),
        "asin": lambda idx: _take(s.asin, s.item_product[idx]),
        "item-status": lambda idx: _take(_strings(_ITEM_STATUS), state[o(idx)]),
        "quantity": qty,
        "currency": currency,
        "item-price": price,
        "item-tax": item_tax,
        "shipping-price": lambda idx: _money(ship_fee(idx), dec, null=cancelled(idx)),
        "shipping-tax": lambda idx: _money(np.rint(ship_fee(idx) * tax), dec, null=cancelled(idx)),
        "gift-wrap-price": _const(""),
        "gift-wrap-tax": _const(""),
        "item-promotion-discount": zero_money,
        "ship-promotion-discount": zero_money,
        "ship-city": lambda idx: _take(city, s.address[o(idx)]),
        "ship-state": lambda idx: _take(st, s.address[o(idx)]),
        "ship-postal-code": lambda idx: _take(postal, s.address[o(idx)]),
        "ship-country": _const(v["ship_country"]),
        "promotion-ids": _const(""),
        "cpf": _const(""),
        "is-business-order": lambda idx: _take(_strings(["false", "true"]), s.business[o(idx)].astype(np.int8)),
        "purchase-order-number": _const(""),
        "price-designation": lambda idx: _take(_strings(["", "BusinessPrice"]), s.business[o(idx)].astype(np.int8)),
        "signature-confirmation-recommended": _const("false"),
    }
    return [cols[h] for h in header]


def _write_orders(fw: _FolderWriter, damage_plan: dict[str, list[str]]) -> dict[str, Any]:
    s, spec = fw.s, fw.spec
    names: list[tuple[str, np.ndarray, int, tuple[str, ...]]] = []
    item_day = s.day[s.item_order]
    if spec.overlap_exports and spec.days >= 4:
        cut_a = s.start + max(1, round(0.6 * spec.days)) - 1         # file A: start .. cut_a
        cut_b = s.start + round(0.45 * spec.days)                      # file B: cut_b .. end
        cut_b = min(cut_b, cut_a)
        t_a = (cut_a + 1) * _DAY + 6 * _HOUR
        header_a = ORDERS_HEADER_OLD if spec.variant == "us" else ORDERS_HEADER
        names.append((f"All_Orders_{_date_of(s.start)}_{_date_of(cut_a)}.txt",
                      np.flatnonzero(item_day <= cut_a), t_a, header_a))
        names.append((f"All_Orders_{_date_of(cut_b)}_{_date_of(s.end)}.txt",
                      np.flatnonzero(item_day >= cut_b), s.export_b, ORDERS_HEADER))
    else:
        names.append((f"All_Orders_{_date_of(s.start)}_{_date_of(s.end)}.txt",
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
                damages.append(_Damage(row, "truncated line: fewer fields than the header", keep_fields=9))
            else:
                damages.append(_Damage(row, "negative quantity", column="quantity", value="-1"))
        fw.table(name, "orders", header, _orders_columns(s, state, updated, header), idx, damages=damages,
                 header_variant="old" if header is ORDERS_HEADER_OLD else "current",
                 purchase_dates=[str(_date_of(s.day[s.item_order[idx]].min())),
                                 str(_date_of(s.day[s.item_order[idx]].max()))] if len(idx) else None)
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
        pend_ship = changed & (states[0] == _PENDING) & (states[1] != _CANCELLED)
        info["pending_to_shipped_examples"] = pc.take(s.order_id, pa.array(np.flatnonzero(pend_ship)[:3])).to_pylist()
    return info


def _write_feedback(fw: _FolderWriter, damage_plan: dict[str, list[str]]) -> None:
    s = fw.s
    v, spec = s.v, s.spec
    comments = s.cfg["comments"][spec.variant]
    rng = np.random.default_rng([spec.seed, 11])
    rows = np.flatnonzero(s.fb_cat != _FB_NONE)
    rows = rows[np.lexsort((rows, -s.fb_day[rows]))]               # newest first, as Feedback Manager
    labels: list[str] = []
    offsets = []
    for c in _FB_CATEGORIES:
        offsets.append(len(labels))
        labels.extend(comments[c])
    sizes = np.array([len(comments[c]) for c in _FB_CATEGORIES])
    cat = s.fb_cat
    pick = np.array(offsets)[np.maximum(cat, 0)] + (rng.integers(0, 1 << 30, s.n) % sizes[np.maximum(cat, 0)])
    comment_labels = _strings(labels)
    emails = _join([_rand_text(rng, s.n, 12, "abcdefghijklmnopqrstuvwxyz0123456789"),
                    pa.repeat(pa.scalar(v["email_domain"]), s.n)], "@")
    responses = _strings(comments["response"])
    yes_no = _strings(["Yes", "No"])

    def answer(bad_for: tuple[int, ...]) -> Col:
        blank = rng.random(s.n) < 0.3
        bad = np.isin(cat, bad_for) | ((s.fb_rating <= 2) & (rng.random(s.n) < 0.3))
        codes = np.where(blank, -1, bad.astype(np.int64))
        return lambda idx: _take(yes_no, codes[idx])

    cols: list[Col] = [
        lambda idx: _date(s.fb_day[idx], v["feedback_date"]),
        lambda idx: _int_str(s.fb_rating[idx]),
        lambda idx: _take(comment_labels, pick[idx]),
        lambda idx: _take(responses, s.fb_response[idx]),
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: pc.take(emails, pa.array(idx)),
    ]
    header = list(v["feedback_headers"])
    extra = {
        "Arrived On Time": answer((_FB_AFNLATE, _FB_NR)),
        "Item As Described": answer((_FB_DAMAGED, _FB_REVIEW)),
        "Customer Service": answer((_FB_SELLER,)),
        "Status": lambda idx: _take(_strings(["", "Removed", "Struck through"]), s.fb_status[idx]),
    }
    for h in v["feedback_extra_headers"]:
        header.append(h)
        cols.append(extra[h])
    damages = []
    for _ in damage_plan.get("feedback", []):
        positive = np.flatnonzero(s.fb_cat[rows] == _FB_POS)
        row = int(positive[-1 - len(damages)]) if len(positive) > len(damages) else len(rows) - 1
        damages.append(_Damage(row, "rating out of range (7)", column=header[1], value="7"))
    fw.table(f"FeedbackManager_{spec.end_date}.csv", "feedback", header, cols, rows, damages=damages,
             language=spec.variant)


def _write_claims(fw: _FolderWriter, damage_plan: dict[str, list[str]]) -> None:
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
        lambda idx: _date(s.claim_day[idx], v["other_date"]),
        lambda idx: _take(_strings(w["claim_reasons_base"]), s.claim[idx]),
        lambda idx: _take(_strings(words), code[idx]),
        lambda idx: _money(s.order_value[idx], s.decimals),
        lambda idx: _take(_strings(["Seller", "Amazon"]), funded_code[idx]),
    ]
    damages = []
    for _ in damage_plan.get("claims", []):
        excluded = np.flatnonzero(s.claim_status[rows] > 0)
        row = int(excluded[len(damages) % len(excluded)]) if len(excluded) else 0
        damages.append(_Damage(row, "malformed order id", column="Order ID", value="123-45"))
    fw.table("AtoZ_Claims.txt", "claims", CLAIMS_HEADER, cols, rows, damages=damages)


def _write_chargebacks(fw: _FolderWriter) -> None:
    s = fw.s
    w, v = s.w, s.v
    rows = np.flatnonzero(s.cb > 0)
    rows = rows[np.lexsort((rows, s.cb_day[rows]))]
    service, fraud = w["chargeback_service_reasons"], w["chargeback_fraud_reasons"]
    words = ["Item not received"] + list(service) + list(fraud)
    code = np.select([s.cb == 1, s.cb == 2], [0, 1 + s.cb_word % len(service)], 1 + len(service) + s.cb_word % len(fraud))
    cols: list[Col] = [
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: _date(s.cb_day[idx], v["other_date"]),
        lambda idx: _take(_strings(words), code[idx]),
        lambda idx: _take(_strings(["Service", "Fraud"]), (s.cb[idx] == 3).astype(np.int8)),
    ]
    fw.table("Chargebacks.txt", "chargebacks", CHARGEBACKS_HEADER, cols, rows)


def _write_cancellations(fw: _FolderWriter) -> None:
    s = fw.s
    w, v = s.w, s.v
    rows = np.flatnonzero(s.cancelled)
    rows = rows[np.lexsort((rows, s.cancel_ts[rows]))]
    by = np.select([s.cancel_kind == _C_BUYER, s.cancel_kind == _C_AMAZON], [1, 2], 0)
    reasons = list(w["seller_cancel_reasons"]) + ["Buyer canceled", "Not confirmed in time"]
    no_inv = reasons.index("No inventory")
    reason = np.select([s.cancel_kind == _C_STOCKOUT, s.cancel_kind == _C_BUYER, s.cancel_kind == _C_AMAZON],
                       [no_inv, len(w["seller_cancel_reasons"]), len(w["seller_cancel_reasons"]) + 1],
                       s.cancel_reason)
    cols: list[Col] = [
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: _date(s.cancel_ts[idx] // _DAY, v["other_date"]),
        lambda idx: _take(_strings(["Seller", "Buyer", "Amazon"]), by[idx]),
        lambda idx: _take(_strings(reasons), reason[idx]),
        lambda idx: _take(s.sku, s.cancel_product[idx]),
    ]
    if fw.spec.variant == "de":
        # re-saved by German Excel: semicolons, every field quoted, decimal commas, CRLF
        cols.append(lambda idx: _money(s.order_value[idx], s.decimals, sep=","))
        fw.table("Stornierungen.csv", "cancellations", CANCELLATIONS_HEADER + ("Amount",), cols, rows,
                 delimiter=";", quote_all=True, newline="\r\n", excel_resaved=True)
    else:
        fw.table("Cancellations.txt", "cancellations", CANCELLATIONS_HEADER, cols, rows)


def _tracking(s: _Seller) -> pa.Array:
    rng = np.random.default_rng([s.spec.seed, 23])
    digits = _rand_text(rng, s.n, 12, "0123456789")
    prefix = _take(_strings(s.tracking_prefix), s.carrier)
    return _null_where(_join([prefix, digits]), s.no_tracking)


def _write_shipments(fw: _FolderWriter, damage_plan: dict[str, list[str]]) -> None:
    s = fw.s
    rows = np.flatnonzero(s.in_ship)
    tracking = _tracking(s)
    carriers = _strings(s.carrier_names)
    cols: list[Col] = [
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: _ts(s.expected[idx]),
        lambda idx: _ts(s.confirm[idx]),
        lambda idx: _take(carriers, s.carrier[idx]),
        _from(tracking),
        lambda idx: _take(_strings(s.w["ship_service_levels"]), s.service[idx]),
        lambda idx: _ts(s.first_scan[idx], null=s.no_tracking[idx]),
        lambda idx: _date(s.promised_day[idx], "%Y-%m-%d"),
        lambda idx: _date(s.delivered_day[idx], "%Y-%m-%d", null=~s.has_delivered[idx]),
    ]
    damages = []
    for _ in damage_plan.get("shipments", []):
        row = 2 * len(damages)
        damages.append(_Damage(row, "not a date in a date column", column="Ship Confirm Date", value="unknown"))
    fw.table("Shipment_Confirmations.txt", "shipments", SHIPMENTS_HEADER, cols, rows, damages=damages,
             style="all_shipments")
    if fw.spec.variant == "us":
        # an older 'late shipments only' download, zipped in a subfolder: date-only expected ship date
        late_old = np.flatnonzero(s.late & (s.day < s.end - 30))
        late_rows = late_old[-6:] if len(late_old) else np.flatnonzero(s.late)[:6]
        buf = io.BytesIO()
        written = _write_table(buf, LATE_SHIPMENTS_HEADER, [
            lambda idx: pc.take(s.order_id, pa.array(idx)),
            lambda idx: _date(s.expected[idx] // _DAY, "%Y-%m-%d"),
            lambda idx: _ts(s.confirm[idx]),
            lambda idx: _take(carriers, s.carrier[idx]),
            _from(tracking),
            _const("Yes"),
        ], late_rows, encoding=fw.enc)
        name = f"downloads/older/late_shipments_{_date_of(s.end - 30)}.zip"
        path = fw.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        info = zipfile.ZipInfo("Late_Shipments.txt", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(info, buf.getvalue())
        fw._record(name, "shipments", written, encoding=fw.enc, delimiter="\t", compression="zip",
                   member="Late_Shipments.txt", style="late_only",
                   order_ids=pc.take(s.order_id, pa.array(late_rows)).to_pylist())


def _write_returns(fw: _FolderWriter) -> None:
    s = fw.s
    w, v, spec = s.w, s.v, s.spec
    rng = np.random.default_rng([spec.seed, 31])
    rows = np.flatnonzero(s.ret_mfn >= 0)
    rows = rows[np.lexsort((rows, s.ret_day[rows]))]
    first_item = np.flatnonzero(s.item_first)
    # the returned item: the fragile one for broken deliveries, else the order's first item
    fragile_item = np.full(s.n, -1)
    fi = np.flatnonzero(s.item_product == s.fragile_p)
    fragile_item[s.item_order[fi]] = fi
    item = np.where(s.ret_mfn == len(s.mfn_reason_words) - 1, fragile_item, first_item)
    item = np.where(item < 0, first_item, item)
    rma = _join(["D", _rand_text(rng, s.n, 9, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")])
    ret_tracking = _rand_text(rng, s.n, 18, "0123456789")
    label_cost = _uniform_int(rng, 4 * 10 ** s.decimals, 9 * 10 ** s.decimals, s.n)
    prime = rng.random(s.n) < 0.6
    amount = s.price[s.item_product[item]] * s.item_qty[item]
    status = rng.integers(0, len(w["mfn_return_statuses"]), s.n)
    resolution = rng.integers(0, len(w["mfn_resolutions"]), s.n)
    claimed = (s.claim >= 0).astype(np.int8)
    return_carrier = _strings(s.carrier_names)
    yn = _strings(["N", "Y"])
    cols: dict[str, Col] = {
        "Order ID": lambda idx: pc.take(s.order_id, pa.array(idx)),
        "Order date": lambda idx: _date(s.day[idx], "%d-%b-%Y"),
        "Return request date": lambda idx: _date(s.ret_day[idx], "%d-%b-%Y"),
        "Return request status": lambda idx: _take(_strings(w["mfn_return_statuses"]), status[idx]),
        "Amazon RMA ID": _from(rma),
        "Merchant RMA ID": _const(""),
        "Label type": _const("AmazonPrePaidLabel"),
        "Label cost": lambda idx: _money(label_cost[idx], s.decimals),
        "Currency code": _const(v["currency"]),
        "Return carrier": lambda idx: _take(return_carrier, np.zeros(len(idx), np.int64)),
        "Tracking ID": _from(ret_tracking),
        "Label to be paid by": _const("Seller"),
        "A-to-Z Claim": lambda idx: _take(yn, claimed[idx]),
        "Is prime": lambda idx: _take(yn, prime[idx].astype(np.int8)),
        "ASIN": lambda idx: _take(s.asin, s.item_product[item[idx]]),
        "Merchant SKU": lambda idx: _take(s.sku, s.item_product[item[idx]]),
        "Item Name": lambda idx: _take(s.pname, s.item_product[item[idx]]),
        "Return quantity": lambda idx: _int_str(s.item_qty[item[idx]]),
        "Return Reason": lambda idx: _take(_strings(s.mfn_reason_words), s.ret_mfn[idx]),
        "In policy": _const("Y"),
        "Return type": _const("C-Returns"),
        "Resolution": lambda idx: _take(_strings(w["mfn_resolutions"]), resolution[idx]),
        "Invoice number": _const(""),
        "Return delivery date": lambda idx: _date(s.ret_day[idx] + 4, "%d-%b-%Y", null=s.ret_day[idx] + 4 > s.end),
        "Order Amount": lambda idx: _money(s.order_value[idx], s.decimals),
        "Order quantity": lambda idx: _int_str(s.item_qty[item[idx]]),
        "SafeT Action reason": _const(""),
        "SafeT claim id": _const(""),
        "SafeT claim state": _const(""),
        "SafeT claim creation time": _const(""),
        "SafeT claim reimbursement amount": _const(""),
        "Refunded Amount": lambda idx: _money(amount[idx], s.decimals),
    }
    fw.table(f"Returns_MFN_{_date_of(s.start)}_{_date_of(s.end)}.txt", "returns_mfn", RETURNS_MFN_HEADER,
             [cols[h] for h in RETURNS_MFN_HEADER], rows)

    # FBA customer returns
    rows = np.flatnonzero(s.ret_fba)
    rows = rows[np.lexsort((rows, s.fba_ret_day[rows]))]
    fr = w["fba_return_reasons"]
    reason = rng.choice(len(fr), s.n, p=_norm(w["fba_return_weights"]))
    disp = rng.choice(len(w["fba_dispositions"]), s.n, p=_norm(w["fba_disposition_weights"]))
    fnsku = _join(["X00", _rand_text(rng, s.n, 7, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")])
    lpn = _join(["LPN", _rand_text(rng, s.n, 10, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")])
    fc = v["fulfillment_centers"]
    fc_code = rng.integers(0, len(fc), s.n)
    st = rng.integers(0, len(w["fba_statuses"]), s.n)
    ret_ts = s.fba_ret_day * _DAY + _uniform_int(rng, 0, _DAY - 1, s.n)
    comments = s.cfg["comments"][spec.variant]
    comment_words = _strings(list(comments["product_review"]) + list(comments["neutral"]))
    comment_code = np.where(rng.random(s.n) < 0.3, rng.integers(0, len(comment_words), s.n), -1)
    fba_cols: list[Col] = [
        lambda idx: _iso_offset(ret_ts[idx], np.zeros(len(idx), np.int64)),
        lambda idx: pc.take(s.order_id, pa.array(idx)),
        lambda idx: _take(s.sku, s.item_product[first_item[idx]]),
        lambda idx: _take(s.asin, s.item_product[first_item[idx]]),
        _from(fnsku),
        lambda idx: _take(s.pname, s.item_product[first_item[idx]]),
        lambda idx: _int_str(s.item_qty[first_item[idx]]),
        lambda idx: _take(_strings(fc), fc_code[idx]),
        lambda idx: _take(_strings(w["fba_dispositions"]), disp[idx]),
        lambda idx: _take(_strings(fr), reason[idx]),
        lambda idx: _take(_strings(w["fba_statuses"]), st[idx]),
        _from(lpn),
        lambda idx: _take(comment_words, comment_code[idx]),
    ]
    if spec.variant == "us":
        fw.table("FBA_Customer_Returns.txt.gz", "returns_fba", RETURNS_FBA_HEADER, fba_cols, rows, compress="gzip")
    else:
        fw.table("FBA_Customer_Returns.txt", "returns_fba", RETURNS_FBA_HEADER, fba_cols, rows)


def _write_unknown(fw: _FolderWriter) -> None:
    s = fw.s
    idx = np.arange(s.n_products)
    stock = np.where(idx == s.stockout_p, 0, 20 + (idx * 37) % 180)
    fw.table("inventory.txt", "skipped", INVENTORY_HEADER, [
        _from(s.sku), _from(s.asin), lambda i: _money(s.price[i], s.decimals), lambda i: _int_str(stock[i]),
    ], idx, reason="inventory report: not an account-health export")
    text = (
        "Notes for the account health review\n"
        "===================================\n\n"
        f"Downloaded the exports on {_date_of(s.end + 1)} from Seller Central.\n"
        "- The warehouse was short-staffed on Mondays; check the weekend orders.\n"
        "- Call the carrier about parcels that never arrived.\n"
        "- Ask the packaging supplier about thicker padding for the glass vase.\n"
    )
    (fw.out / "notes.txt").write_bytes(text.encode("utf-8"))
    fw._record("notes.txt", "skipped", None, encoding="utf-8", delimiter=None, reason="free text")


# --------------------------------------------------------------------------------------------------
# the metrics the data implies (sellerdx's definitions, metrics-spec) and Amazon's JSON


def _window(end: int, days: int) -> tuple[int, int]:
    return end - (days - 1), end


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def _metrics(s: _Seller) -> dict[str, dict[str, Any]]:
    end = s.end
    in_win = lambda w: (s.day >= w[0]) & (s.day <= w[1])  # noqa: E731
    neg_fb = (s.fb_cat != _FB_NONE) & (s.fb_rating <= 2) & (s.fb_status == 0)
    claim_c = (s.claim >= 0) & (s.claim_status == 0)
    cb_c = (s.cb == 1) | (s.cb == 2)
    defect = neg_fb | claim_c | cb_c
    out: dict[str, dict[str, Any]] = {}
    odr_w = _window(end - 14, 60)
    for key, chan in (("odr_mfn", s.mfn), ("odr_afn", s.afn), ("odr_all", np.ones(s.n, bool))):
        base = in_win(odr_w) & chan
        num, den = int((base & defect).sum()), int(base.sum())
        out[key] = {"numerator": num, "denominator": den, "rate": _rate(num, den),
                    "window": [str(_date_of(odr_w[0])), str(_date_of(odr_w[1]))],
                    "negative_feedback": int((base & neg_fb).sum()), "claims": int((base & claim_c).sum()),
                    "chargebacks": int((base & cb_c).sum())}
    w7 = _window(end, 7)
    base = in_win(w7) & s.mfn
    seller = np.isin(s.cancel_kind, [_C_SELLER, _C_AMAZON, _C_STOCKOUT])
    out["pfcr"] = {"numerator": int((base & seller).sum()), "denominator": int(base.sum()),
                   "window": [str(_date_of(w7[0])), str(_date_of(w7[1]))]}
    for key, days in (("lsr_10d", 10), ("lsr_30d", 30)):
        w = _window(end, days)
        base = in_win(w) & s.mfn & ~s.cancelled
        out[key] = {"numerator": int((base & s.late).sum()), "denominator": int(base.sum()),
                    "window": [str(_date_of(w[0])), str(_date_of(w[1]))]}
    w30 = _window(end, 30)
    base = in_win(w30) & s.in_ship
    out["vtr"] = {"numerator": int((base & ~s.no_tracking).sum()), "denominator": int(base.sum()),
                  "window": [str(_date_of(w30[0])), str(_date_of(w30[1]))]}
    for m in out.values():
        m["rate"] = _rate(m["numerator"], m["denominator"])
    return out


def _performance(s: _Seller, metrics: dict[str, dict[str, Any]], extra_claim: int) -> dict[str, Any]:
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
    in30 = (s.day >= s.end - 29) & s.in_ship & ~s.no_tracking & (s.has_delivered | (s.promised_day < s.end))
    on_time = in30 & s.has_delivered & (s.delivered_day <= s.promised_day)
    otd_rate = _rate(int(on_time.sum()), int(in30.sum()))
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
                "reportingDateRange": rng_of(w30), "shipmentCountWithValidTracking": int(in30.sum()),
                "onTimeDeliveryCount": int(on_time.sum()), "status": status(otd_rate, 0.9, False),
                "rate": otd_rate, "targetValue": 0.9, "targetCondition": "GREATER_THAN"},
            "accountHealthRating": {"ahrStatus": "AT_RISK" if account == "AT_RISK" else "GREAT"},
            "ahrScore": 180 if account == "AT_RISK" else 420,
        }],
    }


# --------------------------------------------------------------------------------------------------
# the manifest


_DAMAGE_KINDS = (("truncated", "orders_b"), ("rating", "feedback"), ("order_id", "claims"),
                 ("date", "shipments"), ("negative_quantity", "orders_a"))


def _damage_plan(spec: SampleSpec) -> dict[str, list[str]]:
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


def _problems(s: _Seller) -> list[dict[str, Any]]:
    end = s.end
    d = lambda day: str(_date_of(day))  # noqa: E731
    sku, asin = s.sku.to_pylist(), s.asin.to_pylist()
    so0, so1 = s.stockout_period
    so_base = s.mfn & s.has_stockout & (s.day >= so0) & (s.day <= so1)
    wb = s.r["weekend_backlog"]
    w0 = s.weekend_period[0]
    recent = s.mfn & ~s.cancelled & (s.day >= w0)
    weekend = recent & np.isin(s.wd, wb["weekdays"])
    weekday = recent & ~np.isin(s.wd, wb["weekdays"])
    neg_fb = (s.fb_cat != _FB_NONE) & (s.fb_rating <= 2) & (s.fb_status == 0)
    lost = s.lost_planted
    return [
        {"code": "cancellation.stockout", "metric": "pfcr",
         "entities": {"asins": [asin[s.stockout_p]], "skus": [sku[s.stockout_p]], "carriers": [],
                      "weekdays": [], "shipping_services": []},
         "period": [d(so0), d(so1)],
         "description": (f"SKU {sku[s.stockout_p]} ran out of stock from {d(so0)} to {d(so1)}; the seller "
                         "cancelled most MFN orders containing it with reason 'No inventory'."),
         "counts": {"orders_with_sku": int(so_base.sum()),
                    "cancelled_no_inventory": int((so_base & (s.cancel_kind == _C_STOCKOUT)).sum())}},
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
                    "negative_feedback": int((s.damaged & neg_fb & (s.fb_cat == _FB_DAMAGED)).sum()),
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
                    "negative_feedback": int((lost & neg_fb & (s.fb_cat == _FB_NR)).sum()),
                    "missing_tracking": int(s.lossy_missing_tracking.sum())}},
    ]


def generate(out_dir: str | os.PathLike[str], spec: SampleSpec = SampleSpec()) -> dict[str, Any]:
    """Write the folder; return the planted manifest (also written to out_dir/planted.json).

    The folder holds the exports of one fictional seller in the real Seller Central formats of the
    ``spec.variant`` marketplace, with four planted problems (see ``planted.json`` -> ``problems``),
    ``spec.damaged_rows`` damaged rows and Amazon's own performance JSON that differs from the exports
    by one claim (``performance_gap``).
    """
    cfg = load_toml("samplegen.toml")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seller = _Seller(spec, cfg)
    fw = _FolderWriter(out, seller)
    plan = _damage_plan(spec)
    orders_info = _write_orders(fw, plan)
    _write_feedback(fw, plan)
    _write_claims(fw, plan)
    _write_chargebacks(fw)
    _write_cancellations(fw)
    _write_shipments(fw, plan)
    _write_returns(fw)
    _write_unknown(fw)
    metrics = _metrics(seller)
    gap = None
    if spec.performance_json:
        perf = _performance(seller, metrics, extra_claim=1)
        name = "SellerPerformance_GET_V2_SELLER_PERFORMANCE_REPORT.json"
        (out / name).write_bytes((json.dumps(perf, indent=2) + "\n").encode("utf-8"))
        fw._record(name, "performance", None, encoding="utf-8", delimiter=None)
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
        "cancellations_buyer": int((s.cancel_kind == _C_BUYER).sum()),
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
        "problems": _problems(seller),
        "damaged_rows": sorted(fw.damaged, key=lambda x: (x["path"], x["line"])),
        "excluded": excluded,
        "expected_metrics": metrics,
        "performance_gap": gap,
    }
    (out / "planted.json").write_bytes((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return manifest
