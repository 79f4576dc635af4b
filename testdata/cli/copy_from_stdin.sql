-- COPY ... FROM stdin: the data rows and the \. terminator are not SQL;
-- the statement after them is still analyzed
COPY accounts (id, email) FROM stdin;
1	a@example.com
2	b@example.com; DROP TABLE accounts;
\.
CREATE INDEX accounts_email_idx ON accounts (email);
