SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TYPE reason AS ENUM ('the_customer_asked_for_a_refund_because_the_parcel_arrived_damaged');
