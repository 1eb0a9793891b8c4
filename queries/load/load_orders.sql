-- load_orders: the canonical rows of `orders` (one row per order item) for the staged rows of one file.
-- Inputs: staged (typed, checked rows of one orders file: the stage columns of schemas/orders.yaml,
--   see ReportSpec.stage_columns; a CTE of the validation's insert, or a temp table for load_frames),
--   vocabulary. Parameters: none.
-- Appended to `orders` as each file is read (one write per row); items exported in several files are
--   removed afterwards by superseded_orders.sql.
-- Output: orders(order_id, merchant_order_id, purchase_ts, purchase_date, last_updated_ts, order_status,
--   channel, fulfillment_channel, sales_channel, ship_service_level, product_name, sku, asin, item_status,
--   quantity, currency, item_price, ship_city, ship_state, ship_postal_code, ship_country,
--   is_business_order, source_file, source_line)
SELECT r.order_id, r.merchant_order_id, r.purchase_ts, CAST(r.purchase_ts AS DATE) AS purchase_date,
       r.last_updated_ts, r.order_status,
       coalesce(v.code, 'MFN') AS channel, r.fulfillment_channel,
       r.sales_channel, r.ship_service_level, r.product_name, r.sku, r.asin, r.item_status,
       CAST(r.quantity AS INTEGER) AS quantity, r.currency, r.item_price, r.ship_city, r.ship_state,
       r.ship_postal_code, r.ship_country, r.is_business_order, r.source_file, r.source_line
FROM staged AS r
LEFT JOIN vocabulary AS v ON v.domain = 'fulfillment_channel' AND v.word = vnorm(r.fulfillment_channel)
