-- superseded_returns_fba: rows of `returns_fba` that a later export of the same return replaces (deleted).
-- Inputs: returns_fba (every file's rows, appended as read). Parameters: none.
-- Dedup across exports on (order_id, sku, return_date, license_plate_number): the later file (by name) wins.
-- Output columns: source_file, source_line (the rows to delete)
SELECT source_file, source_line
FROM (
    SELECT s.source_file, s.source_line,
           first_value(s.source_file) OVER (
               PARTITION BY s.order_id, s.sku, s.return_date, s.license_plate_number ORDER BY s.source_file DESC) AS winner_file
    FROM returns_fba AS s
)
WHERE source_file <> winner_file
