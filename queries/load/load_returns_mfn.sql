-- load_returns_mfn: the canonical rows of `returns_mfn` for the staged rows of one file (appended as read;
--   rows another export replaces are removed afterwards by superseded_returns_mfn.sql).
-- Inputs: staged (typed, checked rows of one file: the stage columns of schemas/returns_mfn.yaml). Parameters: none.
-- Output: the schema columns of schemas/returns_mfn.yaml plus source_file, source_line.
SELECT r.* REPLACE (CAST(r.return_quantity AS INTEGER) AS return_quantity)
FROM staged AS r
