-- metric_window_items: the distinct items (SKU, ASIN, product name) of the orders in metric_window, for the
-- rules and breakdowns (queries/breakdown_items.sql) that group orders by what they hold, each marked with
-- whether the order's bad outcome concerns it. A defect belongs to the item the data names
-- (queries/order_items.sql says which, per family); where the data names no item of the order (feedback,
-- A-to-z claims and chargebacks carry no item; a shipment row without SKU or ASIN), the defect concerns
-- every item of the order, and `attributed` is false: such an order is in several groups.
-- Built by sellerdx.metrics.window_items after metric_window, once per window: a join of the window's
-- orders with order_items on (order_id, purchase_date), so the scan of order_items (stored in purchase-date
-- order) skips the row groups outside the window's purchase dates.
-- Inputs: metric_window (queries/metric_window.sql), order_items (queries/order_items.sql).
-- Parameters:
--   $family             VARCHAR    the metric family of metric_window (odr_mfn, pfcr, lsr, vtr, otdr, ...)
-- Output: temp table metric_window_items(order_id, sku, asin, product_name, concerns BOOLEAN (the order
--   has the family's bad outcome and it belongs to this item), attributed BOOLEAN (the data named which of
--   the order's items the bad outcome concerns))
CREATE OR REPLACE TEMP TABLE metric_window_items AS
WITH win AS (
    SELECT order_id, purchase_date, bool_or(is_defect) AS is_defect FROM metric_window
    GROUP BY order_id, purchase_date
),
items AS (
    SELECT order_id, purchase_date, sku, asin, product_name,
           CASE $family WHEN 'pfcr' THEN named_pfcr WHEN 'lsr' THEN named_lsr WHEN 'vtr' THEN named_vtr
                        WHEN 'otdr' THEN named_otdr WHEN 'otdr_units' THEN named_otdr ELSE false END AS named,
           CASE $family WHEN 'pfcr' THEN attributed_pfcr WHEN 'lsr' THEN attributed_lsr
                        WHEN 'vtr' THEN attributed_vtr WHEN 'otdr' THEN attributed_otdr
                        WHEN 'otdr_units' THEN attributed_otdr ELSE false END AS attributed
    FROM order_items
)
SELECT i.order_id, i.sku, i.asin, i.product_name,
       w.is_defect AND (i.named OR NOT i.attributed) AS concerns,
       i.attributed
FROM items AS i
JOIN win AS w USING (order_id, purchase_date)
