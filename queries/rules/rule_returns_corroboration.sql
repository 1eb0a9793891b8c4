-- rule_returns_corroboration: what the returns exports say about some ASINs in a window (used by
-- sellerdx.diagnose to corroborate or weaken a finding about those ASINs).
-- Inputs: returns_mfn, returns_fba, order_facts (purchase_date: the UTC date of the order's earliest row).
-- Parameters: $asins VARCHAR[], $window_start DATE, $window_end DATE,
--   $codes VARCHAR[]  upper-case return reasons / dispositions that support the finding
--                     (e.g. CR-DAMAGED_BY_CARRIER, CARRIER_DAMAGED)
-- A return is in the window when its order's purchase date is (the return's order date or return date
-- when the order is not in the orders data). Reasons and dispositions are compared upper-cased and trimmed.
-- Output: one row per (source, code) with source ('returns_mfn' | 'returns_fba'), code (the return
--   reason, or the FBA detailed disposition when only that matches; NULL for returns with no supporting
--   code), returns (count), supporting BOOLEAN.
WITH mfn AS (
    SELECT 'returns_mfn' AS source, upper(trim(r.return_reason)) AS reason, CAST(NULL AS VARCHAR) AS disposition
    FROM returns_mfn AS r
    LEFT JOIN order_facts AS o USING (order_id)
    WHERE list_contains(CAST($asins AS VARCHAR[]), r.asin)
      AND coalesce(o.purchase_date, r.order_date, r.return_request_date)
          BETWEEN CAST($window_start AS DATE) AND CAST($window_end AS DATE)
),
fba AS (
    SELECT 'returns_fba' AS source, upper(trim(r.reason)) AS reason, upper(trim(r.detailed_disposition)) AS disposition
    FROM returns_fba AS r
    LEFT JOIN order_facts AS o USING (order_id)
    WHERE list_contains(CAST($asins AS VARCHAR[]), r.asin)
      AND coalesce(o.purchase_date, r.return_date) BETWEEN CAST($window_start AS DATE) AND CAST($window_end AS DATE)
),
allr AS (SELECT * FROM mfn UNION ALL SELECT * FROM fba),
coded AS (
    SELECT source,
           CASE WHEN list_contains(CAST($codes AS VARCHAR[]), reason) THEN reason
                WHEN list_contains(CAST($codes AS VARCHAR[]), disposition) THEN disposition END AS code
    FROM allr
)
SELECT source, code, count(*) AS returns, code IS NOT NULL AS supporting
FROM coded
GROUP BY source, code
ORDER BY supporting DESC, returns DESC, source, code
