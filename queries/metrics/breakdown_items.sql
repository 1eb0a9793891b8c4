-- breakdown_items: one metric's window split by an attribute of the order's items (ASIN, SKU), biggest
-- contributor first. An order counts once under every value its items have (an order holding a vase and
-- a yoga mat is in both groups), so the groups' counts and shares can sum to more than the window's.
-- The grouping expression __BY__ is not a parameter: metrics.py replaces it with an i.<col> column of
-- metric_window_items taken from the whitelist in src/sellerdx/data/breakdowns.toml (never user text).
-- Inputs: metric_window, metric_window_items (queries/metric_window.sql, queries/metric_window_items.sql:
--   built by sellerdx.metrics.use_window and window_items).
-- Parameters:
--   $defects_only BOOLEAN  group only the bad outcomes; the denominator is then the whole window's
-- Output columns: value (the attribute, '(none)' when empty), count (bad outcomes of orders holding it),
--   denominator (orders holding it, or the window's orders when $defects_only), rate (count /
--   denominator), share (count / all bad outcomes in the window; NULL when there are none)
WITH members AS (
    SELECT DISTINCT w.order_id, w.is_defect, coalesce(nullif(trim(CAST(__BY__ AS VARCHAR)), ''), '(none)') AS value
    FROM metric_window AS w
    LEFT JOIN metric_window_items AS i ON i.order_id = w.order_id
),
totals AS (
    SELECT count(*) AS orders, count(*) FILTER (WHERE is_defect) AS defects FROM metric_window
),
grouped AS (
    SELECT value,
           count(*) FILTER (WHERE is_defect) AS count,
           count(*) AS orders
    FROM members
    WHERE is_defect OR NOT $defects_only
    GROUP BY 1
)
SELECT g.value, g.count,
       CASE WHEN $defects_only THEN t.orders ELSE g.orders END AS denominator,
       g.count / nullif(CASE WHEN $defects_only THEN t.orders ELSE g.orders END, 0) AS rate,
       g.count / nullif(t.defects, 0) AS share
FROM grouped AS g CROSS JOIN totals AS t
ORDER BY g.count DESC, denominator DESC, g.value
