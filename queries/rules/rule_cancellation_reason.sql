-- rule_cancellation_reason: seller cancellations of given reasons, per SKU (evidence for the
-- cancellation.stockout and cancellation.pricing_error rules, src/sellerdx/data/rules/cancellation.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window),
--   metric_window_items (their SKUs, ASINs and product names, sellerdx.metrics.window_items), cancellations.
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('pfcr'), $window_start DATE, $window_end DATE,
--   $reason_codes VARCHAR[]  cancellation reason codes of the pattern (e.g. ['no_inventory'])
-- A pattern order is a counted cancellation (the metric's defect) whose first counting cancellation has one
-- of the reason codes. It is attributed to the SKU named on its cancellation row, else to the order's SKUs.
-- Output (one row per SKU with at least one pattern order; the shape every rule_*.sql shares):
--   entity_kind ('skus'), entity, group_orders (window orders holding the SKU), group_defects (pattern
--   orders of the SKU), rest_orders, rest_defects (pattern orders elsewhere), metric_defects (all the
--   metric's defects in the window), order_ids VARCHAR[] (the group's pattern orders),
--   ent_asins VARCHAR[], ent_products VARCHAR[] (the SKU's ASINs and product names)
WITH pop AS NOT MATERIALIZED (   -- each use reads only the columns it needs
    SELECT * FROM metric_window   -- the family's orders of the window, with is_defect
),
pat AS (
    SELECT order_id FROM pop
    WHERE is_defect AND list_contains(CAST($reason_codes AS VARCHAR[]), cancel_reason_code)
),
items AS (
    SELECT DISTINCT o.order_id, o.sku, o.asin, o.product_name
    FROM metric_window_items AS o
    WHERE o.sku IS NOT NULL
),
cancel_skus AS (
    SELECT DISTINCT c.order_id, c.sku AS entity
    FROM cancellations AS c JOIN pat USING (order_id)
    WHERE c.sku IS NOT NULL AND list_contains(CAST($reason_codes AS VARCHAR[]), c.reason_code)
),
pat_ent AS (
    SELECT order_id, entity FROM cancel_skus
    UNION
    SELECT i.order_id, i.sku FROM items AS i JOIN pat USING (order_id)
    WHERE i.order_id NOT IN (SELECT order_id FROM cancel_skus)
),
memb AS (
    SELECT order_id, sku AS entity FROM items
    UNION
    SELECT order_id, entity FROM pat_ent
),
tot AS (
    SELECT count(*) AS n_orders,
           count(*) FILTER (WHERE is_defect) AS n_metric_defects,
           (SELECT count(*) FROM pat) AS n_pattern
    FROM pop
)
SELECT 'skus' AS entity_kind, mb.entity,
       count(DISTINCT mb.order_id) AS group_orders,
       count(DISTINCT pe.order_id) AS group_defects,
       any_value(t.n_orders) - count(DISTINCT mb.order_id) AS rest_orders,
       any_value(t.n_pattern) - count(DISTINCT pe.order_id) AS rest_defects,
       any_value(t.n_metric_defects) AS metric_defects,
       list(DISTINCT pe.order_id ORDER BY pe.order_id) FILTER (WHERE pe.order_id IS NOT NULL) AS order_ids,
       (SELECT list(DISTINCT i.asin ORDER BY i.asin) FROM items AS i
         WHERE i.sku = mb.entity AND i.asin IS NOT NULL) AS ent_asins,
       (SELECT list(DISTINCT i.product_name ORDER BY i.product_name)[1:1] FROM items AS i
         WHERE i.sku = mb.entity AND i.product_name IS NOT NULL) AS ent_products
FROM memb AS mb
LEFT JOIN pat_ent AS pe ON pe.order_id = mb.order_id AND pe.entity = mb.entity
CROSS JOIN tot AS t
GROUP BY mb.entity
HAVING count(DISTINCT pe.order_id) > 0
ORDER BY group_defects DESC, mb.entity
