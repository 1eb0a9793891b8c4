-- marketplace_order_ids: the order ids of one marketplace. The top-level marketplace also keeps the orders
-- no marketplace claims (no sales channel, or a channel that names no Amazon marketplace).
-- Inputs: orders.
-- Parameters: $channel_key VARCHAR (lower-cased, trimmed sales channel), $marketplace_prefix VARCHAR
--   (lower case, e.g. 'amazon.'), $top_level BOOLEAN
-- Output columns: order_id (distinct)
SELECT DISTINCT order_id
FROM orders
WHERE lower(trim(sales_channel)) = CAST($channel_key AS VARCHAR)
   OR (CAST($top_level AS BOOLEAN)
       AND (sales_channel IS NULL
            OR NOT starts_with(lower(trim(sales_channel)), CAST($marketplace_prefix AS VARCHAR))))
