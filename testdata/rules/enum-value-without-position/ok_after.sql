SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TYPE order_status ADD VALUE 'packed' AFTER 'paid';
