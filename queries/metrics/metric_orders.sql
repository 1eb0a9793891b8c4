-- metric_orders: the orders in each metric family's denominator, one row per (family, order) -- per
-- (order, promised delivery date) for the unit-based OTDR -- with the order's bad outcome. Breakdowns,
-- daily series, recovery calendar and recovery simulation read this, so every consumer uses the same
-- membership rules as the metric queries (all taken from order_facts flags).
-- Materialised (a table of the work database) because every breakdown and rule reads it; rebuilt with order_facts.
-- Built in stages: the unit-based OTDR's parcels are first summed into metric_unit_rows
-- (queries/metric_unit_rows.sql), so this statement holds no window function and no parcel.
-- Inputs: order_facts (queries/order_facts.sql), metric_unit_rows.
-- Parameters: none
-- Families: odr_mfn, odr_afn, odr_all, pfcr, lsr (10- and 30-day windows), vtr, otdr, otdr_units.
-- Output columns:
--   family, order_id, purchase_date
--   window_date   the date that places the row in a window: the UTC purchase date, except otdr_units
--                 (the parcels' promised delivery date, metrics-spec "What changed in 2024-2026")
--   is_defect     the bad outcome (ODR defect, seller cancellation, late shipment, invalid tracking,
--                 late delivery)
--   in_numerator  what the metric's numerator counts (= is_defect, except VTR / OTDR which count the good)
--   defect        label of the bad outcome (NULL when none): the ODR defect type(s), the cancellation
--                 reason code, 'late_shipment', 'invalid_tracking', 'late_delivery'
--   counts_from   the first as-of date on which the order is in the denominator: its purchase date,
--                 except OTDR orders whose tracked parcel is not delivered (order_facts.otdr_counts_from:
--                 pending until the promised date has passed). Consumers keep counts_from <= as-of.
--   weight, num_weight, bad_weight  what the row adds to the denominator, the numerator (in_numerator)
--                 and the bad outcomes: 1 / 0 for the order-based families; for otdr_units the units of
--                 the row's parcels, of its parcels delivered on time, and of its late or lost parcels
--                 (a parcel's units: the quantity of the order items its SKU or ASIN names; a parcel
--                 naming none shares the order's units no parcel names, spread evenly)
CREATE OR REPLACE TABLE metric_orders AS
WITH base AS (
    SELECT 'odr_mfn' AS family, order_id, purchase_date, purchase_date AS window_date, is_odr_defect AS is_defect,
           is_odr_defect AS in_numerator, odr_defect_type AS defect, purchase_date AS counts_from
    FROM order_facts WHERE channel = 'MFN'
    UNION ALL
    SELECT 'odr_afn', order_id, purchase_date, purchase_date, is_odr_defect, is_odr_defect, odr_defect_type,
           purchase_date
    FROM order_facts WHERE channel = 'AFN'
    UNION ALL
    SELECT 'odr_all', order_id, purchase_date, purchase_date, is_odr_defect, is_odr_defect, odr_defect_type,
           purchase_date
    FROM order_facts
    UNION ALL
    SELECT 'pfcr', order_id, purchase_date, purchase_date, pfcr_defect, pfcr_defect,
           CASE WHEN pfcr_defect THEN coalesce(cancel_reason_code, 'unknown') END, purchase_date
    FROM order_facts WHERE pfcr_eligible
    UNION ALL
    SELECT 'lsr', order_id, purchase_date, purchase_date, lsr_defect, lsr_defect,
           CASE WHEN lsr_defect THEN 'late_shipment' END, purchase_date
    FROM order_facts WHERE lsr_eligible
    UNION ALL
    SELECT 'vtr', order_id, purchase_date, purchase_date, vtr_invalid, NOT vtr_invalid,
           CASE WHEN vtr_invalid THEN 'invalid_tracking' END, purchase_date
    FROM order_facts WHERE vtr_eligible
    UNION ALL
    SELECT 'otdr', order_id, purchase_date, purchase_date, otdr_late, NOT otdr_late,
           CASE WHEN otdr_late THEN 'late_delivery' END, otdr_counts_from
    FROM order_facts WHERE otdr_eligible
)
SELECT family, order_id, purchase_date, window_date, is_defect, in_numerator, defect, counts_from,
       CAST(1 AS BIGINT) AS weight, CAST(in_numerator AS BIGINT) AS num_weight,
       CAST(is_defect AS BIGINT) AS bad_weight
FROM base
UNION ALL
SELECT 'otdr_units', u.order_id, f.purchase_date, u.promised, u.bad_weight > 0, u.num_weight > 0,
       CASE WHEN u.bad_weight > 0 THEN 'late_delivery' END, u.promised, u.weight, u.num_weight, u.bad_weight
FROM metric_unit_rows AS u JOIN order_facts AS f USING (order_id)
