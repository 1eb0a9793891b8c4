-- metric_window_items: the distinct items (SKU, ASIN, product name) of the orders in metric_window, for the
-- rules and breakdowns (queries/breakdown_items.sql) that group orders by what they hold (an order is in
-- the group of every SKU / ASIN it holds).
-- Built by sellerdx.metrics.window_items after metric_window, once per window.
-- Inputs: orders, metric_window (queries/metric_window.sql). Parameters: none.
-- Output: temp table metric_window_items(order_id, sku, asin, product_name), distinct rows
CREATE OR REPLACE TEMP TABLE metric_window_items AS
SELECT DISTINCT o.order_id, o.sku, o.asin, o.product_name
FROM orders AS o
WHERE o.order_id IN (SELECT w.order_id FROM metric_window AS w)
