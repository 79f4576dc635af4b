SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE countries (code text NOT NULL CHECK (length(code) = 2));
