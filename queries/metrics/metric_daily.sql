-- metric_daily: the daily series of several metrics in one query: for each metric and each day D from the
-- first to the last purchase date in the data, the metric as it would read with as-of = D (window of
-- window_days days ending on D - lag_days, by metric_orders.window_date: the UTC purchase date, the
-- promised delivery date for otdr_units; an order counts from its metric_orders.counts_from on). Sums
-- metric_orders' weights (1 per order; units for otdr_units), summed per day once per data set
-- (metric_day_sums); one query for all series.
-- Inputs: order_facts (the data's span), metric_day_sums (metric_orders summed per family, day and
--   counts_from: queries/metrics/metric_day_sums.sql, a prepared table).
-- Parameters:
--   $series STRUCT(metric VARCHAR, family VARCHAR, lag_days INTEGER, window_days INTEGER)[]  one entry per
--           series: the metric key (returned as is), its family (odr_mfn, odr_afn, odr_all, pfcr, lsr, vtr,
--           otdr, otdr_units), its lag (the ODR lag, 7 for otdr_units, 0 for the others) and window length
-- Output columns: metric, date (the as-of day), window_start, window_end, numerator, denominator,
--   defects (bad outcomes; = numerator except VTR / OTDR), rate (numerator / denominator, NULL when 0);
--   ordered by metric, date
WITH series AS (
    SELECT s.metric AS metric, s.family AS family, s.lag_days AS lag_days, s.window_days AS window_days
    FROM (SELECT unnest(CAST($series AS STRUCT(metric VARCHAR, family VARCHAR, lag_days INTEGER,
                                               window_days INTEGER)[])) AS s)
),
span AS (
    SELECT min(purchase_date) AS first_day, max(purchase_date) AS last_day FROM order_facts
),
days AS (
    SELECT CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS day FROM span
),
per_day AS (   -- metric_orders' weights per (family, day, counts_from), summed once per data set
    SELECT family, window_date, counts_from, n, k, bad
    FROM metric_day_sums
    WHERE family IN (SELECT family FROM series)
),
grid AS (
    SELECT s.metric, s.family, d.day,
           d.day - s.lag_days - (s.window_days - 1) AS window_start,
           d.day - s.lag_days AS window_end
    FROM series AS s CROSS JOIN days AS d
)
SELECT g.metric, g.day AS date, g.window_start, g.window_end,
       CAST(coalesce(sum(p.k), 0) AS BIGINT) AS numerator,
       CAST(coalesce(sum(p.n), 0) AS BIGINT) AS denominator,
       CAST(coalesce(sum(p.bad), 0) AS BIGINT) AS defects,
       CASE WHEN coalesce(sum(p.n), 0) > 0 THEN sum(p.k) / sum(p.n) END AS rate
FROM grid AS g
LEFT JOIN per_day AS p
       ON p.family = g.family
      AND p.window_date BETWEEN g.window_start AND g.window_end
      AND p.counts_from <= g.day
GROUP BY g.metric, g.day, g.window_start, g.window_end
ORDER BY g.metric, g.day
