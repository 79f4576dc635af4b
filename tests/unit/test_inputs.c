/*
 * test_inputs.c - apply order of migration files (inputs.h): natural
 * comparison of names and the expansion of a directory tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "inputs.h"
#include "pgsafe.h"

static int sign(int v)
{
	return v < 0 ? -1 : v > 0 ? 1 : 0;
}

#define assert_before(a, b) do { \
		assert_int_equal(sign(inputs_natural_compare((a), (b))), -1); \
		assert_int_equal(sign(inputs_natural_compare((b), (a))), 1); \
	} while (0)

static void test_numbers_compare_as_numbers(void **state)
{
	(void)state;
	assert_before("2", "10");
	assert_before("2_add.sql", "10_add.sql");
	assert_before("9.sql", "10.sql");
	assert_before("001_a.sql", "002_a.sql");
	assert_before("V9__x.sql", "V10__x.sql");
	assert_before("20240101_a.sql", "20240102_a.sql");
	/* digits longer than any integer type */
	assert_before("123456789012345678901234567890", "123456789012345678901234567891");
	/* text still compares byte by byte */
	assert_before("a.sql", "b.sql");
	assert_before("1_a.sql", "1_b.sql");
	assert_before("abc", "abcd");
	assert_int_equal(inputs_natural_compare("10_x.sql", "10_x.sql"), 0);
	assert_int_equal(inputs_natural_compare("", ""), 0);
}

static void test_leading_zeros(void **state)
{
	(void)state;
	/* equal values: the number decides before the zeros */
	assert_before("02_b.sql", "3_a.sql");
	assert_before("1_z.sql", "002_a.sql");
	/* same value: fewer leading zeros first, and never "equal" */
	assert_before("2_a.sql", "02_a.sql");
	assert_before("02_a.sql", "002_a.sql");
}

/*
 * Flyway-style versions: V1 is version 1, V1.1 is 1.1, so V1 is applied
 * first.
 * KNOWN BUG (inputs.c inputs_natural_compare): after the equal digit runs
 * "1", the bytes '_' (0x5f) and '.' (0x2e) are compared, which puts
 * V1.1__b.sql before V1__a.sql.
 */
static void test_versions_with_dots(void **state)
{
	(void)state;
	assert_before("V1__a.sql", "V1.1__b.sql");
	assert_before("V1.1__b.sql", "V1.2__c.sql");
	assert_before("V1.2__c.sql", "V1.10__d.sql");
	assert_before("V1.10__d.sql", "V2__e.sql");
}

/* ---------------------------------------------------------------------
 * Directory expansion
 * ------------------------------------------------------------------- */

struct tree {
	char root[64];
	struct arena a;
};

static void make_file(const char *root, const char *rel)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("select 1;\n", f);
	fclose(f);
}

static void make_dir(const char *root, const char *rel)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0700), 0);
}

static int setup_tree(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	strcpy(t->root, "/tmp/pgsafe-unit-inputs-XXXXXX");
	if (!mkdtemp(t->root)) {
		free(t);
		return -1;
	}
	arena_init(&t->a);
	*state = t;
	return 0;
}

static void remove_tree(const char *root)
{
	static const char *const files[] = {
		"10_c.sql", "2_b.sql", "1_a.sql", "notes.txt", ".hidden.sql", "x.sql.bak",
		"sub/3_d.sql", "sub/20_e.sql", "sub/deeper/1_f.sql", ".git/9_g.sql",
	};
	static const char *const dirs[] = { "sub/deeper", "sub", ".git" };
	char p[512];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		unlink(p);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		rmdir(p);
	}
	rmdir(root);
}

static int teardown_tree(void **state)
{
	struct tree *t = *state;
	remove_tree(t->root);
	arena_release(&t->a);
	free(t);
	return 0;
}

static void test_directory_order(void **state)
{
	struct tree *t = *state;
	make_file(t->root, "10_c.sql");
	make_file(t->root, "2_b.sql");
	make_file(t->root, "1_a.sql");
	make_file(t->root, "notes.txt");
	make_file(t->root, ".hidden.sql");
	make_file(t->root, "x.sql.bak");
	make_dir(t->root, "sub");
	make_file(t->root, "sub/3_d.sql");
	make_file(t->root, "sub/20_e.sql");
	make_dir(t->root, "sub/deeper");
	make_file(t->root, "sub/deeper/1_f.sql");
	make_dir(t->root, ".git");
	make_file(t->root, ".git/9_g.sql");

	struct input_list list = { 0 };
	/* a trailing slash is dropped from the listed paths */
	char arg[128];
	snprintf(arg, sizeof(arg), "%s/", t->root);
	assert_int_equal(inputs_add(&list, &t->a, arg), PGS_OK);

	/* one natural order over the whole tree; hidden and non-.sql entries skipped */
	static const char *const expect[] = {
		"1_a.sql", "2_b.sql", "10_c.sql", "sub/3_d.sql", "sub/20_e.sql", "sub/deeper/1_f.sql",
	};
	assert_int_equal(list.n, sizeof(expect) / sizeof(expect[0]));
	for (size_t i = 0; i < list.n; i++) {
		char want[512];
		snprintf(want, sizeof(want), "%s/%s", t->root, expect[i]);
		assert_string_equal(list.paths[i], want);
	}
}

static void test_plain_paths_kept_in_order(void **state)
{
	struct tree *t = *state;
	struct input_list list = { 0 };
	char missing[128];
	snprintf(missing, sizeof(missing), "%s/missing.sql", t->root);
	/* files, stdin and unlistable paths are appended as given, in argument order */
	assert_int_equal(inputs_add(&list, &t->a, "b.sql"), PGS_OK);
	assert_int_equal(inputs_add(&list, &t->a, "-"), PGS_OK);
	assert_int_equal(inputs_add(&list, &t->a, "a.sql"), PGS_OK);
	assert_int_equal(inputs_add(&list, &t->a, missing), PGS_OK);
	assert_int_equal(list.n, 4);
	assert_string_equal(list.paths[0], "b.sql");
	assert_string_equal(list.paths[1], "-");
	assert_string_equal(list.paths[2], "a.sql");
	assert_string_equal(list.paths[3], missing);
}

static void test_empty_directory(void **state)
{
	struct tree *t = *state;
	struct input_list list = { 0 };
	assert_int_equal(inputs_add(&list, &t->a, t->root), PGS_OK);
	assert_int_equal(list.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_compare_as_numbers),
		cmocka_unit_test(test_leading_zeros),
		cmocka_unit_test(test_versions_with_dots),
		cmocka_unit_test_setup_teardown(test_directory_order, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_plain_paths_kept_in_order, setup_tree,
						teardown_tree),
		cmocka_unit_test_setup_teardown(test_empty_directory, setup_tree, teardown_tree),
	};
	return cmocka_run_group_tests_name("inputs", tests, NULL, NULL);
}
