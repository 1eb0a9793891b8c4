-- otdr_units: Amazon's unit-based On-Time Delivery Rate over the $window_days days (14) ending on
-- $as_of - $lag_days (7), by promised delivery date (metrics-spec "What changed in 2024-2026"): units of
-- MFN parcels with valid tracking and a promised date in the window; on time = delivered on or before the
-- promised date; a parcel never delivered is late.
-- Inputs: metric_orders (family 'otdr_units': one row per order and promised date, weights in units).
-- Parameters: $as_of DATE, $lag_days INTEGER, $window_days INTEGER
-- Output columns (one row): window_start, window_end, denominator (units), numerator (units delivered on
--   time), late (units delivered late or never), orders (orders with a parcel in the window),
--   late_orders (orders with a late or lost parcel in the window)
WITH bounds AS (
    SELECT CAST($as_of AS DATE) - CAST($lag_days AS INTEGER) - (CAST($window_days AS INTEGER) - 1) AS window_start,
           CAST($as_of AS DATE) - CAST($lag_days AS INTEGER) AS window_end
)
SELECT b.window_start, b.window_end,
       CAST(coalesce(sum(m.weight), 0) AS BIGINT) AS denominator,
       CAST(coalesce(sum(m.num_weight), 0) AS BIGINT) AS numerator,
       CAST(coalesce(sum(m.bad_weight), 0) AS BIGINT) AS late,
       count(DISTINCT m.order_id) AS orders,
       count(DISTINCT m.order_id) FILTER (WHERE m.is_defect) AS late_orders
FROM bounds AS b
LEFT JOIN metric_orders AS m
       ON m.family = 'otdr_units' AND m.window_date BETWEEN b.window_start AND b.window_end
GROUP BY b.window_start, b.window_end
