-- pgsafe-test-exit: 3
SELECT 'café';
SELECT 1;
