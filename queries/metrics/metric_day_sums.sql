-- metric_day_sums: metric_orders summed per (family, window date, counts_from): what every daily series
-- adds up (queries/metrics/metric_daily.sql), a few thousand rows instead of one per (family, order).
-- As-of independent: built with the prepared tables (sellerdx.metrics.prepare) and stored with them in a
-- folder's cache entry, so a later run's daily series does not group metric_orders again.
-- Inputs: metric_orders (queries/metrics/metric_orders.sql).
-- Parameters: none
-- Output: table metric_day_sums(family, window_date, counts_from, n (sum of weight), k (sum of
--   num_weight), bad (sum of bad_weight)); the sums are HUGEINT, as DuckDB's sum of BIGINT gives
CREATE OR REPLACE TABLE metric_day_sums AS
SELECT family, window_date, counts_from, sum(weight) AS n, sum(num_weight) AS k, sum(bad_weight) AS bad
FROM metric_orders
GROUP BY family, window_date, counts_from
