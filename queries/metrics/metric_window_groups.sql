-- metric_window_groups: the orders of metric_window counted by every attribute the rules group them by, in
-- one pass, so the rules' evidence queries (queries/rules/rule_group_concentration.sql,
-- rule_claims_reason.sql) read these counts and the window's defect orders instead of grouping the whole
-- window again per rule. Built once per window by sellerdx.metrics.window_groups (kept as
-- metric_window_groups_<n> beside metric_window_<n>; the view metric_window_groups shows the current one).
-- __GROUPS__ is not a parameter: sellerdx.metrics.window_groups replaces it with one struct
-- {'grouping': '<by>', 'value': <the trimmed value, NULL when empty>} per grouping of
-- [group.<by>] in src/sellerdx/data/rules/_settings.toml (plus carrier and shipping_service, which
-- rule_claims_reason.sql reads), the column taken from the whitelist of src/sellerdx/data/breakdowns.toml
-- (checked to be m.<col> / f.<col>, written w.<col>; never user text).
-- Inputs: metric_window (queries/metrics/metric_window.sql, built by sellerdx.metrics.use_window).
-- Parameters: none.
-- Output: temp table metric_window_groups(grouping VARCHAR ('_all': the whole window, one row with value
--   NULL; '_mfn_no_tracking': value 'yes' for the MFN orders without any tracking id, NULL for the others;
--   else a [group.<by>] name), value VARCHAR (NULL: empty or blank), orders BIGINT (rows of
--   metric_window), defects BIGINT (of them is_defect), defect_ids VARCHAR[] (the defects' order ids,
--   sorted; [] without), missing_ids BIGINT (defects without any tracking id), undelivered BIGINT (defects
--   with a shipment never delivered), zones VARCHAR[] (the distinct purchase_zone of the group's orders,
--   sorted))
CREATE OR REPLACE TEMP TABLE metric_window_groups AS
WITH cells AS (
    SELECT w.order_id, w.is_defect, w.tracking_id IS NULL AS no_tracking_id, w.has_undelivered, w.purchase_zone,
           unnest([{'grouping': '_all', 'value': CAST(NULL AS VARCHAR)},
                   {'grouping': '_mfn_no_tracking',
                    'value': CASE WHEN w.tracking_id IS NULL AND w.channel = 'MFN' THEN 'yes' END},
                   __GROUPS__]) AS g
    FROM metric_window AS w
)
SELECT g.grouping AS grouping, g.value AS value,
       count(*) AS orders,
       count(*) FILTER (WHERE is_defect) AS defects,
       coalesce(list(order_id ORDER BY order_id) FILTER (WHERE is_defect), CAST([] AS VARCHAR[])) AS defect_ids,
       count(*) FILTER (WHERE is_defect AND no_tracking_id) AS missing_ids,
       count(*) FILTER (WHERE is_defect AND has_undelivered) AS undelivered,
       coalesce(list(DISTINCT purchase_zone ORDER BY purchase_zone) FILTER (WHERE purchase_zone IS NOT NULL),
                CAST([] AS VARCHAR[])) AS zones
FROM cells
GROUP BY g.grouping, g.value
