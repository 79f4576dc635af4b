SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE teams (id bigint PRIMARY KEY);
CREATE TABLE members (id bigint PRIMARY KEY, team_id bigint REFERENCES teams (id));
CREATE INDEX members_team_id_idx ON members (team_id);
DROP TABLE members;
