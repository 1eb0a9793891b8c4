-- metric_day_counts: per purchase date, the orders of one metric family and their bad outcomes, between
-- two dates, as they count on the as-of date $date_to (orders with metric_orders.counts_from after it,
-- OTDR's pending deliveries, are left out). Feeds the recovery-date simulation (metrics.py) with a few
-- dozen rows.
-- Inputs: metric_orders.
-- Parameters: $family VARCHAR, $date_from DATE, $date_to DATE (inclusive; the as-of date)
-- Output columns: purchase_date (metric_orders.window_date: the promised delivery date for otdr_units),
--   orders, defects (bad outcomes), numerator (what the metric counts): sums of metric_orders' weights, so
--   units for otdr_units
SELECT window_date AS purchase_date,
       CAST(sum(weight) AS BIGINT) AS orders,
       CAST(sum(bad_weight) AS BIGINT) AS defects,
       CAST(sum(num_weight) AS BIGINT) AS numerator
FROM metric_orders
WHERE family = $family AND window_date BETWEEN CAST($date_from AS DATE) AND CAST($date_to AS DATE)
  AND counts_from <= CAST($date_to AS DATE)
GROUP BY window_date
ORDER BY window_date
