-- load_claims: the canonical rows of `claims` (A-to-z Guarantee claims) for the staged rows of one file
--   (appended as read; rows another export replaces are removed afterwards by superseded_claims.sql).
-- Inputs: staged (typed, checked rows of one file: the stage columns of schemas/claims.yaml), vocabulary. Parameters: none.
-- Codes: reason_code (vocabulary claim_reason, else 'other'), status_code (claim_status, else 'other';
--   an empty status is 'pending'), amazon_funded (status granted_amazon_funded, or funded_by says Amazon).
-- Output: claims(order_id, claim_date, claim_reason, reason_code, claim_status, status_code, amount,
--   funded_by, amazon_funded, source_file, source_line)
SELECT r.order_id, r.claim_date, r.claim_reason, coalesce(vr.code, 'other') AS reason_code,
       r.claim_status,
       CASE WHEN r.claim_status IS NULL OR trim(r.claim_status) = '' THEN 'pending'
            ELSE coalesce(vs.code, 'other') END AS status_code,
       r.amount, r.funded_by,
       (coalesce(vs.code, '') = 'granted_amazon_funded' OR coalesce(vf.code, '') = 'amazon') AS amazon_funded,
       r.source_file, r.source_line
FROM staged AS r
LEFT JOIN vocabulary AS vr ON vr.domain = 'claim_reason' AND vr.word = vnorm(r.claim_reason)
LEFT JOIN vocabulary AS vs ON vs.domain = 'claim_status' AND vs.word = vnorm(r.claim_status)
LEFT JOIN vocabulary AS vf ON vf.domain = 'funded_by' AND vf.word = vnorm(r.funded_by)
