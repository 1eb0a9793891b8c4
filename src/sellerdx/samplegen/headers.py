"""The report headers samplegen writes, as Seller Central writes them (``report-formats.md``)."""

from __future__ import annotations

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
