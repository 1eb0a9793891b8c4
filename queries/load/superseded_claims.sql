-- superseded_claims: rows of `claims` that a later export of the same claim replaces (deleted).
-- Inputs: claims (every file's rows, appended as read). Parameters: none.
-- Dedup across exports on (order_id, claim_date, vnorm(claim_reason)): the later file (by name) wins.
-- Output columns: source_file, source_line (the rows to delete)
SELECT source_file, source_line
FROM (
    SELECT s.source_file, s.source_line,
           first_value(s.source_file) OVER (
               PARTITION BY s.order_id, s.claim_date, vnorm(s.claim_reason) ORDER BY s.source_file DESC) AS winner_file
    FROM claims AS s
)
WHERE source_file <> winner_file
