-- metric_orders: the orders in each metric family's denominator, one row per (family, order) -- per
-- (order, promised delivery date) for the unit-based OTDR -- with the order's bad outcome. Breakdowns,
-- daily series, recovery calendar and recovery simulation read this, so every consumer uses the same
-- membership rules as the metric queries (all taken from order_facts flags).
-- Materialised (a temp table) because every breakdown and rule reads it; rebuilt with order_facts.
-- Inputs: order_facts (queries/order_facts.sql), orders, shipments (the unit-based OTDR's parcels).
-- Parameters: $invalid_carriers VARCHAR[]  lower-case carrier names that do not make tracking valid
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
CREATE OR REPLACE TEMP TABLE metric_orders AS
WITH parcels AS (   -- the unit-based OTDR: MFN parcels with valid tracking and a promised delivery date
    SELECT s.order_id, s.promised_delivery_date AS promised, s.delivered_date, s.sku, s.asin,
           row_number() OVER (PARTITION BY s.order_id ORDER BY s.source_file, s.source_line) AS parcel_no
    FROM shipments AS s
    JOIN order_facts AS f ON f.order_id = s.order_id AND f.channel = 'MFN'
    WHERE s.promised_delivery_date IS NOT NULL AND s.tracking_id IS NOT NULL
      AND NOT list_contains(CAST($invalid_carriers AS VARCHAR[]), lower(trim(coalesce(s.carrier, ''))))
),
items AS (
    SELECT order_id, sku, asin, sum(coalesce(quantity, 1)) AS qty FROM orders GROUP BY ALL
),
named AS (   -- units of the items each parcel names
    SELECT p.order_id, p.parcel_no, sum(i.qty) AS qty
    FROM parcels AS p
    JOIN items AS i ON i.order_id = p.order_id
                   AND ((p.sku IS NOT NULL AND p.sku = i.sku) OR (p.sku IS NULL AND p.asin IS NOT NULL AND p.asin = i.asin))
    GROUP BY ALL
),
order_units AS (   -- per order: its units, the units its parcels name, its parcels naming no item
    SELECT q.order_id, q.qty, coalesce(n.named_qty, 0) AS named_qty,
           pc.parcels - coalesce(n.named_parcels, 0) AS unnamed_parcels
    FROM (SELECT order_id, sum(qty) AS qty FROM items
          WHERE order_id IN (SELECT order_id FROM parcels) GROUP BY order_id) AS q
    JOIN (SELECT order_id, count(*) AS parcels FROM parcels GROUP BY order_id) AS pc USING (order_id)
    LEFT JOIN (SELECT order_id, sum(qty) AS named_qty, count(*) AS named_parcels FROM named GROUP BY order_id)
           AS n USING (order_id)
),
parcel_units AS (
    SELECT p.order_id, p.promised, p.delivered_date,
           coalesce(n.qty,
                    CASE WHEN u.unnamed_parcels > 0 AND u.qty > u.named_qty THEN
                         (u.qty - u.named_qty) // u.unnamed_parcels
                         + CASE WHEN row_number() OVER (PARTITION BY p.order_id, n.qty IS NULL ORDER BY p.parcel_no)
                                     <= (u.qty - u.named_qty) % u.unnamed_parcels THEN 1 ELSE 0 END
                    ELSE 0 END) AS units,
           p.delivered_date IS NOT NULL AND p.delivered_date <= p.promised AS on_time
    FROM parcels AS p
    LEFT JOIN named AS n USING (order_id, parcel_no)
    JOIN order_units AS u USING (order_id)
),
unit_rows AS (
    SELECT order_id, promised, CAST(sum(units) AS BIGINT) AS weight,
           CAST(coalesce(sum(units) FILTER (WHERE on_time), 0) AS BIGINT) AS num_weight,
           CAST(coalesce(sum(units) FILTER (WHERE NOT on_time), 0) AS BIGINT) AS bad_weight
    FROM parcel_units
    GROUP BY order_id, promised
    HAVING sum(units) > 0
),
base AS (
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
FROM unit_rows AS u JOIN order_facts AS f USING (order_id)
