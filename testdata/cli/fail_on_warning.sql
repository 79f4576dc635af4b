-- pgsafe-test: --fail-on=warning
-- only a warning (unsupported syntax): exit 1 with --fail-on=warning
SELECT '{}' IS JSON;
