-- superseded_orders: rows of `orders` that another export of the same order item replaces (deleted).
-- Inputs: orders (every file's rows, appended as read). Parameters: none.
-- Dedup: the same order item (order_id, sku, asin) in several exports counts once; the copy from the
--   file whose row was updated most recently (last_updated_ts, then the later file name) wins, and all
--   rows of that item from that file are kept (two identical lines inside one export are two items).
--   Only items present in more than one file are ranked (a hash aggregate finds them: min and max
--   of the file differ, cheaper than counting distinct files), so one big export
--   is never sorted.
-- Output columns: source_file, source_line (the rows to delete)
WITH shared AS (
    SELECT order_id, coalesce(sku, '') AS k_sku, coalesce(asin, '') AS k_asin
    FROM orders
    GROUP BY ALL
    HAVING min(source_file) <> max(source_file)
)
SELECT source_file, source_line
FROM (
    SELECT s.source_file, s.source_line,
           first_value(s.source_file) OVER (
               PARTITION BY s.order_id, coalesce(s.sku, ''), coalesce(s.asin, '')
               ORDER BY s.last_updated_ts DESC NULLS LAST, s.source_file DESC) AS winner_file
    FROM orders AS s
    JOIN shared AS d
      ON s.order_id = d.order_id AND coalesce(s.sku, '') = d.k_sku AND coalesce(s.asin, '') = d.k_asin
)
WHERE source_file <> winner_file
