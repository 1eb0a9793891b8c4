-- load_shipments: the canonical `shipments` table from `stage_shipments`.
-- Inputs: stage_shipments. Parameters: none.
-- A shipments file may list every shipment or only the late ones; several files may describe the same
-- shipment (order_id, tracking_id): the later file wins. Only shipments present in more than one file
-- are ranked, so one big export is never sorted.
-- Output: shipments(order_id, expected_ship_ts, expected_ship_has_time, ship_confirm_ts,
--   ship_confirm_has_time, carrier, tracking_id, shipping_service, first_scan_ts, promised_delivery_date,
--   delivered_date, late_flag, purchase_ts, sku, asin, source_file, source_line)
CREATE OR REPLACE TABLE shipments AS
WITH shared AS (
    SELECT order_id, coalesce(tracking_id, '') AS k_tracking
    FROM stage_shipments
    GROUP BY ALL
    HAVING count(DISTINCT source_file) > 1
),
superseded AS (
    SELECT source_file, source_line
    FROM (
        SELECT s.source_file, s.source_line,
               first_value(s.source_file) OVER (
                   PARTITION BY s.order_id, coalesce(s.tracking_id, '') ORDER BY s.source_file DESC) AS winner_file
        FROM stage_shipments AS s
        JOIN shared AS d ON s.order_id = d.order_id AND coalesce(s.tracking_id, '') = d.k_tracking
    )
    WHERE source_file <> winner_file
)
SELECT r.order_id, r.expected_ship_ts, r.expected_ship_ts_has_time AS expected_ship_has_time,
       r.ship_confirm_ts, r.ship_confirm_ts_has_time AS ship_confirm_has_time,
       nullif(trim(r.carrier), '') AS carrier, nullif(trim(r.tracking_id), '') AS tracking_id,
       r.shipping_service, r.first_scan_ts, r.promised_delivery_date, r.delivered_date, r.late_flag,
       r.purchase_ts, r.sku, r.asin, r.source_file, r.source_line
FROM stage_shipments AS r
ANTI JOIN superseded AS x ON r.source_file = x.source_file AND r.source_line = x.source_line
