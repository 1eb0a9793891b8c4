-- order_span: the purchase dates the orders data covers (the default as-of is its last day).
-- Inputs: orders. Parameters: none.
-- Output columns (one row): first_date, last_date (UTC purchase dates; NULL without orders), orders
SELECT min(purchase_date) AS first_date, max(purchase_date) AS last_date, count(DISTINCT order_id) AS orders
FROM orders
