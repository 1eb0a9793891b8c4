-- otdr: On-Time Delivery Rate over the $window_days days (30) ending on $as_of, by UTC purchase date
-- (metrics-spec "On-Time Delivery Rate"). MFN orders with valid tracking and a promised delivery date;
-- an order is on time when every shipment with a promised date was delivered on or before it. A shipment
-- not delivered is late once its promised date is before $as_of (a lost parcel), and pending while the
-- promised date is $as_of or later: a pending order is left out of the denominator (order_facts
-- otdr_counts_from > $as_of) unless another of its shipments was already delivered late.
-- Inputs: order_facts (otdr_eligible, otdr_late, otdr_counts_from).
-- Parameters: $as_of DATE, $window_days INTEGER
-- Output columns (one row): window_start, window_end, denominator, numerator (delivered on or before
--   the promised date), late (the rest: delivered late or not delivered by the promised date),
--   pending (tracked orders of the window not delivered whose promised date is not yet past)
WITH bounds AS (
    SELECT CAST($as_of AS DATE) - (CAST($window_days AS INTEGER) - 1) AS window_start,
           CAST($as_of AS DATE) AS window_end
)
SELECT b.window_start, b.window_end,
       count(f.order_id) FILTER (WHERE f.otdr_counts_from <= b.window_end) AS denominator,
       count(f.order_id) FILTER (WHERE f.otdr_counts_from <= b.window_end AND NOT f.otdr_late) AS numerator,
       count(f.order_id) FILTER (WHERE f.otdr_counts_from <= b.window_end AND f.otdr_late) AS late,
       count(f.order_id) FILTER (WHERE f.otdr_counts_from > b.window_end) AS pending
FROM bounds AS b
LEFT JOIN order_facts AS f
       ON f.otdr_eligible AND f.purchase_date BETWEEN b.window_start AND b.window_end
GROUP BY b.window_start, b.window_end
