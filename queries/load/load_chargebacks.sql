-- load_chargebacks: the canonical rows of `chargebacks` for the staged rows of one file (appended as read;
--   rows another export replaces are removed afterwards by superseded_chargebacks.sql).
-- Inputs: staged (typed, checked rows of one file: the stage columns of schemas/chargebacks.yaml), vocabulary. Parameters: none.
-- is_fraud: the type says Fraud, or (no usable type) the reason is unauthorized / not recognized.
--   A chargeback with neither type nor fraud reason is a service chargeback (metrics-spec: count it).
-- Output: chargebacks(order_id, chargeback_date, chargeback_reason, reason_code, chargeback_type,
--   type_code, is_fraud, source_file, source_line)
SELECT r.order_id, r.chargeback_date, r.chargeback_reason, coalesce(vr.code, 'other') AS reason_code,
       r.chargeback_type, vt.code AS type_code,
       CASE WHEN vt.code IS NOT NULL THEN vt.code = 'fraud'
            ELSE coalesce(vr.code IN ('unauthorized', 'not_recognized'), false) END AS is_fraud,
       r.source_file, r.source_line
FROM staged AS r
LEFT JOIN vocabulary AS vr ON vr.domain = 'chargeback_reason' AND vr.word = vnorm(r.chargeback_reason)
LEFT JOIN vocabulary AS vt ON vt.domain = 'chargeback_type' AND vt.word = vnorm(r.chargeback_type)
