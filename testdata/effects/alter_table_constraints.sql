-- ALTER TABLE constraint subcommands: CHECK, FOREIGN KEY, VALIDATE, PRIMARY
-- KEY / UNIQUE (with and without USING INDEX), EXCLUDE, DROP / ALTER / RENAME
-- CONSTRAINT
-- setup
CREATE TABLE public.parent (id bigint PRIMARY KEY, code int CONSTRAINT parent_code_key UNIQUE, name text);
INSERT INTO parent SELECT g, g, 'p' || g FROM generate_series(1, 3000) g;
CREATE TABLE public.child (
    id bigint PRIMARY KEY,
    parent_id bigint,
    parent_code int,
    code int,
    qty int,
    CONSTRAINT child_qty_pos CHECK (qty > 0),
    CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)
);
INSERT INTO child SELECT g, g, g, g, g FROM generate_series(1, 3000) g;
ALTER TABLE child ADD CONSTRAINT child_code_nv CHECK (code >= 0) NOT VALID;
ALTER TABLE child ADD CONSTRAINT child_parent_code_nv FOREIGN KEY (parent_code) REFERENCES parent (code) NOT VALID;
CREATE UNIQUE INDEX child_code_uidx ON child (code);
CREATE TABLE public.nopk (id bigint NOT NULL, nid bigint, v int);
INSERT INTO nopk SELECT g, g, g FROM generate_series(1, 3000) g;
CREATE UNIQUE INDEX nopk_id_uidx ON nopk (id);
CREATE UNIQUE INDEX nopk_nid_uidx ON nopk (nid);
ALTER TABLE nopk ADD CONSTRAINT nopk_v_uniq UNIQUE (v);
CREATE TABLE public.booking (id int, room int, during tsrange);
INSERT INTO booking
SELECT g, g % 10, tsrange('2024-01-01'::timestamp + g * interval '1 hour', '2024-01-01'::timestamp + (g + 1) * interval '1 hour')
FROM generate_series(1, 3000) g;
-- test
ALTER TABLE child ADD CONSTRAINT child_qty_small CHECK (qty < 1000000);
-- test
ALTER TABLE child ADD CONSTRAINT child_qty_small CHECK (qty < 1000000) NOT VALID;
-- test
ALTER TABLE child ADD CONSTRAINT child_parent_fk2 FOREIGN KEY (parent_id) REFERENCES parent (id);
-- test
ALTER TABLE child ADD CONSTRAINT child_parent_fk2 FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;
-- test
ALTER TABLE child ADD CONSTRAINT child_parent_fk2 FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE;
-- test
ALTER TABLE child ADD FOREIGN KEY (code) REFERENCES parent (code);
-- test
ALTER TABLE child VALIDATE CONSTRAINT child_code_nv;
-- test
ALTER TABLE child VALIDATE CONSTRAINT child_parent_code_nv;
-- test
ALTER TABLE child VALIDATE CONSTRAINT child_qty_pos;
-- test
ALTER TABLE nopk ADD PRIMARY KEY (id);
-- test
ALTER TABLE nopk ADD CONSTRAINT nopk_pkey PRIMARY KEY (nid);
-- test
ALTER TABLE nopk ADD CONSTRAINT nopk_pkey PRIMARY KEY USING INDEX nopk_id_uidx;
-- test
ALTER TABLE nopk ADD CONSTRAINT nopk_pkey PRIMARY KEY USING INDEX nopk_nid_uidx;
-- test
ALTER TABLE nopk ADD CONSTRAINT nopk_v_key UNIQUE (v);
-- test
ALTER TABLE nopk ADD CONSTRAINT nopk_id_key UNIQUE USING INDEX nopk_id_uidx;
-- test
ALTER TABLE child ADD CONSTRAINT child_code_key UNIQUE USING INDEX child_code_uidx;
-- test
ALTER TABLE booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (during WITH &&);
-- test
ALTER TABLE child DROP CONSTRAINT child_qty_pos;
-- test
ALTER TABLE child DROP CONSTRAINT child_parent_fk;
-- test
ALTER TABLE child DROP CONSTRAINT child_parent_code_nv;
-- test
ALTER TABLE child DROP CONSTRAINT IF EXISTS no_such_constraint;
-- test
ALTER TABLE nopk DROP CONSTRAINT nopk_v_uniq;
-- test
ALTER TABLE parent DROP CONSTRAINT parent_code_key CASCADE;
-- test
ALTER TABLE parent DROP CONSTRAINT parent_pkey CASCADE;
-- test
ALTER TABLE child DROP CONSTRAINT child_pkey;
-- test
ALTER TABLE child ALTER CONSTRAINT child_parent_fk DEFERRABLE INITIALLY DEFERRED;
-- test
ALTER TABLE child ALTER CONSTRAINT child_parent_fk NOT DEFERRABLE;
-- test
ALTER TABLE child RENAME CONSTRAINT child_qty_pos TO child_qty_positive;
-- test
ALTER TABLE child RENAME CONSTRAINT child_parent_fk TO child_parent_fkey;
-- test
ALTER TABLE parent RENAME CONSTRAINT parent_code_key TO parent_code_uniq;
