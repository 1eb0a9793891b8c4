-- order_span: the purchase dates the orders data covers (the default as-of is its last day).
-- Read once per loaded data set (sellerdx.metrics.order_span) and stored with the prepared tables of a
-- folder's cache entry (prepared_info), so a later run of the folder does not scan the orders for it.
-- Inputs: orders. Parameters: none.
-- Output columns (one row): first_date, last_date (UTC purchase dates; NULL without orders)
SELECT min(purchase_date) AS first_date, max(purchase_date) AS last_date
FROM orders
