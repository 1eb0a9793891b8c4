-- metric_unit_rows: the unit-based OTDR's rows before they join metric_orders: per (order, promised
-- delivery date) the units of the order's parcels, of those delivered on time and of those late or lost.
-- A parcel's units: the quantity of the order items its SKU (else ASIN) names; a parcel naming none shares
-- the order's units no parcel names, spread evenly (the first parcels, by source file and line, take one
-- more unit each while a remainder is left). The first stage of metric_orders (queries/metric_orders.sql),
-- so the parcels' window functions run apart from the union of every family's orders.
-- Inputs: order_facts (queries/order_facts.sql: which orders are MFN, their item_units), orders, shipments.
-- Parameters: $invalid_carriers VARCHAR[]  lower-case carrier names that do not make tracking valid
-- Output: table metric_unit_rows(order_id, promised DATE, weight BIGINT, num_weight BIGINT,
--   bad_weight BIGINT); only rows with units (weight > 0)
CREATE OR REPLACE TABLE metric_unit_rows AS
WITH parcels AS (   -- the unit-based OTDR: MFN parcels with valid tracking and a promised delivery date
    SELECT s.order_id, s.promised_delivery_date AS promised, s.delivered_date, s.sku, s.asin,
           f.item_units AS qty,   -- the order's units (a row without quantity counts one)
           row_number() OVER (PARTITION BY s.order_id ORDER BY s.source_file, s.source_line) AS parcel_no
    FROM shipments AS s
    JOIN order_facts AS f ON f.order_id = s.order_id AND f.channel = 'MFN'
    WHERE s.promised_delivery_date IS NOT NULL AND s.tracking_id IS NOT NULL
      AND NOT list_contains(CAST($invalid_carriers AS VARCHAR[]), lower(trim(coalesce(s.carrier, ''))))
),
named AS (   -- units of the items each parcel names (the order's item rows it names)
    SELECT p.order_id, p.parcel_no, sum(coalesce(o.quantity, 1)) AS qty
    FROM parcels AS p
    JOIN orders AS o ON o.order_id = p.order_id
                    AND ((p.sku IS NOT NULL AND p.sku = o.sku) OR (p.sku IS NULL AND p.asin IS NOT NULL AND p.asin = o.asin))
    GROUP BY ALL
),
order_units AS (   -- per order: its units, the units its parcels name, its parcels naming no item
    SELECT pc.order_id, pc.qty, coalesce(n.named_qty, 0) AS named_qty,
           pc.parcels - coalesce(n.named_parcels, 0) AS unnamed_parcels
    FROM (SELECT order_id, any_value(qty) AS qty, count(*) AS parcels FROM parcels GROUP BY order_id) AS pc
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
)
SELECT order_id, promised, weight, num_weight, bad_weight FROM unit_rows
