-- rule_late_peak_days: late shipments on peak-volume purchase days (evidence for
-- late_shipment.peak_volume, src/sellerdx/data/rules/late_shipment.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window). Days are the marketplace's LOCAL purchase dates
--   (order_facts.purchase_local_date); the median is taken over the local days from the window's first
--   to its last order, never over days past the data (which would make it 0).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('lsr'), $window_start DATE, $window_end DATE,
--   $peak_factor DOUBLE     a day is a peak day when its orders >= peak_factor x the median daily orders
--                           of the window's days inside the orders data (such days without orders count as 0)
--   $min_day_orders INTEGER a peak day also has at least this many orders
-- Output (the shape shared by rule_*.sql): entity_kind ('dates'), entity (ISO date), group_orders,
--   group_defects, rest_orders, rest_defects, metric_defects, order_ids VARCHAR[],
--   top_median_daily_orders (the window's median), top_day_orders (the day's orders), top_zone (the time
--   zone(s) of the local dates); peak days with a late order only.
WITH pop AS NOT MATERIALIZED (   -- each use reads only the columns it needs
    SELECT * FROM metric_window   -- the family's orders of the window, with is_defect
),
span AS (   -- the window's local days the orders data covers: days past the data's end are not "0 orders"
    SELECT min(purchase_local_date) AS first_day, max(purchase_local_date) AS last_day FROM pop
),
days AS (
    SELECT CAST(d.day AS DATE) AS day, count(p.order_id) AS orders
    FROM span AS s, range(s.first_day, s.last_day + 1, INTERVAL 1 DAY) AS d(day)
    LEFT JOIN pop AS p ON p.purchase_local_date = CAST(d.day AS DATE)
    GROUP BY 1
),
med AS (SELECT median(orders) AS median_orders FROM days),
peak AS (
    SELECT d.day FROM days AS d CROSS JOIN med
    WHERE d.orders >= CAST($peak_factor AS DOUBLE) * med.median_orders
      AND d.orders >= CAST($min_day_orders AS INTEGER)
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects FROM pop
)
SELECT 'dates' AS entity_kind, CAST(p.purchase_local_date AS VARCHAR) AS entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE p.is_defect) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_defects) - count(*) FILTER (WHERE p.is_defect) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(p.order_id ORDER BY p.order_id) FILTER (WHERE p.is_defect) AS order_ids,
       any_value(m.median_orders) AS top_median_daily_orders,
       count(*) AS top_day_orders,
       string_agg(DISTINCT p.purchase_zone, ', ' ORDER BY p.purchase_zone) AS top_zone
FROM pop AS p JOIN peak AS k ON k.day = p.purchase_local_date CROSS JOIN tot AS t CROSS JOIN med AS m
GROUP BY p.purchase_local_date
HAVING count(*) FILTER (WHERE p.is_defect) > 0
ORDER BY group_defects DESC, entity
