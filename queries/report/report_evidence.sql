-- report_evidence: the evidence orders of one finding, one row per order, for the HTML report's tables.
-- Inputs: order_facts (queries/order_facts.sql; built by sellerdx.metrics.prepare), orders (the items).
-- Parameters:
--   $order_ids VARCHAR[]  the finding's order ids (Finding.order_ids)
-- Item columns (asin, sku, product_name): the order's item of the ASIN, else the SKU, that EVERY one of
--   the finding's orders holds (a finding about one ASIN / SKU groups orders that all hold it, so each
--   row shows that item, not the order's first item); when no ASIN / SKU is common to all of them (a
--   carrier or weekday finding, or a finding combining several ASINs), the order's first item.
--   queries/rule_evidence_orders.sql is given the finding's ASINs / SKUs and is exact for combinations.
-- Output columns (the report keeps those listed for the metric family in data/definitions.toml
-- [evidence_columns] and drops columns that are empty for every row):
--   order_id, purchase_date, weekday, channel, asin, sku, product_name, defect,
--   negative_feedback_date, claim_date, claim_reason_code, chargeback_date, chargeback_reason_code,
--   cancel_reason_code, expected_ship_ts, ship_confirm_ts, carrier, shipping_service, tracking_id,
--   ship_state
WITH ev AS (
    SELECT DISTINCT unnest(CAST($order_ids AS VARCHAR[])) AS order_id
),
items AS (
    SELECT o.order_id, o.asin, o.sku, o.product_name, o.source_line
    FROM orders AS o
    WHERE o.order_id IN (SELECT order_id FROM ev)   -- a hash semi-join, not a list scan per row
),
n_orders AS (
    SELECT count(DISTINCT order_id) AS n FROM items
),
common_asins AS (
    SELECT asin FROM items WHERE asin IS NOT NULL GROUP BY asin
    HAVING count(DISTINCT order_id) = (SELECT n FROM n_orders)
),
common_skus AS (
    SELECT sku FROM items WHERE sku IS NOT NULL GROUP BY sku
    HAVING count(DISTINCT order_id) = (SELECT n FROM n_orders)
),
picked AS (   -- per order: an item of a common ASIN, else of a common SKU, else its first item
    SELECT i.order_id,
           arg_min({'asin': i.asin, 'sku': i.sku, 'name': i.product_name},
                   (coalesce(i.asin NOT IN (SELECT asin FROM common_asins), true),
                    coalesce(i.sku NOT IN (SELECT sku FROM common_skus), true), i.source_line)) AS item
    FROM items AS i
    GROUP BY i.order_id
)
SELECT f.order_id, f.purchase_date, f.purchase_weekday AS weekday, f.channel,
       coalesce(p.item.asin, f.first_asin) AS asin, coalesce(p.item.sku, f.first_sku) AS sku,
       coalesce(p.item.name, f.first_product_name) AS product_name,
       f.odr_defect_type AS defect, f.negative_feedback_date, f.claim_date, f.claim_reason_code,
       f.chargeback_date, f.chargeback_reason_code, f.cancel_reason_code,
       f.expected_ship_ts, f.first_confirm_ts AS ship_confirm_ts, f.carrier, f.shipping_service, f.tracking_id,
       f.ship_state
FROM order_facts AS f
LEFT JOIN picked AS p USING (order_id)
WHERE f.order_id IN (SELECT order_id FROM ev)
ORDER BY f.purchase_date, f.order_id
