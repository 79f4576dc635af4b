-- pgsafe-test-exit: 3
SELECT 'naÃ¯ve', 'café';
