-- sales_channels: the sales channels (marketplaces) of the orders, most orders first.
-- Inputs: order_facts. Parameters: none.
-- Output columns: sales_channel, orders
SELECT sales_channel, count(*) AS orders
FROM order_facts
WHERE sales_channel IS NOT NULL
GROUP BY sales_channel
ORDER BY orders DESC, sales_channel
