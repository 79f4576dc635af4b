-- a syntax error after non-ASCII text on the same line: the column counts
-- code points (é, ü and the emoji are one each), start_byte counts bytes,
-- and the LSP character counts UTF-16 units (the emoji is two)
SELECT 'héllo wörld 😀' AS "naïve" FROM WHERE;
