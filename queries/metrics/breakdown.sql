-- breakdown: one metric's window split by one attribute, biggest contributor first.
-- The grouping expression __BY__ is not a parameter: metrics.py replaces it with a column taken from the
-- whitelist in src/sellerdx/data/breakdowns.toml (never from user text), checked to be m.<col>
-- (metric_orders) or f.<col> (order_facts) and written w.<col>: metric_window holds both under their names.
-- Inputs: metric_window (queries/metric_window.sql: the metric family's orders of the window, built by
--   sellerdx.metrics.use_window).
-- Parameters:
--   $defects_only BOOLEAN  group only the bad outcomes (for attributes that only defects have, such as the
--                          defect type or claim reason); the denominator is then the whole window's
-- Counts are sums of metric_window's weights: orders, units for the unit-based OTDR (otdr_units).
-- Output columns: value (the attribute, '(none)' when empty), count (bad outcomes in the group),
--   denominator (orders in the group, or the window's orders when $defects_only), rate (count /
--   denominator), share (count / all bad outcomes in the window; NULL when there are none)
WITH members AS (
    SELECT w.order_id, w.is_defect, w.weight, w.bad_weight, CAST(__BY__ AS VARCHAR) AS value
    FROM metric_window AS w
),
totals AS (
    SELECT sum(weight) AS orders, sum(bad_weight) AS defects FROM members
),
grouped AS (
    SELECT coalesce(nullif(trim(value), ''), '(none)') AS value,
           CAST(sum(bad_weight) AS BIGINT) AS count,
           CAST(sum(weight) AS BIGINT) AS orders
    FROM members
    WHERE is_defect OR NOT $defects_only
    GROUP BY 1
)
SELECT g.value, g.count,
       CAST(CASE WHEN $defects_only THEN t.orders ELSE g.orders END AS BIGINT) AS denominator,
       g.count / nullif(CASE WHEN $defects_only THEN t.orders ELSE g.orders END, 0) AS rate,
       g.count / nullif(t.defects, 0) AS share
FROM grouped AS g CROSS JOIN totals AS t
ORDER BY g.count DESC, denominator DESC, g.value
