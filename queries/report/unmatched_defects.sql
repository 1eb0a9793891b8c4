-- unmatched_defects: counting defect events whose order is not in the orders data. They cannot be placed
-- in a window, so they are left out of every rate and reported under data quality (metrics-spec).
-- Inputs: defect_events, orders. Parameters: none.
-- Output columns: kind (negative_feedback, a_to_z_claim, chargeback, seller_cancellation,
--   late_shipment), order_id, defect_date, reason_code, detail, source_file, source_line
SELECT e.kind, e.order_id, e.event_date AS defect_date, e.reason_code, e.detail, e.source_file, e.source_line
FROM defect_events AS e
WHERE NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.order_id = e.order_id)
ORDER BY e.event_date NULLS LAST, e.kind, e.order_id
