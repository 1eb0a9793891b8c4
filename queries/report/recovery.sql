-- recovery: each bad outcome counted in one metric's current window and the first as-of date on which it
-- is out of the window (window date + lag + window days: ODR + 14 + 60, PFCR + 7, LSR + 10 / + 30; the
-- window date is the purchase date, the promised delivery date for otdr_units: + 7 + 14).
-- Only outcomes decided on $as_of (metric_orders.counts_from <= $as_of).
-- Inputs: metric_orders.
-- Parameters: $family VARCHAR, $as_of DATE, $lag_days INTEGER, $window_days INTEGER
-- Output columns: order_id, defect (label), purchase_date (the window date), leaves_window_on
SELECT order_id, defect, window_date AS purchase_date,
       window_date + CAST($lag_days AS INTEGER) + CAST($window_days AS INTEGER) AS leaves_window_on
FROM metric_orders
WHERE family = $family AND is_defect
  AND window_date BETWEEN CAST($as_of AS DATE) - CAST($lag_days AS INTEGER) - (CAST($window_days AS INTEGER) - 1)
                      AND CAST($as_of AS DATE) - CAST($lag_days AS INTEGER)
  AND counts_from <= CAST($as_of AS DATE)
ORDER BY leaves_window_on, order_id
