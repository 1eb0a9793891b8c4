-- metric_day_counts: per purchase date, the orders of one metric family and their bad outcomes, between
-- two dates, as they count on the as-of date $date_to (orders with metric_orders.counts_from after it,
-- OTDR's pending deliveries, are left out). Feeds the recovery-date simulation (metrics.py) with a few
-- dozen rows.
-- Inputs: metric_orders.
-- Parameters: $family VARCHAR, $date_from DATE, $date_to DATE (inclusive; the as-of date)
-- Output columns: purchase_date, orders, defects (bad outcomes), numerator (what the metric counts)
SELECT purchase_date,
       count(*) AS orders,
       count(*) FILTER (WHERE is_defect) AS defects,
       count(*) FILTER (WHERE in_numerator) AS numerator
FROM metric_orders
WHERE family = $family AND purchase_date BETWEEN CAST($date_from AS DATE) AND CAST($date_to AS DATE)
  AND counts_from <= CAST($date_to AS DATE)
GROUP BY purchase_date
ORDER BY purchase_date
