-- The unique index is built CONCURRENTLY, then the constraint takes it
-- over; the primary key's nullable column goes NOT NULL first.
ALTER TABLE events ADD CONSTRAINT events_n_key UNIQUE (n);
ALTER TABLE accounts ADD PRIMARY KEY (id);
ALTER TABLE accounts ADD CONSTRAINT accounts_login_key UNIQUE (login) DEFERRABLE INITIALLY DEFERRED;
