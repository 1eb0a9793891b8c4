-- order_facts: one row per order (amazon-order-id) with everything the metrics, breakdowns, recovery
-- calendar and diagnosis rules need, and no more (narrow: every column is read by a query or a breakdown).
-- Built once per loaded data set (it does not depend on as-of). Not sorted: at 5M order items sorting the
-- finished table by purchase date spilled ~5 GB and took half of its 35 s, for window scans that it made
-- ~2 s faster in all (docs/performance.md, "Round four: the lead's part").
-- The order's numbers are aggregated with row numbers only and its strings read from one row (its first
-- item row; the shipments' first row by file and line) by rowid: eight string aggregate states per order
-- cost more than the rest of the aggregate (docs/performance.md, "Round four: prepared tables").
-- Inputs: orders (one row per order item), defect_events (queries/defect_events.sql), cancellations,
--   shipments.
-- Parameters:
--   $cancelled_statuses VARCHAR[]  lower-case order-status / item-status words meaning cancelled
--   $has_cancellations  BOOLEAN    a cancellations export was supplied (else order-status decides PFCR)
--   $invalid_carriers   VARCHAR[]  lower-case carrier names that do not make tracking valid ('' = blank)
--   $zone_channels      VARCHAR[]  lower-case sales channels with a known local time (data/timezones.toml)
--   $zone_names         VARCHAR[]  their IANA time zones, position by position
--   $zone_default       VARCHAR    the zone of an order whose sales channel is blank or not listed
--   $zone_override      VARCHAR    the zone of every order (--timezone), or NULL
-- Output columns:
--   order_id
--   purchase_ts TIMESTAMP (UTC, earliest of the order's rows), purchase_date DATE (its UTC date)
--   purchase_zone (the marketplace's IANA time zone), purchase_local_date (the purchase date in that
--   zone), purchase_weekday ('Monday'.., of the LOCAL date), purchase_hour (local, 0-23),
--   purchase_iso_week ('2026-W40', of the UTC date like the windows)
--   channel 'MFN' | 'AFN' (an order with any seller-fulfilled item is MFN)
--   order_status (of the most recently updated row), sales_channel, ship_service_level (order-level
--                  fields, the same on every row: read from the first item row)
--   is_cancelled   order-status is cancelled, or every item's item-status is
--   cancel_reason_code, cancel_initiator  of the first counting cancellation ('unknown' without the export)
--   is_late        LSR numerator flag: any late_shipment event; an order with no shipment row is on time
--   has_shipment_row, first_confirm_ts, expected_ship_ts (earliest)
--   carrier, tracking_id (first shipment row), shipping_service (shipments, else ship-service-level)
--   tracking_valid every confirmed shipment row has a tracking id and a carrier not in $invalid_carriers
--   has_undelivered a row with a promised date and no delivered date
--   otdr_counts_from  the first as-of date on which the order's on-time delivery is decided (OTDR):
--                  its purchase date when every row with a promised date is delivered or one was
--                  delivered late; otherwise (a shipment not delivered, none delivered late) the day
--                  after the earliest promised date of its undelivered rows: from then it is late, before
--                  it is pending and left out of the denominator
--   first_asin, first_sku, first_product_name (the order's item row with the lowest source line; the
--                  order-level fields below are read from that row too),
--   units (sum of quantity), order_value (sum of item-price)
--   ship_state, ship_country, ship_postal_code (order-level fields, of the first item row)
--   has_negative_feedback, has_counting_claim, has_counting_chargeback  (ODR defects, rules in defect_events)
--   negative_feedback_date, claim_date, chargeback_date (earliest counting event of each kind)
--   claim_reason_code, chargeback_reason_code (of the earliest counting event)
--   is_odr_defect  any of the three; odr_defect_type 'negative_feedback' | 'a_to_z_claim' | 'chargeback'
--                  or their '+'-joined combination (NULL when no defect)
--   pfcr_eligible / lsr_eligible / vtr_eligible / otdr_eligible   denominators (MFN; LSR not cancelled;
--                  VTR shipment confirmed; OTDR valid tracking and a promised delivery date, counted from
--                  otdr_counts_from on)
--   pfcr_defect / lsr_defect / vtr_invalid / otdr_late               the metric's bad outcomes (PFCR: a
--                  counting cancellation row (defect_events) when a cancellations export was supplied,
--                  any item counting the order, else is_cancelled (an upper bound); VTR eligible: a
--                  shipment row with a confirmation time or a tracking id; OTDR eligible: a row with a
--                  promised delivery date; late: a shipment delivered after its promised date, or not
--                  delivered at all)
--   item_rows      the order's rows in the orders export (1: the order is its one item, order_items)
--   item_units     its units counting a row without quantity as one (the unit-based OTDR, metric_unit_rows)
CREATE OR REPLACE TABLE order_facts AS
WITH o0 AS (   -- numbers and row numbers only: the strings of an order are read from one row (o1)
    SELECT order_id,
           min(purchase_ts) AS purchase_ts,
           max(channel) AS channel,   -- 'MFN' > 'AFN': any seller-fulfilled item makes the order MFN
           arg_max(order_status, coalesce(last_updated_ts, purchase_ts)) AS order_status,
           bool_and(coalesce(list_contains(CAST($cancelled_statuses AS VARCHAR[]), lower(trim(item_status))), false))
             AS all_items_cancelled,
           arg_min(rowid, source_line) AS first_row,
           count(*) AS item_rows,
           sum(coalesce(quantity, 1)) AS item_units,
           coalesce(sum(quantity), 0) AS units,
           sum(item_price) AS order_value
    FROM orders
    GROUP BY order_id
),
o1 AS (   -- the order's first item row (lowest source line) gives the item and the order-level fields
    SELECT o0.* EXCLUDE (all_items_cancelled, first_row),
           coalesce(list_contains(CAST($cancelled_statuses AS VARCHAR[]), lower(trim(o0.order_status))), false)
             OR o0.all_items_cancelled AS is_cancelled,
           r.sales_channel, r.ship_service_level, r.asin AS first_asin, r.sku AS first_sku,
           r.product_name AS first_product_name, r.ship_state, r.ship_country, r.ship_postal_code
    FROM o0 JOIN orders AS r ON r.rowid = o0.first_row
),
zoned AS (
    SELECT *, coalesce(CAST($zone_override AS VARCHAR),
                       CAST($zone_names AS VARCHAR[])[list_position(CAST($zone_channels AS VARCHAR[]),
                                                                    lower(trim(sales_channel)))],
                       CAST($zone_default AS VARCHAR)) AS purchase_zone
    FROM o1
),
o AS (
    SELECT *, timezone(purchase_zone, purchase_ts AT TIME ZONE 'UTC') AS purchase_local_ts FROM zoned
),
ev AS (
    SELECT order_id,
           bool_or(kind = 'negative_feedback') AS has_negative_feedback,
           bool_or(kind = 'a_to_z_claim') AS has_counting_claim,
           bool_or(kind = 'chargeback') AS has_counting_chargeback,
           bool_or(kind = 'seller_cancellation') AS has_seller_cancellation,
           bool_or(kind = 'late_shipment') AS is_late,
           min(event_date) FILTER (WHERE kind = 'negative_feedback') AS negative_feedback_date,
           min(event_date) FILTER (WHERE kind = 'a_to_z_claim') AS claim_date,
           min(event_date) FILTER (WHERE kind = 'chargeback') AS chargeback_date,
           arg_min(reason_code, (event_date, source_line)) FILTER (WHERE kind = 'a_to_z_claim') AS claim_reason_code,
           arg_min(reason_code, (event_date, source_line)) FILTER (WHERE kind = 'chargeback') AS chargeback_reason_code,
           arg_min(reason_code, (event_date, source_line)) FILTER (WHERE kind = 'seller_cancellation') AS cancel_reason_code
    FROM defect_events
    GROUP BY order_id
),
c AS (
    SELECT order_id, arg_min(coalesce(initiator_code, 'unknown'), (cancel_date, source_line)) AS cancel_initiator
    FROM cancellations
    GROUP BY order_id
),
ship_files AS (   -- the shipments' files in name order: (file number, line) orders rows as (file, line) does
    SELECT list(DISTINCT source_file ORDER BY source_file) AS files FROM shipments WHERE source_file IS NOT NULL
),
s0 AS (   -- numbers and row numbers only; the first row's (by file and line) strings are read in s
    SELECT order_id,
           bool_or(ship_confirm_ts IS NOT NULL OR tracking_id IS NOT NULL) AS ship_confirmed,
           min(ship_confirm_ts) AS first_confirm_ts,
           min(expected_ship_ts) AS expected_ship_ts,
           arg_min(rowid, coalesce(list_position((SELECT files FROM ship_files), source_file), 1048575) * 1099511627776
                          + coalesce(source_line, 1099511627775)) AS first_row,
           bool_and(tracking_id IS NOT NULL
                    AND NOT list_contains(CAST($invalid_carriers AS VARCHAR[]), lower(trim(coalesce(carrier, '')))))
               FILTER (WHERE ship_confirm_ts IS NOT NULL OR tracking_id IS NOT NULL) AS tracking_valid,
           bool_or(promised_delivery_date IS NOT NULL) AS has_promised_date,
           bool_or(delivered_date > promised_delivery_date) AS delivered_late,
           min(promised_delivery_date) FILTER (WHERE promised_delivery_date IS NOT NULL
                                               AND delivered_date IS NULL) AS first_undelivered_promise
    FROM shipments
    GROUP BY order_id
),
s AS (
    SELECT s0.* EXCLUDE (first_row), true AS has_shipment_row,
           r.carrier, r.tracking_id, r.shipping_service
    FROM s0 JOIN shipments AS r ON r.rowid = s0.first_row
),
joined AS (
    SELECT o.order_id, o.purchase_ts, CAST(o.purchase_ts AS DATE) AS purchase_date,
           o.purchase_zone,
           CAST(o.purchase_local_ts AS DATE) AS purchase_local_date,
           dayname(CAST(o.purchase_local_ts AS DATE)) AS purchase_weekday,
           hour(o.purchase_local_ts) AS purchase_hour,
           strftime(CAST(o.purchase_ts AS DATE), '%G-W%V') AS purchase_iso_week,
           o.channel, o.order_status, o.sales_channel, o.ship_service_level, o.is_cancelled,
           CASE WHEN $has_cancellations THEN coalesce(ev.has_seller_cancellation, false)
                ELSE o.is_cancelled END AS seller_cancelled,
           CASE WHEN $has_cancellations THEN ev.cancel_reason_code
                WHEN o.is_cancelled THEN 'unknown' END AS cancel_reason_code,
           CASE WHEN $has_cancellations THEN c.cancel_initiator
                WHEN o.is_cancelled THEN 'unknown' END AS cancel_initiator,
           coalesce(ev.is_late, false) AS is_late,
           coalesce(s.has_shipment_row, false) AS has_shipment_row,
           coalesce(s.ship_confirmed, false) AS ship_confirmed,
           s.first_confirm_ts, s.expected_ship_ts, s.carrier, s.tracking_id,
           coalesce(s.shipping_service, o.ship_service_level) AS shipping_service,
           coalesce(s.tracking_valid, false) AS tracking_valid,
           coalesce(s.has_promised_date, false) AS has_promised_date,
           CASE WHEN coalesce(s.delivered_late, false) OR s.first_undelivered_promise IS NULL
                THEN CAST(o.purchase_ts AS DATE)
                ELSE greatest(s.first_undelivered_promise + 1, CAST(o.purchase_ts AS DATE)) END AS otdr_counts_from,
           coalesce(s.delivered_late, false) OR s.first_undelivered_promise IS NOT NULL AS otdr_not_on_time,
           s.first_undelivered_promise IS NOT NULL AS has_undelivered,
           o.first_asin, o.first_sku, o.first_product_name, o.units, o.order_value,
           o.ship_state, o.ship_country, o.ship_postal_code,
           coalesce(ev.has_negative_feedback, false) AS has_negative_feedback,
           coalesce(ev.has_counting_claim, false) AS has_counting_claim,
           coalesce(ev.has_counting_chargeback, false) AS has_counting_chargeback,
           ev.negative_feedback_date, ev.claim_date, ev.chargeback_date,
           ev.claim_reason_code, ev.chargeback_reason_code, o.item_rows, o.item_units
    FROM o
    LEFT JOIN ev USING (order_id)
    LEFT JOIN c USING (order_id)
    LEFT JOIN s USING (order_id)
)
SELECT * EXCLUDE (otdr_not_on_time, seller_cancelled, ship_confirmed, has_promised_date, item_rows, item_units),
       (has_negative_feedback OR has_counting_claim OR has_counting_chargeback) AS is_odr_defect,
       nullif(concat_ws('+',
                        CASE WHEN has_negative_feedback THEN 'negative_feedback' END,
                        CASE WHEN has_counting_claim THEN 'a_to_z_claim' END,
                        CASE WHEN has_counting_chargeback THEN 'chargeback' END), '') AS odr_defect_type,
       channel = 'MFN' AS pfcr_eligible,
       channel = 'MFN' AND seller_cancelled AS pfcr_defect,
       channel = 'MFN' AND NOT is_cancelled AS lsr_eligible,
       channel = 'MFN' AND NOT is_cancelled AND is_late AS lsr_defect,
       channel = 'MFN' AND ship_confirmed AS vtr_eligible,
       channel = 'MFN' AND ship_confirmed AND NOT tracking_valid AS vtr_invalid,
       channel = 'MFN' AND tracking_valid AND has_promised_date AS otdr_eligible,
       channel = 'MFN' AND tracking_valid AND has_promised_date AND otdr_not_on_time AS otdr_late,
       item_rows, item_units
FROM joined
