-- evidence_orders: the evidence orders of every finding, one row per (finding, order) — the only query that
--   decides which item an evidence row names, read by every output (report tables, evidence.csv, POA
--   annex). One query for all findings (sellerdx.metrics.evidence_for), not one per finding.
-- Inputs: order_facts (queries/metrics/order_facts.sql; built by sellerdx.metrics.prepare), metric_orders,
--   orders (the items).
-- Parameters:
--   $findings  STRUCT(code VARCHAR, family VARCHAR, order_ids VARCHAR[], asins VARCHAR[], skus VARCHAR[])[]
--              one entry per finding: its code, the metric family of metric_orders (e.g. 'lsr', 'odr_mfn':
--              gives the defect label), its order ids (Finding.order_ids), the ASINs and SKUs it is about
--              (Finding.entities["asins"] / ["skus"]; [] when none)
-- Item columns (asin, sku, product_name): the order's items of the finding's ASINs / SKUs (several joined
--   with ' ' in ASIN order); when the finding names no item, or the order holds none of them, the order's
--   first item (lowest source line).
-- Output columns (the report keeps those listed for the metric family in data/definitions.toml
-- [evidence_columns] and drops columns that are empty for every row; evidence.csv keeps its own list):
--   finding (the finding's code), order_id, purchase_date, weekday, channel, asin, sku, product_name, defect,
--   defect_type, negative_feedback_date, claim_date, claim_reason_code, chargeback_date,
--   chargeback_reason_code, cancel_reason_code, expected_ship_ts, ship_confirm_ts, carrier, shipping_service,
--   tracking_id, ship_state; ordered by finding, purchase_date, order_id
WITH fin AS (
    SELECT unnest(CAST($findings AS STRUCT(code VARCHAR, family VARCHAR, order_ids VARCHAR[], asins VARCHAR[],
                                           skus VARCHAR[])[])) AS fd
),
ev AS (
    SELECT DISTINCT code, family, asins, skus, order_id
    FROM (SELECT fd.code AS code, fd.family AS family, fd.asins AS asins, fd.skus AS skus,
                 unnest(fd.order_ids) AS order_id
          FROM fin)
),
items AS (
    SELECT ev.code, o.order_id, o.asin, o.sku, o.product_name
    FROM orders AS o
    JOIN ev ON ev.order_id = o.order_id   -- a hash join on the evidence orders, not a list scan per row
    WHERE coalesce(list_contains(ev.asins, o.asin), false) OR coalesce(list_contains(ev.skus, o.sku), false)
),
finding_items AS (
    SELECT code, order_id,
           string_agg(DISTINCT asin, ' ' ORDER BY asin) AS asin,
           string_agg(DISTINCT sku, ' ' ORDER BY sku) AS sku,
           string_agg(DISTINCT product_name, ' / ' ORDER BY product_name) AS product_name
    FROM items
    GROUP BY code, order_id
)
SELECT ev.code AS finding, f.order_id, f.purchase_date, f.purchase_weekday AS weekday, f.channel,
       CASE WHEN fi.order_id IS NOT NULL THEN fi.asin ELSE f.first_asin END AS asin,
       CASE WHEN fi.order_id IS NOT NULL THEN fi.sku ELSE f.first_sku END AS sku,
       CASE WHEN fi.order_id IS NOT NULL THEN fi.product_name ELSE f.first_product_name END AS product_name,
       f.odr_defect_type AS defect,
       coalesce(m.defect, f.odr_defect_type) AS defect_type,
       f.negative_feedback_date, f.claim_date, f.claim_reason_code,
       f.chargeback_date, f.chargeback_reason_code, f.cancel_reason_code,
       f.expected_ship_ts, f.first_confirm_ts AS ship_confirm_ts, f.carrier, f.shipping_service, f.tracking_id,
       f.ship_state
FROM ev
JOIN order_facts AS f ON f.order_id = ev.order_id
LEFT JOIN metric_orders AS m ON m.order_id = ev.order_id AND m.family = ev.family
LEFT JOIN finding_items AS fi ON fi.code = ev.code AND fi.order_id = ev.order_id
ORDER BY ev.code, f.purchase_date, f.order_id
