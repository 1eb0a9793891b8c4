-- rule_feedback_theme: counting negative feedback of one theme, by ASIN and by carrier (evidence for the
-- negative_feedback.<theme> rules, src/sellerdx/data/rules/negative_feedback.toml).
-- Inputs: metric_orders, order_facts, orders, feedback, feedback_themes (sellerdx.themes.theme_table).
-- Parameters: $family VARCHAR ('odr_mfn' | 'odr_afn' | 'odr_all'), $window_start DATE, $window_end DATE,
--   $theme VARCHAR  the theme code (e.g. 'damaged')
-- Pattern: window orders with counting negative feedback (order_facts.has_negative_feedback) whose
--   comment carries the theme. An order is in the group of every ASIN it holds and of its carrier.
-- Output (the shape shared by rule_*.sql): entity_kind ('asins' | 'carriers'), entity, group_orders,
--   group_defects, rest_orders, rest_defects, metric_defects, order_ids VARCHAR[],
--   sum_sole_defects (pattern orders with no claim or chargeback: the ODR defect is the feedback alone),
--   ent_products VARCHAR[], ent_skus VARCHAR[] (of an ASIN group), top_quote (one short comment).
WITH pop AS (
    SELECT f.*, m.is_defect
    FROM metric_orders AS m JOIN order_facts AS f USING (order_id)
    WHERE m.family = $family
      AND m.purchase_date BETWEEN CAST($window_start AS DATE) AND CAST($window_end AS DATE)
),
pat AS (
    SELECT p.order_id, NOT (p.has_counting_claim OR p.has_counting_chargeback) AS sole
    FROM pop AS p
    WHERE p.is_defect AND p.has_negative_feedback
      AND p.order_id IN (SELECT t.order_id FROM feedback_themes AS t WHERE t.theme = $theme)
),
items AS (
    SELECT DISTINCT o.order_id, o.asin, o.sku, o.product_name
    FROM orders AS o JOIN pop USING (order_id)
    WHERE o.asin IS NOT NULL
),
memb AS (
    SELECT DISTINCT 'asins' AS entity_kind, asin AS entity, order_id FROM items
    UNION ALL
    SELECT 'carriers', carrier, order_id FROM pop WHERE carrier IS NOT NULL AND trim(carrier) <> ''
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
       (SELECT list(DISTINCT i.sku ORDER BY i.sku) FROM items AS i
         WHERE mb.entity_kind = 'asins' AND i.asin = mb.entity AND i.sku IS NOT NULL) AS ent_skus,
       (SELECT fb.comments FROM feedback AS fb
         WHERE fb.order_id IN (SELECT m2.order_id FROM memb AS m2 JOIN pat AS p2 USING (order_id)
                               WHERE m2.entity_kind = mb.entity_kind AND m2.entity = mb.entity)
           AND fb.comments IS NOT NULL
         ORDER BY length(fb.comments), fb.order_id LIMIT 1) AS top_quote
FROM memb AS mb
LEFT JOIN pat AS pt USING (order_id)
CROSS JOIN tot AS t
GROUP BY mb.entity_kind, mb.entity
HAVING count(pt.order_id) > 0
ORDER BY group_defects DESC, mb.entity_kind, mb.entity
