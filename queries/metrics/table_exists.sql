-- table_exists: whether a table or view of that name exists on the connection (any schema, temp included).
-- Inputs: duckdb_tables(), duckdb_views(). Parameters: $name VARCHAR
-- Output columns (one row): found BOOLEAN
SELECT EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = $name)
    OR EXISTS (SELECT 1 FROM duckdb_views() WHERE view_name = $name) AS found
