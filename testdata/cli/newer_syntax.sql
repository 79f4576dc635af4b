-- PostgreSQL 16 and 17 syntax that the PostgreSQL 15 grammar rejects:
-- reported as unsupported-syntax (a warning), not as a syntax error, and
-- the statements around it are still analyzed
ALTER TABLE docs ADD COLUMN body jsonb;
SELECT * FROM JSON_TABLE(jsonb '[1,2]', '$[*]' COLUMNS (x int PATH '$')) AS jt;
SELECT '{"a": 1}' IS JSON OBJECT;
SELECT 0x1F, 0o17, 0b101, 1_000_000;
CREATE INDEX docs_body_idx ON docs USING gin (body);
