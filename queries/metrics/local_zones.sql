-- local_zones: the time zones of the orders' local weekdays, hours and dates (order_facts.purchase_zone:
-- --timezone, else the sales channel's zone), most orders first, so reports can say which zone they use.
-- Inputs: order_facts. Parameters: none.
-- Output columns: zone, orders
SELECT purchase_zone AS zone, count(*) AS orders
FROM order_facts
GROUP BY purchase_zone
ORDER BY orders DESC, zone
