-- order_ships: a stage of order_facts (queries/order_facts.sql): one row per order with a shipments row,
-- what the shipment confirmations say about it. Numbers are aggregated with row numbers only; the carrier,
-- tracking id and shipping service are those of the order's first row (by source file and line), read by
-- rowid. A file's number (its position among the shipments' files in name order) and the line make one
-- integer that orders rows as (file, line) does.
-- Inputs: shipments.
-- Parameters:
--   $invalid_carriers   VARCHAR[]  lower-case carrier names that do not make tracking valid ('' = blank)
-- Output: table order_ships(order_id, ship_confirmed, first_confirm_ts, expected_ship_ts (earliest),
--   tracking_valid, has_promised_date, delivered_late, first_undelivered_promise, carrier, tracking_id,
--   shipping_service), meanings as in order_facts
CREATE OR REPLACE TABLE order_ships AS
WITH ship_files AS (
    SELECT list(DISTINCT source_file ORDER BY source_file) AS files FROM shipments WHERE source_file IS NOT NULL
),
s0 AS (
    SELECT order_id,
           bool_or(ship_confirm_ts IS NOT NULL OR tracking_id IS NOT NULL) AS ship_confirmed,
           min(ship_confirm_ts) AS first_confirm_ts,
           min(expected_ship_ts) AS expected_ship_ts,
           arg_min(rowid, coalesce(list_position((SELECT files FROM ship_files), source_file), 1048575) * 1099511627776
                          + coalesce(source_line, 1099511627775)) AS first_row,
           bool_and(tracking_id IS NOT NULL
                    AND NOT list_contains(CAST($invalid_carriers AS VARCHAR[]), lower(trim(coalesce(carrier, '')))))
               FILTER (WHERE ship_confirm_ts IS NOT NULL OR tracking_id IS NOT NULL) AS tracking_valid,
           bool_or(promised_delivery_date IS NOT NULL) AS has_promised_date,
           bool_or(delivered_date > promised_delivery_date) AS delivered_late,
           min(promised_delivery_date) FILTER (WHERE promised_delivery_date IS NOT NULL
                                               AND delivered_date IS NULL) AS first_undelivered_promise
    FROM shipments
    GROUP BY order_id
)
SELECT s0.order_id, s0.ship_confirmed, s0.first_confirm_ts, s0.expected_ship_ts, s0.tracking_valid,
       s0.has_promised_date, s0.delivered_late, s0.first_undelivered_promise,
       r.carrier, r.tracking_id, r.shipping_service
FROM s0 JOIN shipments AS r ON r.rowid = s0.first_row
