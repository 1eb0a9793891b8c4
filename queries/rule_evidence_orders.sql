-- rule_evidence_orders: the order details written to evidence.csv for one finding (sellerdx.poa).
-- Inputs: order_facts, metric_orders.
-- Parameters: $order_ids VARCHAR[] (the finding's orders), $family VARCHAR (the metric family of
--   metric_orders, e.g. 'lsr', 'odr_mfn': gives the defect label).
-- Output: order_id, purchase_date DATE, channel, asin (first item), sku (first item), defect_type
--   (metric_orders.defect of the family, else the order's ODR defect type).
SELECT f.order_id, f.purchase_date, f.channel, f.first_asin AS asin, f.first_sku AS sku,
       coalesce(m.defect, f.odr_defect_type) AS defect_type
FROM order_facts AS f
LEFT JOIN metric_orders AS m ON m.order_id = f.order_id AND m.family = $family
WHERE f.order_id IN (SELECT unnest(CAST($order_ids AS VARCHAR[])))   -- a hash semi-join, not a list scan per row
ORDER BY f.purchase_date, f.order_id
