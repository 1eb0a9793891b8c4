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
-- Inputs: orders, order_facts (queries/order_facts.sql: purchase_date, item_rows), defect_events, shipments.
-- Parameters:
--   $has_cancellations  BOOLEAN    a cancellations export was supplied (else item-status decides PFCR)
--   $cancelled_statuses VARCHAR[]  lower-case item-status words meaning cancelled
--   $invalid_carriers   VARCHAR[]  lower-case carrier names that do not make tracking valid ('' = blank)
-- Output: table order_items(order_id, purchase_date (order_facts'), sku, asin, product_name,
--   named_pfcr, named_lsr, named_vtr, named_otdr BOOLEAN (the family's bad outcome of the order names
--   this item), attributed_pfcr, attributed_lsr, attributed_vtr, attributed_otdr BOOLEAN (it names one of
--   the order's items)), in purchase-date order so a window's join skips the other row groups.
CREATE OR REPLACE TABLE order_items AS
WITH items AS (   -- the distinct items with their order's purchase date: an order with one item row is its
                  -- own item (no deduplication), only the rows of orders with several are made distinct
    SELECT o.order_id, f.purchase_date, o.sku, o.asin, o.product_name
    FROM orders AS o
    JOIN (SELECT order_id, purchase_date FROM order_facts WHERE item_rows = 1) AS f USING (order_id)
    UNION ALL
    SELECT DISTINCT o.order_id, f.purchase_date, o.sku, o.asin, o.product_name
    FROM orders AS o
    JOIN (SELECT order_id, purchase_date FROM order_facts WHERE item_rows > 1) AS f USING (order_id)
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
named AS (   -- the items a mark names (few), with the families naming them
    SELECT o.order_id, o.sku, o.asin, o.product_name,
           bool_or(m.family = 'pfcr') AS named_pfcr,
           bool_or(m.family = 'lsr') AS named_lsr,
           bool_or(m.family = 'vtr') AS named_vtr,
           bool_or(m.family = 'otdr') AS named_otdr
    FROM orders AS o
    JOIN marks AS m
      ON m.order_id = o.order_id
     AND ((m.sku IS NOT NULL AND m.sku = o.sku) OR (m.asin IS NOT NULL AND m.asin = o.asin))
    GROUP BY o.order_id, o.sku, o.asin, o.product_name
),
per_order AS (
    SELECT order_id, bool_or(named_pfcr) AS attributed_pfcr, bool_or(named_lsr) AS attributed_lsr,
           bool_or(named_vtr) AS attributed_vtr, bool_or(named_otdr) AS attributed_otdr
    FROM named
    GROUP BY order_id
)
SELECT i.order_id, i.purchase_date, i.sku, i.asin, i.product_name,
       coalesce(n.named_pfcr, false) AS named_pfcr, coalesce(n.named_lsr, false) AS named_lsr,
       coalesce(n.named_vtr, false) AS named_vtr, coalesce(n.named_otdr, false) AS named_otdr,
       coalesce(p.attributed_pfcr, false) AS attributed_pfcr, coalesce(p.attributed_lsr, false) AS attributed_lsr,
       coalesce(p.attributed_vtr, false) AS attributed_vtr, coalesce(p.attributed_otdr, false) AS attributed_otdr
FROM items AS i
LEFT JOIN named AS n
       ON n.order_id = i.order_id AND n.sku IS NOT DISTINCT FROM i.sku AND n.asin IS NOT DISTINCT FROM i.asin
      AND n.product_name IS NOT DISTINCT FROM i.product_name
LEFT JOIN per_order AS p ON p.order_id = i.order_id
ORDER BY i.purchase_date
