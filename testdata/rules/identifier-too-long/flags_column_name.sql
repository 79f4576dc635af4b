SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE reports (id bigint PRIMARY KEY,
  number_of_days_since_the_customer_last_logged_in_to_the_web_portal int);
