-- metric_window_groups: the orders of metric_window counted by every attribute the rules group them by, in
-- one pass, so the rules' evidence queries (queries/rules/rule_group_concentration.sql,
-- rule_claims_reason.sql) read these counts and the window's defect orders instead of grouping the whole
-- window again per rule. Built once per window by sellerdx.metrics.window_groups (kept as
-- metric_window_groups_<n> beside metric_window_<n>; the view metric_window_groups shows the current one).
-- One pass: the window's orders are counted per combination of the grouped values (a few thousand cells
-- at most), then each grouping sums the cells.
-- __COLUMNS__ and __GROUPS__ are not parameters: sellerdx.metrics.window_groups replaces them, for each
-- grouping the window's rules read (a [group.<by>] of src/sellerdx/data/rules/_settings.toml, or one an
-- evidence query names, sellerdx.diagnose.rules.QUERY_GROUPINGS), with
-- `, nullif(trim(CAST(w.<col> AS VARCHAR)), '') AS g_<by>` and `, {'grouping': '<by>', 'value': c.g_<by>}`,
-- the column taken from the whitelist of src/sellerdx/data/breakdowns.toml (checked to be m.<col> /
-- f.<col>, written w.<col>; never user text).
-- Inputs: metric_window (queries/metrics/metric_window.sql, built by sellerdx.metrics.use_window).
-- Parameters: none.
-- Output: temp table metric_window_groups(grouping VARCHAR ('_all': the whole window, one row with value
--   NULL; '_mfn_no_tracking': value 'yes' for the MFN orders without any tracking id, NULL for the others;
--   else a grouping name, <by>), value VARCHAR (NULL: empty or blank), orders BIGINT (rows of
--   metric_window), defects BIGINT (of them is_defect), defect_ids VARCHAR[] (the defects' order ids,
--   sorted; [] without), missing_ids BIGINT (defects without any tracking id), undelivered BIGINT (defects
--   with a shipment never delivered), zones VARCHAR[] (the distinct purchase_zone of the group's orders,
--   sorted))
CREATE OR REPLACE TEMP TABLE metric_window_groups AS
WITH cube AS (   -- the only read of the window: one row per combination of the grouped values
    SELECT w.purchase_zone, w.tracking_id IS NULL AND w.channel = 'MFN' AS mfn_no_tracking __COLUMNS__,
           count(*) AS orders,
           count(*) FILTER (WHERE w.is_defect) AS defects,
           list(w.order_id) FILTER (WHERE w.is_defect) AS defect_ids,
           count(*) FILTER (WHERE w.is_defect AND w.tracking_id IS NULL) AS missing_ids,
           count(*) FILTER (WHERE w.is_defect AND w.has_undelivered) AS undelivered
    FROM metric_window AS w
    GROUP BY ALL
),
cells AS (
    SELECT c.*,
           unnest([{'grouping': '_all', 'value': CAST(NULL AS VARCHAR)},
                   {'grouping': '_mfn_no_tracking', 'value': CASE WHEN c.mfn_no_tracking THEN 'yes' END}
                   __GROUPS__]) AS g
    FROM cube AS c
)
SELECT g.grouping AS grouping, g.value AS value,
       CAST(sum(orders) AS BIGINT) AS orders,
       CAST(sum(defects) AS BIGINT) AS defects,
       coalesce(list_sort(flatten(list(defect_ids) FILTER (WHERE defect_ids IS NOT NULL))),
                CAST([] AS VARCHAR[])) AS defect_ids,
       CAST(sum(missing_ids) AS BIGINT) AS missing_ids,
       CAST(sum(undelivered) AS BIGINT) AS undelivered,
       coalesce(list(DISTINCT purchase_zone ORDER BY purchase_zone) FILTER (WHERE purchase_zone IS NOT NULL),
                CAST([] AS VARCHAR[])) AS zones
FROM cells
GROUP BY g.grouping, g.value
