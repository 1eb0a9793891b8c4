-- load_orders: the canonical `orders` table (one row per order item) from `stage_orders`.
-- Inputs: stage_orders (validated rows of every orders file), vocabulary.
-- Parameters: none.
-- Dedup: the same order item (order_id, sku, asin) in several exports counts once; the copy from the
--   file whose row was updated most recently (last_updated_ts, then the later file name) wins, and all
--   rows of that item from that file are kept (two identical lines inside one export are two items).
--   Only items present in more than one file are ranked (a hash aggregate finds them), so one big export
--   is never sorted.
-- Output: orders(order_id, merchant_order_id, purchase_ts, purchase_date, last_updated_ts, order_status,
--   channel, fulfillment_channel, sales_channel, ship_service_level, product_name, sku, asin, item_status,
--   quantity, currency, item_price, ship_city, ship_state, ship_postal_code, ship_country,
--   is_business_order, source_file, source_line)
CREATE OR REPLACE TABLE orders AS
WITH shared AS (
    SELECT order_id, coalesce(sku, '') AS k_sku, coalesce(asin, '') AS k_asin
    FROM stage_orders
    GROUP BY ALL
    HAVING count(DISTINCT source_file) > 1
),
superseded AS (
    SELECT source_file, source_line
    FROM (
        SELECT s.source_file, s.source_line,
               first_value(s.source_file) OVER (
                   PARTITION BY s.order_id, coalesce(s.sku, ''), coalesce(s.asin, '')
                   ORDER BY s.last_updated_ts DESC NULLS LAST, s.source_file DESC) AS winner_file
        FROM stage_orders AS s
        JOIN shared AS d
          ON s.order_id = d.order_id AND coalesce(s.sku, '') = d.k_sku AND coalesce(s.asin, '') = d.k_asin
    )
    WHERE source_file <> winner_file
)
SELECT r.order_id, r.merchant_order_id, r.purchase_ts, CAST(r.purchase_ts AS DATE) AS purchase_date,
       r.last_updated_ts, r.order_status,
       coalesce(v.code, 'MFN') AS channel, r.fulfillment_channel,
       r.sales_channel, r.ship_service_level, r.product_name, r.sku, r.asin, r.item_status,
       CAST(r.quantity AS INTEGER) AS quantity, r.currency, r.item_price, r.ship_city, r.ship_state,
       r.ship_postal_code, r.ship_country, r.is_business_order, r.source_file, r.source_line
FROM stage_orders AS r
ANTI JOIN superseded AS x ON r.source_file = x.source_file AND r.source_line = x.source_line
LEFT JOIN vocabulary AS v ON v.domain = 'fulfillment_channel' AND v.word = vnorm(r.fulfillment_channel)
