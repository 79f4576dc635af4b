-- The finding's LSP character counts UTF-16 code units: the astral U+1D11E counts 2.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
SELECT '𝄞é€'; CREATE INDEX after_astral ON accounts (email);
