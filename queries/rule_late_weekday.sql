-- rule_late_weekday: late shipments by the UTC weekday of purchase (evidence for
-- late_shipment.weekend_backlog, src/sellerdx/data/rules/late_shipment.toml).
-- Inputs: metric_orders, order_facts.
-- Parameters: $family VARCHAR ('lsr'), $window_start DATE, $window_end DATE,
--   $weekdays VARCHAR[]  the weekdays that may form the group (English day names, e.g. Friday..Sunday)
-- Pattern: the metric's defect (a late shipment). Every order is in the group of its purchase weekday.
-- Output (the shape shared by rule_*.sql): entity_kind ('weekdays'), entity, group_orders, group_defects,
--   rest_orders, rest_defects, metric_defects, order_ids VARCHAR[]; rows only for $weekdays with a late order.
WITH pop AS (
    SELECT f.*, m.is_defect
    FROM metric_orders AS m JOIN order_facts AS f USING (order_id)
    WHERE m.family = $family
      AND m.purchase_date BETWEEN CAST($window_start AS DATE) AND CAST($window_end AS DATE)
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects FROM pop
)
SELECT 'weekdays' AS entity_kind, p.purchase_weekday AS entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE p.is_defect) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_defects) - count(*) FILTER (WHERE p.is_defect) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(p.order_id ORDER BY p.order_id) FILTER (WHERE p.is_defect) AS order_ids
FROM pop AS p CROSS JOIN tot AS t
WHERE list_contains(CAST($weekdays AS VARCHAR[]), p.purchase_weekday)
GROUP BY p.purchase_weekday
HAVING count(*) FILTER (WHERE p.is_defect) > 0
ORDER BY group_defects DESC, entity
