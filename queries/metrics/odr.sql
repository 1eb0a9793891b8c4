-- odr: Order Defect Rate per channel (MFN, AFN, ALL) over the window of $window_days days ending on
-- $as_of - $odr_lag_days, by UTC purchase date (metrics-spec "Order Defect Rate").
-- Inputs: order_facts. An order with several defects counts once; cancelled orders are in the denominator.
-- Parameters:
--   $as_of                  DATE     the as-of date
--   $odr_lag_days           INTEGER  days between as-of and the window's last day (14 by default)
--   $window_days            INTEGER  window length (60)
--   $removed_feedback_orders VARCHAR[] orders whose negative feedback is treated as removed (what-if; [] normally)
-- Output columns (one row per channel, always three rows):
--   channel ('MFN' | 'AFN' | 'ALL'), window_start DATE, window_end DATE, denominator (orders),
--   numerator (orders with at least one defect), negative_feedback, claims, chargebacks (orders with
--   that defect; an order may be in several)
WITH bounds AS (
    SELECT CAST($as_of AS DATE) - CAST($odr_lag_days AS INTEGER) - (CAST($window_days AS INTEGER) - 1) AS window_start,
           CAST($as_of AS DATE) - CAST($odr_lag_days AS INTEGER) AS window_end
),
f AS (
    SELECT f.order_id, f.channel, f.has_counting_claim, f.has_counting_chargeback,
           f.has_negative_feedback
             AND NOT coalesce(f.order_id IN (SELECT unnest(CAST($removed_feedback_orders AS VARCHAR[]))), false)
             AS negative_feedback
    FROM order_facts AS f, bounds AS b
    WHERE f.purchase_date BETWEEN b.window_start AND b.window_end
),
ch AS (SELECT unnest(['MFN', 'AFN', 'ALL']) AS channel)
SELECT ch.channel, b.window_start, b.window_end,
       count(f.order_id) AS denominator,
       count(f.order_id) FILTER (WHERE f.negative_feedback OR f.has_counting_claim OR f.has_counting_chargeback) AS numerator,
       count(f.order_id) FILTER (WHERE f.negative_feedback) AS negative_feedback,
       count(f.order_id) FILTER (WHERE f.has_counting_claim) AS claims,
       count(f.order_id) FILTER (WHERE f.has_counting_chargeback) AS chargebacks
FROM ch
CROSS JOIN bounds AS b
LEFT JOIN f ON ch.channel = 'ALL' OR f.channel = ch.channel
GROUP BY ch.channel, b.window_start, b.window_end
ORDER BY CASE ch.channel WHEN 'MFN' THEN 1 WHEN 'AFN' THEN 2 ELSE 3 END
