-- superseded_feedback: rows of `feedback` that a later export of the same order's feedback replaces (deleted).
-- Inputs: feedback (every file's rows, appended as read). Parameters: none.
-- Dedup across exports on (order_id): the later file (by name) wins.
-- Output columns: source_file, source_line (the rows to delete)
SELECT source_file, source_line
FROM (
    SELECT s.source_file, s.source_line,
           first_value(s.source_file) OVER (
               PARTITION BY s.order_id ORDER BY s.source_file DESC) AS winner_file
    FROM feedback AS s
)
WHERE source_file <> winner_file
