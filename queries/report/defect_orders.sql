-- defect_orders: every bad outcome counted in one metric's window, one row per order, with what the data
--   says about its reason — the orders a Plan of Action must answer (sellerdx.plan attributes each one
--   to exactly one section: a root cause, an account-wide cause, or "Other defects" by stated reason).
-- Inputs: metric_orders, order_facts (queries/metrics/), feedback (the buyer's words), feedback_themes
--   (sellerdx.themes.theme_table; built before this query runs).
-- Parameters:
--   $windows STRUCT[]  one entry per metric (every metric of the Plan of Action in one run), each with
--     metric       VARCHAR  the metric's key (named in the output)
--     family       VARCHAR  metric_orders family (odr_mfn, odr_afn, pfcr, lsr, vtr, otdr)
--     window_start DATE     the metric's window (metric_orders.window_date: the purchase date, or the
--                           promised delivery date for the unit-based OTDR; inclusive)
--     window_end   DATE
--   $as_of        DATE     only outcomes decided on as-of (metric_orders.counts_from <= $as_of)
-- Output columns (per metric, one row per order):
--   metric, order_id, purchase_date, defect (metric_orders' label), has_negative_feedback, has_counting_claim,
--   has_counting_chargeback, claim_reason_code, chargeback_reason_code, cancel_reason_code,
--   cancel_initiator, shipped_late (the order was confirmed after its expected ship date), carrier,
--   shipping_service, asin, sku, product_name (the order's first item), expected_ship_ts,
--   ship_confirm_ts, never_delivered (a promised delivery date passed without delivery), comment (the
--   counted negative feedback's words, first by date), themes VARCHAR[]
WITH wins AS (
    SELECT unnest(CAST($windows AS STRUCT(metric VARCHAR, family VARCHAR, window_start DATE,
                                          window_end DATE)[])) AS k
),
win AS (   -- one read of metric_orders for every window
    SELECT k.k.metric AS metric, m.order_id, m.purchase_date, m.defect
    FROM metric_orders AS m
    JOIN wins AS k ON m.family = k.k.family
                  AND m.window_date BETWEEN k.k.window_start AND k.k.window_end
    WHERE m.is_defect AND m.counts_from <= CAST($as_of AS DATE)
),
words AS (
    SELECT order_id, arg_min(comments, (feedback_date, source_line)) AS comment
    FROM feedback
    WHERE rating <= 2 AND coalesce(feedback_status, 'active') = 'active'
      AND order_id IN (SELECT order_id FROM win)
    GROUP BY order_id
),
themes AS (
    SELECT order_id, list(theme ORDER BY theme) AS themes
    FROM feedback_themes
    WHERE order_id IN (SELECT order_id FROM win)
    GROUP BY order_id
)
SELECT w.metric, w.order_id, w.purchase_date, w.defect,
       f.has_negative_feedback, f.has_counting_claim, f.has_counting_chargeback,
       f.claim_reason_code, f.chargeback_reason_code, f.cancel_reason_code, f.cancel_initiator,
       f.is_late AS shipped_late, f.carrier, f.shipping_service,
       f.first_asin AS asin, f.first_sku AS sku, f.first_product_name AS product_name,
       f.expected_ship_ts, f.first_confirm_ts AS ship_confirm_ts, f.has_undelivered AS never_delivered,
       wd.comment, coalesce(t.themes, CAST([] AS VARCHAR[])) AS themes
FROM win AS w
JOIN order_facts AS f USING (order_id)
LEFT JOIN words AS wd USING (order_id)
LEFT JOIN themes AS t USING (order_id)
ORDER BY w.metric, w.purchase_date, w.order_id
