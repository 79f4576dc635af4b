-- A normalized listing of what a proof case compares between the database
-- that ran the migration and the one that ran the plan: tables, columns by
-- name (type, NOT NULL, default), constraints, indexes, views, triggers and
-- functions of the user's schemas, then every table's row count and a
-- checksum of its rows with the columns in name order (column order aside).
-- Run with psql -X -At -f catalog.sql.
\pset footer off
SELECT 'table ' || c.oid::regclass || ' kind=' || c.relkind::text || ' persistence=' || c.relpersistence::text
       || coalesce(' bound=' || pg_get_expr(c.relpartbound, c.oid), '')
       || coalesce(' parent=' || (SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid), '')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_toast'
ORDER BY 1;
SELECT 'column ' || c.oid::regclass || '.' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_toast'
ORDER BY 1;
SELECT 'constraint ' || co.conrelid::regclass || ' ' || quote_ident(co.conname) || ' '
       || pg_get_constraintdef(co.oid) || CASE WHEN co.convalidated THEN '' ELSE ' (not validated)' END
FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND co.conrelid <> 0
ORDER BY 1;
SELECT 'index ' || pg_get_indexdef(i.indexrelid)
       || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END
       || CASE WHEN i.indisready THEN '' ELSE ' (not ready)' END
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY 1;
SELECT 'view ' || c.oid::regclass || ' ' || pg_get_viewdef(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1;
SELECT 'trigger ' || t.tgrelid::regclass || ' ' || t.tgname
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1;
SELECT 'function ' || p.oid::regprocedure
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1;
SELECT 'sequence ' || c.oid::regclass
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1;
SELECT 'pending detach ' || inhrelid::regclass FROM pg_inherits WHERE inhdetachpending ORDER BY 1;
-- rows: one query per table, built here and run by \gexec
SELECT format('SELECT %L || %L || count(*) || %L || md5(coalesce(string_agg(r, E''\n'' ORDER BY r), '''')) '
              'FROM (SELECT concat(%s) AS r FROM ONLY %s) s',
              'rows ' || c.oid::regclass, ' count=', ' md5=',
              string_agg(format('coalesce(%I::text, ''<null>''), ''|''', a.attname), ', ' ORDER BY a.attname),
              c.oid::regclass)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
GROUP BY c.oid
ORDER BY c.oid::regclass::text \gexec
