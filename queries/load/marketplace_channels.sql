-- marketplace_channels: the marketplaces of the orders (sales channels that name an Amazon marketplace,
-- "Amazon.com", "Amazon.de", ...), most orders first; spellings that differ only in case or spaces are one
-- marketplace. Orders without a sales channel or of another channel ("Non-Amazon") are not listed.
-- Inputs: orders.
-- Parameters: $marketplace_prefix VARCHAR (lower case, e.g. 'amazon.')
-- Output columns: channel_key (lower-cased, trimmed), sales_channel (the spelling most rows use), orders
SELECT lower(trim(sales_channel)) AS channel_key,
       mode(trim(sales_channel) ORDER BY trim(sales_channel)) AS sales_channel,
       count(DISTINCT order_id) AS orders
FROM orders
WHERE starts_with(lower(trim(sales_channel)), CAST($marketplace_prefix AS VARCHAR))
GROUP BY lower(trim(sales_channel))
ORDER BY orders DESC, channel_key
