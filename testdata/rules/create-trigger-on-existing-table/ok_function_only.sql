SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
