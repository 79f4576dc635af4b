-- pgsafe-test: --fail-on=never
-- an error-level finding, but --fail-on=never: exit 0
CREATE INDEX accounts_email_idx ON accounts (email);
