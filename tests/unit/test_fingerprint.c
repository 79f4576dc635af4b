/*
 * test_fingerprint.c - fingerprint_sql() (analyzer/fingerprint.h): layout,
 * comments and the case of unquoted words do not change a statement's
 * hash; anything inside quotes, and any other change of the SQL, does.
 * Also FNV-1a's published test vectors, and report_fingerprints()'s
 * occurrence numbering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fingerprint.h"
#include "report_util.h"

static uint64_t fp(const char *sql)
{
	return fingerprint_sql(sql, strlen(sql));
}

static void test_fnv1a_vectors(void **state)
{
	(void)state;
	/* FNV-1a 64-bit: "" is the offset basis, "a" and "foobar" the reference values */
	assert_true(fnv1a64(FNV1A64_INIT, "", 0) == UINT64_C(0xcbf29ce484222325));
	assert_true(fnv1a64(FNV1A64_INIT, "a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(fnv1a64(FNV1A64_INIT, "foobar", 6) == UINT64_C(0x85944171f73967e8));
}

static void test_layout_and_comments_ignored(void **state)
{
	(void)state;
	uint64_t h = fp("CREATE INDEX i ON t (c)");
	assert_true(h != 0);
	assert_true(fp("create   index i\n\ton t(c)") != h); /* "t(c)" lost a space: a real change */
	assert_true(fp("create   index i\n\ton t (c)") == h);
	assert_true(fp("  CREATE INDEX i ON t (c)  \n") == h);
	assert_true(fp("CREATE INDEX i -- why\nON t (c)") == h);
	assert_true(fp("CREATE /* a /* nested */ comment */ INDEX i ON t (c)") == h);
	assert_true(fp("CREATE INDEX i\r\nON t (c)") == h);
}

static void test_quoted_text_kept(void **state)
{
	(void)state;
	assert_true(fp("SELECT 'a  b'") != fp("SELECT 'a b'"));
	assert_true(fp("SELECT 'A'") != fp("SELECT 'a'"));
	assert_true(fp("SELECT \"Col\" FROM t") != fp("SELECT \"col\" FROM t"));
	/* a comment marker inside quotes is text */
	assert_true(fp("SELECT '--x', 1") != fp("SELECT '--x', 2"));
	assert_true(fp("SELECT 'it''s  here'") != fp("SELECT 'it''s here'"));
	assert_true(fp("SELECT $$a  -- b$$") != fp("SELECT $$a -- b$$"));
	assert_true(fp("SELECT $tag$ x $$ y $tag$") != fp("SELECT $tag$ x $$  y $tag$"));
	/* after the closing quote, layout is insignificant again */
	assert_true(fp("SELECT 'x'   ,  1") == fp("SELECT 'x' , 1"));
	assert_true(fp("SELECT $$x$$   ,  1") == fp("SELECT $$x$$ , 1"));
	/* $1 is a parameter, not a dollar quote */
	assert_true(fp("SELECT $1  ,  $2") == fp("SELECT $1 , $2"));
}

static void test_unquoted_case_folded(void **state)
{
	(void)state;
	assert_true(fp("ALTER TABLE Orders ADD COLUMN x int") == fp("alter table orders add column x INT"));
	assert_true(fp("ALTER TABLE orders ADD COLUMN x int") != fp("ALTER TABLE orders ADD COLUMN y int"));
}

static void test_blank_is_zero(void **state)
{
	(void)state;
	assert_true(fp("") == 0);
	assert_true(fp("  \n\t") == 0);
	assert_true(fp("-- only a comment") == 0);
}

static void test_occurrences(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct diag items[4] = {
		{ .rule = "r", .file = "f.sql", .stmt_hash = 7 },
		{ .rule = "r", .file = "f.sql", .stmt_hash = 7 },
		{ .rule = "q", .file = "f.sql", .stmt_hash = 7 },
		{ .rule = "r", .file = "g.sql", .stmt_hash = 7 },
	};
	struct diag_list l = { .a = &a, .items = items, .n = 4, .cap = 4 };
	uint64_t *f = report_fingerprints(&a, &l);
	assert_non_null(f);
	/* the same rule twice on one statement: distinct, and stable */
	assert_true(f[0] != f[1]);
	assert_true(f[0] != f[2] && f[0] != f[3] && f[2] != f[3]);
	uint64_t *again = report_fingerprints(&a, &l);
	assert_memory_equal(f, again, 4 * sizeof(*f));
	char hex[17];
	report_fingerprint_hex(UINT64_C(0x0123456789abcdef), hex);
	assert_string_equal(hex, "0123456789abcdef");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv1a_vectors),
		cmocka_unit_test(test_layout_and_comments_ignored),
		cmocka_unit_test(test_quoted_text_kept),
		cmocka_unit_test(test_unquoted_case_folded),
		cmocka_unit_test(test_blank_is_zero),
		cmocka_unit_test(test_occurrences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
