-- rule_late_confirmation_lag: late shipments whose parcel the carrier scanned on time, i.e. handed over
-- by the expected ship date but confirmed in Seller Central after it (evidence for
-- late_shipment.confirmation_lag, src/sellerdx/data/rules/late_shipment.toml).
-- Inputs: metric_window (the orders of the rule's metric family and window, with order_facts' columns
--   and is_defect; built by sellerdx.metrics.use_window),
--   shipments (first_scan_ts is not in order_facts).
-- Parameters ($family and the window choose metric_window):
--   $family VARCHAR ('lsr'), $window_start DATE, $window_end DATE.
-- Group: window orders whose earliest first carrier scan is on or before the expected ship date (an
--   instant comparison, or by UTC date when the expected ship date has no time). Pattern: late among them.
-- Output (the shape shared by rule_*.sql): one row, entity_kind ('_scan_on_time', not an entity list),
--   entity, group_orders, group_defects, rest_orders, rest_defects, metric_defects, order_ids VARCHAR[],
--   ent_carriers VARCHAR[] (carriers of the pattern orders), top_median_lag_hours (median hours from
--   the first scan to the confirmation over the pattern orders).
WITH pop AS NOT MATERIALIZED (   -- each use reads only the columns it needs
    SELECT * FROM metric_window   -- the family's orders of the window, with is_defect
),
scan AS (      -- only the window's orders: the others' shipments are never looked at
    SELECT s.order_id, min(s.first_scan_ts) AS first_scan_ts,
           bool_or(coalesce(s.expected_ship_has_time, true)) AS expected_has_time
    FROM shipments AS s
    WHERE s.first_scan_ts IS NOT NULL AND s.order_id IN (SELECT order_id FROM metric_window)
    GROUP BY s.order_id
),
flagged AS (
    SELECT p.*, sc.first_scan_ts,
           coalesce(sc.first_scan_ts <= p.expected_ship_ts
                    OR (NOT sc.expected_has_time
                        AND CAST(sc.first_scan_ts AS DATE) <= CAST(p.expected_ship_ts AS DATE)), false) AS scan_on_time
    FROM pop AS p LEFT JOIN scan AS sc USING (order_id)
),
tot AS (
    SELECT count(*) AS n_orders, count(*) FILTER (WHERE is_defect) AS n_defects FROM pop
)
SELECT '_scan_on_time' AS entity_kind, 'handed to the carrier on time' AS entity,
       count(*) AS group_orders,
       count(*) FILTER (WHERE g.is_defect) AS group_defects,
       any_value(t.n_orders) - count(*) AS rest_orders,
       any_value(t.n_defects) - count(*) FILTER (WHERE g.is_defect) AS rest_defects,
       any_value(t.n_defects) AS metric_defects,
       list(g.order_id ORDER BY g.order_id) FILTER (WHERE g.is_defect) AS order_ids,
       list(DISTINCT g.carrier ORDER BY g.carrier) FILTER (WHERE g.is_defect AND g.carrier IS NOT NULL) AS ent_carriers,
       round(median(date_diff('minute', g.first_scan_ts, g.first_confirm_ts)) FILTER (WHERE g.is_defect)
             / 60.0, 1) AS top_median_lag_hours
FROM flagged AS g CROSS JOIN tot AS t
WHERE g.scan_on_time
HAVING count(*) FILTER (WHERE g.is_defect) > 0
