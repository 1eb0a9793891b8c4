-- metric_daily: the daily series of one metric family: for each day D from the first to the last
-- purchase date in the data, the metric as it would read with as-of = D (window of $window_days days
-- ending on D - $lag_days, by metric_orders.window_date: the UTC purchase date, the promised delivery date
-- for otdr_units; an order counts from its metric_orders.counts_from on). Sums metric_orders' weights
-- (1 per order; units for otdr_units).
-- Inputs: order_facts (the data's span), metric_orders.
-- Parameters: $family VARCHAR (odr_mfn, odr_afn, odr_all, pfcr, lsr, vtr, otdr, otdr_units), $lag_days
--   INTEGER (the ODR lag, 7 for otdr_units, 0 for the others), $window_days INTEGER
-- Output columns: date (the as-of day), window_start, window_end, numerator, denominator,
--   defects (bad outcomes; = numerator except VTR / OTDR), rate (numerator / denominator, NULL when 0)
WITH span AS (
    SELECT min(purchase_date) AS first_day, max(purchase_date) AS last_day FROM order_facts
),
days AS (
    SELECT CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS day FROM span
),
per_day AS (
    SELECT window_date, counts_from, sum(weight) AS n, sum(num_weight) AS k, sum(bad_weight) AS bad
    FROM metric_orders
    WHERE family = $family
    GROUP BY window_date, counts_from
)
SELECT d.day AS date,
       d.day - CAST($lag_days AS INTEGER) - (CAST($window_days AS INTEGER) - 1) AS window_start,
       d.day - CAST($lag_days AS INTEGER) AS window_end,
       CAST(coalesce(sum(p.k), 0) AS BIGINT) AS numerator,
       CAST(coalesce(sum(p.n), 0) AS BIGINT) AS denominator,
       CAST(coalesce(sum(p.bad), 0) AS BIGINT) AS defects,
       CASE WHEN coalesce(sum(p.n), 0) > 0 THEN sum(p.k) / sum(p.n) END AS rate
FROM days AS d
LEFT JOIN per_day AS p
       ON p.window_date BETWEEN d.day - CAST($lag_days AS INTEGER) - (CAST($window_days AS INTEGER) - 1)
                            AND d.day - CAST($lag_days AS INTEGER)
      AND p.counts_from <= d.day
GROUP BY d.day
ORDER BY d.day
