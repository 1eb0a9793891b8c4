-- unmatched_defects: counting defect events whose order is not in the orders data. They cannot be placed
-- in a window, so they are left out of every rate and reported under data quality (metrics-spec).
-- Inputs: defect_events, orders.
-- Parameters: $defect_delay_days INTEGER  a defect dated less than this many days after the orders' first
--   purchase day (or before it) probably belongs to an order purchased before the orders begin.
-- Output columns: kind (negative_feedback, a_to_z_claim, chargeback, seller_cancellation,
--   late_shipment), order_id, defect_date, reason_code, detail, source_file, source_line,
--   why ('before_orders_start' | 'not_in_orders')
WITH span AS (SELECT min(purchase_date) AS first_day FROM orders)
SELECT e.kind, e.order_id, e.event_date AS defect_date, e.reason_code, e.detail, e.source_file, e.source_line,
       CASE WHEN s.first_day IS NULL OR e.event_date < s.first_day + CAST($defect_delay_days AS INTEGER)
            THEN 'before_orders_start' ELSE 'not_in_orders' END AS why
FROM defect_events AS e CROSS JOIN span AS s
WHERE NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.order_id = e.order_id)
ORDER BY e.event_date NULLS LAST, e.kind, e.order_id
