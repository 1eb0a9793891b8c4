-- order_items: the distinct items (SKU, ASIN, product name) of every order, each marked, per metric family
-- whose bad outcome the data ties to items, with whether that outcome names it. As-of-independent: built
-- once per loaded data set with order_facts (and stored with it in the cache), so each window's item
-- table (queries/metric_window_items.sql) is a join of the window's orders with this table instead of a
-- scan of orders, shipments and defect_events per window.
-- A defect belongs to the item the data names: the SKU of a counting cancellation row (PFCR; without a
-- cancellations export, the items whose item-status is cancelled), the SKU / ASIN of the late shipment row
-- (LSR), of the shipment without valid tracking (VTR), of the parcel delivered late or never (OTDR). Where
-- the data names no item of the order (feedback, A-to-z claims and chargebacks carry no item; a shipment
-- row without SKU or ASIN), the order's outcome is not attributed to items.
-- Inputs: orders, order_facts (queries/order_facts.sql: purchase_date), defect_events, shipments.
-- Parameters:
--   $has_cancellations  BOOLEAN    a cancellations export was supplied (else item-status decides PFCR)
--   $cancelled_statuses VARCHAR[]  lower-case item-status words meaning cancelled
--   $invalid_carriers   VARCHAR[]  lower-case carrier names that do not make tracking valid ('' = blank)
-- Output: table order_items(order_id, purchase_date (order_facts'), sku, asin, product_name,
--   named_pfcr, named_lsr, named_vtr, named_otdr BOOLEAN (the family's bad outcome of the order names
--   this item), attributed_pfcr, attributed_lsr, attributed_vtr, attributed_otdr BOOLEAN (it names one of
--   the order's items)), in purchase-date order so a window's join skips the other row groups.
CREATE OR REPLACE TABLE order_items AS
WITH items AS (
    SELECT DISTINCT order_id, sku, asin, product_name FROM orders
),
marks AS (   -- (family, order, sku, asin) named by the family's bad outcome
    SELECT 'pfcr' AS family, order_id, sku, asin FROM defect_events
    WHERE kind = 'seller_cancellation' AND $has_cancellations
    UNION ALL
    SELECT 'lsr', order_id, sku, asin FROM defect_events WHERE kind = 'late_shipment'
    UNION ALL
    SELECT 'pfcr', order_id, sku, asin FROM orders
    WHERE NOT $has_cancellations
      AND coalesce(list_contains(CAST($cancelled_statuses AS VARCHAR[]), lower(trim(item_status))), false)
    UNION ALL
    SELECT 'vtr', order_id, sku, asin FROM shipments
    WHERE (ship_confirm_ts IS NOT NULL OR tracking_id IS NOT NULL)
      AND (tracking_id IS NULL
           OR list_contains(CAST($invalid_carriers AS VARCHAR[]), lower(trim(coalesce(carrier, '')))))
    UNION ALL
    SELECT 'otdr', order_id, sku, asin FROM shipments
    WHERE promised_delivery_date IS NOT NULL
      AND (delivered_date > promised_delivery_date OR delivered_date IS NULL)
),
named AS (
    SELECT i.order_id, i.sku, i.asin, i.product_name,
           count(*) FILTER (WHERE m.family = 'pfcr') > 0 AS named_pfcr,
           count(*) FILTER (WHERE m.family = 'lsr') > 0 AS named_lsr,
           count(*) FILTER (WHERE m.family = 'vtr') > 0 AS named_vtr,
           count(*) FILTER (WHERE m.family = 'otdr') > 0 AS named_otdr
    FROM items AS i
    LEFT JOIN marks AS m
           ON m.order_id = i.order_id
          AND ((m.sku IS NOT NULL AND m.sku = i.sku) OR (m.asin IS NOT NULL AND m.asin = i.asin))
    GROUP BY i.order_id, i.sku, i.asin, i.product_name
),
per_order AS (
    SELECT order_id, bool_or(named_pfcr) AS attributed_pfcr, bool_or(named_lsr) AS attributed_lsr,
           bool_or(named_vtr) AS attributed_vtr, bool_or(named_otdr) AS attributed_otdr
    FROM named
    GROUP BY order_id
)
SELECT n.order_id, f.purchase_date, n.sku, n.asin, n.product_name,
       n.named_pfcr, n.named_lsr, n.named_vtr, n.named_otdr,
       p.attributed_pfcr, p.attributed_lsr, p.attributed_vtr, p.attributed_otdr
FROM named AS n
JOIN per_order AS p USING (order_id)
JOIN order_facts AS f USING (order_id)
ORDER BY f.purchase_date
