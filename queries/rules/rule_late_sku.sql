-- rule_late_sku: late shipments by SKU, with the handling time Amazon expected and the time the seller
-- took (evidence for late_shipment.handling_time, src/sellerdx/data/rules/late_shipment.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window),
--   metric_window_items (their SKUs, ASINs and product names, sellerdx.metrics.window_items).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('lsr'), $window_start DATE, $window_end DATE.
-- An order is in the group of every SKU it holds; its late shipment counts under the SKU of the late
-- shipment row (metric_window_items.concerns), under every SKU of the order only when the row names none.
-- Output (the shape shared by rule_*.sql): entity_kind ('skus'), entity, group_orders, group_defects,
--   rest_orders, rest_defects, metric_defects, order_ids VARCHAR[], ent_asins VARCHAR[],
--   ent_products VARCHAR[], top_allowed_days (median days from purchase to the expected ship date over
--   the SKU's orders), top_taken_days (median days from purchase to confirmation over its late orders).
WITH pop AS NOT MATERIALIZED (   -- each use reads only the columns it needs
    SELECT * FROM metric_window   -- the family's orders of the window, with is_defect
),
items AS (
    SELECT DISTINCT o.order_id, o.sku, o.asin, o.product_name, o.concerns
    FROM metric_window_items AS o
    WHERE o.sku IS NOT NULL
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects FROM pop
),
memb AS (   -- is_defect: the order's late shipment concerns this SKU (metric_window_items.concerns)
    SELECT i.entity, i.order_id, i.is_defect, p.purchase_ts, p.expected_ship_ts, p.first_confirm_ts
    FROM (SELECT sku AS entity, order_id, bool_or(concerns) AS is_defect FROM items GROUP BY 1, 2) AS i
    JOIN pop AS p USING (order_id)
)
SELECT 'skus' AS entity_kind, mb.entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE mb.is_defect) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_defects) - count(*) FILTER (WHERE mb.is_defect) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(mb.order_id ORDER BY mb.order_id) FILTER (WHERE mb.is_defect) AS order_ids,
       (SELECT list(DISTINCT i.asin ORDER BY i.asin) FROM items AS i
         WHERE i.sku = mb.entity AND i.asin IS NOT NULL) AS ent_asins,
       (SELECT list(DISTINCT i.product_name ORDER BY i.product_name)[1:1] FROM items AS i
         WHERE i.sku = mb.entity AND i.product_name IS NOT NULL) AS ent_products,
       round(median(date_diff('minute', mb.purchase_ts, mb.expected_ship_ts)) / 1440.0, 1) AS top_allowed_days,
       round(median(date_diff('minute', mb.purchase_ts, mb.first_confirm_ts)) FILTER (WHERE mb.is_defect)
             / 1440.0, 1) AS top_taken_days
FROM memb AS mb CROSS JOIN tot AS t
GROUP BY mb.entity
HAVING count(*) FILTER (WHERE mb.is_defect) > 0
ORDER BY group_defects DESC, entity
