-- lsr: Late Shipment Rate over the $window_days days (10 or 30) ending on $as_of, by UTC purchase date
-- (metrics-spec "Late Shipment Rate"). MFN orders that are not cancelled.
-- Inputs: order_facts (lsr_eligible, lsr_defect; lateness decided per shipment row in defect_events).
-- Parameters: $as_of DATE, $window_days INTEGER
-- Output columns (one row): window_start, window_end, denominator (MFN orders not cancelled),
--   numerator (those confirmed late), with_shipment_row (denominator orders that have a shipments row)
WITH bounds AS (
    SELECT CAST($as_of AS DATE) - (CAST($window_days AS INTEGER) - 1) AS window_start,
           CAST($as_of AS DATE) AS window_end
)
SELECT b.window_start, b.window_end,
       count(f.order_id) AS denominator,
       count(f.order_id) FILTER (WHERE f.lsr_defect) AS numerator,
       count(f.order_id) FILTER (WHERE f.has_shipment_row) AS with_shipment_row
FROM bounds AS b
LEFT JOIN order_facts AS f
       ON f.lsr_eligible AND f.purchase_date BETWEEN b.window_start AND b.window_end
GROUP BY b.window_start, b.window_end
