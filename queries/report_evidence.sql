-- report_evidence: the evidence orders of one finding, one row per order, for the HTML report's tables.
-- Inputs: order_facts (queries/order_facts.sql; built by sellerdx.metrics.prepare).
-- Parameters:
--   $order_ids VARCHAR[]  the finding's order ids (Finding.order_ids)
-- Output columns (the report keeps those listed for the metric family in data/definitions.toml
-- [evidence_columns] and drops columns that are empty for every row):
--   order_id, purchase_date, weekday, channel, asin, sku, product_name, defect,
--   negative_feedback_date, claim_date, claim_reason_code, chargeback_date, chargeback_reason_code,
--   cancel_reason_code, expected_ship_ts, ship_confirm_ts, carrier, shipping_service, tracking_id,
--   ship_state
SELECT order_id, purchase_date, purchase_weekday AS weekday, channel,
       first_asin AS asin, first_sku AS sku, first_product_name AS product_name,
       odr_defect_type AS defect, negative_feedback_date, claim_date, claim_reason_code,
       chargeback_date, chargeback_reason_code, cancel_reason_code,
       expected_ship_ts, first_confirm_ts AS ship_confirm_ts, carrier, shipping_service, tracking_id,
       ship_state
FROM order_facts
WHERE order_id IN (SELECT unnest(CAST($order_ids AS VARCHAR[])))   -- a hash semi-join, not a list scan per row
ORDER BY purchase_date, order_id
