-- rule_chargebacks_service: counting (service) chargebacks in the window, all together (evidence for
-- chargebacks.service, src/sellerdx/data/rules/chargebacks.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window),
--   metric_window_items (their SKUs, ASINs and product names, sellerdx.metrics.window_items).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('odr_mfn' | 'odr_afn' | 'odr_all'), $window_start DATE, $window_end DATE.
-- One group holding the whole window (no lift: rest_orders is 0), so the rule is decided by count and
-- share of the ODR defects.
-- Output (the shape shared by rule_*.sql): entity_kind ('_all'), entity, group_orders, group_defects,
--   rest_orders, rest_defects, metric_defects, order_ids VARCHAR[], sum_sole_defects (chargeback orders
--   with no negative feedback or claim), ent_reasons VARCHAR[] (chargeback reason codes),
--   ent_asins VARCHAR[] (ASINs of the chargeback orders).
WITH pop AS NOT MATERIALIZED (   -- each use reads only the columns it needs
    SELECT * FROM metric_window   -- the family's orders of the window, with is_defect
)
SELECT '_all' AS entity_kind, 'service chargebacks' AS entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE p.is_defect AND p.has_counting_chargeback) AS group_defects,
       0 AS rest_orders, 0 AS rest_defects,
       count(*) FILTER (WHERE p.is_defect) AS metric_defects,
       list(p.order_id ORDER BY p.order_id) FILTER (WHERE p.is_defect AND p.has_counting_chargeback) AS order_ids,
       count(*) FILTER (WHERE p.is_defect AND p.has_counting_chargeback
                        AND NOT p.has_negative_feedback AND NOT p.has_counting_claim) AS sum_sole_defects,
       list(DISTINCT p.chargeback_reason_code ORDER BY p.chargeback_reason_code)
           FILTER (WHERE p.has_counting_chargeback AND p.chargeback_reason_code IS NOT NULL) AS ent_reasons,
       (SELECT list(DISTINCT o.asin ORDER BY o.asin) FROM metric_window_items AS o
         WHERE o.asin IS NOT NULL AND o.order_id IN (SELECT q.order_id FROM pop AS q
                                                    WHERE q.is_defect AND q.has_counting_chargeback)) AS ent_asins
FROM pop AS p
HAVING count(*) FILTER (WHERE p.is_defect AND p.has_counting_chargeback) > 0
