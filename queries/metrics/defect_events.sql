-- defect_events: every counting defect event found in the defect exports, one row per event, whether or
-- not its order is in the orders data. The single place where "what counts" is decided row by row;
-- order_facts aggregates it per order and unmatched_defects lists the rows whose order is unknown.
-- Inputs: feedback, claims, chargebacks, cancellations, shipments (canonical tables, docs/architecture.md).
-- Parameters:
--   $claim_excluded_statuses VARCHAR[]  claim status codes that do not count (denied, withdrawn, Amazon funded)
--   $buyer_initiators        VARCHAR[]  cancellation initiator codes that are the buyer's (do not count)
--   $buyer_reasons           VARCHAR[]  cancellation reason codes that are the buyer's request (do not count)
-- Rules (metrics-spec):
--   negative_feedback   rating 1 or 2 and feedback_status 'active' (removed / struck through do not count)
--   a_to_z_claim        status_code not in $claim_excluded_statuses and not amazon_funded (pending,
--                       granted, refunded_by_seller, closed, open, other count)
--   chargeback          is_fraud is false (a chargeback with no type and no fraud reason counts)
--   seller_cancellation initiator not the buyer's and reason not the buyer's request (seller and Amazon's
--                       automatic cancellations count; a row with neither initiator nor reason counts)
--   late_shipment       a shipments row confirmed after its expected ship date: an explicit late_flag wins;
--                       when either date has no time of day the UTC dates are compared (same-day
--                       confirmation is on time), otherwise the instants; no confirmation = not late
-- Output: defect_events(kind, order_id, event_date DATE, reason_code, detail, source_file, source_line,
--   sku, asin: the item the event names (cancellation row's SKU; shipment row's SKU / ASIN; NULL for
--   feedback, claims and chargebacks, which name no item))
CREATE OR REPLACE TABLE defect_events AS
SELECT 'negative_feedback' AS kind, order_id, feedback_date AS event_date,
       CAST(NULL AS VARCHAR) AS reason_code, 'rating ' || CAST(rating AS VARCHAR) AS detail,
       source_file, source_line, CAST(NULL AS VARCHAR) AS sku, CAST(NULL AS VARCHAR) AS asin
FROM feedback
WHERE rating <= 2 AND coalesce(feedback_status, 'active') = 'active'
UNION ALL
SELECT 'a_to_z_claim', order_id, claim_date, reason_code, coalesce(claim_status, status_code),
       source_file, source_line, NULL, NULL
FROM claims
WHERE NOT coalesce(amazon_funded, false)
  AND NOT coalesce(list_contains(CAST($claim_excluded_statuses AS VARCHAR[]), status_code), false)
UNION ALL
SELECT 'chargeback', order_id, chargeback_date, reason_code, coalesce(chargeback_type, chargeback_reason),
       source_file, source_line, NULL, NULL
FROM chargebacks
WHERE NOT coalesce(is_fraud, false)
UNION ALL
SELECT 'seller_cancellation', order_id, cancel_date, reason_code,
       coalesce(initiator_code, 'unknown initiator') || coalesce(' / ' || sku, ''),
       source_file, source_line, sku, NULL
FROM cancellations
WHERE NOT coalesce(list_contains(CAST($buyer_initiators AS VARCHAR[]), initiator_code), false)
  AND NOT coalesce(list_contains(CAST($buyer_reasons AS VARCHAR[]), reason_code), false)
UNION ALL
SELECT 'late_shipment', order_id, CAST(coalesce(ship_confirm_ts, expected_ship_ts) AS DATE),
       CASE WHEN late_flag IS NOT NULL THEN 'late_flag' ELSE 'confirmed_after_expected' END,
       'expected ' || coalesce(CAST(expected_ship_ts AS VARCHAR), '?') || ', confirmed '
           || coalesce(CAST(ship_confirm_ts AS VARCHAR), '?'),
       source_file, source_line, sku, asin
FROM shipments
WHERE CASE
        WHEN late_flag IS NOT NULL THEN late_flag
        WHEN ship_confirm_ts IS NULL OR expected_ship_ts IS NULL THEN false
        WHEN coalesce(expected_ship_has_time, CAST(expected_ship_ts AS TIME) <> TIME '00:00:00')
             AND coalesce(ship_confirm_has_time, CAST(ship_confirm_ts AS TIME) <> TIME '00:00:00')
            THEN ship_confirm_ts > expected_ship_ts
        ELSE CAST(ship_confirm_ts AS DATE) > CAST(expected_ship_ts AS DATE)
      END
