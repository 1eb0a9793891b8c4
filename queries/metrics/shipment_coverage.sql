-- shipment_coverage: what the shipments data can support (VTR needs tracking, OTDR delivery dates).
-- Inputs: shipments. Parameters: none.
-- Output columns (one row): rows, with_confirmation, with_tracking (a tracking id or a carrier),
--   with_delivery_dates (both promised and delivered dates)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE ship_confirm_ts IS NOT NULL) AS with_confirmation,
       count(*) FILTER (WHERE tracking_id IS NOT NULL OR carrier IS NOT NULL) AS with_tracking,
       count(*) FILTER (WHERE promised_delivery_date IS NOT NULL AND delivered_date IS NOT NULL) AS with_delivery_dates
FROM shipments
