-- rule_group_concentration: the metric's bad outcomes by one attribute of the order, each order in the
-- group of its value (the generic evidence query of the rules with evidence = "group_concentration" in
-- src/sellerdx/data/rules/*.toml: late_shipment.weekend_backlog, late_shipment.shipping_service,
-- tracking.invalid, delivery.carrier_delay).
-- A read of the window's group counts: metric_window_groups holds, per grouping of [group.<by>] in
-- src/sellerdx/data/rules/_settings.toml, every value's orders, defects and defect order ids, counted
-- once per window (the column of each grouping is the [by.<name>] column of data/breakdowns.toml).
-- Inputs: metric_window_groups (queries/metrics/metric_window_groups.sql, the group counts of the rule's
--   metric family and window; built by sellerdx.metrics.window_groups after sellerdx.metrics.use_window).
-- Parameters ($family and the window choose metric_window, and so metric_window_groups):
--   $family VARCHAR (e.g. 'lsr', 'vtr', 'otdr'), $window_start DATE, $window_end DATE,
--   $asks STRUCT[]: one entry per rule of the window (one run answers every group_concentration rule of
--   the window: [batch] of src/sellerdx/data/rules/_settings.toml), each with
--     grouping VARCHAR     the rule's `by` name (a grouping of metric_window_groups)
--     entity_kind VARCHAR  the output's entity_kind ([group.<by>] in src/sellerdx/data/rules/_settings.toml)
--     blank VARCHAR        the group of the orders whose value is empty or blank (e.g. '(blank)', '(none)')
--     groups VARCHAR[]     the values that may form a group (e.g. the weekend days); [] = every value
--     measures VARCHAR[]   the optional measures to return (names below); [] = none
-- Pattern: the metric's defect (metric_orders.is_defect), so rest_defects are the defects of the other
--   groups, whether or not they may form a group.
-- Output (the shape shared by rule_*.sql, plus ask; per ask, one row per allowed group with a defect, most
--   defects first): ask (the entry's position in $asks, from 1), entity_kind, entity (the trimmed value, else $blank), group_orders, group_defects, rest_orders,
--   rest_defects, metric_defects, order_ids VARCHAR[] (the group's defects), top_zone (the time zone(s)
--   of the group's orders: local weekdays are in it, order_facts.purchase_zone),
--   measures MAP(VARCHAR, BIGINT): the entries of $measures among
--     top_missing_ids  the group's defects without any tracking id (order_facts.tracking_id is NULL)
--     sum_undelivered  the group's defects with a shipment never delivered (order_facts.has_undelivered:
--                      OTDR's lost parcels)
--   (sellerdx.diagnose spreads the map into columns of those names).
WITH asks AS (
    SELECT generate_subscripts(x, 1) AS ask, unnest(x) AS a
    FROM (SELECT CAST($asks AS STRUCT(grouping VARCHAR, entity_kind VARCHAR, blank VARCHAR, groups VARCHAR[],
                                      measures VARCHAR[])[]) AS x)
),
grp AS (   -- a value spelled like the blank label joins the blank group, as when the orders were grouped
    SELECT k.ask, coalesce(g.value, k.a.blank) AS entity,
           CAST(sum(g.orders) AS BIGINT) AS orders, CAST(sum(g.defects) AS BIGINT) AS defects,
           list_sort(flatten(list(g.defect_ids))) AS defect_ids,
           CAST(sum(g.missing_ids) AS BIGINT) AS missing_ids, CAST(sum(g.undelivered) AS BIGINT) AS undelivered,
           list_sort(list_distinct(flatten(list(g.zones)))) AS zones
    FROM asks AS k JOIN metric_window_groups AS g ON g.grouping = k.a.grouping
    GROUP BY 1, 2
),
tot AS (
    SELECT orders AS n_orders, defects AS n_defects FROM metric_window_groups WHERE grouping = '_all'
)
SELECT k.ask, k.a.entity_kind AS entity_kind, p.entity,
       p.orders AS group_orders,
       p.defects AS group_defects,
       t.n_orders - p.orders AS rest_orders,
       t.n_defects - p.defects AS rest_defects,
       t.n_defects AS metric_defects,
       p.defect_ids AS order_ids,
       CASE WHEN len(p.zones) > 0 THEN array_to_string(p.zones, ', ') END AS top_zone,
       map_from_entries(list_filter(map_entries(MAP {
           'top_missing_ids': p.missing_ids,
           'sum_undelivered': p.undelivered
       }), lambda e: list_contains(k.a.measures, e.key))) AS measures
FROM grp AS p JOIN asks AS k USING (ask) CROSS JOIN tot AS t
WHERE (len(k.a.groups) = 0 OR list_contains(k.a.groups, p.entity))
  AND p.defects > 0
ORDER BY k.ask, group_defects DESC, entity
