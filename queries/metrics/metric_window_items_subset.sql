-- metric_window_items_subset: the items of a window whose orders are a subset of a wider window's, with
-- the same marks: an ODR channel's window in the odr_all window of its dates, the 10-day LSR window in the
-- 30-day one (sellerdx.metrics.prepared: such a window is a view of the wider one). For those the wider
-- window's items (queries/metrics/metric_window_items.sql) hold every row this window's would, and the same
-- `concerns` and `attributed` (the family's marks and each order's is_defect are the same in both), so
-- they are kept for this window's orders instead of joining order_items again.
-- Inputs: metric_window (the view of the current, narrower window), metric_window_items_wider (a view of
--   the wider window's items, made by sellerdx.metrics.window_items for this statement).
-- Parameters: none
-- Output: temp table metric_window_items(order_id, sku, asin, product_name, concerns, attributed), as
--   queries/metrics/metric_window_items.sql
CREATE OR REPLACE TEMP TABLE metric_window_items AS
SELECT i.order_id, i.sku, i.asin, i.product_name, i.concerns, i.attributed
FROM metric_window_items_wider AS i
SEMI JOIN metric_window AS w ON w.order_id = i.order_id
