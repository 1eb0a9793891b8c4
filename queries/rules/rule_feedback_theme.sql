-- rule_feedback_theme: counting negative feedback of one theme, by ASIN and by carrier (evidence for the
-- negative_feedback.<theme> rules, src/sellerdx/data/rules/negative_feedback.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window),
--   metric_window_items (their SKUs, ASINs and product names, sellerdx.metrics.window_items), feedback, feedback_themes (sellerdx.themes.theme_table).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('odr_mfn' | 'odr_afn' | 'odr_all'), $window_start DATE, $window_end DATE,
--   $theme VARCHAR  the theme code (e.g. 'damaged')
-- Pattern: window orders with counting negative feedback (order_facts.has_negative_feedback) whose
--   comment carries the theme. An order is in the group of every ASIN it holds and of its carrier.
-- Only the groups holding a pattern order are sized (a scan of the window per group kind, not a grouping
--   of every window order).
-- Output (the shape shared by rule_*.sql): entity_kind ('asins' | 'carriers'), entity, group_orders,
--   group_defects, rest_orders, rest_defects, metric_defects, order_ids VARCHAR[],
--   sum_sole_defects (pattern orders with no claim or chargeback: the ODR defect is the feedback alone),
--   ent_products VARCHAR[], ent_skus VARCHAR[] (of an ASIN group), top_quote (one short comment),
--   top_overlap_orders (for an ASIN group: its pattern orders that hold other ASINs too and so also count
--   under them, since feedback names no item; else 0), top_overlap_why ('feedback': what names no item;
--   sellerdx.diagnose.wording words the note).
WITH pat AS (
    SELECT p.order_id, NOT (p.has_counting_claim OR p.has_counting_chargeback) AS sole, p.carrier
    FROM metric_window AS p
    WHERE p.is_defect AND p.has_negative_feedback
      AND p.order_id IN (SELECT t.order_id FROM feedback_themes AS t WHERE t.theme = $theme)
),
multi AS (      -- pattern orders holding several ASINs: feedback names no item, so they are in each group
    SELECT order_id FROM metric_window_items
    WHERE asin IS NOT NULL AND order_id IN (SELECT order_id FROM pat)
    GROUP BY order_id HAVING count(DISTINCT asin) > 1
),
pat_memb AS (   -- each pattern order in the group of every ASIN it holds and of its carrier
    SELECT DISTINCT 'asins' AS entity_kind, i.asin AS entity, i.order_id
    FROM metric_window_items AS i
    WHERE i.asin IS NOT NULL AND i.order_id IN (SELECT order_id FROM pat)
    UNION ALL
    SELECT 'carriers', carrier, order_id FROM pat WHERE carrier IS NOT NULL AND trim(carrier) <> ''
),
items AS (      -- the window's items of the ASINs of a pattern order (only those groups are returned)
    SELECT o.order_id, o.asin, o.sku, o.product_name
    FROM metric_window_items AS o
    WHERE o.asin IN (SELECT entity FROM pat_memb WHERE entity_kind = 'asins')
),
sizes AS (      -- the window's orders in each of those groups
    SELECT 'asins' AS entity_kind, asin AS entity, count(DISTINCT order_id) AS orders,
           list(DISTINCT product_name ORDER BY product_name) FILTER (WHERE product_name IS NOT NULL)[1:1] AS ent_products,
           list(DISTINCT sku ORDER BY sku) FILTER (WHERE sku IS NOT NULL) AS ent_skus
    FROM items GROUP BY asin
    UNION ALL
    SELECT 'carriers', w.carrier, count(*), NULL, NULL
    FROM metric_window AS w
    WHERE w.carrier IN (SELECT entity FROM pat_memb WHERE entity_kind = 'carriers')
    GROUP BY w.carrier
),
quotes AS (     -- the shortest comment of the group's pattern orders (then the lowest order id)
    SELECT pm.entity_kind, pm.entity,
           arg_min(fb.comments, (length(fb.comments), fb.order_id, fb.comments)) AS top_quote
    FROM pat_memb AS pm
    JOIN feedback AS fb ON fb.order_id = pm.order_id
    WHERE fb.comments IS NOT NULL
    GROUP BY pm.entity_kind, pm.entity
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects,
           (SELECT count(*) FROM pat) AS n_pattern
    FROM metric_window
)
SELECT pm.entity_kind, pm.entity,
       any_value(s.orders) AS group_orders,
       count(*) AS group_defects,
       any_value(t.n_orders) - any_value(s.orders) AS rest_orders,
       any_value(t.n_pattern) - count(*) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(pm.order_id ORDER BY pm.order_id) AS order_ids,
       count(*) FILTER (WHERE pt.sole) AS sum_sole_defects,
       any_value(s.ent_products) AS ent_products,
       any_value(s.ent_skus) AS ent_skus,
       any_value(q.top_quote) AS top_quote,
       CASE WHEN pm.entity_kind = 'asins'
            THEN count(*) FILTER (WHERE pm.order_id IN (SELECT order_id FROM multi)) ELSE 0 END AS top_overlap_orders,
       'feedback' AS top_overlap_why
FROM pat_memb AS pm
JOIN pat AS pt USING (order_id)
JOIN sizes AS s ON s.entity_kind = pm.entity_kind AND s.entity = pm.entity
LEFT JOIN quotes AS q ON q.entity_kind = pm.entity_kind AND q.entity = pm.entity
CROSS JOIN tot AS t
GROUP BY pm.entity_kind, pm.entity
ORDER BY group_defects DESC, pm.entity_kind, pm.entity
