--
-- PostgreSQL database dump
--

\restrict aKMhRZR12sU60lqlsgayO5zJfa6vaytrNpHUDrQz6cWi8Av669280M4g9UZx1TY

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: email_address; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.email_address AS text NOT NULL;


ALTER DOMAIN public.email_address OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'happy',
    'sad'
);


ALTER TYPE public.mood OWNER TO postgres;

--
-- Name: positive_int; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.positive_int AS integer
	CONSTRAINT positive_int_check CHECK ((VALUE > 0));


ALTER DOMAIN public.positive_int OWNER TO postgres;

--
-- Name: short_label; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.short_label AS character varying(20);


ALTER DOMAIN public.short_label OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: orders; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.orders (
    id integer NOT NULL,
    account_id bigint NOT NULL,
    quantity public.positive_int NOT NULL,
    price numeric(10,2) NOT NULL,
    total numeric(12,2) GENERATED ALWAYS AS (((quantity)::numeric * price)) STORED,
    note text,
    status character varying(20) DEFAULT 'new'::character varying,
    placed_at timestamp without time zone,
    CONSTRAINT orders_placed_at_not_null CHECK ((placed_at IS NOT NULL)),
    CONSTRAINT orders_price_check CHECK ((price >= (0)::numeric))
);


ALTER TABLE public.orders OWNER TO postgres;

--
-- Name: account_totals; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.account_totals AS
 SELECT orders.account_id,
    sum(orders.total) AS total
   FROM public.orders
  GROUP BY orders.account_id
  WITH NO DATA;


ALTER TABLE public.account_totals OWNER TO postgres;

--
-- Name: accounts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.accounts (
    id bigint NOT NULL,
    email public.email_address,
    name character varying(100) NOT NULL,
    code character(8),
    balance numeric(12,2) DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    mood public.mood,
    label public.short_label
);


ALTER TABLE public.accounts OWNER TO postgres;

--
-- Name: accounts_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.accounts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.accounts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: events; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events (
    id bigint NOT NULL,
    happened_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    payload jsonb
)
PARTITION BY RANGE (happened_at);


ALTER TABLE public.events OWNER TO postgres;

--
-- Name: events_2024; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events_2024 (
    id bigint NOT NULL,
    happened_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    payload jsonb
);


ALTER TABLE public.events_2024 OWNER TO postgres;

--
-- Name: events_2025; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events_2025 (
    id bigint NOT NULL,
    happened_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    payload jsonb
);


ALTER TABLE public.events_2025 OWNER TO postgres;

--
-- Name: events_default; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events_default (
    id bigint NOT NULL,
    happened_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    payload jsonb
);


ALTER TABLE public.events_default OWNER TO postgres;

--
-- Name: invoice_numbers; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.invoice_numbers
    START WITH 1000
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.invoice_numbers OWNER TO postgres;

--
-- Name: open_orders; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.open_orders AS
 SELECT orders.id,
    orders.account_id,
    orders.total
   FROM public.orders
  WHERE ((orders.status)::text = 'new'::text);


ALTER TABLE public.open_orders OWNER TO postgres;

--
-- Name: order_items; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.order_items (
    order_id integer NOT NULL,
    line smallint NOT NULL,
    sku text NOT NULL
);


ALTER TABLE public.order_items OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.orders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.orders_id_seq OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;


--
-- Name: events_2024; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');


--
-- Name: events_2025; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2025 FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');


--
-- Name: events_default; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_default DEFAULT;


--
-- Name: orders id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);


--
-- Name: accounts accounts_code_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_code_key UNIQUE (code);


--
-- Name: accounts accounts_email_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_email_key UNIQUE (email);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


--
-- Name: order_items order_items_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_pkey PRIMARY KEY (order_id, line);


--
-- Name: orders orders_note_length; Type: CHECK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE public.orders
    ADD CONSTRAINT orders_note_length CHECK ((length(note) < 500)) NOT VALID;


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: account_totals_account_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX account_totals_account_id_idx ON public.account_totals USING btree (account_id);


--
-- Name: accounts_lower_email_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX accounts_lower_email_idx ON public.accounts USING btree (lower((email)::text));


--
-- Name: events_kind_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_kind_idx ON ONLY public.events USING btree (kind);


--
-- Name: events_2024_kind_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_2024_kind_idx ON public.events_2024 USING btree (kind);


--
-- Name: events_2025_kind_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_2025_kind_idx ON public.events_2025 USING btree (kind);


--
-- Name: events_default_kind_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_default_kind_idx ON public.events_default USING btree (kind);


--
-- Name: order_items_sku_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX order_items_sku_idx ON public.order_items USING hash (sku);


--
-- Name: orders_account_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_account_id_idx ON public.orders USING btree (account_id);


--
-- Name: orders_open_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_open_idx ON public.orders USING btree (placed_at) WHERE ((status)::text = 'new'::text);


--
-- Name: events_2024_kind_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_2024_kind_idx;


--
-- Name: events_2025_kind_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_2025_kind_idx;


--
-- Name: events_default_kind_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_default_kind_idx;


--
-- Name: order_items order_items_order_fk; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES public.orders(id) NOT VALID;


--
-- Name: orders orders_account_fk; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES public.accounts(id);


--
-- PostgreSQL database dump complete
--

\unrestrict aKMhRZR12sU60lqlsgayO5zJfa6vaytrNpHUDrQz6cWi8Av669280M4g9UZx1TY

