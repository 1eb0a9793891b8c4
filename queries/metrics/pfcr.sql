-- pfcr: Pre-fulfilment Cancel Rate over the $window_days days ending on $as_of, by UTC purchase date
-- (metrics-spec "Pre-fulfilment Cancel Rate"). MFN orders only.
-- Inputs: order_facts (pfcr_eligible, pfcr_defect: a counting cancellation from the cancellations export,
--   or, without that export, order-status Cancelled).
-- Parameters: $as_of DATE, $window_days INTEGER (7)
-- Output columns (one row): window_start, window_end, denominator (MFN orders), numerator (MFN orders
--   cancelled by the seller or Amazon's auto-cancel), status_cancelled (MFN orders whose order-status is
--   Cancelled, whoever asked), no_inventory (numerator orders whose cancel reason is no_inventory)
WITH bounds AS (
    SELECT CAST($as_of AS DATE) - (CAST($window_days AS INTEGER) - 1) AS window_start,
           CAST($as_of AS DATE) AS window_end
)
SELECT b.window_start, b.window_end,
       count(f.order_id) AS denominator,
       count(f.order_id) FILTER (WHERE f.pfcr_defect) AS numerator,
       count(f.order_id) FILTER (WHERE f.is_cancelled) AS status_cancelled,
       count(f.order_id) FILTER (WHERE f.pfcr_defect AND f.cancel_reason_code = 'no_inventory') AS no_inventory
FROM bounds AS b
LEFT JOIN order_facts AS f
       ON f.pfcr_eligible AND f.purchase_date BETWEEN b.window_start AND b.window_end
GROUP BY b.window_start, b.window_end
