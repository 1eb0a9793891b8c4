-- metric_window_items: the distinct items (SKU, ASIN, product name) of the orders in metric_window, for the
-- rules and breakdowns (queries/breakdown_items.sql) that group orders by what they hold, each marked with
-- whether the order's bad outcome concerns it. A defect belongs to the item the data names: the SKU of a
-- counting cancellation row (PFCR; without a cancellations export, the items whose item-status is
-- cancelled), the SKU / ASIN of the late shipment row (LSR), of the shipment without valid tracking (VTR),
-- of the parcel delivered late or never (OTDR). Where the data names no item of the order (feedback,
-- A-to-z claims and chargebacks carry no item; a shipment row without SKU or ASIN), the defect concerns
-- every item of the order, and `attributed` is false: such an order is in several groups.
-- Built by sellerdx.metrics.window_items after metric_window, once per window.
-- Inputs: orders, metric_window (queries/metric_window.sql), defect_events, shipments.
-- Parameters:
--   $family             VARCHAR    the metric family of metric_window (odr_mfn, pfcr, lsr, vtr, otdr, ...)
--   $has_cancellations  BOOLEAN    a cancellations export was supplied (else item-status decides PFCR)
--   $cancelled_statuses VARCHAR[]  lower-case item-status words meaning cancelled
--   $invalid_carriers   VARCHAR[]  lower-case carrier names that do not make tracking valid ('' = blank)
-- Output: temp table metric_window_items(order_id, sku, asin, product_name, concerns BOOLEAN (the order
--   has the family's bad outcome and it belongs to this item), attributed BOOLEAN (the data named which of
--   the order's items the bad outcome concerns))
CREATE OR REPLACE TEMP TABLE metric_window_items AS
WITH win AS (
    SELECT order_id, bool_or(is_defect) AS is_defect FROM metric_window GROUP BY order_id
),
items AS (
    SELECT DISTINCT o.order_id, o.sku, o.asin, o.product_name, o.item_status
    FROM orders AS o
    WHERE o.order_id IN (SELECT order_id FROM win)
),
marks AS (   -- (order, sku, asin) named by the family's bad outcome
    SELECT order_id, sku, asin FROM defect_events
    WHERE (kind = 'seller_cancellation' AND $family = 'pfcr' AND $has_cancellations)
       OR (kind = 'late_shipment' AND $family = 'lsr')
    UNION ALL
    SELECT order_id, sku, asin FROM orders
    WHERE $family = 'pfcr' AND NOT $has_cancellations
      AND coalesce(list_contains(CAST($cancelled_statuses AS VARCHAR[]), lower(trim(item_status))), false)
    UNION ALL
    SELECT order_id, sku, asin FROM shipments
    WHERE $family = 'vtr' AND (ship_confirm_ts IS NOT NULL OR tracking_id IS NOT NULL)
      AND (tracking_id IS NULL
           OR list_contains(CAST($invalid_carriers AS VARCHAR[]), lower(trim(coalesce(carrier, '')))))
    UNION ALL
    SELECT order_id, sku, asin FROM shipments
    WHERE $family IN ('otdr', 'otdr_units') AND promised_delivery_date IS NOT NULL
      AND (delivered_date > promised_delivery_date OR delivered_date IS NULL)
),
named AS (
    SELECT i.order_id, i.sku, i.asin, i.product_name,
           bool_or(m.order_id IS NOT NULL) AS named
    FROM items AS i
    LEFT JOIN marks AS m
           ON m.order_id = i.order_id
          AND ((m.sku IS NOT NULL AND m.sku = i.sku) OR (m.asin IS NOT NULL AND m.asin = i.asin))
    GROUP BY i.order_id, i.sku, i.asin, i.product_name
),
per_order AS (
    SELECT *, bool_or(named) OVER (PARTITION BY order_id) AS attributed FROM named
)
SELECT p.order_id, p.sku, p.asin, p.product_name,
       w.is_defect AND (p.named OR NOT p.attributed) AS concerns,
       p.attributed
FROM per_order AS p
JOIN win AS w USING (order_id)
