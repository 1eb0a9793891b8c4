-- evidence_orders: the evidence orders of one finding, one row per order — the only query that decides
--   which item an evidence row names, read by every output (report tables, evidence.csv, POA annex).
-- Inputs: order_facts (queries/metrics/order_facts.sql; built by sellerdx.metrics.prepare), metric_orders,
--   orders (the items).
-- Parameters:
--   $order_ids VARCHAR[]  the finding's order ids (Finding.order_ids)
--   $family    VARCHAR    the metric family of metric_orders (e.g. 'lsr', 'odr_mfn'): gives the defect label
--   $asins     VARCHAR[]  the ASINs the finding is about (Finding.entities["asins"]; [] when none)
--   $skus      VARCHAR[]  the SKUs the finding is about (Finding.entities["skus"]; [] when none)
-- Item columns (asin, sku, product_name): the order's items of the finding's ASINs / SKUs (several joined
--   with ' ' in ASIN order); when the finding names no item, or the order holds none of them, the order's
--   first item (lowest source line).
-- Output columns (the report keeps those listed for the metric family in data/definitions.toml
-- [evidence_columns] and drops columns that are empty for every row; evidence.csv keeps its own list):
--   order_id, purchase_date, weekday, channel, asin, sku, product_name, defect, defect_type,
--   negative_feedback_date, claim_date, claim_reason_code, chargeback_date, chargeback_reason_code,
--   cancel_reason_code, expected_ship_ts, ship_confirm_ts, carrier, shipping_service, tracking_id,
--   ship_state
WITH ev AS (
    SELECT DISTINCT unnest(CAST($order_ids AS VARCHAR[])) AS order_id
),
items AS (
    SELECT o.order_id, o.asin, o.sku, o.product_name, o.source_line,
           coalesce(list_contains(CAST($asins AS VARCHAR[]), o.asin), false)
             OR coalesce(list_contains(CAST($skus AS VARCHAR[]), o.sku), false) AS of_finding
    FROM orders AS o
    WHERE o.order_id IN (SELECT order_id FROM ev)   -- a hash semi-join, not a list scan per row
),
finding_items AS (
    SELECT order_id,
           string_agg(DISTINCT asin, ' ' ORDER BY asin) AS asin,
           string_agg(DISTINCT sku, ' ' ORDER BY sku) AS sku,
           string_agg(DISTINCT product_name, ' / ' ORDER BY product_name) AS product_name
    FROM items
    WHERE of_finding
    GROUP BY order_id
)
SELECT f.order_id, f.purchase_date, f.purchase_weekday AS weekday, f.channel,
       CASE WHEN fi.order_id IS NOT NULL THEN fi.asin ELSE f.first_asin END AS asin,
       CASE WHEN fi.order_id IS NOT NULL THEN fi.sku ELSE f.first_sku END AS sku,
       CASE WHEN fi.order_id IS NOT NULL THEN fi.product_name ELSE f.first_product_name END AS product_name,
       f.odr_defect_type AS defect,
       coalesce(m.defect, f.odr_defect_type) AS defect_type,
       f.negative_feedback_date, f.claim_date, f.claim_reason_code,
       f.chargeback_date, f.chargeback_reason_code, f.cancel_reason_code,
       f.expected_ship_ts, f.first_confirm_ts AS ship_confirm_ts, f.carrier, f.shipping_service, f.tracking_id,
       f.ship_state
FROM order_facts AS f
LEFT JOIN metric_orders AS m ON m.order_id = f.order_id AND m.family = $family
LEFT JOIN finding_items AS fi ON fi.order_id = f.order_id
WHERE f.order_id IN (SELECT order_id FROM ev)
ORDER BY f.purchase_date, f.order_id
