-- superseded_chargebacks: rows of `chargebacks` that a later export of the same chargeback replaces (deleted).
-- Inputs: chargebacks (every file's rows, appended as read). Parameters: none.
-- Dedup across exports on (order_id, chargeback_date, vnorm(chargeback_reason)): the later file (by name) wins.
-- Output columns: source_file, source_line (the rows to delete)
SELECT source_file, source_line
FROM (
    SELECT s.source_file, s.source_line,
           first_value(s.source_file) OVER (
               PARTITION BY s.order_id, s.chargeback_date, vnorm(s.chargeback_reason) ORDER BY s.source_file DESC) AS winner_file
    FROM chargebacks AS s
)
WHERE source_file <> winner_file
