-- load_cancellations: the canonical rows of `cancellations` for the staged rows of one file (appended as read;
--   rows another export replaces are removed afterwards by superseded_cancellations.sql).
-- Inputs: staged (typed, checked rows of one file: the stage columns of schemas/cancellations.yaml), vocabulary. Parameters: none.
-- initiator_code: 'seller' | 'buyer' | 'amazon' | NULL (unknown word or empty), from Cancelled By.
--   When the initiator is missing, a buyer_request reason makes it 'buyer' and not_confirmed_in_time 'amazon'.
-- reason_code: vocabulary cancel_reason, else 'other'.
-- Output: cancellations(order_id, cancel_date, cancelled_by, initiator_code, cancel_reason, reason_code,
--   sku, source_file, source_line)
SELECT r.order_id, r.cancel_date, r.cancelled_by,
       coalesce(vi.code, CASE vr.code WHEN 'buyer_request' THEN 'buyer'
                                      WHEN 'not_confirmed_in_time' THEN 'amazon' END) AS initiator_code,
       r.cancel_reason, coalesce(vr.code, 'other') AS reason_code, r.sku,
       r.source_file, r.source_line
FROM staged AS r
LEFT JOIN vocabulary AS vi ON vi.domain = 'cancel_initiator' AND vi.word = vnorm(r.cancelled_by)
LEFT JOIN vocabulary AS vr ON vr.domain = 'cancel_reason' AND vr.word = vnorm(r.cancel_reason)
