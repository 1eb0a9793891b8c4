-- superseded_shipments: rows of `shipments` that a later file describing the same shipment replaces.
-- Inputs: shipments (every file's rows, appended as read). Parameters: none.
-- A shipments file may list every shipment or only the late ones; several files may describe the same
-- shipment (order_id, tracking_id): the later file wins. Only shipments present in more than one file
-- are ranked (min and max of the file differ), so one big export is never sorted.
-- Output columns: source_file, source_line (the rows to delete)
WITH shared AS (
    SELECT order_id, coalesce(tracking_id, '') AS k_tracking
    FROM shipments
    GROUP BY ALL
    HAVING min(source_file) <> max(source_file)
)
SELECT source_file, source_line
FROM (
    SELECT s.source_file, s.source_line,
           first_value(s.source_file) OVER (
               PARTITION BY s.order_id, coalesce(s.tracking_id, '') ORDER BY s.source_file DESC) AS winner_file
    FROM shipments AS s
    JOIN shared AS d ON s.order_id = d.order_id AND coalesce(s.tracking_id, '') = d.k_tracking
)
WHERE source_file <> winner_file
