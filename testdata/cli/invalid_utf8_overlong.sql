-- pgsafe-test-exit: 3
SELECT 1; -- overlong slash: À¯
