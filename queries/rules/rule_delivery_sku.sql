-- rule_delivery_sku: late or lost deliveries of orders shipped on time, by SKU (evidence for delivery.sku,
-- src/sellerdx/data/rules/delivery.toml; a delivery late because the shipment was late is the Late
-- Shipment Rate's cause, order_facts.is_late): a late parcel counts under the SKU it carries
-- (metric_window_items.concerns: the shipment row's SKU / ASIN), under every SKU of its order only when the
-- row names none.
-- Inputs: metric_window (the orders of the rule's metric family and window, with is_defect; built by
--   sellerdx.metrics.use_window), metric_window_items (their items, sellerdx.metrics.window_items).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('otdr' or 'otdr_units'), $window_start DATE, $window_end DATE.
-- Output (the shape shared by rule_*.sql): entity_kind ('skus'), entity, group_orders (window orders
--   holding the SKU), group_defects (those shipped on time whose late delivery concerns it), rest_orders,
--   rest_defects (such orders elsewhere),
--   metric_defects, order_ids VARCHAR[], ent_asins VARCHAR[], ent_products VARCHAR[]
WITH pop AS (   -- pattern: late or lost although shipped on time (late shipments are the LSR's causes)
    SELECT order_id, bool_or(is_defect) AS is_defect, bool_or(is_defect AND NOT is_late) AS is_pattern
    FROM metric_window GROUP BY order_id
),
items AS (
    SELECT order_id, sku, asin, product_name, concerns FROM metric_window_items WHERE sku IS NOT NULL
),
memb AS (
    SELECT i.sku AS entity, i.order_id, bool_or(i.concerns) AND any_value(pop.is_pattern) AS is_defect
    FROM items AS i JOIN pop USING (order_id)
    GROUP BY 1, 2
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects,
           count(*) FILTER (WHERE is_pattern) AS n_pattern
    FROM pop
)
SELECT 'skus' AS entity_kind, mb.entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE mb.is_defect) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_pattern) - count(*) FILTER (WHERE mb.is_defect) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(mb.order_id ORDER BY mb.order_id) FILTER (WHERE mb.is_defect) AS order_ids,
       (SELECT list(DISTINCT i.asin ORDER BY i.asin) FROM items AS i
         WHERE i.sku = mb.entity AND i.asin IS NOT NULL) AS ent_asins,
       (SELECT list(DISTINCT i.product_name ORDER BY i.product_name)[1:1] FROM items AS i
         WHERE i.sku = mb.entity AND i.product_name IS NOT NULL) AS ent_products
FROM memb AS mb CROSS JOIN tot AS t
GROUP BY mb.entity
HAVING count(*) FILTER (WHERE mb.is_defect) > 0
ORDER BY group_defects DESC, entity
