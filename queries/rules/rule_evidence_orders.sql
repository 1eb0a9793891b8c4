-- rule_evidence_orders: the order details written to evidence.csv for one finding (sellerdx.poa).
-- Inputs: order_facts, metric_orders, orders (the items).
-- Parameters: $order_ids VARCHAR[] (the finding's orders), $family VARCHAR (the metric family of
--   metric_orders, e.g. 'lsr', 'odr_mfn': gives the defect label), $asins VARCHAR[] and $skus VARCHAR[]
--   (the ASINs / SKUs the finding is about, Finding.entities; [] when it is about none).
-- Item columns: the order's items of the finding's ASINs / SKUs (several joined with ' '); when the
--   finding names no item, or the order holds none of them, the order's first item.
-- Output: order_id, purchase_date DATE, channel, asin, sku, defect_type
--   (metric_orders.defect of the family, else the order's ODR defect type).
WITH ev AS (
    SELECT DISTINCT unnest(CAST($order_ids AS VARCHAR[])) AS order_id
),
items AS (
    SELECT o.order_id, o.asin, o.sku,
           coalesce(list_contains(CAST($asins AS VARCHAR[]), o.asin), false)
             OR coalesce(list_contains(CAST($skus AS VARCHAR[]), o.sku), false) AS of_finding
    FROM orders AS o
    WHERE o.order_id IN (SELECT order_id FROM ev)   -- a hash semi-join, not a list scan per row
),
finding_items AS (
    SELECT order_id,
           string_agg(DISTINCT asin, ' ' ORDER BY asin) AS asin,
           string_agg(DISTINCT sku, ' ' ORDER BY sku) AS sku
    FROM items
    WHERE of_finding
    GROUP BY order_id
)
SELECT f.order_id, f.purchase_date, f.channel,
       CASE WHEN fi.order_id IS NOT NULL THEN fi.asin ELSE f.first_asin END AS asin,
       CASE WHEN fi.order_id IS NOT NULL THEN fi.sku ELSE f.first_sku END AS sku,
       coalesce(m.defect, f.odr_defect_type) AS defect_type
FROM order_facts AS f
LEFT JOIN metric_orders AS m ON m.order_id = f.order_id AND m.family = $family
LEFT JOIN finding_items AS fi ON fi.order_id = f.order_id
WHERE f.order_id IN (SELECT order_id FROM ev)
ORDER BY f.purchase_date, f.order_id
