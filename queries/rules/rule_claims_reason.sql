-- rule_claims_reason: counting A-to-z claims of given reasons, by ASIN, carrier, shipping service and
-- missing tracking (evidence for claims.item_not_received and claims.not_as_described,
-- src/sellerdx/data/rules/claims.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window),
--   metric_window_items (their SKUs, ASINs and product names, sellerdx.metrics.window_items).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('odr_mfn' | 'odr_afn' | 'odr_all'), $window_start DATE, $window_end DATE,
--   $reason_codes VARCHAR[]  claim reason codes of the pattern (order_facts.claim_reason_code)
--   $kinds VARCHAR[]         which groupings to return: 'asins', 'carriers', 'shipping_services', 'tracking'
-- Pattern: window orders with a counting claim whose reason is one of $reason_codes. An order is in the
--   group of every ASIN it holds, of its carrier ('(blank)' when none), of its shipping service, and in
--   the group 'shipments without a tracking ID' when it has no tracking id (only that tracking group is returned).
-- Output (the shape shared by rule_*.sql): entity_kind, entity, group_orders, group_defects, rest_orders,
--   rest_defects, metric_defects, order_ids VARCHAR[], sum_sole_defects (pattern orders with no negative
--   feedback or chargeback), ent_products VARCHAR[] (of an ASIN group), top_overlap_orders (for an
--   ASIN group: its pattern orders that hold other ASINs too and so count under those as well; else 0),
--   top_overlap_why ('claim': what names no item; sellerdx.diagnose.wording words the note).
WITH pop AS NOT MATERIALIZED (   -- each use reads only the columns it needs
    SELECT * FROM metric_window   -- the family's orders of the window, with is_defect
),
pat AS (
    SELECT p.order_id, NOT (p.has_negative_feedback OR p.has_counting_chargeback) AS sole
    FROM pop AS p
    WHERE p.is_defect AND p.has_counting_claim
      AND list_contains(CAST($reason_codes AS VARCHAR[]), p.claim_reason_code)
),
items AS (   -- only the ASINs some pattern order holds: the other groups have no pattern order
    SELECT DISTINCT o.order_id, o.asin, o.product_name
    FROM metric_window_items AS o
    WHERE o.asin IN (SELECT i.asin FROM metric_window_items AS i WHERE i.order_id IN (SELECT order_id FROM pat))
),
multi AS (      -- pattern orders holding several ASINs: a claim names no item, so they are in each group
    SELECT order_id FROM metric_window_items
    WHERE asin IS NOT NULL AND order_id IN (SELECT order_id FROM pat)
    GROUP BY order_id HAVING count(DISTINCT asin) > 1
),
memb_all AS (  -- only the groupings asked for ($kinds): each other one would group every window order
    SELECT DISTINCT 'asins' AS entity_kind, asin AS entity, order_id FROM items
    WHERE list_contains(CAST($kinds AS VARCHAR[]), 'asins')
    UNION ALL
    SELECT 'carriers', coalesce(nullif(trim(carrier), ''), '(blank)'), order_id FROM pop
    WHERE list_contains(CAST($kinds AS VARCHAR[]), 'carriers')
    UNION ALL
    SELECT 'shipping_services', coalesce(nullif(trim(shipping_service), ''), '(none)'), order_id FROM pop
    WHERE list_contains(CAST($kinds AS VARCHAR[]), 'shipping_services')
    UNION ALL
    SELECT 'tracking', 'shipments without a tracking ID', order_id FROM pop
    WHERE tracking_id IS NULL AND channel = 'MFN' AND list_contains(CAST($kinds AS VARCHAR[]), 'tracking')
),
memb AS (   -- the groups that hold a pattern order (the others are not returned)
    SELECT a.* FROM memb_all AS a
    SEMI JOIN (SELECT DISTINCT b.entity_kind, b.entity FROM memb_all AS b
               WHERE b.order_id IN (SELECT order_id FROM pat)) AS k
           ON k.entity_kind = a.entity_kind AND k.entity = a.entity
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects,
           (SELECT count(*) FROM pat) AS n_pattern
    FROM pop
)
SELECT mb.entity_kind, mb.entity,
       count(*) AS group_orders,
       count(pt.order_id) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_pattern) - count(pt.order_id) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(pt.order_id ORDER BY pt.order_id) FILTER (WHERE pt.order_id IS NOT NULL) AS order_ids,
       count(pt.order_id) FILTER (WHERE pt.sole) AS sum_sole_defects,
       (SELECT list(DISTINCT i.product_name ORDER BY i.product_name)[1:1] FROM items AS i
         WHERE mb.entity_kind = 'asins' AND i.asin = mb.entity AND i.product_name IS NOT NULL) AS ent_products,
       CASE WHEN mb.entity_kind = 'asins'
            THEN count(pt.order_id) FILTER (WHERE pt.order_id IN (SELECT order_id FROM multi)) ELSE 0 END
           AS top_overlap_orders,
       'claim' AS top_overlap_why
FROM memb AS mb
LEFT JOIN pat AS pt USING (order_id)
CROSS JOIN tot AS t
WHERE list_contains(CAST($kinds AS VARCHAR[]), mb.entity_kind)
GROUP BY mb.entity_kind, mb.entity
HAVING count(pt.order_id) > 0
ORDER BY group_defects DESC, mb.entity_kind, mb.entity
