-- pgsafe-test: --context context/shop.sql
ALTER TABLE events ADD CONSTRAINT events_n_key UNIQUE (n);
ALTER TABLE accounts ADD PRIMARY KEY (id);
ALTER TABLE accounts ADD CONSTRAINT accounts_login_key UNIQUE (login) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE accounts ADD CONSTRAINT accounts_excl EXCLUDE USING gist (id WITH =);
