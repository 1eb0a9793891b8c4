-- rule_feedback_removable: counting negative feedback that Amazon's policy removes or strikes through,
-- per removal reason (evidence for feedback.removable, src/sellerdx/data/rules/feedback.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window),
--   removable_orders(order_id, reason_code) (built by sellerdx.diagnose
--   from sellerdx.metrics.removable_feedback: feedback still inside the removal period).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('odr_mfn' | 'odr_afn' | 'odr_all'), $window_start DATE, $window_end DATE.
-- Each group is the whole window (rest_orders 0: no lift), one per removal reason.
-- Output (the shape shared by rule_*.sql): entity_kind ('reasons'), entity (reason code), group_orders,
--   group_defects, rest_orders, rest_defects, metric_defects, order_ids VARCHAR[],
--   sum_sole_defects (of them, orders whose only ODR defect is the feedback: removing it removes the defect).
WITH pop AS NOT MATERIALIZED (   -- each use reads only the columns it needs
    SELECT * FROM metric_window   -- the family's orders of the window, with is_defect
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects FROM pop
),
rem AS (
    SELECT r.order_id, min(r.reason_code) AS reason_code FROM removable_orders AS r GROUP BY r.order_id
)
SELECT 'reasons' AS entity_kind, r.reason_code AS entity,
       any_value(t.n_orders) AS group_orders,
       count(*) AS group_defects,
       0 AS rest_orders, 0 AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(p.order_id ORDER BY p.order_id) AS order_ids,
       count(*) FILTER (WHERE NOT p.has_counting_claim AND NOT p.has_counting_chargeback) AS sum_sole_defects
FROM pop AS p JOIN rem AS r USING (order_id) CROSS JOIN tot AS t
WHERE p.is_defect AND p.has_negative_feedback
GROUP BY r.reason_code
ORDER BY group_defects DESC, entity
