-- tools/export-stats.sql - the sizes of a database's tables, for
-- `pgsafe lint --stats FILE` (docs/schema-and-stats.md).
--
--   psql -XAt -f tools/export-stats.sql "$DATABASE_URL" > stats.json
--
-- One JSON object: {"tables": {"schema.table": {"rows": N, "bytes": N}}}.
-- rows is the larger of the planner's estimate (pg_class.reltuples, from
-- the last VACUUM or ANALYZE) and the statistics collector's live row
-- count (pg_stat_user_tables.n_live_tup), so a table is never taken for
-- smaller than either says; bytes is pg_total_relation_size (indexes and
-- TOAST included). A partitioned table counts all its partitions
-- (pg_partition_tree, PostgreSQL 12 and later). Read-only; run it on a
-- replica if you like.
SELECT json_build_object('tables', coalesce(json_object_agg(name,
           json_build_object('rows', rows, 'bytes', bytes) ORDER BY name), '{}'::json))
FROM (
    SELECT format('%s.%s', n.nspname, c.relname) AS name,
           sum(greatest(p.reltuples, coalesce(s.n_live_tup, 0), 0))::bigint AS rows,
           sum(pg_total_relation_size(p.oid))::bigint AS bytes
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN LATERAL (
        SELECT c.oid WHERE c.relkind <> 'p'
        UNION ALL
        SELECT relid FROM pg_partition_tree(c.oid) WHERE isleaf AND c.relkind = 'p'
    ) AS part (oid) ON true
    JOIN pg_class p ON p.oid = part.oid
    LEFT JOIN pg_stat_user_tables s ON s.relid = p.oid
    WHERE c.relkind IN ('r', 'p', 'm')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname !~ '^pg_toast'
    GROUP BY n.nspname, c.relname
) AS sizes;
