-- pgsafe-test-exit: 3
SELECT 'í €'; -- a UTF-16 surrogate
