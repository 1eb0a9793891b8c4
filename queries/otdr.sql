-- otdr: On-Time Delivery Rate over the $window_days days (30) ending on $as_of, by UTC purchase date
-- (metrics-spec "On-Time Delivery Rate"). MFN orders with valid tracking and both a promised and a
-- delivered date.
-- Inputs: order_facts (otdr_eligible, otdr_late).
-- Parameters: $as_of DATE, $window_days INTEGER
-- Output columns (one row): window_start, window_end, denominator, numerator (delivered on or before
--   the promised date), late (the rest)
WITH bounds AS (
    SELECT CAST($as_of AS DATE) - (CAST($window_days AS INTEGER) - 1) AS window_start,
           CAST($as_of AS DATE) AS window_end
)
SELECT b.window_start, b.window_end,
       count(f.order_id) AS denominator,
       count(f.order_id) FILTER (WHERE NOT f.otdr_late) AS numerator,
       count(f.order_id) FILTER (WHERE f.otdr_late) AS late
FROM bounds AS b
LEFT JOIN order_facts AS f
       ON f.otdr_eligible AND f.purchase_date BETWEEN b.window_start AND b.window_end
GROUP BY b.window_start, b.window_end
