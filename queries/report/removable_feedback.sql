-- removable_feedback: negative feedback still inside Amazon's removal period, with what is needed to
-- judge whether Amazon would remove or strike it (metrics.py applies the rules of data/metrics.toml
-- [removable]: AFN order and about delivery only; on-time Buy Shipping order and about lateness; purely a
-- product review; obscene or personal data).
-- Inputs: feedback, order_facts, feedback_themes(order_id, theme) (sellerdx.themes.theme_table).
-- Parameters: $as_of DATE, $removal_days INTEGER (90: feedback left on or after as_of - 90 and not after as_of)
-- Output columns: order_id, feedback_date, rating, comments, channel (NULL when the order is unknown),
--   purchase_date, is_late (LSR late), shipping_service, carrier, tracking_valid, themes VARCHAR[] (sorted),
--   removable_until (feedback_date + $removal_days)
SELECT fb.order_id, fb.feedback_date, fb.rating, fb.comments,
       f.channel, f.purchase_date, f.is_late, f.shipping_service, f.carrier, f.tracking_valid,
       coalesce((SELECT list(DISTINCT t.theme ORDER BY t.theme) FROM feedback_themes AS t
                 WHERE t.order_id = fb.order_id), CAST([] AS VARCHAR[])) AS themes,
       fb.feedback_date + CAST($removal_days AS INTEGER) AS removable_until
FROM feedback AS fb
LEFT JOIN order_facts AS f USING (order_id)
WHERE fb.rating <= 2 AND coalesce(fb.feedback_status, 'active') = 'active'
  AND fb.feedback_date BETWEEN CAST($as_of AS DATE) - CAST($removal_days AS INTEGER) AND CAST($as_of AS DATE)
ORDER BY fb.feedback_date, fb.order_id
