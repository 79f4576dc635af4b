-- tables, columns with types and typmods, NOT NULL, defaults, identity,
-- generated columns, serials, primary keys and unique constraints
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email email_address,
    name varchar(100) NOT NULL,
    code char(8),
    balance numeric(12, 2) NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    mood mood,
    label short_label,
    CONSTRAINT accounts_email_key UNIQUE (email)
);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    account_id bigint NOT NULL,
    quantity positive_int NOT NULL,
    price numeric(10, 2) NOT NULL,
    total numeric(12, 2) GENERATED ALWAYS AS (quantity * price) STORED,
    note text,
    status varchar(20) DEFAULT 'new',
    placed_at timestamp
);

CREATE TABLE order_items (
    order_id integer NOT NULL,
    line smallint NOT NULL,
    sku text NOT NULL,
    PRIMARY KEY (order_id, line)
);
