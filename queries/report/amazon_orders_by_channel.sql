-- amazon_orders_by_channel: orders of a purchase-date window per sales channel (Amazon.com, Amazon.de, ...),
-- to tell whether a denominator above Amazon's holds orders of another marketplace.
-- Inputs: orders.
-- Parameters: $date_from DATE, $date_to DATE, $channel VARCHAR ('MFN', 'AFN' or NULL for both)
-- Output columns: sales_channel (NULL when the export has none), orders
SELECT sales_channel, count(DISTINCT order_id) AS orders
FROM orders
WHERE purchase_date BETWEEN CAST($date_from AS DATE) AND CAST($date_to AS DATE)
  AND (CAST($channel AS VARCHAR) IS NULL OR channel = CAST($channel AS VARCHAR))
GROUP BY sales_channel
ORDER BY orders DESC, sales_channel
