-- load_shipments: the canonical rows of `shipments` for the staged rows of one file.
-- Inputs: staged (typed, checked rows of one shipments file, the stage columns of schemas/shipments.yaml).
--   Parameters: none.
-- Appended to `shipments` as each file is read; shipments described by several files are removed
--   afterwards by superseded_shipments.sql.
-- Output: shipments(order_id, expected_ship_ts, expected_ship_has_time, ship_confirm_ts,
--   ship_confirm_has_time, carrier, tracking_id, shipping_service, first_scan_ts, promised_delivery_date,
--   delivered_date, late_flag, purchase_ts, sku, asin, source_file, source_line)
SELECT r.order_id, r.expected_ship_ts, r.expected_ship_ts_has_time AS expected_ship_has_time,
       r.ship_confirm_ts, r.ship_confirm_ts_has_time AS ship_confirm_has_time,
       nullif(trim(r.carrier), '') AS carrier, nullif(trim(r.tracking_id), '') AS tracking_id,
       r.shipping_service, r.first_scan_ts, r.promised_delivery_date, r.delivered_date, r.late_flag,
       r.purchase_ts, r.sku, r.asin, r.source_file, r.source_line
FROM staged AS r
