-- removable_defects: the removable negative feedback's orders (sellerdx.metrics.removable_feedback) whose
-- ODR defect is that feedback alone, so removing it takes the order out of the ODR numerator. The ODR
-- what-if subtracts those of each window from the metric's numerator (sellerdx.metrics.what_if) instead
-- of recomputing every metric.
-- Inputs: order_facts (queries/metrics/order_facts.sql).
-- Parameters: $order_ids VARCHAR[]  the orders of the removable feedback
-- Output columns: order_id, channel ('MFN' | 'AFN'), purchase_date (UTC, what places the order in an ODR
--   window); one row per order whose negative feedback counts and that has no counting A-to-z claim nor
--   chargeback; ordered by order_id
SELECT f.order_id, f.channel, f.purchase_date
FROM order_facts AS f
WHERE f.order_id IN (SELECT unnest(CAST($order_ids AS VARCHAR[])))
  AND f.has_negative_feedback AND NOT f.has_counting_claim AND NOT f.has_counting_chargeback
ORDER BY f.order_id
