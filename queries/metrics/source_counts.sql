-- source_counts: row counts of the canonical tables order_facts is built from; metrics.py compares them
-- (with the supplied kinds) to decide whether order_facts must be rebuilt after a reload.
-- Inputs: orders, feedback, claims, chargebacks, cancellations, shipments. Parameters: none.
-- Output columns (one row): orders, feedback, claims, chargebacks, cancellations, shipments
SELECT (SELECT count(*) FROM orders) AS orders,
       (SELECT count(*) FROM feedback) AS feedback,
       (SELECT count(*) FROM claims) AS claims,
       (SELECT count(*) FROM chargebacks) AS chargebacks,
       (SELECT count(*) FROM cancellations) AS cancellations,
       (SELECT count(*) FROM shipments) AS shipments
