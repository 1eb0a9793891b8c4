-- metric_window: the orders of one metric family's window, each with its bad outcome (from metric_orders)
-- and every column of order_facts. Materialised once per (family, window) by sellerdx.metrics.use_window,
-- so the diagnosis rules (queries/rule_*.sql) and breakdowns read the window's orders from one table
-- instead of each joining metric_orders with every order of the data.
-- Inputs: metric_orders, order_facts (queries/metric_orders.sql, queries/order_facts.sql).
-- Parameters: $family VARCHAR (odr_mfn, odr_afn, odr_all, pfcr, lsr, vtr, otdr, otdr_units),
--   $window_start DATE, $window_end DATE (inclusive, metric_orders.window_date: the UTC purchase date, the
--   promised delivery date for otdr_units; one row per order, per order and promised date for otdr_units).
--   An order is in the window once
--   it counts on the window's end (metric_orders.counts_from <= $window_end): only OTDR orders can
--   count later than their purchase date, and OTDR's window ends on the as-of date.
-- Output: temp table metric_window(is_defect, in_numerator, defect, window_date, weight, num_weight,
--   bad_weight (metric_orders: units for otdr_units, else 1 / 0), then the columns of order_facts that
--   the window's readers use (the rules, breakdowns and the breakdowns.toml / rules/*.toml columns; about
--   half of them, so nine windows hold half the memory; tests/test_window_tables.py checks that every
--   order_facts column a reader names is here))
-- The join is on (order_id, purchase_date) -- equal for every order, metric_orders' purchase date is
-- order_facts' -- so DuckDB's join filter (the window's least and greatest purchase date) prunes too.
CREATE OR REPLACE TEMP TABLE metric_window AS
SELECT m.is_defect, m.in_numerator, m.defect, m.window_date, m.weight, m.num_weight, m.bad_weight,
       f.order_id, f.purchase_ts, f.purchase_date, f.purchase_zone, f.purchase_local_date,
       f.purchase_weekday, f.purchase_hour, f.purchase_iso_week, f.channel, f.cancel_reason_code, f.is_late,
       f.first_confirm_ts, f.expected_ship_ts, f.carrier, f.tracking_id, f.shipping_service,
       f.has_undelivered, f.units, f.ship_state, f.ship_country, f.has_negative_feedback,
       f.has_counting_claim, f.has_counting_chargeback, f.claim_reason_code, f.chargeback_reason_code
FROM metric_orders AS m
JOIN order_facts AS f USING (order_id, purchase_date)
WHERE m.family = $family
  AND m.window_date BETWEEN CAST($window_start AS DATE) AND CAST($window_end AS DATE)
  AND m.counts_from <= CAST($window_end AS DATE)
  -- the same orders, said on order_facts' purchase date so its scan skips the row groups outside the
  -- window where the zone maps allow it; window_date is the purchase date except for otdr_units (a
  -- promised date), whose orders the join on purchase_date finds
  AND (f.purchase_date BETWEEN CAST($window_start AS DATE) AND CAST($window_end AS DATE) OR $family = 'otdr_units')
