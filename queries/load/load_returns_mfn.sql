-- load_returns_mfn: the canonical `returns_mfn` table from `stage_returns_mfn`.
-- Inputs: stage_returns_mfn. Parameters: none. Dedup across exports on (order_id, sku, return_request_date).
-- Output: the schema columns of schemas/returns_mfn.yaml plus source_file, source_line.
CREATE OR REPLACE TABLE returns_mfn AS
WITH ranked AS (
    SELECT s.*,
           first_value(s.source_file) OVER (
               PARTITION BY s.order_id, s.sku, s.return_request_date ORDER BY s.source_file DESC) AS winner_file
    FROM stage_returns_mfn AS s
)
SELECT r.* EXCLUDE (winner_file) REPLACE (CAST(r.return_quantity AS INTEGER) AS return_quantity)
FROM ranked AS r
WHERE r.source_file = r.winner_file
