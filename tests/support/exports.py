"""Builders shared by the ingestion tests: tiny hand-written export files and ways to read them back.

Every file is written byte for byte by the test (encoding, BOM, line ending, delimiter chosen there), so a
test states exactly what Seller Central (or Excel) would have handed the seller.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import sellerdx
from sellerdx.analysis import Inputs
from sellerdx.model import FileReport

# The current 33-column All Orders header (report-formats.md).
ORDERS_HEADER: tuple[str, ...] = (
    "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
    "fulfillment-channel", "sales-channel", "order-channel", "ship-service-level", "product-name", "sku",
    "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price", "shipping-tax",
    "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount", "ship-promotion-discount", "ship-city",
    "ship-state", "ship-postal-code", "ship-country", "promotion-ids", "cpf", "is-business-order",
    "purchase-order-number", "price-designation", "signature-confirmation-recommended",
)
# The older variant: `url` after `order-channel`, no `cpf`, no `signature-confirmation-recommended`.
ORDERS_HEADER_OLD: tuple[str, ...] = tuple(
    h for h in ORDERS_HEADER[:8] + ("url",) + ORDERS_HEADER[8:]
    if h not in ("cpf", "signature-confirmation-recommended"))

FEEDBACK_HEADER: tuple[str, ...] = ("Date", "Rating", "Comments", "Your Response", "Order ID", "Rater Email")

RETURNS_MFN_HEADER: tuple[str, ...] = (
    "Order ID", "Order date", "Return request date", "Return request status", "Amazon RMA ID",
    "Merchant RMA ID", "Label type", "Label cost", "Currency code", "Return carrier", "Tracking ID",
    "Label to be paid by", "A-to-Z Claim", "Is prime", "ASIN", "Merchant SKU", "Item Name", "Return quantity",
    "Return Reason", "In policy", "Return type", "Resolution", "Invoice number", "Return delivery date",
    "Order Amount", "Order quantity", "SafeT Action reason", "SafeT claim id", "SafeT claim state",
    "SafeT claim creation time", "SafeT claim reimbursement amount", "Refunded Amount",
)
RETURNS_FBA_HEADER: tuple[str, ...] = (
    "return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity", "fulfillment-center-id",
    "detailed-disposition", "reason", "status", "license-plate-number", "customer-comments",
)



def oid(n: int) -> str:
    """A well-formed Amazon order id, unique per ``n``: 111-0000000-000000n (zero padded)."""
    return f"111-{n // 10_000_000:07d}-{n % 10_000_000:07d}"


def order_row(n: int = 1, purchase: str = "2026-09-01T10:00:00+00:00", *, last_updated: str | None = None,
              header: Sequence[str] = ORDERS_HEADER, **values: str) -> list[str]:
    """One All Orders line (as a list of fields in ``header`` order). Keyword names use '_' for '-'."""
    row: dict[str, str] = {
        "amazon-order-id": oid(n), "merchant-order-id": "", "purchase-date": purchase,
        "last-updated-date": last_updated or purchase, "order-status": "Shipped",
        "fulfillment-channel": "Merchant", "sales-channel": "Amazon.com", "order-channel": "",
        "ship-service-level": "Standard", "product-name": "Widget", "sku": f"SKU-{n}", "asin": "B000000001",
        "item-status": "Shipped", "quantity": "1", "currency": "USD", "item-price": "12.99",
        "ship-city": "SEATTLE", "ship-state": "WA", "ship-postal-code": "98101", "ship-country": "US",
        "is-business-order": "false",
    }
    for key, value in values.items():
        row[key.replace("_", "-")] = value
    return [row.get(h, "") for h in header]


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, delimiter: str = "\t",
          eol: str = "\n") -> str:
    """Rows joined by ``delimiter`` and ``eol`` (no quoting at all: Amazon's flat-file style)."""
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    return eol.join(lines) + eol


def write_text(path: Path, text: str, *, encoding: str = "utf-8", bom: bool = False) -> Path:
    """Write ``text`` encoded as ``encoding`` (with a UTF-8 BOM when asked); parent folders created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_orders(folder: Path, rows: Iterable[Sequence[str]] | None = None, *, name: str = "orders.txt",
                 header: Sequence[str] = ORDERS_HEADER, **kwargs: Any) -> Path:
    """An All Orders file (tab-separated); by default two valid rows."""
    if rows is None:
        rows = [order_row(1, header=header), order_row(2, "2026-09-02T11:00:00+00:00", header=header)]
    return write_text(folder / name, table(header, rows), **kwargs)


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data)


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    """A zip archive holding ``members`` (names used verbatim, so '../evil.txt' can be planted)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 9, 1, 0, 0, 0)), data)
    return buf.getvalue()


def inputs_of(folder: Path, **options: Any) -> Inputs:
    """Discover, read, validate and load ``folder``; the ``Inputs`` report."""
    return sellerdx.analyze(folder, out=str(folder.parent / "sellerdx-out"), **options).inputs


def analysis_of(folder: Path, **options: Any) -> sellerdx.Analysis:
    return sellerdx.analyze(folder, out=str(folder.parent / "sellerdx-out"), **options)


def report(inputs: Inputs, path: str) -> FileReport:
    """The FileReport of the file shown as ``path``."""
    found = [f for f in inputs.files if f.path == path]
    assert found, f"{path} not read; files: {[f.path for f in inputs.files]}, skipped: {inputs.skipped}"
    return found[0]


def rejected(inputs: Inputs, path: str) -> list[tuple[int, str | None, str]]:
    """(line, column header, reason) of the quarantined rows of one file, by line."""
    rej = inputs.rejected
    rows = rej[rej["path"] == path].sort_values("line")
    return [(int(r.line), r.column_name if isinstance(r.column_name, str) else None, r.reason)
            for r in rows.itertuples(index=False)]


def skipped_reasons(inputs_or_inventory: Any) -> dict[str, str]:
    return {s.path: s.reason for s in inputs_or_inventory.skipped}


def assert_counts_reconcile(inputs: Inputs) -> None:
    """Every file: rows_read == rows_loaded + rows_rejected; and rejected_rows agrees with the counts."""
    rej = inputs.rejected
    for f in inputs.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
        assert int((rej["path"] == f.path).sum()) == f.rows_rejected, f


def run_cli(*args: str) -> Any:
    """Invoke the ``sellerdx`` click command in-process; the result has exit_code, stdout, stderr."""
    from sellerdx.cli import main
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def table_query(analysis: sellerdx.Analysis, sql: str) -> list[tuple[Any, ...]]:
    return analysis.con.execute(sql).fetchall()
