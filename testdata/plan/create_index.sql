-- pgsafe-test: --context context/shop.sql
CREATE INDEX ON orders (email);
CREATE UNIQUE INDEX orders_email_amount ON orders (email, amount DESC) WHERE amount > 0;
CREATE INDEX orders_lower_email ON orders USING btree (lower(email)) INCLUDE (amount) WITH (fillfactor = 70);
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);
