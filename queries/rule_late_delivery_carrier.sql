-- rule_late_delivery_carrier: deliveries after the promised date by carrier (evidence for
-- delivery.carrier_delay, src/sellerdx/data/rules/tracking.toml).
-- Inputs: metric_orders, order_facts.
-- Parameters: $family VARCHAR ('otdr'), $window_start DATE, $window_end DATE.
-- Output (the shape shared by rule_*.sql): entity_kind ('carriers'), entity, group_orders, group_defects
--   (delivered late), rest_orders, rest_defects, metric_defects, order_ids VARCHAR[].
WITH pop AS (
    SELECT f.*, m.is_defect, coalesce(nullif(trim(f.carrier), ''), '(blank)') AS carrier_group
    FROM metric_orders AS m JOIN order_facts AS f USING (order_id)
    WHERE m.family = $family
      AND m.purchase_date BETWEEN CAST($window_start AS DATE) AND CAST($window_end AS DATE)
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects FROM pop
)
SELECT 'carriers' AS entity_kind, p.carrier_group AS entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE p.is_defect) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_defects) - count(*) FILTER (WHERE p.is_defect) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(p.order_id ORDER BY p.order_id) FILTER (WHERE p.is_defect) AS order_ids
FROM pop AS p CROSS JOIN tot AS t
GROUP BY p.carrier_group
HAVING count(*) FILTER (WHERE p.is_defect) > 0
ORDER BY group_defects DESC, entity
