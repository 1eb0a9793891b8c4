-- breakdown_items: one metric's window split by an attribute of the order's items (ASIN, SKU), biggest
-- contributor first. Every order counts in the denominator of each value its items have (an order holding
-- a vase and a yoga mat is in both groups' orders); its bad outcome counts only under the items it
-- concerns (metric_window_items.concerns: the cancelled SKU, the late parcel's item ...), and under every
-- item of the order only where the data cannot tell (feedback, claims): then the groups overlap and the
-- counts can sum to more than the window's defects. Shares are over the window's distinct defect orders.
-- The grouping expression __BY__ is not a parameter: metrics.py replaces it with an i.<col> column of
-- metric_window_items taken from the whitelist in src/sellerdx/data/breakdowns.toml (never user text).
-- Inputs: metric_window, metric_window_items (queries/metric_window.sql, queries/metric_window_items.sql:
--   built by sellerdx.metrics.use_window and window_items).
-- Parameters:
--   $defects_only BOOLEAN  group only the bad outcomes; the denominator is then the whole window's
-- Output columns: value (the attribute, '(none)' when empty), count (defect orders whose defect concerns
--   it), denominator (orders holding it, or the window's orders when $defects_only), rate (count /
--   denominator), share (count / the window's distinct defect orders; NULL when there are none),
--   defect_orders VARCHAR[] (the group's defect orders, for the cumulative share over distinct orders),
--   unattributed (of the group's defect orders, those whose defect names no item: counted under each item),
--   window_defects (the window's distinct defect orders)
WITH members AS (   -- each order once per value of its items (one grouping of the window's items)
    SELECT coalesce(nullif(trim(CAST(__BY__ AS VARCHAR)), ''), '(none)') AS value, i.order_id,
           bool_or(i.concerns) AS concerns, bool_or(i.concerns AND NOT i.attributed) AS unattributed
    FROM metric_window_items AS i
    WHERE i.concerns OR NOT $defects_only
    GROUP BY 1, 2
),
totals AS (
    SELECT count(DISTINCT order_id) AS orders,
           count(DISTINCT order_id) FILTER (WHERE is_defect) AS defects
    FROM metric_window
),
grouped AS (
    SELECT value,
           count(*) FILTER (WHERE concerns) AS count,
           count(*) AS orders,
           list(order_id ORDER BY order_id) FILTER (WHERE concerns) AS defect_orders,
           count(*) FILTER (WHERE unattributed) AS unattributed
    FROM members
    GROUP BY 1
)
SELECT g.value, g.count,
       CASE WHEN $defects_only THEN t.orders ELSE g.orders END AS denominator,
       g.count / nullif(CASE WHEN $defects_only THEN t.orders ELSE g.orders END, 0) AS rate,
       g.count / nullif(t.defects, 0) AS share,
       coalesce(g.defect_orders, []) AS defect_orders,
       g.unattributed, t.defects AS window_defects
FROM grouped AS g CROSS JOIN totals AS t
ORDER BY g.count DESC, denominator DESC, g.value
