-- rule_late_shipping_service: late shipments by shipping service (evidence for
-- late_shipment.shipping_service, src/sellerdx/data/rules/late_shipment.toml).
-- Inputs: metric_orders, order_facts.
-- Parameters: $family VARCHAR ('lsr'), $window_start DATE, $window_end DATE.
-- The service is order_facts.shipping_service (the shipments file's, else the order's ship-service-level);
-- an order without one is in the group '(none)'.
-- Output (the shape shared by rule_*.sql): entity_kind ('shipping_services'), entity, group_orders,
--   group_defects, rest_orders, rest_defects, metric_defects, order_ids VARCHAR[].
WITH pop AS (
    SELECT f.*, m.is_defect, coalesce(nullif(trim(f.shipping_service), ''), '(none)') AS service
    FROM metric_orders AS m JOIN order_facts AS f USING (order_id)
    WHERE m.family = $family
      AND m.purchase_date BETWEEN CAST($window_start AS DATE) AND CAST($window_end AS DATE)
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects FROM pop
)
SELECT 'shipping_services' AS entity_kind, p.service AS entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE p.is_defect) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_defects) - count(*) FILTER (WHERE p.is_defect) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(p.order_id ORDER BY p.order_id) FILTER (WHERE p.is_defect) AS order_ids
FROM pop AS p CROSS JOIN tot AS t
GROUP BY p.service
HAVING count(*) FILTER (WHERE p.is_defect) > 0
ORDER BY group_defects DESC, entity
