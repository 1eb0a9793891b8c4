-- order_heads: the first stage of order_facts (queries/order_facts.sql): one row per order (amazon-order-id)
-- with what the orders export says about it. Built apart from the shipments' stage (order_ships) and the
-- final joins so that each statement holds one large hash table within DuckDB's memory budget.
-- The order's numbers are aggregated with row numbers only; its strings (the item and the order-level
-- fields) are read from one row, its first item row (lowest source line), by rowid: a hash aggregate of
-- five strings per order cost more than everything else in order_facts (docs/performance.md, round four).
-- Inputs: orders (one row per order item).
-- Parameters:
--   $cancelled_statuses VARCHAR[]  lower-case order-status / item-status words meaning cancelled
--   $zone_channels      VARCHAR[]  lower-case sales channels with a known local time (data/timezones.toml)
--   $zone_names         VARCHAR[]  their IANA time zones, position by position
--   $zone_default       VARCHAR    the zone of an order whose sales channel is blank or not listed
--   $zone_override      VARCHAR    the zone of every order (--timezone), or NULL
-- Output: table order_heads(order_id, purchase_ts, purchase_date, purchase_zone, purchase_local_date,
--   purchase_weekday, purchase_hour, purchase_iso_week, channel, order_status, sales_channel,
--   ship_service_level, is_cancelled, first_asin, first_sku, first_product_name, units, order_value,
--   ship_state, ship_country, ship_postal_code, item_rows, item_units), meanings as in order_facts
CREATE OR REPLACE TABLE order_heads AS
WITH o0 AS (
    SELECT order_id,
           min(purchase_ts) AS purchase_ts,
           max(channel) AS channel,   -- 'MFN' > 'AFN': any seller-fulfilled item makes the order MFN
           arg_max(order_status, coalesce(last_updated_ts, purchase_ts)) AS order_status,
           bool_and(coalesce(list_contains(CAST($cancelled_statuses AS VARCHAR[]), lower(trim(item_status))), false))
             AS all_items_cancelled,
           arg_min(rowid, source_line) AS first_row,
           count(*) AS item_rows,
           coalesce(sum(quantity), 0) AS units,
           sum(coalesce(quantity, 1)) AS item_units,
           sum(item_price) AS order_value
    FROM orders
    GROUP BY order_id
),
o1 AS (   -- the order's first item row gives the item and the order-level fields (the same on every row)
    SELECT o0.order_id, o0.purchase_ts, o0.channel, o0.order_status,
           coalesce(list_contains(CAST($cancelled_statuses AS VARCHAR[]), lower(trim(o0.order_status))), false)
             OR o0.all_items_cancelled AS is_cancelled,
           r.sales_channel, r.ship_service_level, r.asin AS first_asin, r.sku AS first_sku,
           r.product_name AS first_product_name, o0.units, o0.order_value,
           r.ship_state, r.ship_country, r.ship_postal_code, o0.item_rows, o0.item_units,
           coalesce(CAST($zone_override AS VARCHAR),
                    CAST($zone_names AS VARCHAR[])[list_position(CAST($zone_channels AS VARCHAR[]),
                                                                 lower(trim(r.sales_channel)))],
                    CAST($zone_default AS VARCHAR)) AS purchase_zone
    FROM o0 JOIN orders AS r ON r.rowid = o0.first_row
),
o AS (
    SELECT *, timezone(purchase_zone, purchase_ts AT TIME ZONE 'UTC') AS purchase_local_ts FROM o1
)
SELECT order_id, purchase_ts, CAST(purchase_ts AS DATE) AS purchase_date, purchase_zone,
       CAST(purchase_local_ts AS DATE) AS purchase_local_date,
       dayname(CAST(purchase_local_ts AS DATE)) AS purchase_weekday,
       hour(purchase_local_ts) AS purchase_hour,
       strftime(CAST(purchase_ts AS DATE), '%G-W%V') AS purchase_iso_week,
       channel, order_status, sales_channel, ship_service_level, is_cancelled,
       first_asin, first_sku, first_product_name, units, order_value,
       ship_state, ship_country, ship_postal_code, item_rows, item_units
FROM o
