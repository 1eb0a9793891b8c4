-- load_returns_fba: the canonical rows of `returns_fba` for the staged rows of one file (appended as read;
--   rows another export replaces are removed afterwards by superseded_returns_fba.sql).
-- Inputs: staged (typed, checked rows of one file: the stage columns of schemas/returns_fba.yaml). Parameters: none.
-- Output: the schema columns of schemas/returns_fba.yaml (return_date as DATE) plus source_file, source_line.
SELECT r.* EXCLUDE (return_date_has_time) REPLACE (CAST(r.return_date AS DATE) AS return_date,
                                                              CAST(r.quantity AS INTEGER) AS quantity)
FROM staged AS r
