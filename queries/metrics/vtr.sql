-- vtr: Valid Tracking Rate over the $window_days days (30) ending on $as_of, by UTC purchase date
-- (metrics-spec "Valid Tracking Rate"). MFN orders with a confirmed shipment.
-- Inputs: order_facts (vtr_eligible, vtr_invalid, tracking_valid).
-- Parameters: $as_of DATE, $window_days INTEGER
-- Output columns (one row): window_start, window_end, denominator (MFN orders with a confirmed
--   shipment), numerator (those whose every confirmed shipment has valid tracking), invalid (the rest)
WITH bounds AS (
    SELECT CAST($as_of AS DATE) - (CAST($window_days AS INTEGER) - 1) AS window_start,
           CAST($as_of AS DATE) AS window_end
)
SELECT b.window_start, b.window_end,
       count(f.order_id) AS denominator,
       count(f.order_id) FILTER (WHERE NOT f.vtr_invalid) AS numerator,
       count(f.order_id) FILTER (WHERE f.vtr_invalid) AS invalid
FROM bounds AS b
LEFT JOIN order_facts AS f
       ON f.vtr_eligible AND f.purchase_date BETWEEN b.window_start AND b.window_end
GROUP BY b.window_start, b.window_end
