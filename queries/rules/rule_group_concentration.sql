-- rule_group_concentration: the metric's bad outcomes by one attribute of the order, each order in the
-- group of its value (the generic evidence query of the rules with evidence = "group_concentration" in
-- src/sellerdx/data/rules/*.toml: late_shipment.weekend_backlog, late_shipment.shipping_service,
-- tracking.invalid, delivery.carrier_delay).
-- The grouping expression __BY__ is not a parameter: sellerdx.diagnose replaces it with the column of the
-- rule's `by` name in src/sellerdx/data/breakdowns.toml (the whitelist, checked to be m.<col> or f.<col>;
-- never user text), written w.<col>: metric_window holds metric_orders' and order_facts' columns.
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR (e.g. 'lsr', 'vtr', 'otdr'), $window_start DATE, $window_end DATE,
--   $entity_kind VARCHAR  the output's entity_kind ([group.<by>] in src/sellerdx/data/rules/_settings.toml)
--   $blank VARCHAR        the group of the orders whose value is empty or blank (e.g. '(blank)', '(none)')
--   $groups VARCHAR[]     the values that may form a group (e.g. the weekend days); [] = every value
--   $measures VARCHAR[]   the optional measures to return (names below); [] = none
-- Pattern: the metric's defect (metric_orders.is_defect), so rest_defects are the defects of the other
--   groups, whether or not they may form a group.
-- Output (the shape shared by rule_*.sql; one row per allowed group with a defect, most defects first):
--   entity_kind, entity (the trimmed value, else $blank), group_orders, group_defects, rest_orders,
--   rest_defects, metric_defects, order_ids VARCHAR[] (the group's defects), top_zone (the time zone(s)
--   of the group's orders: local weekdays are in it, order_facts.purchase_zone),
--   measures MAP(VARCHAR, BIGINT): the entries of $measures among
--     top_missing_ids  the group's defects without any tracking id (order_facts.tracking_id is NULL)
--     sum_undelivered  the group's defects with a shipment never delivered (order_facts.has_undelivered:
--                      OTDR's lost parcels)
--   (sellerdx.diagnose spreads the map into columns of those names).
WITH pop AS (
    SELECT w.order_id, w.is_defect, w.tracking_id, w.has_undelivered, w.purchase_zone,
           coalesce(nullif(trim(CAST(__BY__ AS VARCHAR)), ''), $blank) AS entity
    FROM metric_window AS w
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects FROM pop
)
SELECT $entity_kind AS entity_kind, p.entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE p.is_defect) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_defects) - count(*) FILTER (WHERE p.is_defect) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(p.order_id ORDER BY p.order_id) FILTER (WHERE p.is_defect) AS order_ids,
       string_agg(DISTINCT p.purchase_zone, ', ' ORDER BY p.purchase_zone) AS top_zone,
       map_from_entries(list_filter(map_entries(MAP {
           'top_missing_ids': count(*) FILTER (WHERE p.is_defect AND p.tracking_id IS NULL),
           'sum_undelivered': count(*) FILTER (WHERE p.is_defect AND p.has_undelivered)
       }), lambda e: list_contains(CAST($measures AS VARCHAR[]), e.key))) AS measures
FROM pop AS p CROSS JOIN tot AS t
WHERE len(CAST($groups AS VARCHAR[])) = 0 OR list_contains(CAST($groups AS VARCHAR[]), p.entity)
GROUP BY p.entity
HAVING count(*) FILTER (WHERE p.is_defect) > 0
ORDER BY group_defects DESC, entity
