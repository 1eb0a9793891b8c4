-- rule_feedback_theme: counting negative feedback of one theme, by ASIN and by carrier (evidence for the
-- negative_feedback.<theme> rules, src/sellerdx/data/rules/negative_feedback.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window),
--   metric_window_items (their SKUs, ASINs and product names, sellerdx.metrics.window_items), feedback, feedback_themes (sellerdx.themes.theme_table).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('odr_mfn' | 'odr_afn' | 'odr_all'), $window_start DATE, $window_end DATE,
--   $themes VARCHAR[]  the theme codes (e.g. ['damaged', 'late_delivery']): one run answers every
--   negative_feedback rule of the window (data/rules/_settings.toml [batch]); each row names its theme
-- Pattern: window orders with counting negative feedback (order_facts.has_negative_feedback) whose
--   comment carries the theme, per theme. An order is in the group of every ASIN it holds and of its carrier.
-- Only the groups holding a pattern order are sized (a scan of the window per group kind, not a grouping
--   of every window order).
-- Output (the shape shared by rule_*.sql, plus theme): theme, entity_kind ('asins' | 'carriers'), entity, group_orders,
--   group_defects, rest_orders, rest_defects, metric_defects, order_ids VARCHAR[],
--   sum_sole_defects (pattern orders with no claim or chargeback: the ODR defect is the feedback alone),
--   ent_products VARCHAR[], ent_skus VARCHAR[] (of an ASIN group), top_quote (one short comment),
--   top_overlap_orders (for an ASIN group: its pattern orders that hold other ASINs too and so also count
--   under them, since feedback names no item; else 0), top_overlap_why ('feedback': what names no item;
--   sellerdx.diagnose.wording words the note).
WITH pat AS (     -- per theme, the window's defect orders with counting negative feedback of that theme
    SELECT t.theme, p.order_id, NOT (p.has_counting_claim OR p.has_counting_chargeback) AS sole, p.carrier
    FROM metric_window AS p
    JOIN (SELECT DISTINCT theme, order_id FROM feedback_themes WHERE list_contains($themes, theme)) AS t
      ON t.order_id = p.order_id
    WHERE p.is_defect AND p.has_negative_feedback
),
pat_items AS (  -- the pattern orders' items with an ASIN
    SELECT pt.theme, i.order_id, i.asin
    FROM metric_window_items AS i
    JOIN pat AS pt ON pt.order_id = i.order_id
    WHERE i.asin IS NOT NULL
),
multi AS (      -- pattern orders holding several ASINs: feedback names no item, so they are in each group
    SELECT theme, order_id FROM pat_items GROUP BY theme, order_id HAVING count(DISTINCT asin) > 1
),
pat_memb AS (   -- each pattern order in the group of every ASIN it holds and of its carrier
    SELECT DISTINCT theme, 'asins' AS entity_kind, asin AS entity, order_id FROM pat_items
    UNION ALL
    SELECT theme, 'carriers', carrier, order_id FROM pat WHERE carrier IS NOT NULL AND trim(carrier) <> ''
),
items AS (      -- the window's items of the ASINs of a pattern order (only those groups are returned)
    SELECT o.order_id, o.asin, o.sku, o.product_name
    FROM metric_window_items AS o
    WHERE o.asin IN (SELECT entity FROM pat_memb WHERE entity_kind = 'asins')
),
sizes AS (      -- the window's orders in each of those groups (a group's size does not depend on the theme)
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
    SELECT pm.theme, pm.entity_kind, pm.entity,
           arg_min(fb.comments, (length(fb.comments), fb.order_id, fb.comments)) AS top_quote
    FROM pat_memb AS pm
    JOIN feedback AS fb ON fb.order_id = pm.order_id
    WHERE fb.comments IS NOT NULL
    GROUP BY pm.theme, pm.entity_kind, pm.entity
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects
    FROM metric_window
),
tot_pat AS (
    SELECT theme, count(*) AS n_pattern FROM pat GROUP BY theme
)
SELECT pm.theme, pm.entity_kind, pm.entity,
       any_value(s.orders) AS group_orders,
       count(*) AS group_defects,
       any_value(t.n_orders) - any_value(s.orders) AS rest_orders,
       any_value(tp.n_pattern) - count(*) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(pm.order_id ORDER BY pm.order_id) AS order_ids,
       count(*) FILTER (WHERE pt.sole) AS sum_sole_defects,
       any_value(s.ent_products) AS ent_products,
       any_value(s.ent_skus) AS ent_skus,
       any_value(q.top_quote) AS top_quote,
       CASE WHEN pm.entity_kind = 'asins'
            THEN count(*) FILTER (WHERE m.order_id IS NOT NULL) ELSE 0 END AS top_overlap_orders,
       'feedback' AS top_overlap_why
FROM pat_memb AS pm
JOIN pat AS pt ON pt.theme = pm.theme AND pt.order_id = pm.order_id
JOIN sizes AS s ON s.entity_kind = pm.entity_kind AND s.entity = pm.entity
JOIN tot_pat AS tp ON tp.theme = pm.theme
LEFT JOIN quotes AS q ON q.theme = pm.theme AND q.entity_kind = pm.entity_kind AND q.entity = pm.entity
LEFT JOIN multi AS m ON m.theme = pm.theme AND m.order_id = pm.order_id
CROSS JOIN tot AS t
GROUP BY pm.theme, pm.entity_kind, pm.entity
ORDER BY pm.theme, group_defects DESC, pm.entity_kind, pm.entity
