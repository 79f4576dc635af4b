-- statements that start with "(" or VALUES are ordinary statements
(SELECT 1);
VALUES (1, 'one'), (2, 'two');
((SELECT 2) UNION (SELECT 3));
CREATE INDEX accounts_email_idx ON accounts (email);
