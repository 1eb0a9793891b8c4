-- reject_shipments_before_purchase: shipment rows whose confirmation is before the order was placed.
-- A ship-confirm cannot precede the purchase: such a row is damaged (wrong order id or wrong date) and is
-- quarantined rather than counted on time or late. Uses the purchase time of the shipments file itself
-- when it has one, else the earliest purchase time of the order in the orders files.
-- Inputs: shipments, orders (every file's loaded rows, before dedup). Parameters: none.
-- Output: path, line, column_name, value, reason (the shape of rejected_rows).
WITH purchases AS (
    -- only the orders of confirmed shipments that lack their own purchase time (not every order)
    SELECT order_id, min(purchase_ts) AS purchase_ts FROM orders
    WHERE order_id IN (SELECT order_id FROM shipments WHERE ship_confirm_ts IS NOT NULL AND purchase_ts IS NULL)
    GROUP BY order_id
)
SELECT s.source_file AS path, s.source_line AS line, 'ship_confirm_ts' AS column_name,
       strftime(s.ship_confirm_ts, '%Y-%m-%d %H:%M:%S') AS value,
       'ship confirmation ' || strftime(s.ship_confirm_ts, '%Y-%m-%d %H:%M') || ' UTC is before the purchase ('
           || strftime(coalesce(s.purchase_ts, p.purchase_ts), '%Y-%m-%d %H:%M') || ' UTC)' AS reason
FROM shipments AS s
LEFT JOIN purchases AS p USING (order_id)
WHERE s.ship_confirm_ts IS NOT NULL
  AND s.ship_confirm_ts < coalesce(s.purchase_ts, p.purchase_ts)
  AND (s.ship_confirm_has_time OR CAST(s.ship_confirm_ts AS DATE) < CAST(coalesce(s.purchase_ts, p.purchase_ts) AS DATE))
