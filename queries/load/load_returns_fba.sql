-- load_returns_fba: the canonical `returns_fba` table from `stage_returns_fba`.
-- Inputs: stage_returns_fba. Parameters: none.
-- Dedup across exports on (order_id, sku, return_date, license_plate_number).
-- Output: the schema columns of schemas/returns_fba.yaml (return_date as DATE) plus source_file, source_line.
CREATE OR REPLACE TABLE returns_fba AS
WITH ranked AS (
    SELECT s.*,
           first_value(s.source_file) OVER (
               PARTITION BY s.order_id, s.sku, s.return_date, s.license_plate_number ORDER BY s.source_file DESC) AS winner_file
    FROM stage_returns_fba AS s
)
SELECT r.* EXCLUDE (winner_file, return_date_has_time) REPLACE (CAST(r.return_date AS DATE) AS return_date,
                                                              CAST(r.quantity AS INTEGER) AS quantity)
FROM ranked AS r
WHERE r.source_file = r.winner_file
