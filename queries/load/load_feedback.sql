-- load_feedback: the canonical rows of `feedback` for the staged rows of one file (appended as read;
--   rows another export replaces are removed afterwards by superseded_feedback.sql).
-- Inputs: staged (typed, checked rows of one file: the stage columns of schemas/feedback.yaml), vocabulary. Parameters: none.
-- feedback_status: 'removed' | 'struck_through' | 'active' from the optional Status column (vocabulary
--   domain feedback_status; an unknown word counts as active and is kept in `status`).
-- Output: feedback(feedback_date, rating, comments, response, order_id, rater_email, arrived_on_time,
--   item_as_described, customer_service, rater_role, status, feedback_status, source_file, source_line)
SELECT r.feedback_date, CAST(r.rating AS INTEGER) AS rating, r.comments, r.response, r.order_id, r.rater_email,
       r.arrived_on_time, r.item_as_described, r.customer_service, r.rater_role, r.status,
       CASE WHEN v.code IN ('removed', 'struck_through') THEN v.code ELSE 'active' END AS feedback_status,
       r.source_file, r.source_line
FROM staged AS r
LEFT JOIN vocabulary AS v ON v.domain = 'feedback_status' AND v.word = vnorm(r.status)
