-- rule_claims_reason: counting A-to-z claims of given reasons, by ASIN, carrier, shipping service and
-- missing tracking (evidence for claims.item_not_received and claims.not_as_described,
-- src/sellerdx/data/rules/claims.toml).
-- Reads the window's defect orders and the window's group counts, never groups the whole window: a
-- group's orders come from metric_window_groups (carriers, shipping services, MFN orders without tracking)
-- or, for an ASIN, from the window's items of the ASINs the pattern orders hold.
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window; only its defects are read),
--   metric_window_groups (its group counts, sellerdx.metrics.window_groups: the groupings 'carrier',
--   'shipping_service', '_mfn_no_tracking' and '_all'),
--   metric_window_items (their SKUs, ASINs and product names, sellerdx.metrics.window_items).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('odr_mfn' | 'odr_afn' | 'odr_all'), $window_start DATE, $window_end DATE,
--   $asks STRUCT[]: one entry per rule of the window (one run answers both claims rules of the window:
--   [batch] of src/sellerdx/data/rules/_settings.toml), each with
--     reason_codes VARCHAR[]  claim reason codes of the pattern (order_facts.claim_reason_code)
--     kinds VARCHAR[]         which groupings to return: 'asins', 'carriers', 'shipping_services', 'tracking'
-- Pattern (per ask): window orders with a counting claim whose reason is one of its reason_codes. An order is in the
--   group of every ASIN it holds, of its carrier ('(blank)' when none), of its shipping service, and in
--   the group 'shipments without a tracking ID' when it is an MFN order without any tracking id (only
--   that tracking group is returned).
-- Output (the shape shared by rule_*.sql, plus ask: the entry's position in $asks, from 1; per ask, most
--   pattern orders first): ask, entity_kind, entity, group_orders, group_defects, rest_orders,
--   rest_defects, metric_defects, order_ids VARCHAR[], sum_sole_defects (pattern orders with no negative
--   feedback or chargeback), ent_products VARCHAR[] (of an ASIN group), top_overlap_orders (for an
--   ASIN group: its pattern orders that hold other ASINs too and so count under those as well; else 0),
--   top_overlap_why ('claim': what names no item; sellerdx.diagnose.wording words the note).
WITH asks AS (
    SELECT generate_subscripts(x, 1) AS ask, unnest(x) AS a
    FROM (SELECT CAST($asks AS STRUCT(reason_codes VARCHAR[], kinds VARCHAR[])[]) AS x)
),
claimed AS (   -- the window's defects with a counting claim, read once for every ask
    SELECT w.order_id, w.claim_reason_code,
           NOT (w.has_negative_feedback OR w.has_counting_chargeback) AS sole,
           coalesce(nullif(trim(w.carrier), ''), '(blank)') AS carrier,
           coalesce(nullif(trim(w.shipping_service), ''), '(none)') AS shipping_service,
           w.tracking_id IS NULL AND w.channel = 'MFN' AS no_tracking
    FROM metric_window AS w
    WHERE w.is_defect AND w.has_counting_claim
),
pat AS (   -- the pattern orders of each ask
    SELECT k.ask, k.a.kinds AS kinds, c.*
    FROM asks AS k JOIN claimed AS c ON list_contains(k.a.reason_codes, c.claim_reason_code)
),
pat_asins AS (  -- (ask, pattern order, ASIN it holds); a claim names no item, so the order is in each group
    SELECT DISTINCT p.ask, i.order_id, i.asin
    FROM pat AS p JOIN metric_window_items AS i ON i.order_id = p.order_id
    WHERE list_contains(p.kinds, 'asins') AND i.asin IS NOT NULL
),
multi AS (      -- pattern orders holding several ASINs
    SELECT ask, order_id FROM pat_asins GROUP BY ask, order_id HAVING count(*) > 1
),
asin_orders AS (   -- the window's orders holding each of those ASINs, and the ASIN's first product name
    SELECT i.asin, count(DISTINCT i.order_id) AS orders, min(i.product_name) AS product
    FROM metric_window_items AS i
    WHERE i.asin IN (SELECT asin FROM pat_asins)
    GROUP BY i.asin
),
memb AS (   -- pattern order -> each group it is in (only the groupings its ask names)
    SELECT ask, 'asins' AS entity_kind, asin AS entity, order_id FROM pat_asins
    UNION ALL
    SELECT ask, 'carriers', carrier, order_id FROM pat WHERE list_contains(kinds, 'carriers')
    UNION ALL
    SELECT ask, 'shipping_services', shipping_service, order_id FROM pat
    WHERE list_contains(kinds, 'shipping_services')
    UNION ALL
    SELECT ask, 'tracking', 'shipments without a tracking ID', order_id FROM pat
    WHERE no_tracking AND list_contains(kinds, 'tracking')
),
sizes AS (  -- every window order of each group (a value spelled like the blank label joins that group)
    SELECT 'asins' AS entity_kind, asin AS entity, orders FROM asin_orders
    UNION ALL
    SELECT 'carriers', coalesce(value, '(blank)'), sum(orders) FROM metric_window_groups
    WHERE grouping = 'carrier' GROUP BY 2
    UNION ALL
    SELECT 'shipping_services', coalesce(value, '(none)'), sum(orders) FROM metric_window_groups
    WHERE grouping = 'shipping_service' GROUP BY 2
    UNION ALL
    SELECT 'tracking', 'shipments without a tracking ID', orders FROM metric_window_groups
    WHERE grouping = '_mfn_no_tracking' AND value IS NOT NULL
),
tot AS (
    SELECT orders AS n_orders, defects AS n_defects FROM metric_window_groups WHERE grouping = '_all'
),
npat AS (
    SELECT ask, count(*) AS n_pattern FROM pat GROUP BY ask
)
SELECT mb.ask, mb.entity_kind, mb.entity,
       CAST(any_value(s.orders) AS BIGINT) AS group_orders,
       count(*) AS group_defects,
       CAST(any_value(t.n_orders) - any_value(s.orders) AS BIGINT) AS rest_orders,
       any_value(n.n_pattern) - count(*) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(mb.order_id ORDER BY mb.order_id) AS order_ids,
       count(*) FILTER (WHERE p.sole) AS sum_sole_defects,
       CASE WHEN mb.entity_kind = 'asins' AND any_value(a.product) IS NOT NULL
            THEN [any_value(a.product)] END AS ent_products,
       CASE WHEN mb.entity_kind = 'asins' THEN count(m.order_id) ELSE 0 END AS top_overlap_orders,
       'claim' AS top_overlap_why
FROM memb AS mb
JOIN pat AS p USING (ask, order_id)
JOIN sizes AS s USING (entity_kind, entity)
JOIN npat AS n USING (ask)
LEFT JOIN asin_orders AS a ON mb.entity_kind = 'asins' AND a.asin = mb.entity
LEFT JOIN multi AS m ON m.ask = mb.ask AND m.order_id = mb.order_id
CROSS JOIN tot AS t
GROUP BY mb.ask, mb.entity_kind, mb.entity
ORDER BY mb.ask, group_defects DESC, mb.entity_kind, mb.entity
